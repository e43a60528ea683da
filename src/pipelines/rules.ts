// The rules of defining pipelines and stages, as pure functions over the stored documents: ids
// (given or derived from labels), stage metadata per object type, unique labels, caps, and the
// last live pipeline and stage that must stay. Each answers the new documents or throws the
// CrmError that says what is wrong; the service (./service.ts) reads and writes around them.
import { CrmError, IssueList, describeValue, type ValidationIssue } from '../errors.js';
import { RESERVED_NAMES } from '../schema/names.js';
import { byDisplayOrder, PIPELINE_LIMIT, type PipelineDoc, type PipelineKind, type StageDoc, type StageMetadataDoc } from '../schema/pipelines.js';
import type { PipelineInputParsed, StageInputParsed, StageMetadataInput } from '../arguments/pipelines.js';

/** Ids: lowercase letters, digits, `_` and `-` (HubSpot's shipped leads pipeline is `lead-pipeline-id`). */
const ID_PATTERN = /^[a-z0-9_-]{1,100}$/;

/**
 * INVALID_ID or RESERVED_NAME for an id that cannot name a pipeline or stage; undefined when it can.
 *
 * @example
 * idIssue('Enterprise', ['id'])?.code; // 'INVALID_ID'
 * idIssue('__proto__', ['id'])?.code;  // 'RESERVED_NAME'
 */
export function idIssue(id: string, path: (string | number)[]): ValidationIssue | undefined {
  if (RESERVED_NAMES.has(id)) return { code: 'RESERVED_NAME', path, message: `${path.join('.')}: ${JSON.stringify(id)} is reserved and cannot be an id` };
  if (!ID_PATTERN.test(id)) {
    return { code: 'INVALID_ID', path, message: `${path.join('.')}: ${describeValue(id)} is not an id: use 1 to 100 lowercase letters, digits, '_' and '-'` };
  }
  return undefined;
}

/**
 * An id derived from a label, free among `taken`: 'Closed won' → 'closed_won', then
 * 'closed_won_2', … (a label with no letter or digit gives `fallback`).
 *
 * @example
 * deriveId('Enterprise sales', new Set(), 'pipeline'); // 'enterprise_sales'
 */
