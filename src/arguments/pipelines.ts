// The arguments of crm.pipelines' calls, parsed once at the facade (src/crm.ts) into typed
// inputs. Shapes only: which metadata an object type's stages take, whether an id is free and
// whether a label repeats are the pipeline rules' to say (src/pipelines/rules.ts).
import { z } from 'zod';
import { describeValue, validationError } from '../errors.js';
import { parseArgument } from './zod.js';

const label = z.string().trim().min(1, 'must not be empty').max(100);
const displayOrder = z.number().int().min(-1_000_000).max(1_000_000);
/** A probability may come in HubSpot's wire form, a numeric string ('0.2'); the rules read it. */
const probability = z.union([z.number(), z.string().max(20)]);

const metadataSchema = z.strictObject({
  probability: probability.optional(),
  ticketState: z.string().max(20).optional(),
  isClosed: z.boolean().optional(),
});

const stageInputSchema = z.strictObject({
  id: z.string().optional(),
  label,
  displayOrder: displayOrder.optional(),
  metadata: metadataSchema.optional(),
});

const pipelineInputSchema = z.strictObject({
  id: z.string().optional(),
  label,
  displayOrder: displayOrder.optional(),
  stages: z.array(stageInputSchema).min(1, 'a pipeline needs at least one stage').max(1_000),
});

// `id` is taken only to be compared: ids never change (IMMUTABLE when it differs).
const pipelinePatchSchema = z.strictObject({ id: z.string().optional(), label: label.optional(), displayOrder: displayOrder.optional() });

const stagePatchSchema = z.strictObject({
  id: z.string().optional(),
  label: label.optional(),
  displayOrder: displayOrder.optional(),
  metadata: metadataSchema.optional(),
});

const listOptionsSchema = z.strictObject({ archived: z.boolean().optional() }).optional();

/**
 * A stage's metadata as given: shapes checked, meaning not yet (a deal stage's probability, a
 * ticket stage's state).
 *
 * @example
 * const metadata: StageMetadataInput = { probability: '0.2' };
 */
export type StageMetadataInput = z.output<typeof metadataSchema>;

/**
 * createStage's input (and each stage of create's), parsed.
 *
 * @example
 * const stage: StageInputParsed = parseStageInput({ label: 'Won', metadata: { probability: 1 } });
 */
export type StageInputParsed = z.output<typeof stageInputSchema>;

/**
 * create's input, parsed.
 *
 * @example
 * const input: PipelineInputParsed = parsePipelineInput({ label: 'Enterprise', stages: [{ label: 'Intro', metadata: { probability: 0.1 } }] });
 */
export type PipelineInputParsed = z.output<typeof pipelineInputSchema>;

/**
 * update's patch, parsed.
 *
 * @example
 * const patch: PipelinePatchParsed = parsePipelinePatch({ label: 'Renewals' });
 */
export type PipelinePatchParsed = z.output<typeof pipelinePatchSchema>;

/**
 * updateStage's patch, parsed.
 *
 * @example
 * const patch: StagePatchParsed = parseStagePatch({ metadata: { probability: 0.5 } });
 */
export type StagePatchParsed = z.output<typeof stagePatchSchema>;

/**
 * crm.pipelines.create's input: a label, an optional id and display order, and at least one stage.
 *
 * @example
 * parsePipelineInput({ label: 'Renewals', stages: [{ label: 'Open', metadata: { probability: 0.5 } }] });
 */
export function parsePipelineInput(input: unknown): PipelineInputParsed {
  return parseArgument(pipelineInputSchema, input, 'pipelines.create');
}

/**
 * crm.pipelines.update's patch: label and display order.
 *
 * @example
 * parsePipelinePatch({ displayOrder: 2 });
 */
export function parsePipelinePatch(patch: unknown): PipelinePatchParsed {
  return parseArgument(pipelinePatchSchema, patch, 'pipelines.update');
}

/**
 * crm.pipelines.createStage's input.
 *
 * @example
 * parseStageInput({ label: 'Negotiation', metadata: { probability: 0.7 } });
 */
export function parseStageInput(input: unknown): StageInputParsed {
  return parseArgument(stageInputSchema, input, 'pipelines.createStage');
}

/**
 * crm.pipelines.updateStage's patch: label, display order, metadata.
 *
 * @example
 * parseStagePatch({ label: 'Demo booked' });
 */
export function parseStagePatch(patch: unknown): StagePatchParsed {
  return parseArgument(stagePatchSchema, patch, 'pipelines.updateStage');
}

/**
 * crm.pipelines.list's options: `{ archived: true }` adds the archived pipelines.
 *
 * @example
 * parsePipelineListOptions({ archived: true }); // { archived: true }
 */
export function parsePipelineListOptions(options: unknown): { archived?: boolean } {
  return parseArgument(listOptionsSchema, options, 'pipelines.list') ?? {};
}

/**
 * A pipeline or stage id argument: a string (whether it exists is the service's to say).
 *
 * @example
 * parsePipelineId('default', 'pipelineId'); // 'default'
 */
export function parsePipelineId(id: unknown, what: 'pipelineId' | 'stageId'): string {
  if (typeof id !== 'string' || id.length === 0 || id.length > 100) {
    throw validationError([{ code: 'INVALID_ID', property: what, message: `${what} must be a non-empty string of at most 100 characters, got ${describeValue(id)}` }]);
  }
  return id;
}
