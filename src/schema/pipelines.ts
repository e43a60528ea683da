// Pipelines as schema data: which object types have them, how they are stored (in the schema
// document, so every storage keeps them, `fork` copies them and every transaction sees one
// version), and how an object model is compiled with them: the pipeline and stage properties
// take their options from the live pipelines, and deals get one `hs_date_entered_<stage>`
// property per stage. The rules of changing them live in pipelines/; the rule of a record's
// stage in records/pipeline-fit.ts; the stage-derived values in derived/stage.ts.
import { SHIPPED_PIPELINES } from './catalogue/index.js';
import type { ObjectDoc, PropertyDoc } from './model.js';
import type { PropertyOption } from '../types.js';

/** A stage's metadata as stored: `isClosed` always, `probability` on deal stages, `ticketState` on ticket stages. */
export interface StageMetadataDoc {
  probability?: number;
  ticketState?: 'OPEN' | 'CLOSED';
  isClosed: boolean;
}

/** A stage as stored. */
export interface StageDoc {
  id: string;
  label: string;
  displayOrder: number;
  metadata: StageMetadataDoc;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
}

/** A pipeline as stored, with every stage it ever had (archived ones keep their ids taken). */
export interface PipelineDoc {
  id: string;
  label: string;
  displayOrder: number;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
  stages: StageDoc[];
}

/** What a type's stages carry: deal stages a probability, ticket stages a state, others only isClosed. */
export type StageMetadataKind = 'deal' | 'ticket' | 'plain';

/** How an object type holds pipelines. */
export interface PipelineKind {
  /** The property holding a record's pipeline id (`pipeline` on deals, else `hs_pipeline`). */
  readonly pipelineProperty: string;
  /** The property holding its stage id (`dealstage` on deals, else `hs_pipeline_stage`). */
  readonly stageProperty: string;
  /** The most stages one pipeline may have (HubSpot: 100 for deals, tickets and custom objects, else 30). */
  readonly stageLimit: number;
  readonly metadata: StageMetadataKind;
}

/** The most pipelines one object type may have (HubSpot's cap on the largest plans). */
export const PIPELINE_LIMIT = 100;

const STANDARD_KINDS: ReadonlyMap<string, PipelineKind> = new Map<string, PipelineKind>([
  ['deals', { pipelineProperty: 'pipeline', stageProperty: 'dealstage', stageLimit: 100, metadata: 'deal' }],
  ['tickets', { pipelineProperty: 'hs_pipeline', stageProperty: 'hs_pipeline_stage', stageLimit: 100, metadata: 'ticket' }],
  ...['leads', 'orders', 'appointments', 'courses', 'listings', 'services', 'projects'].map(
    (name): [string, PipelineKind] => [name, { pipelineProperty: 'hs_pipeline', stageProperty: 'hs_pipeline_stage', stageLimit: 30, metadata: 'plain' }],
  ),
]);
const CUSTOM_KIND: PipelineKind = { pipelineProperty: 'hs_pipeline', stageProperty: 'hs_pipeline_stage', stageLimit: 100, metadata: 'plain' };

/**
 * How records of an object type hold pipelines, or `undefined` for a type that has none
 * (contacts, companies, products, activities, …).
 *
 * @example
 * pipelineKind({ name: 'deals', custom: false })?.stageProperty; // 'dealstage'
 */
export function pipelineKind(doc: Pick<ObjectDoc, 'name' | 'custom'>): PipelineKind | undefined {
  return doc.custom ? CUSTOM_KIND : STANDARD_KINDS.get(doc.name);
}

/** The property a deal's entry into `stageId` is dated in. */
export function dateEnteredProperty(stageId: string): string {
  return `hs_date_entered_${stageId}`;
}

/** When the shipped pipelines were made: a fixed time, so that a fresh CRM answers the same everywhere. */
export const SHIPPED_AT = '1970-01-01T00:00:00.000Z';

