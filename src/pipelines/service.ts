// crm.pipelines: each call reads the object type's pipelines from the transaction's schema,
// calls the rules (./rules.ts) and saves the new documents in the schema (so every storage keeps
// them and every transaction sees one version). Calls that touch records do so in the same
// transaction: a type's first pipeline takes in its existing records, a stage's new metadata
// recomputes its records' derived values, and archiving counts the records still inside.
import { CrmError, IssueList } from '../errors.js';
import type { TxContext } from '../schema/transaction.js';
import type { ObjectModel } from '../schema/model.js';
import { byDisplayOrder, type PipelineDoc, type PipelineKind, type StageDoc } from '../schema/pipelines.js';
import { activeModel } from '../schema/lookup.js';
import { stageValues } from '../derived/stage.js';
import type { HistoryEntry, StoredRecord } from '../storage/types.js';
import type { Pipeline, PipelineStage, Properties, PropertyValue, Source } from '../types.js';
import type { PipelineInputParsed, PipelinePatchParsed, StageInputParsed, StagePatchParsed } from '../arguments/pipelines.js';
import { checkNotLast, liveStages, newPipeline, newStage, patchedStage } from './rules.js';
import { CALCULATED_SOURCE } from '../derived/properties.js';

/** A type with pipelines: its model (the type's pipelines compiled) and how it holds them. */
interface Holder {
  readonly model: ObjectModel;
  readonly kind: PipelineKind;
  readonly docs: readonly PipelineDoc[];
}

/** The object type, which must have pipelines; VALIDATION_ERROR (PIPELINES_NOT_SUPPORTED) for one that has none. */
function holderOf(ctx: TxContext, objectType: string, write: boolean): Holder {
  const model = write ? activeModel(ctx, objectType) : ctx.schema.object(objectType);
  const set = model.pipelines;
  if (set === undefined) {
    const issues = new IssueList();
    issues.add({
      code: 'PIPELINES_NOT_SUPPORTED',
      message: `${model.name} records have no pipelines (deals, tickets, leads, orders, appointments, courses, listings, services, projects and custom objects do)`,
    });
    throw issues.error(model.name);
  }
  return { model, kind: set.kind, docs: set.docs };
}

/** The live pipeline; UNKNOWN_PIPELINE when it is unknown or archived. */
function livePipeline(holder: Holder, pipelineId: string): PipelineDoc {
  const pipeline = holder.docs.find((doc) => doc.id === pipelineId);
  if (pipeline === undefined || pipeline.archived) {
    throw new CrmError('UNKNOWN_PIPELINE', `${holder.model.name} has no ${pipeline ? 'live ' : ''}pipeline ${JSON.stringify(pipelineId)}`, {
      objectType: holder.model.name,
      pipelineId,
    });
  }
  return pipeline;
}

/** The live stage of a live pipeline; UNKNOWN_STAGE when it is unknown or archived. */
function liveStage(holder: Holder, pipeline: PipelineDoc, stageId: string): StageDoc {
  const stage = pipeline.stages.find((doc) => doc.id === stageId);
  if (stage === undefined || stage.archived) {
    throw new CrmError('UNKNOWN_STAGE', `pipeline ${JSON.stringify(pipeline.id)} of ${holder.model.name} has no ${stage ? 'live ' : ''}stage ${JSON.stringify(stageId)}`, {
      objectType: holder.model.name,
      pipelineId: pipeline.id,
      stageId,
    });
  }
  return stage;
}

// ---------------------------------------------------------------- public shapes

function stageOf(doc: StageDoc): PipelineStage {
  return Object.freeze({ ...doc, metadata: Object.freeze({ ...doc.metadata }) });
}

function pipelineOf(objectType: string, doc: PipelineDoc): Pipeline {
  const { stages, ...rest } = doc;
  return Object.freeze({ ...rest, objectType, stages: Object.freeze(liveStages(doc).map(stageOf)) as PipelineStage[] });
}