export function deriveId(label: string, taken: ReadonlySet<string>, fallback: string): string {
  let base = label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 90)
    .replace(/_+$/, '');
  if (base === '' || RESERVED_NAMES.has(base)) base = fallback;
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}_${n}`)) return `${base}_${n}`;
}

/** A probability on HubSpot's grid (0.0 to 1.0 in steps of 0.1), or undefined when it is not one. */
function gridProbability(value: number | string): number | undefined {
  const number = typeof value === 'number' ? value : value.trim() === '' ? Number.NaN : Number(value);
  if (!Number.isFinite(number) || number < 0 || number > 1) return undefined;
  const tenths = Math.round(number * 10);
  return Math.abs(number * 10 - tenths) < 1e-9 ? tenths / 10 : undefined;
}

/**
 * A stage's metadata as stored, from what was given (and, for an update, what it had): deal
 * stages need a probability on the 0.1 grid and are closed at 0.0 and 1.0; ticket stages take
 * OPEN (default) or CLOSED; other types say isClosed themselves (default false). An isClosed that
 * contradicts the probability or state is an issue. Problems go to `issues`, at `path`.
 *
 * @example
 * stageMetadata(dealKind, { probability: '1.0' }, undefined, ['metadata'], issues); // { probability: 1, isClosed: true }
 */
export function stageMetadata(
  kind: PipelineKind,
  given: StageMetadataInput | undefined,
  before: StageMetadataDoc | undefined,
  path: (string | number)[],
  issues: IssueList,
): StageMetadataDoc {
  const at = (field: string): (string | number)[] => [...path, field];
  const where = (field: string): string => at(field).join('.');
  const input = given ?? {};
  const refuse = (field: string, message: string): void => {
    issues.add({ code: 'INVALID_ARGUMENT', path: at(field), message: `${where(field)}: ${message}` });
  };
  if (kind.metadata !== 'deal' && input.probability !== undefined) refuse('probability', 'only deal stages have a probability');
  if (kind.metadata !== 'ticket' && input.ticketState !== undefined) refuse('ticketState', 'only ticket stages have a ticketState');
  if (kind.metadata === 'deal') {
    let probability = before?.probability;
    if (input.probability !== undefined) {
      probability = gridProbability(input.probability);
      if (probability === undefined) refuse('probability', `${describeValue(input.probability)} is not a probability: use 0.0 to 1.0 in steps of 0.1 (1.0 closed won, 0.0 closed lost)`);
    } else if (probability === undefined) {
      issues.add({ code: 'REQUIRED', path: at('probability'), message: `${where('probability')}: a deal stage needs a probability, 0.0 to 1.0 in steps of 0.1` });
    }
    const isClosed = probability === 0 || probability === 1;
    if (probability !== undefined && input.isClosed !== undefined && input.isClosed !== isClosed) {
      refuse('isClosed', `a deal stage of probability ${probability} is ${isClosed ? '' : 'not '}closed (only 0.0 and 1.0 are)`);
    }
    return { probability: probability ?? 0, isClosed };
  }
  if (kind.metadata === 'ticket') {
    let ticketState = before?.ticketState ?? 'OPEN';
    if (input.ticketState !== undefined) {
      if (input.ticketState === 'OPEN' || input.ticketState === 'CLOSED') ticketState = input.ticketState;
      else refuse('ticketState', `${describeValue(input.ticketState)} is not a ticket state: use 'OPEN' or 'CLOSED'`);
    }
    const isClosed = ticketState === 'CLOSED';
    if (input.isClosed !== undefined && input.isClosed !== isClosed) refuse('isClosed', `a ${ticketState} ticket stage is ${isClosed ? '' : 'not '}closed`);
    return { ticketState, isClosed };
  }
  return { isClosed: input.isClosed ?? before?.isClosed ?? false };
}

/** Labels compare trimmed and case-insensitively ('Won' and 'won ' are one label to a person reading a board). */
function labelKey(label: string): string {
  return label.trim().toLowerCase();
}

/** DUPLICATE_LABEL at `path` when `label` is already among `taken`'s keys. */
function checkLabel(label: string, taken: Set<string>, path: (string | number)[], issues: IssueList): void {
  const key = labelKey(label);
  if (taken.has(key)) issues.add({ code: 'DUPLICATE_LABEL', path, message: `${path.join('.')}: ${JSON.stringify(label)} is already a stage of this pipeline` });
  taken.add(key);
}

/** Every stage id of the object type, archived ones and other pipelines' included: stage ids name properties, so they are never reused. */
export function stageIdsOf(pipelines: readonly PipelineDoc[]): Set<string> {
  return new Set(pipelines.flatMap((pipeline) => pipeline.stages.map((stage) => stage.id)));
}

function conflict(objectType: string, what: 'pipelineId' | 'stageId', id: string): CrmError {
  const noun = what === 'pipelineId' ? 'pipeline' : 'stage';
  return new CrmError('CONFLICT', `${objectType} already has a ${noun} with id ${JSON.stringify(id)} (archived ones keep their ids)`, { objectType, [what]: id });
}

/** A stage's id: the one given (checked, and free in the type) or one derived from its label. */
function stageId(objectType: string, input: StageInputParsed, taken: Set<string>, path: (string | number)[], issues: IssueList): string {
  if (input.id !== undefined) {
    const issue = idIssue(input.id, [...path, 'id']);
    if (issue) {
      issues.add(issue);
      return input.id;
    }
    if (taken.has(input.id)) throw conflict(objectType, 'stageId', input.id);
    taken.add(input.id);
    return input.id;
  }
  const id = deriveId(input.label, taken, 'stage');
  taken.add(id);
  return id;
}

/** LIMIT_REACHED when a pipeline would have more live stages than the type allows. */
function checkStageCount(kind: PipelineKind, count: number, path: (string | number)[], issues: IssueList): void {
  if (count > kind.stageLimit) {
    issues.add({ code: 'LIMIT_REACHED', path, limit: kind.stageLimit, message: `${path.join('.')}: a pipeline may have at most ${kind.stageLimit} stages, got ${count}` });
  }
}

/**
 * A new pipeline: its id (given or derived), its stages' ids, metadata and display orders (input
 * order where none is given), checked against the type's other pipelines.
 *
 * @example
 * newPipeline('deals', dealKind, existing, { label: 'Renewals', stages: [{ label: 'Open', metadata: { probability: 0.5 } }] }, now);
 */
export function newPipeline(objectType: string, kind: PipelineKind, existing: readonly PipelineDoc[], input: PipelineInputParsed, now: string): PipelineDoc {
  const issues = new IssueList();
  const live = existing.filter((pipeline) => !pipeline.archived);
  if (live.length >= PIPELINE_LIMIT) {
    issues.add({ code: 'LIMIT_REACHED', limit: PIPELINE_LIMIT, message: `${objectType} may have at most ${PIPELINE_LIMIT} live pipelines` });
    throw issues.error(`pipelines.create ${objectType}`);
  }
  const pipelineIds = new Set(existing.map((pipeline) => pipeline.id));
  let id: string;
  if (input.id !== undefined) {
    const issue = idIssue(input.id, ['id']);
    if (issue) issues.add(issue);
    else if (pipelineIds.has(input.id)) throw conflict(objectType, 'pipelineId', input.id);
    id = input.id;
  } else id = deriveId(input.label, pipelineIds, 'pipeline');
  checkStageCount(kind, input.stages.length, ['stages'], issues);
  const takenIds = stageIdsOf(existing);
  const labels = new Set<string>();
  let order = -1;
  const stages = input.stages.map((stage, at): StageDoc => {
    const path = ['stages', at];
    checkLabel(stage.label, labels, [...path, 'label'], issues);
    order = stage.displayOrder ?? order + 1;
    return {
      id: stageId(objectType, stage, takenIds, path, issues),
      label: stage.label,
      displayOrder: order,
      metadata: stageMetadata(kind, stage.metadata, undefined, [...path, 'metadata'], issues),
      createdAt: now,
      updatedAt: now,
      archived: false,
    };
  });
  if (issues.length > 0) throw issues.error(`pipelines.create ${objectType}`);
  const displayOrder = input.displayOrder ?? (live.length === 0 ? 0 : Math.max(...live.map((pipeline) => pipeline.displayOrder)) + 1);
  return { id, label: input.label, displayOrder, createdAt: now, updatedAt: now, archived: false, stages };
}

/**
 * A new stage at the end of `pipeline` (or at its given display order).
 *
 * @example
 * newStage('deals', dealKind, pipelines, pipeline, { label: 'Negotiation', metadata: { probability: 0.7 } }, now);
 */
export function newStage(objectType: string, kind: PipelineKind, pipelines: readonly PipelineDoc[], pipeline: PipelineDoc, input: StageInputParsed, now: string): StageDoc {
  const issues = new IssueList();
  const live = pipeline.stages.filter((stage) => !stage.archived);
  checkStageCount(kind, live.length + 1, ['stages'], issues);
  const labels = new Set(live.map((stage) => labelKey(stage.label)));
  checkLabel(input.label, labels, ['label'], issues);
  const id = stageId(objectType, input, stageIdsOf(pipelines), [], issues);
  const metadata = stageMetadata(kind, input.metadata, undefined, ['metadata'], issues);
  if (issues.length > 0) throw issues.error(`pipelines.createStage ${objectType} ${pipeline.id}`);
  const displayOrder = input.displayOrder ?? (live.length === 0 ? 0 : Math.max(...live.map((stage) => stage.displayOrder)) + 1);
  return { id, label: input.label, displayOrder, metadata, createdAt: now, updatedAt: now, archived: false };
}

/**
 * A stage with a patch applied: a new label (unique among the pipeline's live stages), display
 * order, or metadata merged over what it had.
 *
 * @example
 * patchedStage(dealKind, pipeline, stage, { metadata: { probability: 0.5 } }, now).metadata.probability; // 0.5
 */
export function patchedStage(
  kind: PipelineKind,
  pipeline: PipelineDoc,
  stage: StageDoc,
  patch: { label?: string; displayOrder?: number; metadata?: StageMetadataInput },
  now: string,
): StageDoc {
  const issues = new IssueList();
  if (patch.label !== undefined) {
    const labels = new Set(pipeline.stages.filter((other) => !other.archived && other.id !== stage.id).map((other) => labelKey(other.label)));
    checkLabel(patch.label, labels, ['label'], issues);
  }
  const metadata = patch.metadata === undefined ? stage.metadata : stageMetadata(kind, patch.metadata, stage.metadata, ['metadata'], issues);
  if (issues.length > 0) throw issues.error(`pipelines.updateStage ${pipeline.id} ${stage.id}`);
  return {
    ...stage,
    ...(patch.label !== undefined ? { label: patch.label } : {}),
    ...(patch.displayOrder !== undefined ? { displayOrder: patch.displayOrder } : {}),
    metadata,
    updatedAt: now,
  };
}

/**
 * VALIDATION_ERROR (LAST_REMAINING) when archiving would leave nothing live: the object type's
 * last pipeline, or a pipeline's last stage.
 *
 * @example
 * checkNotLast('pipeline', 1, 'deals'); // throws: deals keeps at least one live pipeline
 */
export function checkNotLast(what: 'pipeline' | 'stage', live: number, owner: string): void {
  if (live > 1) return;
  const message =
    what === 'pipeline'
      ? `${owner} keeps at least one live pipeline: create another before archiving this one`
      : `pipeline ${owner} keeps at least one live stage: create another before archiving this one`;
  const issues = new IssueList();
  issues.add({ code: 'LAST_REMAINING', message });
  throw issues.error(owner);
}

/** Live stages in display order. */
export function liveStages(pipeline: PipelineDoc): StageDoc[] {
  return pipeline.stages.filter((stage) => !stage.archived).sort(byDisplayOrder);
}
