// Pipelines and stages as HubSpot's pipelines API writes and reads them. Pure functions, pinned
// by test/hubspot/definitions-wire.test.ts. HubSpot's stage metadata is a map of strings
// (`probability: '0.2'`, `isClosed: 'true'`, `ticketState: 'OPEN'`); the crm's is typed.
import type { Pipeline, PipelineInput, PipelinePatch, PipelineStage, PipelineStageInput } from 'crmkit';
import { requestError } from './body.js';
import { optionalArray, optionalBoolean, optionalInteger, requiredString } from './definition-shapes.js';
import { knownKeys } from './properties-wire.js';
import { objectAt, optionalString } from './shapes.js';

/**
 * A stage as HubSpot answers it.
 *
 * @example
 * const stage: WireStage = toWireStage((await crm.pipelines.getStage('deals', 'default', 'closedwon'))!);
 */
export interface WireStage {
  id: string;
  label: string;
  displayOrder: number;
  metadata: { [key: string]: string };
  createdAt: string;
  updatedAt: string;
  archived: boolean;
  writePermissions: 'CRM_PERMISSIONS_ENFORCEMENT';
}

/**
 * A pipeline as HubSpot answers it.
 *
 * @example
 * const pipeline: WirePipeline = toWirePipeline((await crm.pipelines.get('tickets', '0'))!);
 */
export interface WirePipeline {
  id: string;
  label: string;
  displayOrder: number;
  stages: WireStage[];
  createdAt: string;
  updatedAt: string;
  archived: boolean;
}

/**
 * A stage's metadata as HubSpot's strings: a probability with one decimal (`'0.2'`, `'1.0'`, as
 * HubSpot writes its shipped stages), `isClosed` `'true'`/`'false'`, `ticketState` as it is.
 *
 * @example
 * toWireMetadata({ probability: 1, isClosed: true }); // { probability: '1.0', isClosed: 'true' }
 */
export function toWireMetadata(metadata: PipelineStage['metadata']): { [key: string]: string } {
  const wire: { [key: string]: string } = {};
  // The crm's probabilities sit on the 0.1 grid, so one decimal is exact.
  if (metadata.probability !== undefined) wire.probability = metadata.probability.toFixed(1);
  if (metadata.ticketState !== undefined) wire.ticketState = metadata.ticketState;
  wire.isClosed = metadata.isClosed ? 'true' : 'false';
  return wire;
}

/**
 * A stage on the wire.
 *
 * @example
 * toWireStage(stage).metadata.probability; // '0.2'
 */
export function toWireStage(stage: PipelineStage): WireStage {
  return {
    id: stage.id,
    label: stage.label,
    displayOrder: stage.displayOrder,
    metadata: toWireMetadata(stage.metadata),
    createdAt: stage.createdAt,
    updatedAt: stage.updatedAt,
    archived: stage.archived,
    writePermissions: 'CRM_PERMISSIONS_ENFORCEMENT',
  };
}

/**
 * A pipeline on the wire, its live stages in the crm's order.
 *
 * @example
 * toWirePipeline(pipeline).stages.map((stage) => stage.id);
 */
export function toWirePipeline(pipeline: Pipeline): WirePipeline {
  return {
    id: pipeline.id,
    label: pipeline.label,
    displayOrder: pipeline.displayOrder,
    stages: pipeline.stages.map(toWireStage),
    createdAt: pipeline.createdAt,
    updatedAt: pipeline.updatedAt,
    archived: pipeline.archived,
  };
}

/** `'true'` / `'false'` (HubSpot's strings) or a boolean. */
function wireBoolean(value: unknown, field: string): boolean | undefined {
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (typeof value === 'string') throw requestError(field, `${field} must be 'true' or 'false', got ${JSON.stringify(value)}`);
  return optionalBoolean(value, field);
}

/**
 * HubSpot's stage metadata (strings, or the typed values) as the crm's: `probability` stays a
 * string or number for the crm to judge (0.0 to 1.0 in steps of 0.1), `isClosed` becomes a
 * boolean, `ticketState` a string. Other keys are refused by name.
 *
 * @example
 * stageMetadataOf({ probability: '0.2', isClosed: 'false' }, 'metadata'); // { probability: '0.2', isClosed: false }
 */
export function stageMetadataOf(value: unknown, field: string): NonNullable<PipelineStageInput['metadata']> {
  const raw = objectAt(value, field);
  knownKeys(raw, ['probability', 'isClosed', 'ticketState'], field);
  const metadata: NonNullable<PipelineStageInput['metadata']> = {};
  if (raw.probability !== undefined && raw.probability !== null) {
    if (typeof raw.probability !== 'string' && typeof raw.probability !== 'number') {
      throw requestError(`${field}.probability`, `${field}.probability must be a number written as a string ('0.2'), got ${JSON.stringify(raw.probability)}`);
    }
    metadata.probability = raw.probability;
  }
  const isClosed = wireBoolean(raw.isClosed ?? undefined, `${field}.isClosed`);
  if (isClosed !== undefined) metadata.isClosed = isClosed;
  const ticketState = optionalString(raw.ticketState, `${field}.ticketState`);
  // The crm refuses a state other than OPEN or CLOSED, naming it.
  if (ticketState !== undefined) metadata.ticketState = ticketState as 'OPEN' | 'CLOSED';
  return metadata;
}