// ---------------------------------------------------------------- reads

/** The object type's live pipelines (with `archived`, every one), by display order, ties by label. */
export function listPipelines(ctx: TxContext, objectType: string, { archived }: { archived?: boolean }): Pipeline[] {
  const holder = holderOf(ctx, objectType, false);
  return holder.docs
    .filter((doc) => archived === true || !doc.archived)
    .sort(byDisplayOrder)
    .map((doc) => pipelineOf(holder.model.name, doc));
}

/** One live pipeline, or undefined. */
export function getPipeline(ctx: TxContext, objectType: string, pipelineId: string): Pipeline | undefined {
  const holder = holderOf(ctx, objectType, false);
  const doc = holder.docs.find((pipeline) => pipeline.id === pipelineId && !pipeline.archived);
  return doc && pipelineOf(holder.model.name, doc);
}

/** A live pipeline's live stages in display order; UNKNOWN_PIPELINE when the pipeline is not live. */
export function listStages(ctx: TxContext, objectType: string, pipelineId: string): PipelineStage[] {
  const holder = holderOf(ctx, objectType, false);
  return liveStages(livePipeline(holder, pipelineId)).map(stageOf);
}

/** One live stage of a live pipeline, or undefined. */
export function getStage(ctx: TxContext, objectType: string, pipelineId: string, stageId: string): PipelineStage | undefined {
  const holder = holderOf(ctx, objectType, false);
  const pipeline = holder.docs.find((doc) => doc.id === pipelineId && !doc.archived);
  const stage = pipeline?.stages.find((doc) => doc.id === stageId && !doc.archived);
  return stage && stageOf(stage);
}

// ---------------------------------------------------------------- writes

/** IMMUTABLE when a patch names an id other than the one it patches: ids name records' values and properties. */
function refuseIdChange(holder: Holder, what: 'pipeline' | 'stage', id: string, wanted: string | undefined): void {
  if (wanted === undefined || wanted === id) return;
  throw new CrmError('IMMUTABLE', `a ${what}'s id never changes (${holder.model.name} ${what} ${JSON.stringify(id)}, got ${JSON.stringify(wanted)})`, {
    objectType: holder.model.name,
    field: 'id',
  });
}

/** Saves the type's pipelines in the schema (its model recompiled) and announces the change after commit. */
async function save(ctx: TxContext, holder: Holder, docs: PipelineDoc[], change: string): Promise<Holder> {
  await ctx.saveSchema(ctx.schema.withPipelines(holder.model.name, docs));
  ctx.emit({ type: 'schema.changed', objectType: holder.model.name, change });
  return holderOf(ctx, holder.model.name, false);
}

/** A new pipeline; the type's first one takes in every existing record at its first stage. */
export async function createPipeline(ctx: TxContext, objectType: string, input: PipelineInputParsed): Promise<Pipeline> {
  const holder = holderOf(ctx, objectType, true);
  const doc = newPipeline(holder.model.name, holder.kind, holder.docs, input, ctx.now());
  const first = !holder.docs.some((pipeline) => !pipeline.archived);
  const saved = await save(ctx, holder, [...holder.docs, doc], 'pipeline.created');
  if (first) {
    const stage = liveStages(doc)[0]!.id;
    await moveRecords(ctx, saved, () => true, () => ({ [saved.kind.pipelineProperty]: doc.id, [saved.kind.stageProperty]: stage }), MIGRATION_SOURCE);
  }
  return pipelineOf(saved.model.name, doc);
}