/** The pipelines an object type ships with (deals, tickets, leads; none for the others). */
export function shippedPipelines(objectType: string): PipelineDoc[] {
  return SHIPPED_PIPELINES.filter((spec) => spec.objectType === objectType).map((spec) => ({
    id: spec.id,
    label: spec.label,
    displayOrder: 0,
    createdAt: SHIPPED_AT,
    updatedAt: SHIPPED_AT,
    archived: false,
    stages: spec.stages.map((stage, at) => ({
      id: stage.id,
      label: stage.label,
      displayOrder: at,
      metadata: {
        ...(stage.probability !== undefined ? { probability: stage.probability } : {}),
        ...(stage.ticketState !== undefined ? { ticketState: stage.ticketState } : {}),
        isClosed: stage.isClosed,
      },
      createdAt: SHIPPED_AT,
      updatedAt: SHIPPED_AT,
      archived: false,
    })),
  }));
}

/** Display order, ties by label (then id, so that the order is total). */
export function byDisplayOrder(a: { displayOrder: number; label: string; id: string }, b: { displayOrder: number; label: string; id: string }): number {
  return a.displayOrder - b.displayOrder || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** One live pipeline, ready for the hot path. */
export interface LivePipeline {
  readonly doc: PipelineDoc;
  /** Live stages by id. */
  readonly stages: ReadonlyMap<string, StageDoc>;
  /** Live stages in display order. */
  readonly ordered: readonly StageDoc[];
}

/** An object type's pipelines, compiled: Map lookups for every record write. */
export class PipelineSet {
  /** Live pipelines by id. */
  readonly live = new Map<string, LivePipeline>();
  /** Live pipelines in display order. */
  readonly ordered: LivePipeline[] = [];
  /** Every stage ever made for the type, archived ones included, by id (their metadata for the derived values). */
  readonly allStages = new Map<string, StageDoc>();

  constructor(
    readonly kind: PipelineKind,
    /** Every pipeline, archived ones included, as stored. */
    readonly docs: readonly PipelineDoc[],
    /** The shipped pipeline's id, when the type ships one. */
    private readonly shippedId: string | undefined,
  ) {
    for (const doc of docs) {
      for (const stage of doc.stages) this.allStages.set(stage.id, stage);
      if (doc.archived) continue;
      const ordered = doc.stages.filter((stage) => !stage.archived).sort(byDisplayOrder);
      const pipeline: LivePipeline = { doc, stages: new Map(ordered.map((stage) => [stage.id, stage])), ordered };
      this.live.set(doc.id, pipeline);
      this.ordered.push(pipeline);
    }
    this.ordered.sort((a, b) => byDisplayOrder(a.doc, b.doc));
  }

  /** The pipeline a record naming none goes to: the shipped one while it is live, else the first in display order. */
  get defaultPipeline(): LivePipeline | undefined {
    return (this.shippedId !== undefined ? this.live.get(this.shippedId) : undefined) ?? this.ordered[0];
  }

  /** The pipeline options of the pipeline property, in display order. */
  pipelineOptions(): PropertyOption[] {
    return this.ordered.map((pipeline, at) => ({ label: pipeline.doc.label, value: pipeline.doc.id, displayOrder: at }));
  }

  /** The stage options of the stage property: each live pipeline's live stages, pipelines in display order. */
  stageOptions(): PropertyOption[] {
    let at = 0;
    return this.ordered.flatMap((pipeline) => pipeline.ordered.map((stage) => ({ label: stage.label, value: stage.id, displayOrder: at++ })));
  }
}

/** The stage-derived properties of deals and of tickets: read-only, the engine writes them (derived/stage.ts). */
const STAGE_DERIVED: Record<'deal' | 'ticket', ReadonlyArray<readonly [string, string, PropertyDoc['type'], PropertyDoc['fieldType']]>> = {
  deal: [
    ['hs_is_closed', 'Is closed', 'bool', 'booleancheckbox'],
    ['hs_is_closed_won', 'Is closed won', 'bool', 'booleancheckbox'],
    ['hs_is_closed_lost', 'Is closed lost', 'bool', 'booleancheckbox'],
    ['hs_deal_stage_probability', 'Deal probability', 'number', 'number'],
  ],
  ticket: [
    ['hs_is_closed', 'Is closed', 'bool', 'booleancheckbox'],
    ['closed_date', 'Close date', 'datetime', 'date'],
    ['time_to_close', 'Time to close (ms)', 'number', 'number'],
  ],
};

/** A read-only property the engine writes. */
function engineProperty(name: string, label: string, type: PropertyDoc['type'], fieldType: PropertyDoc['fieldType'], groupName: string): PropertyDoc {
  return { name, label, type, fieldType, unique: false, readOnly: true, groupName, hubspotDefined: true, archived: false };
}

/** A pipeline or stage enumeration, created for a type whose catalogue entry has none (custom objects, orders, …). */
function enumeration(name: string, label: string, groupName: string): PropertyDoc {
  return { name, label, type: 'enumeration', fieldType: 'select', options: [], unique: false, readOnly: false, groupName, hubspotDefined: true, archived: false };
}

/**
 * The object type's document as the engine uses it with these pipelines: the pipeline and stage
 * properties (added when the type has none) with the live pipelines and stages as options and
 * no stored default (the pipelines decide it), the stage-derived properties read-only, and on
 * deals a date-entered property for every stage ever made.
 */
export function withPipelineProperties(doc: ObjectDoc, set: PipelineSet): ObjectDoc {
  const { pipelineProperty, stageProperty, metadata } = set.kind;
  const group = doc.groups[0]?.name ?? 'information';
  const derivedSpecs = metadata === 'plain' ? [] : STAGE_DERIVED[metadata];
  const derived = new Set<string>(derivedSpecs.map(([name]) => name));
  const properties: PropertyDoc[] = [];
  let hasPipeline = false;
  let hasStage = false;
  for (const property of doc.properties) {
    if (property.name === pipelineProperty) {
      hasPipeline = true;
      properties.push({ ...property, type: 'enumeration', fieldType: 'select', options: set.pipelineOptions() });
    } else if (property.name === stageProperty) {
      hasStage = true;
      properties.push({ ...property, type: 'enumeration', fieldType: 'select', options: set.stageOptions() });
    } else if (derived.has(property.name) && !property.readOnly) properties.push({ ...property, readOnly: true });
    else properties.push(property);
  }
  if (!hasPipeline) properties.push({ ...enumeration(pipelineProperty, 'Pipeline', group), options: set.pipelineOptions() });
  if (!hasStage) properties.push({ ...enumeration(stageProperty, 'Pipeline stage', group), options: set.stageOptions() });
  const have = new Set(properties.map((property) => property.name));
  for (const [name, label, type, fieldType] of derivedSpecs) if (!have.has(name)) properties.push(engineProperty(name, label, type, fieldType, group));
  if (metadata === 'deal') {
    for (const stage of set.allStages.values()) {
      const name = dateEnteredProperty(stage.id);
      if (!have.has(name)) properties.push(engineProperty(name, `Date entered "${stage.label}"`, 'datetime', 'date', group));
    }
  }
  let defaults = doc.defaults;
  if (defaults && Object.hasOwn(defaults, pipelineProperty)) {
    const { [pipelineProperty]: _pipeline, ...rest } = defaults;
    defaults = Object.keys(rest).length > 0 ? rest : undefined;
  }
  const { defaults: _defaults, ...withoutDefaults } = doc;
  return { ...withoutDefaults, ...(defaults ? { defaults } : {}), properties };
}

/**
 * The compiled pipelines of an object type: the stored ones, or the shipped ones while none are
 * stored; `undefined` for a type that has no pipelines.
 */
export function pipelineSetOf(doc: Pick<ObjectDoc, 'name' | 'custom'>, stored: readonly PipelineDoc[] | undefined): PipelineSet | undefined {
  const kind = pipelineKind(doc);
  if (!kind) return undefined;
  const shipped = doc.custom ? undefined : SHIPPED_PIPELINES.find((spec) => spec.objectType === doc.name)?.id;
  return new PipelineSet(kind, stored ?? (doc.custom ? [] : shippedPipelines(doc.name)), shipped);
}