/**
 * A PipelineStageInput body as the crm's stage input. HubSpot's input has no id (the crm derives
 * one from the label); an `id` is taken too, so a replace can name the stage it keeps.
 *
 * @example
 * stageInputOf({ label: 'Won', displayOrder: 5, metadata: { probability: '1.0' } }, 'body');
 */
export function stageInputOf(value: unknown, field: string): PipelineStageInput {
  const body = objectAt(value, field);
  knownKeys(body, ['id', 'label', 'displayOrder', 'metadata'], field);
  const at = (key: string): string => (field === 'body' ? key : `${field}.${key}`);
  const id = optionalString(body.id, at('id'));
  const displayOrder = optionalInteger(body.displayOrder, at('displayOrder'));
  const metadata = body.metadata === undefined || body.metadata === null ? undefined : stageMetadataOf(body.metadata, at('metadata'));
  return {
    ...(id !== undefined ? { id } : {}),
    label: requiredString(body.label, at('label')),
    ...(displayOrder !== undefined ? { displayOrder } : {}),
    ...(metadata !== undefined ? { metadata } : {}),
  };
}

/**
 * A PipelineInput body as the crm's pipeline input (`stages` required, as HubSpot's).
 *
 * @example
 * pipelineInputOf({ label: 'Renewals', displayOrder: 1, stages: [{ label: 'Open', displayOrder: 0, metadata: { probability: '0.5' } }] });
 */
export function pipelineInputOf(value: unknown): PipelineInput {
  const body = objectAt(value, 'body');
  knownKeys(body, ['id', 'label', 'displayOrder', 'stages'], 'body');
  const id = optionalString(body.id, 'id');
  const displayOrder = optionalInteger(body.displayOrder, 'displayOrder');
  const stages = optionalArray(body.stages, 'stages', stageInputOf);
  if (stages === undefined) throw requestError('stages', 'stages must be an array of stages');
  return {
    ...(id !== undefined ? { id } : {}),
    label: requiredString(body.label, 'label'),
    ...(displayOrder !== undefined ? { displayOrder } : {}),
    stages,
  };
}

/**
 * A PipelinePatchInput (or PipelineStagePatchInput, with `metadata`) body: the crm's patch, and
 * whether it asks to archive (`archived: true`).
 *
 * @example
 * patchOf({ label: 'Sales', archived: false }, false); // { patch: { label: 'Sales' }, archive: false }
 */
export function patchOf(value: unknown, stage: boolean): { patch: PipelinePatch & { metadata?: PipelineStageInput['metadata'] }; archive: boolean } {
  const body = objectAt(value, 'body');
  knownKeys(body, stage ? ['label', 'displayOrder', 'metadata', 'archived'] : ['label', 'displayOrder', 'archived'], 'body');
  const label = optionalString(body.label, 'label');
  const displayOrder = optionalInteger(body.displayOrder, 'displayOrder');
  const archive = optionalBoolean(body.archived, 'archived') ?? false;
  const metadata = stage && body.metadata !== undefined && body.metadata !== null ? stageMetadataOf(body.metadata, 'metadata') : undefined;
  return {
    patch: { ...(label !== undefined ? { label } : {}), ...(displayOrder !== undefined ? { displayOrder } : {}), ...(metadata !== undefined ? { metadata } : {}) },
    archive,
  };
}

/**
 * What replacing a pipeline's stages (PUT) does to each stage: an input naming a live stage by
 * `id`, or else by label (case and surrounding spaces aside), updates it; the other inputs are
 * new stages; live stages no input names are archived (the crm refuses while records hold them).
 *
 * @example
 * planStageReplace([{ id: 'a', label: 'A' }, { id: 'b', label: 'B' }], [{ label: 'a' }, { label: 'C' }]);
 * // { update: [{ id: 'a', input: { label: 'a' } }], create: [{ label: 'C' }], archive: ['b'] }
 */
export function planStageReplace(
  current: ReadonlyArray<{ id: string; label: string }>,
  inputs: readonly PipelineStageInput[],
): { update: Array<{ id: string; input: PipelineStageInput }>; create: PipelineStageInput[]; archive: string[] } {
  const key = (label: string): string => label.trim().toLowerCase();
  const claimed = new Set<string>();
  const update: Array<{ id: string; input: PipelineStageInput }> = [];
  const create: PipelineStageInput[] = [];
  for (const input of inputs) {
    const match = current.find((stage) => !claimed.has(stage.id) && (input.id !== undefined ? stage.id === input.id : key(stage.label) === key(input.label)));
    if (match) {
      claimed.add(match.id);
      update.push({ id: match.id, input });
    } else {
      create.push(input);
    }
  }
  return { update, create, archive: current.filter((stage) => !claimed.has(stage.id)).map((stage) => stage.id) };
}