/** A pipeline's label or display order changed (its id never does). */
export async function updatePipeline(ctx: TxContext, objectType: string, pipelineId: string, patch: PipelinePatchParsed): Promise<Pipeline> {
  const holder = holderOf(ctx, objectType, true);
  const pipeline = livePipeline(holder, pipelineId);
  refuseIdChange(holder, 'pipeline', pipeline.id, patch.id);
  if (patch.label === undefined && patch.displayOrder === undefined) return pipelineOf(holder.model.name, pipeline);
  const changed: PipelineDoc = {
    ...pipeline,
    ...(patch.label !== undefined ? { label: patch.label } : {}),
    ...(patch.displayOrder !== undefined ? { displayOrder: patch.displayOrder } : {}),
    updatedAt: ctx.now(),
  };
  await save(ctx, holder, holder.docs.map((doc) => (doc === pipeline ? changed : doc)), 'pipeline.updated');
  return pipelineOf(holder.model.name, changed);
}

/** Archives a pipeline no record holds (archived records included); PIPELINE_IN_USE with the count otherwise. */
export async function archivePipeline(ctx: TxContext, objectType: string, pipelineId: string): Promise<void> {
  const holder = holderOf(ctx, objectType, true);
  const pipeline = livePipeline(holder, pipelineId);
  checkNotLast('pipeline', holder.docs.filter((doc) => !doc.archived).length, holder.model.name);
  const count = await countRecords(ctx, holder.model, (properties) => properties[holder.kind.pipelineProperty] === pipeline.id);
  if (count > 0) {
    throw new CrmError(
      'PIPELINE_IN_USE',
      `${count} ${holder.model.name} record${count === 1 ? ' is' : 's are'} (archived ones included) in pipeline ${JSON.stringify(pipeline.id)}: move them to another pipeline first`,
      { objectType: holder.model.name, pipelineId: pipeline.id, count },
    );
  }
  const archived: PipelineDoc = { ...pipeline, archived: true, updatedAt: ctx.now() };
  await save(ctx, holder, holder.docs.map((doc) => (doc === pipeline ? archived : doc)), 'pipeline.archived');
}

/** A new stage of a live pipeline, after its others unless a display order is given. */
export async function createStage(ctx: TxContext, objectType: string, pipelineId: string, input: StageInputParsed): Promise<PipelineStage> {
  const holder = holderOf(ctx, objectType, true);
  const pipeline = livePipeline(holder, pipelineId);
  const stage = newStage(holder.model.name, holder.kind, holder.docs, pipeline, input, ctx.now());
  const changed: PipelineDoc = { ...pipeline, stages: [...pipeline.stages, stage], updatedAt: stage.updatedAt };
  await save(ctx, holder, holder.docs.map((doc) => (doc === pipeline ? changed : doc)), 'stage.created');
  return stageOf(stage);
}

/** A stage's label, display order or metadata changed; new metadata recomputes its records' derived values in the same call. */
export async function updateStage(ctx: TxContext, objectType: string, pipelineId: string, stageId: string, patch: StagePatchParsed): Promise<PipelineStage> {
  const holder = holderOf(ctx, objectType, true);
  const pipeline = livePipeline(holder, pipelineId);
  const stage = liveStage(holder, pipeline, stageId);
  refuseIdChange(holder, 'stage', stage.id, patch.id);
  if (patch.label === undefined && patch.displayOrder === undefined && patch.metadata === undefined) return stageOf(stage);
  const changed = patchedStage(holder.kind, pipeline, stage, patch, ctx.now());
  const changedPipeline: PipelineDoc = { ...pipeline, stages: pipeline.stages.map((doc) => (doc === stage ? changed : doc)), updatedAt: changed.updatedAt };
  const saved = await save(ctx, holder, holder.docs.map((doc) => (doc === pipeline ? changedPipeline : doc)), 'stage.updated');
  if (patch.metadata !== undefined) {
    const stageProperty = saved.kind.stageProperty;
    await moveRecords(ctx, saved, (properties) => properties[stageProperty] === stage.id, () => ({}), CALCULATED_SOURCE);
  }
  return stageOf(changed);
}

/** Archives a stage no record holds (archived records included); STAGE_IN_USE with the count otherwise. */
export async function archiveStage(ctx: TxContext, objectType: string, pipelineId: string, stageId: string): Promise<void> {
  const holder = holderOf(ctx, objectType, true);
  const pipeline = livePipeline(holder, pipelineId);
  const stage = liveStage(holder, pipeline, stageId);
  checkNotLast('stage', liveStages(pipeline).length, pipeline.id);
  const count = await countRecords(ctx, holder.model, (properties) => properties[holder.kind.stageProperty] === stage.id);
  if (count > 0) {
    throw new CrmError(
      'STAGE_IN_USE',
      `${count} ${holder.model.name} record${count === 1 ? ' is' : 's are'} (archived ones included) in stage ${JSON.stringify(stage.id)}: move them to another stage first`,
      { objectType: holder.model.name, pipelineId: pipeline.id, stageId: stage.id, count },
    );
  }
  const now = ctx.now();
  const changed: PipelineDoc = { ...pipeline, stages: pipeline.stages.map((doc) => (doc === stage ? { ...doc, archived: true, updatedAt: now } : doc)), updatedAt: now };
  await save(ctx, holder, holder.docs.map((doc) => (doc === pipeline ? changed : doc)), 'stage.archived');
}

// ---------------------------------------------------------------- records in pipelines

/** A type's first pipeline takes its records in as a data migration, not as anyone's edit. */
const MIGRATION_SOURCE: Source = Object.freeze({ type: 'MIGRATION' });
const SCAN_PAGE = 1_000;

/**
 * Every record of the type, archived ones included, a page at a time: pipelines count and move
 * archived records too (a restored record must come back into a live stage).
 */
async function* everyRecord(ctx: TxContext, model: ObjectModel): AsyncGenerator<StoredRecord[]> {
  let after: string | undefined;
  do {
    const page = await ctx.tx.scanRecords(model.name, { limit: SCAN_PAGE, archived: true, ...(after !== undefined ? { after } : {}) });
    if (page.records.length > 0) yield page.records;
    after = page.after;
  } while (after !== undefined);
}

async function countRecords(ctx: TxContext, model: ObjectModel, holds: (properties: Properties) => boolean): Promise<number> {
  let count = 0;
  for await (const records of everyRecord(ctx, model)) for (const record of records) if (holds(record.properties)) count++;
  return count;
}

/**
 * Writes `values` (and the stage-derived values they lead to) to every record `selects` picks,
 * with history under `source` (the derived values under CALCULATED) and an event per record.
 */
async function moveRecords(
  ctx: TxContext,
  holder: Holder,
  selects: (properties: Properties) => boolean,
  values: () => Record<string, PropertyValue>,
  source: Source,
): Promise<void> {
  const { model } = holder;
  const now = ctx.now();
  for await (const records of everyRecord(ctx, model)) {
    const written: StoredRecord[] = [];
    const entries: HistoryEntry[] = [];
    for (const record of records) {
      if (!selects(record.properties)) continue;
      const set = values();
      const moved: Properties = { ...record.properties, ...set };
      const derived = stageValues(model, set[holder.kind.stageProperty] === undefined ? record.properties : undefined, moved, now);
      for (const name of Object.keys(derived)) {
        const value = derived[name]!;
        if (value === null) delete moved[name];
        else moved[name] = value;
      }
      if (Object.keys(set).length === 0 && Object.keys(derived).length === 0) continue;
      const next: StoredRecord = Object.freeze({ ...record, properties: Object.freeze(moved) });
      written.push(next);
      if (ctx.options.history) {
        if (Object.keys(set).length > 0) entries.push({ objectType: model.name, id: record.id, timestamp: now, source, values: Object.freeze(set) });
        if (Object.keys(derived).length > 0) entries.push({ objectType: model.name, id: record.id, timestamp: now, source: CALCULATED_SOURCE, values: Object.freeze(derived) });
      }
      ctx.emit({ type: 'record.updated', objectType: model.name, id: record.id, record: next, changes: { ...set, ...derived }, source });
    }
    if (written.length > 0) await ctx.tx.updateRecords(written);
    if (entries.length > 0) await ctx.tx.appendHistory(entries);
  }
}
