// createCrm and the Crm facade: the object users hold. Each public call runs as one
// transaction through the Engine (or, inside crm.transaction, as one savepointed step of the
// caller's transaction); the services do the work.
import { z } from 'zod';
import { Engine, systemClock, type EngineOptions } from './kernel/context.js';
import { randomId } from './kernel/random-id.js';
import type { Runner, TxContext } from './schema/transaction.js';
import { CrmError, validationError } from './errors.js';
import { FREE_MAIL_DOMAINS } from './associations/free-mail.js';
import { normaliseDomain } from './schema/values.js';
import { createLabel, defineAssociation, deleteLabel, labelsOf, labelUsage, removeAssociation, typesOf, updateLabel } from './associations/labels.js';
import {
  associate,
  associateMany,
  associationHistory,
  listAssociations,
  listManyAssociations,
  remove,
  removeLabels,
  removeMany,
  setPrimary,
  timeline,
} from './associations/service.js';
import { requiredAssociations } from './associations/required.js';
import { calculatedPropertiesFor } from './derived/recount.js';
import { addLineItem, copyLineItems, listLineItems } from './commerce/service.js';
import { parseOverrides, parseProductRef } from './arguments/commerce.js';
import { mergeRecords } from './records/merge.js';
import {
  archiveRecord,
  createRecords,
  getManyRecords,
  getRecord,
  getRecordBy,
  listRecords,
  propertyHistory,
  purgeRecord,
  restoreRecord,
  updateObject,
  updateRecord,
  upsertRecord,
} from './records/service.js';
import { argumentError } from './arguments/zod.js';
import { parseId } from './arguments/ids.js';
import { parseLabels, parseRef } from './arguments/refs.js';
import {
  parseGroupInput,
  parseGroupPatch,
  parseObjectInput,
  parseObjectPatch,
  parsePropertiesOptions,
  parsePropertyInput,
  parsePropertyPatch,
  parseRenameLabels,
} from './arguments/schema.js';
import {
  parseAssociationListOptions,
  parseHistoryOptions,
  parseLabelInput,
  parseLabelPatch,
  parseListMany,
  parsePairOptions,
  parsePairs,
  parseRemoveOptions,
  parseTimelineOptions,
  parseUnlabelLabels,
  parseUpdateAssociated,
} from './arguments/associations.js';
import {
  parseBatchWriteOptions,
  parseCreateInputs,
  parseCreateManyOptions,
  parseCreateOptions,
  parseGetOptions,
  parseIds,
  parseListOptions,
  parseUpdateItems,
  parseUpsertManyOptions,
  parseUpsertOptions,
  parseWriteOptions,
} from './arguments/records.js';
import { archiveMany, createEach, eachItem, updateMany, upsertMany } from './records/batch.js';
import { SchemaState, type SchemaDoc } from './schema/model.js';
import {
  activate,
  archiveGroupOf,
  archivePropertyOf,
  defineGroup,
  defineObject,
  defineProperty,
  listGroups,
  listProperties,
  propertyOf,
  deleteObjectType,
  renameObjectType,
  updateGroup,
  updateProperty,
} from './schema/service.js';
import { memoryStorage } from './storage/memory.js';
import { errorCsvOf, importBatch, planImport, type ImportTally } from './records/import.js';
import { parseImportOptions } from './arguments/import.js';
import {
  archivePipeline,
  archiveStage,
  createPipeline,
  createStage,
  getPipeline,
  getStage,
  listPipelines,
  listStages,
  updatePipeline,
  updateStage,
} from './pipelines/service.js';
import {
  addMembers,
  createSegment,
  createView,
  deleteSegment,
  deleteView,
  getSegment,
  getView,
  listSegments,
  listViews,
  removeMembers,
  runView,
  segmentContains,
  segmentMembers,
  updateSegment,
  updateView,
} from './segments/service.js';
import { updateAssociated } from './records/update-associated.js';
import { parseMemberRefs, parsePage, parseSavedId, parseSegmentInput, parseSegmentPatch, parseViewInput, parseViewPatch } from './arguments/segments.js';
import { parsePipelineId, parsePipelineInput, parsePipelineListOptions, parsePipelinePatch, parseStageInput, parseStagePatch } from './arguments/pipelines.js';
import type { Storage } from './storage/types.js';
import type { SearchExplanation, SearchPlan } from './storage/plan.js';
import { associationModel } from './associations/model.js';
import { parseFilterSpec, parseGetMany, parseSearchRequest } from './arguments/search.js';
import type { PairLookup } from './query/filters.js';
import { aggregateRecords, countRecords, explainSearch, searchRecords } from './query/service.js';
import { parseAggregateRequest } from './arguments/aggregate.js';
import { syncIndexes } from './schema/indexes.js';
import type {
  AggregateRequest,
  AggregateResult,
  AssociationHistoryEntry,
  AssociationItem,
  AssociationType,
  AssociationLimit,
  AssociationListOptions,
  AssociationPair,
  AssociationWriteOptions,
  BatchOptions,
  BatchOutcome,
  ImportOptions,
  ImportResult,
  ImportRow,
  LabelDefinition,
  LabelInput,
  RecordLike,
  RemoveOptions,
  ChangeEvent,
  Clock,
  CreateOptions,
  CrmRecord,
  IdGenerator,
  FilterSpec,
  ListOptions,
  SearchRequest,
  SearchResult,
  Source,
  Segment,
  SegmentInput,
  View,
  ViewInput,
  ObjectLabels,
  ObjectTypeDefinition,
  ObjectTypeInput,
  ObjectTypePatch,
  Page,
  PropertiesInput,
  PropertyDefinition,
  PropertyDefinitionInput,
  PropertyGroup,
  PropertyGroupInput,
  PropertyHistoryEntry,
  PropertyInput,
  PropertyPatch,
  Pipeline,
  PipelineInput,
  PipelinePatch,
  PipelineStage,
  PipelineStageInput,
  PipelineStagePatch,
  UpdateRecipe,
  UpsertOptions,
  WriteOptions,
} from './types.js';

/**
 * The schema registry: object types (standard and custom), their properties and property
 * groups. Reads are synchronous, from the cached schema; writes are transactions.
 *
 * @example
 * crm.schema.object('contacts').labels.plural; // 'Contacts'
 * await crm.schema.defineProperty('contacts', { name: 'favorite_roast', label: 'Favourite roast', type: 'string', fieldType: 'text' });
 */
export interface Schema {
  /** Every object type: standard ones by id, then custom ones. */
  objects(): ObjectTypeDefinition[];
  /** By name ('contacts') or id ('0-1'); UNKNOWN_OBJECT_TYPE when there is none. */
  object(nameOrId: string): ObjectTypeDefinition;
  /** One property definition (archived ones too); UNKNOWN_PROPERTY when there is none. */
  property(objectType: string, name: string): PropertyDefinition;
  /** An object type's properties; `{ archived: true }` adds the archived ones. */
  properties(objectType: string, options?: { archived?: boolean }): PropertyDefinition[];
  /**
   * An object type's live property groups; `{ archived: true }` adds the archived ones.
   *
   * @example
   * crm.schema.groups('contacts').map((group) => group.name); // ['contactinformation', 'emailinformation']
   */
  groups(objectType: string, options?: { archived?: boolean }): PropertyGroup[];
  /** Makes an object type that requires activation (services, courses, listings, appointments, projects) usable. */
  activate(objectType: string): Promise<void>;
  /** Defines a custom object type (id `2-<n>`). */
  defineObject(definition: ObjectTypeInput): Promise<ObjectTypeDefinition>;
  defineProperty(objectType: string, definition: PropertyDefinitionInput): Promise<PropertyDefinition>;
  /** label, group, options, description, required and indexed may change (custom properties: also fieldType and readOnly); name, type and unique are IMMUTABLE. */
  updateProperty(objectType: string, name: string, patch: PropertyPatch): Promise<PropertyDefinition>;
  /** Hides a custom property: its values stay stored but are no longer shown or writable. */
  archiveProperty(objectType: string, name: string): Promise<void>;
  defineGroup(objectType: string, group: PropertyGroupInput): Promise<PropertyGroup>;
  updateGroup(objectType: string, name: string, patch: { label?: string; displayOrder?: number }): Promise<PropertyGroup>;
  /**
   * Archives a property group: `groups()` and new properties no longer see it. Refused
   * (VALIDATION_ERROR, `GROUP_IN_USE`) for the object type's default group and for a group that
   * live properties are in: move them first. `defineGroup` with its name makes it live again.
   *
   * @example
   * await crm.schema.defineGroup('contacts', { name: 'coffee', label: 'Coffee' });
   * await crm.schema.archiveGroup('contacts', 'coffee');
   * crm.schema.groups('contacts', { archived: true }).at(-1)?.archived; // true
   */
  archiveGroup(objectType: string, name: string): Promise<void>;
  /**
   * Deletes a custom object type: its definition, pipelines, labels and association pairs. Only
   * once it holds no records (archived ones count: purge them first) and no segment or saved
   * view names it (OBJECT_IN_USE); a standard type is IMMUTABLE. The name is free again
   * afterwards; the type's id (`2-<n>`) and its association type ids are never reused.
   *
   * @example
   * await crm.schema.defineObject({ name: 'trial_runs', labels: { singular: 'Trial run', plural: 'Trial runs' }, primaryDisplayProperty: 'code', properties: [{ name: 'code', label: 'Code', type: 'string' }] });
   * await crm.schema.deleteObject('trial_runs');
   */
  deleteObject(objectType: string): Promise<void>;
  /** Changes labels only; the internal name and id never change. */
  renameObject(objectType: string, labels: ObjectLabels): Promise<ObjectTypeDefinition>;
  /** Labels, display/required/searchable properties, and `dedup` (on/off) for contacts' email and companies' domain key. */
  updateObject(objectType: string, patch: ObjectTypePatch): Promise<ObjectTypeDefinition>;
  /**
   * Allows records of two types to associate (unless the catalogue forbids the pair: products,
   * a line item with a non-parent, a campaign with another activity) and caps the pair.
   */
  defineAssociation(from: string, to: string, options?: { limit?: AssociationLimit; inverseLimit?: AssociationLimit }): Promise<void>;
  /**
   * Stops records of two types associating: a pair a custom type's `associations` or
   * `defineAssociation` allowed goes, with its caps and labels (each custom type's mention of the
   * other too). Refused for a pair of the catalogue (IMMUTABLE), and while associations,
   * archived records' included, join it or a saved filter crosses it (ASSOCIATION_IN_USE).
   * Allowed again later, the pair gets back its association type ids.
   *
   * @example
   * await crm.schema.defineAssociation('roast_batches', 'tickets');
   * await crm.schema.removeAssociation('roast_batches', 'tickets');
   */
  removeAssociation(from: string, to: string): Promise<void>;
}

/**
 * The record store: create, read, update, upsert, archive, restore and purge records, with
 * validation, dedup keys and property history.
 *
 * @example
 * const contact = await crm.records.create('contacts', { email: 'John@Orange.com', firstname: 'John' });
 * await crm.records.getBy('contacts', 'email', 'john@orange.com'); // the same record
 */
export interface Records {
  create(objectType: string, properties: PropertiesInput, options?: CreateOptions): Promise<CrmRecord>;
  /** Atomic: every invalid or conflicting input is reported and nothing is created. Answers the records in input order. */
  createMany(objectType: string, inputs: PropertiesInput[], options?: CreateOptions & { atomic?: true }): Promise<CrmRecord[]>;
  /**
   * Per item (`atomic: false`): each input created or refused on its own.
   *
   * @example
   * const { results, errors } = await crm.records.createMany('contacts', rows, { atomic: false });
   */
  createMany(objectType: string, inputs: PropertiesInput[], options: CreateOptions & { atomic: false }): Promise<BatchOutcome<CrmRecord>>;
  /**
   * Upserts each input by its identifying property (default: the dedup key, else hs_object_id),
   * in input order: a later input finds what an earlier one created. Atomic by default.
   *
   * @example
   * const upserted = await crm.records.upsertMany('contacts', [{ email: 'a@b.com', firstname: 'Ana' }, { email: 'A@b.com', lastname: 'Ng' }]);
   * upserted.map((item) => item.created); // [true, false]: the second updated the first
   */
  upsertMany(objectType: string, inputs: PropertiesInput[], options?: UpsertOptions & { atomic?: true }): Promise<Array<{ record: CrmRecord; created: boolean }>>;
  upsertMany(objectType: string, inputs: PropertiesInput[], options: UpsertOptions & { atomic: false }): Promise<BatchOutcome<{ record: CrmRecord; created: boolean }>>;
  /**
   * Applies each patch to its live record (NOT_FOUND, ARCHIVED as `update`). Atomic by default.
   *
   * @example
   * await crm.records.updateMany('contacts', [{ id: ana.id, properties: { lifecyclestage: 'customer' } }]);
   */
  updateMany(objectType: string, updates: Array<{ id: string; properties: PropertiesInput }>, options?: BatchOptions & { atomic?: true }): Promise<CrmRecord[]>;
  updateMany(objectType: string, updates: Array<{ id: string; properties: PropertiesInput }>, options: BatchOptions & { atomic: false }): Promise<BatchOutcome<CrmRecord>>;
  /**
   * Archives each record (an unknown id is NOT_FOUND; an archived one stays archived, as
   * `archive` says). Atomic by default; per item, each value is the id.
   *
   * @example
   * await crm.records.archiveMany('contacts', [ana.id, bo.id]);
   */
  archiveMany(objectType: string, ids: string[], options?: BatchOptions & { atomic?: true }): Promise<void>;
  archiveMany(objectType: string, ids: string[], options: BatchOptions & { atomic: false }): Promise<BatchOutcome<string>>;
  /**
   * Live records only; with `{ archived: true }` an archived record comes back too (with
   * `archived: true`). `properties` shows only those (plus the id and the two dates).
   */
  get(objectType: string, id: string, options?: { archived?: boolean; properties?: string[] }): Promise<CrmRecord | undefined>;
  /**
   * Live records by id, in the ids' order, in one read; ids with no live record are listed in
   * `missing`, never thrown.
   *
   * @example
   * const { results, missing } = await crm.records.getMany('contacts', ['c1', 'c2'], { properties: ['email'] });
   */
  getMany(objectType: string, ids: string[], options?: { properties?: string[] }): Promise<{ results: CrmRecord[]; missing: string[] }>;
  /**
   * How many live records match the filter (every live record without one).
   *
   * @example
   * await crm.records.count('deals', { filterGroups: [{ filters: [{ propertyName: 'amount', operator: 'GTE', value: 1000 }] }] });
   */
  count(objectType: string, filter?: FilterSpec): Promise<number>;
  /**
   * A page of the live records matching a search in HubSpot's request shape, with the total
   * (docs/search.md): reads its own writes, and its cursors stay valid while records change.
   *
   * @example
   * const { total, results } = await crm.records.search('contacts', {
   *   filterGroups: [{ filters: [{ association: { toType: 'companies', primary: true,
   *     filters: [{ propertyName: 'industry', operator: 'EQ', value: 'COMPUTER_SOFTWARE' }] } }] }],
   *   sorts: [{ propertyName: 'lastname', direction: 'ASCENDING' }],
   * });
   */
  search(objectType: string, request: SearchRequest): Promise<SearchResult>;
  /**
   * How a search will run: the plan it becomes (`request`), and how the storage answers it
   * (`strategy`: an index, a scan, or SQL with the `statement` and the database's `plan`).
   *
   * @example
   * const { strategy, index } = await crm.records.explain('contacts', { filterGroups: [{ filters: [{ propertyName: 'email', operator: 'EQ', value: 'a@b.com' }] }] });
   */
  explain(objectType: string, request: SearchRequest): Promise<SearchExplanation & { request: SearchPlan }>;
  /**
   * A report (docs/reports.md): the live records matching `filter` counted by one or two
   * dimensions — a property's value, the labels of their associations to another type, or a
   * property of their primary company — and with `sum` the sum of a number property in each
   * bucket. Computed in the database on SQL storage. Buckets come largest first; `keys` holds the
   * bucket's value on each dimension as text (`''`: no value; `'unlabelled'`: associated without
   * a label).
   *
   * @example
   * const { buckets } = await crm.records.aggregate('deals', { groupBy: { property: 'dealstage' }, sum: 'amount' });
   * // [{ key: 'closedwon', keys: ['closedwon'], count: 12, sum: 48000 }, …]
   * const roles = await crm.records.aggregate('contacts', {
   *   groupBy: [{ primaryCompany: { property: 'industry' } }, { associationLabel: { toType: 'deals' } }],
   * });
   */
  aggregate(objectType: string, request: AggregateRequest): Promise<AggregateResult>;
  /** A live record by any unique property (hs_object_id, email or an additional email, domain, a unique custom property). */
  getBy(objectType: string, property: string, value: PropertyInput): Promise<CrmRecord | undefined>;
  /** A patch, or an immer recipe on a draft of the properties. */
  update(objectType: string, id: string, patch: PropertiesInput | UpdateRecipe, options?: WriteOptions): Promise<CrmRecord>;
  /** By a unique property (default: the object's dedup key, else hs_object_id); says whether it created. */
  upsert(objectType: string, properties: PropertiesInput, options?: UpsertOptions): Promise<{ record: CrmRecord; created: boolean }>;
  /** Soft delete: the record leaves lists and frees its dedup keys. */
  archive(objectType: string, id: string, options?: WriteOptions): Promise<void>;
  /** Answers the restored record; DUPLICATE_RECORD when its key was taken meanwhile. */
  restore(objectType: string, id: string, options?: WriteOptions): Promise<CrmRecord>;
  /** Permanent delete (with its history); frees the record's keys. */
  purge(objectType: string, id: string, options?: WriteOptions): Promise<void>;
  /** A property's history, newest first. */
  history(objectType: string, id: string, property: string): Promise<PropertyHistoryEntry[]>;
  /** A page of records in creation order; `{ archived: true }` includes archived ones, `properties` shows only those. */
  list(objectType: string, options?: ListOptions & { properties?: string[] }): Promise<Page<CrmRecord>>;
  /**
   * Merges `mergedId` into `primaryId` (docs/associations.md "Merge"): the survivor keeps its id
   * and values, fills its empty properties from the merged record and takes its associations;
   * the merged id then resolves to the survivor.
   */
  merge(objectType: string, primaryId: string, mergedId: string, options?: WriteOptions): Promise<CrmRecord>;
}

/**
 * The association graph: labels, associations, the primary company, history
 * (docs/associations.md).
 *
 * @example
 * await crm.associations.associate(contact, company);          // the first company becomes primary
 * const { results } = await crm.associations.list(contact, 'companies');
 */
export interface Associations {
  /** Defines a label on an object pair (a paired one with `inverseLabel`). */
  createLabel(input: LabelInput): Promise<LabelDefinition>;
  /** The pair's labels, the built-in primary first; the same whichever way round. */
  labels(from: string, to: string): LabelDefinition[];
  /**
   * The association types of the direction `from` → `to` with their integer ids (HubSpot's
   * where it defines them): the unlabelled one first, then the built-in labels, then the user's.
   * UNKNOWN_OBJECT_TYPE or ASSOCIATION_NOT_ALLOWED as for `labels`.
   *
   * @example
   * crm.associations.types('contacts', 'companies').map((type) => type.typeId); // [279, 1]
   */
  types(from: string, to: string): AssociationType[];
  /** Display labels and limits; names and pairing are IMMUTABLE. */
  updateLabel(
    from: string,
    to: string,
    name: string,
    patch: { label?: string; inverseLabel?: string; name?: string; limit?: AssociationLimit; inverseLimit?: AssociationLimit },
  ): Promise<LabelDefinition>;
  /** LABEL_IN_USE while any association carries it, or a segment or saved view names it. */
  deleteLabel(from: string, to: string, name: string): Promise<void>;
  /** How many associations carry the label, and which segments and saved views name it. */
  labelUsage(from: string, to: string, name: string): Promise<{ associations: number; segments: string[]; views: string[] }>;
  /**
   * Label-scoped bulk action (a workflow's "update the decision makers of this deal"): on the live
   * `toType` records associated with `record` (under one of `labels` when given, names seen from
   * `record`), sets properties, clears properties, or copies a property of `record` into each
   * (`copy.from` without a value clears `copy.to`). One transaction: every record's write follows
   * every rule, and one refusal refuses them all. History source: `JOB` unless given. Answers how
   * many records changed.
   *
   * @example
   * await crm.associations.updateAssociated(deal, 'contacts', { set: { hs_lead_status: 'OPEN' } }, { labels: ['decision_maker'] });
   */
  updateAssociated(
    record: RecordLike,
    toType: string,
    change: { set?: PropertiesInput; clear?: string[]; copy?: { from: string; to: string } },
    options?: { labels?: string[]; source?: Source },
  ): Promise<{ updated: number }>;
  /** Associates two records, adding `labels` (names seen from `a`) to any association they have. */
  associate(a: RecordLike, b: RecordLike, labels?: string[], options?: AssociationWriteOptions): Promise<void>;
  /** Every pair, atomically. */
  associateMany(pairs: AssociationPair[], options?: AssociationWriteOptions & { atomic?: true }): Promise<void>;
  /**
   * Per pair (`atomic: false`): each pair associated or refused on its own.
   *
   * @example
   * const { errors } = await crm.associations.associateMany(pairs, { atomic: false });
   */
  associateMany(pairs: AssociationPair[], options: AssociationWriteOptions & { atomic: false }): Promise<BatchOutcome<void>>;
  /** Removes every pair's association, atomically. */
  removeMany(pairs: AssociationPair[], options?: AssociationWriteOptions & { atomic?: true }): Promise<void>;
  /** Per pair (`atomic: false`): each association removed or refused on its own. */
  removeMany(pairs: AssociationPair[], options: AssociationWriteOptions & { atomic: false }): Promise<BatchOutcome<void>>;
  /** Makes `company` the record's primary company (associating it if needed); the old one stays associated. */
  setPrimary(record: RecordLike, company: RecordLike, options?: AssociationWriteOptions): Promise<void>;
  /** Takes labels off an association, keeping the association. */
  unlabel(a: RecordLike, b: RecordLike, labels: string[], options?: RemoveOptions): Promise<void>;
  /** Removes the association with all its labels (nothing when there is none). */
  remove(a: RecordLike, b: RecordLike, options?: RemoveOptions): Promise<void>;
  /**
   * A page of the record's associations to `toType`, with the total; with `{ records: true }`
   * each item carries the associated record too (one call shows a deal's contacts).
   *
   * @example
   * const { results } = await crm.associations.list(deal, 'contacts', { records: true, properties: ['email'] });
   * results.map((item) => item.record.properties.email);
   */
  list(record: RecordLike, toType: string, options: AssociationListOptions & { records: true }): Promise<Page<AssociationItem & { record: CrmRecord }> & { total: number }>;
  list(record: RecordLike, toType: string, options?: AssociationListOptions): Promise<Page<AssociationItem> & { total: number }>;
  /** Every association to `toType` of each record, by record id (an index page's association columns). */
  listMany(records: RecordLike[], toType: string, options?: { label?: string | string[] }): Promise<Map<string, AssociationItem[]>>;
  /** Newest first; `toType` or `with` narrow it. */
  history(record: RecordLike, options?: { toType?: string; with?: RecordLike }): Promise<AssociationHistoryEntry[]>;
}

/**
 * Pipelines and their stages (docs/pipelines.md): deals, tickets, leads, orders, appointments,
 * courses, listings, services, projects and custom objects have them; every other object type
 * refuses each call with VALIDATION_ERROR (PIPELINES_NOT_SUPPORTED). A record's stage is always a
 * live stage of its live pipeline; a record naming no pipeline gets the shipped one while it is
 * live, else the first in display order.
 *
 * @example
 * const renewals = await crm.pipelines.create('deals', { label: 'Renewals', stages: [
 *   { label: 'Up for renewal', metadata: { probability: 0.5 } },
 *   { label: 'Renewed', metadata: { probability: 1 } },
 * ] });
 * await crm.records.create('deals', { dealname: 'Acme 2027', pipeline: renewals.id, dealstage: renewals.stages[0]!.id });
 */
export interface Pipelines {
  /** Live pipelines by displayOrder, ties by label; `{ archived: true }` adds the archived ones. */
  list(objectType: string, options?: { archived?: boolean }): Promise<Pipeline[]>;
  /** undefined when unknown or archived. */
  get(objectType: string, pipelineId: string): Promise<Pipeline | undefined>;
  /** CONFLICT when the id, or a stage id, is taken in the object type (archived ones included). A type's first pipeline takes in its existing records at its first stage. */
  create(objectType: string, input: PipelineInput): Promise<Pipeline>;
  /** Label and display order; UNKNOWN_PIPELINE when it is not live. */
  update(objectType: string, pipelineId: string, patch: PipelinePatch): Promise<Pipeline>;
  /** PIPELINE_IN_USE (`details.count`) while any record, archived ones included, holds it; the type keeps one live pipeline. */
  archive(objectType: string, pipelineId: string): Promise<void>;
  /** Live stages by displayOrder, ties by label; UNKNOWN_PIPELINE when the pipeline is not live. */
  listStages(objectType: string, pipelineId: string): Promise<PipelineStage[]>;
  /** undefined when unknown or archived. */
  getStage(objectType: string, pipelineId: string, stageId: string): Promise<PipelineStage | undefined>;
  /** After the pipeline's other stages unless a displayOrder is given. */
  createStage(objectType: string, pipelineId: string, input: PipelineStageInput): Promise<PipelineStage>;
  /** Label, displayOrder, metadata (merged); new metadata recomputes the derived values of the records in the stage. */
  updateStage(objectType: string, pipelineId: string, stageId: string, patch: PipelineStagePatch): Promise<PipelineStage>;
  /** STAGE_IN_USE (`details.count`) while any record, archived ones included, holds it; a pipeline keeps one live stage. */
  archiveStage(objectType: string, pipelineId: string, stageId: string): Promise<void>;
}

/**
 * Products become line items by copy (docs/commerce.md): a line item is a record of its own on
 * one parent (a deal, quote, invoice, subscription, order or cart). Editing a line item never
 * changes its product, editing the product never changes existing line items, and archiving or
 * purging the product leaves them intact, `hs_product_id` included. A line item's `amount` is
 * its net price, computed: quantity × (price − discount), or quantity × price × (1 −
 * hs_discount_percentage / 100), rounded to cents.
 *
 * @example
 * const seat = await crm.records.create('products', { name: 'Seat', price: 100 });
 * const deal = await crm.records.create('deals', { dealname: 'Acme', dealstage: 'appointmentscheduled' });
 * const item = await crm.commerce.addLineItem(deal, seat, { quantity: 3, discount: 10 });
 * item.properties.amount; // 270
 */
export interface Commerce {
  /**
   * One call: a new line item with the product's name, price, description (and SKU, unit cost,
   * billing frequency and term), `hs_product_id` and quantity 1, then `overrides`, associated
   * with `target`. `product` is a product record, `{ objectType: 'products', id }` or a product
   * id. A target that is not a line item's parent type is VALIDATION_ERROR; a missing or archived
   * product or target is NOT_FOUND / ARCHIVED; bad overrides are VALIDATION_ERROR naming the
   * property. Nothing is written when it fails.
   *
   * @example
   * await crm.commerce.addLineItem(deal, 'product-id', { quantity: 2, hs_discount_percentage: 15 });
   */
  addLineItem(target: RecordLike, product: RecordLike | string, overrides?: PropertiesInput, options?: WriteOptions): Promise<CrmRecord>;
  /**
   * Clones every live line item of `from` onto `to` (new ids, the same values, in `from`'s
   * order) and answers the clones: a quote, or an invoice created with a deal association, takes
   * its deal's line items on request. Copying a record onto itself is VALIDATION_ERROR.
   *
   * @example
   * const quote = await crm.records.create('quotes', { hs_title: 'Acme Q1', hs_expiration_date: '2026-03-31' }, { associations: [{ to: deal }] });
   * await crm.commerce.copyLineItems(deal, quote);
   */
  copyLineItems(from: RecordLike, to: RecordLike, options?: WriteOptions): Promise<CrmRecord[]>;
  /**
   * The live line items of a deal, quote, invoice, subscription, order or cart, in the order
   * they were associated with it (none for an archived record: its associations are hidden).
   *
   * @example
   * const total = (await crm.commerce.lineItems(deal)).reduce((sum, item) => sum + Number(item.properties.amount ?? 0), 0);
   */
  lineItems(record: RecordLike): Promise<CrmRecord[]>;
}

/**
 * Segments (HubSpot's lists; docs/segments.md): named sets of one object type's records. An
 * active segment's members are the live records its filter matches at each read (its filter is
 * planned into the search, so SQL storage runs it in the database); a static segment's are the
 * records put in it. "In segment X" (`{ segment: { id } }`) is a filter of search, count and other
 * segments. A segment naming a property or a label keeps it in use: archiving the property is
 * VALIDATION_ERROR (PROPERTY_IN_USE) and deleting the label LABEL_IN_USE while it does.
 *
 * @example
 * const leads = await crm.segments.create({ name: 'Leads', objectType: 'contacts', kind: 'active',
 *   filter: { filterGroups: [{ filters: [{ propertyName: 'lifecyclestage', operator: 'EQ', value: 'lead' }] }] } });
 * const { results, total } = await crm.segments.members(leads.id, { limit: 50 });
 */
export interface Segments {
  /** A new segment; a static one with a filter starts with the records matching it. VALIDATION_ERROR for a filter the schema does not allow. */
  create(input: SegmentInput): Promise<Segment>;
  /** undefined when there is none. */
  get(segmentId: string): Promise<Segment | undefined>;
  /** Every segment (of one object type when given), oldest first. */
  list(objectType?: string): Promise<Segment[]>;
  /** A page of the live members, oldest first, with the total; the cursor resumes after the last record shown. */
  members(segmentId: string, options?: { limit?: number; after?: string }): Promise<SearchResult>;
  /** Puts live records in a static segment (VALIDATION_ERROR for an active one; NOT_FOUND / ARCHIVED for a record that is not live). */
  add(segmentId: string, records: RecordLike[]): Promise<void>;
  /** Takes records out of a static segment. */
  remove(segmentId: string, records: RecordLike[]): Promise<void>;
  /** Whether the record is a live member. */
  contains(segmentId: string, record: RecordLike): Promise<boolean>;
  /** The name, and an active segment's filter; the object type and kind are IMMUTABLE. A segment may not contain itself (SEGMENT_CYCLE). */
  update(segmentId: string, patch: Partial<SegmentInput>): Promise<Segment>;
  /** SEGMENT_IN_USE while another segment or a view names it. */
  delete(segmentId: string): Promise<void>;
}

/**
 * Saved views of an index page (docs/segments.md): a named filter with sorts and the properties
 * to show, per object type, run as a search.
 *
 * @example
 * const big = await crm.views.create({ name: 'Big deals', objectType: 'deals',
 *   filter: { filterGroups: [{ filters: [{ propertyName: 'amount', operator: 'GTE', value: 10000 }] }] },
 *   sorts: [{ propertyName: 'amount', direction: 'DESCENDING' }], properties: ['dealname', 'amount'] });
 * const page = await crm.views.run(big.id, { limit: 25 });
 */
export interface Views {
  /** A new view; its filter, sorts and properties are checked as a search's (VALIDATION_ERROR). */
  create(input: ViewInput): Promise<View>;
  /** undefined when there is none. */
  get(viewId: string): Promise<View | undefined>;
  /** Every view (of one object type when given), oldest first. */
  list(objectType?: string): Promise<View[]>;
  /** Name, filter, sorts, properties; the object type is IMMUTABLE. */
  update(viewId: string, patch: Partial<ViewInput>): Promise<View>;
  delete(viewId: string): Promise<void>;
  /** Runs the view as a search: a page of records with the total. */
  run(viewId: string, options?: { limit?: number; after?: string }): Promise<SearchResult>;
}

/**
 * What a crm.transaction callback may use: the same calls, all inside one transaction.
 *
 * @example
 * await crm.transaction(async (tx: CrmTransaction) => {
 *   await tx.records.create('companies', { domain: 'acme.com' });
 * });
 */
export interface CrmTransaction {
  readonly schema: Schema;
  readonly records: Records;
  readonly associations: Associations;
  readonly pipelines: Pipelines;
  readonly commerce: Commerce;
  readonly segments: Segments;
  readonly views: Views;
}

/**
 * A CRM: schema, records, change events and transactions over one storage.
 *
 * @example
 * const crm = await createCrm();
 * const unsubscribe = crm.subscribe((event) => console.log(event.type));
 */
export interface Crm extends CrmTransaction {
  /** Listener runs after each commit, once per change; returns the unsubscribe function. */
  subscribe(listener: (event: ChangeEvent) => void): () => void;
  /**
   * Several calls as one atomic unit: if `fn` throws (or a call in it fails and `fn` lets the
   * error through), nothing it did remains. A failed call that `fn` catches is undone by itself.
   * Inside, use `tx`, not `crm` (the storage is busy with the transaction).
   */
  transaction<T>(fn: (tx: CrmTransaction) => Promise<T>): Promise<T>;
  /** Re-reads metadata another process may have changed (each call also checks its version). */
  refresh(): Promise<void>;
  /**
   * Imports rows (an array, an iterable or an async iterable: a stream) as records of the mapped
   * object types, with the associations between each row's records (docs/import.md). Each row is
   * all or nothing and a bad row never stops the good ones; rows go in transactions of
   * `batchSize`. A bad mapping is VALIDATION_ERROR before any row is read.
   *
   * @example
   * const result = await crm.import([{ Email: 'ana@acme.com', Company: 'Acme', Domain: 'acme.com' }], {
   *   mapping: { Email: 'contacts.email', Company: 'companies.name', Domain: 'companies.domain' },
   * });
   * result.created; // 1
   */
  import(rows: Iterable<ImportRow> | AsyncIterable<ImportRow>, options: ImportOptions): Promise<ImportResult>;
  /** A record's live activities (notes, calls, emails, meetings, tasks, …), newest first by hs_timestamp. */
  timeline(record: RecordLike, options?: { limit?: number; after?: string }): Promise<Page<CrmRecord>>;
  /** An independent copy with the same data (storages that support it: memory). */
  fork(): Promise<Crm>;
  /** Releases the storage. */
  close(): Promise<void>;
}

/**
 * Options of {@link createCrm}.
 *
 * @example
 * const crm = await createCrm({ ids: () => crypto.randomUUID(), clock: () => new Date('2026-01-01') });
 */
export interface CreateCrmOptions {
  /** Default: a new in-memory storage. */
  storage?: Storage;
  /** Record ids; default 21 random characters of A–Z, a–z, 0–9, `_` and `-` (126 bits from the runtime's `crypto`). */
  ids?: IdGenerator;
  /** The time; default `() => new Date()`. */
  clock?: Clock;
  /** Property history on (default) or off. */
  history?: boolean;
  /** Refuse a purged contact's email for new contacts (HubSpot's GDPR delete). Off by default. */
  blockPurgedEmails?: boolean;
  /** Unique properties per object type (default 10, HubSpot's cap). */
  uniquePropertyLimit?: number;
  /** Labels per object pair (default 10; a paired label counts once; the built-in primary does not count). */
  labelLimit?: number;
  /**
   * Associate contacts with the company whose domain their email's domain is (off by default);
   * `{ freeMailDomains }` replaces the shipped list of domains that never match.
   */
  autoAssociateByDomain?: boolean | { freeMailDomains?: string[] };
  /** An activity associated with a contact is also associated with the contact's primary company (default true). */
  autoAssociateActivities?: boolean;
  /**
   * Searches must fit HubSpot's caps: 5 filter groups, 10 filters a group, 25 in all, 200
   * records a page and 10,000 results (VALIDATION_ERROR otherwise). Off by default: crmkit has no
   * caps, but tests that want HubSpot's limits turn them on.
   */
  strict?: boolean;
  /**
   * Deals with line items take `amount` from them: the sum of their net amounts, updated in the
   * call that adds, edits, archives, restores or detaches one, 0 when the last goes, and
   * read-only (VALIDATION_ERROR, READ_ONLY_VALUE) while the deal has any. Off by default: line
   * items never touch a deal's amount.
   */
  dealAmountFromLineItems?: boolean;
  /**
   * Where an error thrown by a change listener goes (default: `console.error`). A listener's
   * error never fails the call that made the change (it has committed) and never reaches the
   * process as an uncaught exception.
   */
  onListenerError?: (error: unknown, event: ChangeEvent) => void;
}

const optionsSchema = z.strictObject({
  storage: z.custom<Storage>((value) => typeof value === 'object' && value !== null && typeof (value as Storage).transaction === 'function', {
    message: 'storage must implement the Storage interface (a transaction method)',
  }).optional(),
  ids: z.custom<IdGenerator>((value) => typeof value === 'function', { message: 'ids must be a function returning a new id' }).optional(),
  clock: z.custom<Clock>((value) => typeof value === 'function', { message: 'clock must be a function returning a Date' }).optional(),
  history: z.boolean().optional(),
  blockPurgedEmails: z.boolean().optional(),
  uniquePropertyLimit: z.number().int().min(0).max(1_000).optional(),
  labelLimit: z.number().int().min(0).max(1_000).optional(),
  autoAssociateByDomain: z.union([z.boolean(), z.strictObject({ freeMailDomains: z.array(z.string().max(1_000)).max(100_000).optional() })]).optional(),
  autoAssociateActivities: z.boolean().optional(),
  strict: z.boolean().optional(),
  dealAmountFromLineItems: z.boolean().optional(),
  onListenerError: z.custom<(error: unknown, event: ChangeEvent) => void>((value) => typeof value === 'function', {
    message: 'onListenerError must be a function (error, event) => void',
  }).optional(),
});

function schemaFacade(run: Runner, current: () => SchemaState): Schema {
  return {
    objects: () => current().models().map((model) => model.definition),
    object: (nameOrId) => current().object(nameOrId).definition,
    property: (objectType, name) => propertyOf(current().object(objectType), name),
    properties: (objectType, options) => listProperties(current(), objectType, parsePropertiesOptions(options)),
    groups: (objectType, options) => listGroups(current(), objectType, parsePropertiesOptions(options, 'schema.groups')),
    activate: (objectType) => run('write', (ctx) => activate(ctx, objectType)),
    defineObject: (definition) => run('write', (ctx) => defineObject(ctx, parseObjectInput(definition))),
    defineProperty: (objectType, definition) => run('write', (ctx) => defineProperty(ctx, objectType, parsePropertyInput(objectType, definition))),
    updateProperty: (objectType, name, patch) => run('write', (ctx) => updateProperty(ctx, objectType, name, parsePropertyPatch(objectType, name, patch))),
    archiveProperty: (objectType, name) => run('write', (ctx) => archivePropertyOf(ctx, objectType, name)),
    defineGroup: (objectType, group) => run('write', (ctx) => defineGroup(ctx, objectType, parseGroupInput(objectType, group))),
    updateGroup: (objectType, name, patch) => run('write', (ctx) => updateGroup(ctx, objectType, name, parseGroupPatch(objectType, name, patch))),
    archiveGroup: (objectType, name) => run('write', (ctx) => archiveGroupOf(ctx, objectType, name)),
    deleteObject: (objectType) => run('write', (ctx) => deleteObjectType(ctx, objectType)),
    renameObject: (objectType, labels) => run('write', (ctx) => renameObjectType(ctx, objectType, parseRenameLabels(objectType, labels))),
    updateObject: (objectType, patch) => run('write', (ctx) => updateObject(ctx, objectType, parseObjectPatch(objectType, patch))),
    defineAssociation: (from, to, options) => run('write', (ctx) => defineAssociation(ctx, from, to, parsePairOptions(options))),
    removeAssociation: (from, to) => run('write', (ctx) => removeAssociation(ctx, from, to)),
  };
}

function associationsFacade(run: Runner, current: () => SchemaState): Associations {
  return {
    createLabel: (input) => run('write', (ctx) => createLabel(ctx, parseLabelInput(input))),
    labels: (from, to) => labelsOf(current(), from, to),
    types: (from, to) => typesOf(current(), from, to),
    updateLabel: (from, to, name, patch) => run('write', (ctx) => updateLabel(ctx, from, to, name, parseLabelPatch(patch))),
    deleteLabel: (from, to, name) => run('write', (ctx) => deleteLabel(ctx, from, to, name)),
    labelUsage: (from, to, name) => run('read', (ctx) => labelUsage(ctx, from, to, name)),
    updateAssociated: (record, toType, change, options) =>
      run('write', (ctx) => {
        const ref = parseRef(record, 'record');
        const parsed = parseUpdateAssociated(change, options);
        return updateAssociated(ctx, ref, toType, parsed.change, parsed.labels, parsed.source);
      }),
    associate: (a, b, labels, options) =>
      run('write', (ctx) => {
        const input = parseWriteOptions('associations.associate', options);
        const from = parseRef(a, 'a');
        const to = parseRef(b, 'b');
        return associate(ctx, from, to, parseLabels(labels), input);
      }),
    // Atomic (one call for every pair) or, with { atomic: false }, each pair a step of its own.
    associateMany: ((pairs: AssociationPair[], options?: BatchOptions) =>
      run('write', (ctx): Promise<void | BatchOutcome<void>> => {
        const input = parseBatchWriteOptions('associations.associateMany', options);
        const list = parsePairs('associations.associateMany', pairs);
        if (input.atomic) return associateMany(ctx, list, input);
        return eachItem(ctx, list.length, true, (index) => associate(ctx, list[index]!.from, list[index]!.to, list[index]!.labels, input));
      })) as Associations['associateMany'],
    removeMany: ((pairs: AssociationPair[], options?: BatchOptions) =>
      run('write', (ctx): Promise<void | BatchOutcome<void>> => {
        const input = parseBatchWriteOptions('associations.removeMany', options);
        const list = parsePairs('associations.removeMany', pairs);
        if (input.atomic) return removeMany(ctx, list, input);
        return eachItem(ctx, list.length, true, (index) => remove(ctx, list[index]!.from, list[index]!.to, { source: input.source, newPrimary: undefined }));
      })) as Associations['removeMany'],
    setPrimary: (record, company, options) =>
      run('write', (ctx) => {
        const input = parseWriteOptions('associations.setPrimary', options);
        const owner = parseRef(record, 'record');
        return setPrimary(ctx, owner, parseRef(company, 'company'), input);
      }),
    unlabel: (a, b, labels, options) =>
      run('write', (ctx) => {
        const input = parseRemoveOptions('associations.unlabel', options);
        const from = parseRef(a, 'a');
        const to = parseRef(b, 'b');
        return removeLabels(ctx, from, to, parseUnlabelLabels(labels), input);
      }),
    remove: (a, b, options) =>
      run('write', (ctx) => {
        const input = parseRemoveOptions('associations.remove', options);
        const from = parseRef(a, 'a');
        return remove(ctx, from, parseRef(b, 'b'), input);
      }),
    // One implementation for both overloads: `record` is on every item exactly when asked for.
    list: ((record: RecordLike, toType: string, options?: AssociationListOptions) =>
      run('read', (ctx) => {
        const input = parseAssociationListOptions(options);
        return listAssociations(ctx, parseRef(record, 'record'), toType, input);
      })) as Associations['list'],
    listMany: (records, toType, options) =>
      run('read', (ctx) => {
        const input = parseListMany(records, options);
        return listManyAssociations(ctx, input.records, toType, input.label);
      }),
    history: (record, options) =>
      run('read', (ctx) => {
        const input = parseHistoryOptions(options);
        return associationHistory(ctx, parseRef(record, 'record'), input);
      }),
  };
}

function recordsFacade(run: Runner): Records {
  // Each call parses its arguments (options first, then ids) before the service runs; the
  // services take the typed results (docs/decisions/0011-arguments-at-the-facade.md).
  return {
    create: (objectType, properties, options) =>
      run('write', async (ctx) => (await createRecords(ctx, objectType, [properties], parseCreateOptions('records.create', options), false))[0]!),
    // One implementation for each pair of overloads: the mode decides the answer's shape.
    createMany: ((objectType: string, inputs: PropertiesInput[], options?: CreateOptions & { atomic?: boolean }) =>
      run('write', (ctx): Promise<CrmRecord[] | BatchOutcome<CrmRecord>> => {
        const input = parseCreateManyOptions(options);
        const items = parseCreateInputs(inputs);
        return input.atomic ? createRecords(ctx, objectType, items, input, true) : createEach(ctx, objectType, items, input);
      })) as Records['createMany'],
    upsertMany: ((objectType: string, inputs: PropertiesInput[], options?: UpsertOptions & { atomic?: boolean }) =>
      run('write', (ctx) => {
        const input = parseUpsertManyOptions(options);
        return upsertMany(ctx, objectType, parseCreateInputs(inputs, 'upsertMany'), input);
      })) as Records['upsertMany'],
    updateMany: ((objectType: string, updates: Array<{ id: string; properties: PropertiesInput }>, options?: BatchOptions) =>
      run('write', (ctx) => {
        const input = parseBatchWriteOptions('records.updateMany', options);
        return updateMany(ctx, objectType, parseUpdateItems(updates), input);
      })) as Records['updateMany'],
    archiveMany: ((objectType: string, ids: string[], options?: BatchOptions) =>
      run('write', (ctx) => {
        const input = parseBatchWriteOptions('records.archiveMany', options);
        return archiveMany(ctx, objectType, parseIds('archiveMany', ids), input);
      })) as Records['archiveMany'],
    get: (objectType, id, options) =>
      run('read', (ctx) => {
        const input = parseGetOptions(options);
        return getRecord(ctx, objectType, parseId(id), input);
      }),
    getMany: (objectType, ids, options) =>
      run('read', (ctx) => {
        const input = parseGetMany(ids, options);
        return getManyRecords(ctx, objectType, input.ids, input.properties);
      }),
    count: (objectType, filter) =>
      run('read', (ctx) => {
        const groups = parseFilterSpec(filter);
        return countRecords(ctx, objectType, groups, pairsOf(ctx));
      }),
    search: (objectType, request) =>
      run('read', (ctx) => {
        const input = parseSearchRequest(request);
        return searchRecords(ctx, objectType, input, pairsOf(ctx));
      }),
    explain: (objectType, request) =>
      run('read', (ctx) => {
        const input = parseSearchRequest(request);
        return explainSearch(ctx, objectType, input, pairsOf(ctx));
      }),
    aggregate: (objectType, request) =>
      run('read', (ctx) => {
        const input = parseAggregateRequest(request);
        return aggregateRecords(ctx, objectType, input, pairsOf(ctx));
      }),
    getBy: (objectType, property, value) => run('read', (ctx) => getRecordBy(ctx, objectType, property, value)),
    update: (objectType, id, patch, options) =>
      run('write', (ctx) => {
        const input = parseWriteOptions('records.update', options);
        return updateRecord(ctx, objectType, parseId(id), patch, input);
      }),
    upsert: (objectType, properties, options) => run('write', (ctx) => upsertRecord(ctx, objectType, properties, parseUpsertOptions(options))),
    archive: (objectType, id, options) =>
      run('write', (ctx) => {
        const input = parseWriteOptions('records.archive', options);
        return archiveRecord(ctx, objectType, parseId(id), input);
      }),
    restore: (objectType, id, options) =>
      run('write', (ctx) => {
        const input = parseWriteOptions('records.restore', options);
        return restoreRecord(ctx, objectType, parseId(id), input);
      }),
    purge: (objectType, id, options) =>
      run('write', (ctx) => {
        const input = parseWriteOptions('records.purge', options);
        return purgeRecord(ctx, objectType, parseId(id), input);
      }),
    history: (objectType, id, property) => run('read', (ctx) => propertyHistory(ctx, objectType, parseId(id), property)),
    list: (objectType, options) => run('read', (ctx) => listRecords(ctx, objectType, parseListOptions(options))),
    merge: (objectType, primaryId, mergedId, options) =>
      run('write', (ctx) => {
        const input = parseWriteOptions('records.merge', options);
        return mergeRecords(ctx, objectType, parseId(primaryId), parseId(mergedId), input);
      }),
  };
}

function pipelinesFacade(run: Runner): Pipelines {
  return {
    list: (objectType, options) =>
      run('read', async (ctx) => {
        const input = parsePipelineListOptions(options);
        return listPipelines(ctx, objectType, input);
      }),
    get: (objectType, pipelineId) => run('read', async (ctx) => getPipeline(ctx, objectType, parsePipelineId(pipelineId, 'pipelineId'))),
    create: (objectType, input) => run('write', (ctx) => createPipeline(ctx, objectType, parsePipelineInput(input))),
    update: (objectType, pipelineId, patch) =>
      run('write', (ctx) => {
        const input = parsePipelinePatch(patch);
        return updatePipeline(ctx, objectType, parsePipelineId(pipelineId, 'pipelineId'), input);
      }),
    archive: (objectType, pipelineId) => run('write', (ctx) => archivePipeline(ctx, objectType, parsePipelineId(pipelineId, 'pipelineId'))),
    listStages: (objectType, pipelineId) => run('read', async (ctx) => listStages(ctx, objectType, parsePipelineId(pipelineId, 'pipelineId'))),
    getStage: (objectType, pipelineId, stageId) =>
      run('read', async (ctx) => getStage(ctx, objectType, parsePipelineId(pipelineId, 'pipelineId'), parsePipelineId(stageId, 'stageId'))),
    createStage: (objectType, pipelineId, input) =>
      run('write', (ctx) => {
        const parsed = parseStageInput(input);
        return createStage(ctx, objectType, parsePipelineId(pipelineId, 'pipelineId'), parsed);
      }),
    updateStage: (objectType, pipelineId, stageId, patch) =>
      run('write', (ctx) => {
        const parsed = parseStagePatch(patch);
        return updateStage(ctx, objectType, parsePipelineId(pipelineId, 'pipelineId'), parsePipelineId(stageId, 'stageId'), parsed);
      }),
    archiveStage: (objectType, pipelineId, stageId) =>
      run('write', (ctx) => archiveStage(ctx, objectType, parsePipelineId(pipelineId, 'pipelineId'), parsePipelineId(stageId, 'stageId'))),
  };
}

function segmentsFacade(run: Runner): Segments {
  return {
    create: (input) => run('write', (ctx) => createSegment(ctx, parseSegmentInput(input), pairsOf(ctx))),
    get: (segmentId) => run('read', async (ctx) => getSegment(ctx, parseSavedId(segmentId, 'segmentId'))),
    list: (objectType) => run('read', async (ctx) => listSegments(ctx, objectType)),
    members: (segmentId, options) =>
      run('read', (ctx) => {
        const page = parsePage(options);
        return segmentMembers(ctx, parseSavedId(segmentId, 'segmentId'), page, pairsOf(ctx));
      }),
    add: (segmentId, records) =>
      run('write', (ctx) => {
        const refs = parseMemberRefs(records);
        return addMembers(ctx, parseSavedId(segmentId, 'segmentId'), refs);
      }),
    remove: (segmentId, records) =>
      run('write', (ctx) => {
        const refs = parseMemberRefs(records);
        return removeMembers(ctx, parseSavedId(segmentId, 'segmentId'), refs);
      }),
    contains: (segmentId, record) =>
      run('read', (ctx) => {
        const ref = parseRef(record, 'record');
        return segmentContains(ctx, parseSavedId(segmentId, 'segmentId'), ref, pairsOf(ctx));
      }),
    update: (segmentId, patch) =>
      run('write', (ctx) => {
        const parsed = parseSegmentPatch(patch);
        return updateSegment(ctx, parseSavedId(segmentId, 'segmentId'), parsed, pairsOf(ctx));
      }),
    delete: (segmentId) => run('write', (ctx) => deleteSegment(ctx, parseSavedId(segmentId, 'segmentId'))),
  };
}

function viewsFacade(run: Runner): Views {
  return {
    create: (input) => run('write', (ctx) => createView(ctx, parseViewInput(input), pairsOf(ctx))),
    get: (viewId) => run('read', async (ctx) => getView(ctx, parseSavedId(viewId, 'viewId'))),
    list: (objectType) => run('read', async (ctx) => listViews(ctx, objectType)),
    update: (viewId, patch) =>
      run('write', (ctx) => {
        const parsed = parseViewPatch(patch);
        return updateView(ctx, parseSavedId(viewId, 'viewId'), parsed, pairsOf(ctx));
      }),
    delete: (viewId) => run('write', (ctx) => deleteView(ctx, parseSavedId(viewId, 'viewId'))),
    run: (viewId, options) =>
      run('read', (ctx) => {
        const page = parsePage(options);
        return runView(ctx, parseSavedId(viewId, 'viewId'), page, pairsOf(ctx));
      }),
  };
}

function commerceFacade(run: Runner): Commerce {
  return {
    addLineItem: (target, product, overrides, options) =>
      run('write', (ctx) => {
        const input = parseWriteOptions('commerce.addLineItem', options);
        const parent = parseRef(target, 'target');
        const from = parseProductRef(product);
        return addLineItem(ctx, parent, from, parseOverrides(overrides), input);
      }),
    copyLineItems: (from, to, options) =>
      run('write', (ctx) => {
        const input = parseWriteOptions('commerce.copyLineItems', options);
        const origin = parseRef(from, 'from');
        return copyLineItems(ctx, origin, parseRef(to, 'to'), input);
      }),
    lineItems: (record) => run('read', (ctx) => listLineItems(ctx, parseRef(record, 'record'))),
  };
}

/** What a search may follow between two object types: the pair's label names seen from `from`, or `undefined` when they never associate. */
function pairsOf(ctx: TxContext): PairLookup {
  const model = associationModel(ctx.schema);
  return (from, to) => {
    const view = model.pair(from, to);
    return view === undefined ? undefined : new Set(view.labels.keys());
  };
}

/** The facade of a crm.transaction: every call is one savepointed step of `ctx`'s transaction. */
function transactionFacade(ctx: TxContext): CrmTransaction {
  const run: Runner = (_mode, fn) => ctx.call(fn);
  return {
    schema: schemaFacade(run, () => ctx.schema),
    records: recordsFacade(run),
    associations: associationsFacade(run, () => ctx.schema),
    pipelines: pipelinesFacade(run),
    segments: segmentsFacade(run),
    views: viewsFacade(run),
    commerce: commerceFacade(run),
  };
}

/** The domains automatic association by domain ignores; `undefined` while the option is off. */
function freeMailDomains(option: CreateCrmOptions['autoAssociateByDomain']): ReadonlySet<string> | undefined {
  if (!option) return undefined;
  const domains = option === true ? FREE_MAIL_DOMAINS : (option.freeMailDomains ?? FREE_MAIL_DOMAINS);
  // Compared with stored domains, so spelled as they are stored ('ＧＭＡＩＬ.com' → 'gmail.com').
  return new Set(domains.map((domain) => normaliseDomain(domain) ?? domain.trim().toLowerCase()));
}

/** The default listener-error channel: the console, never an uncaught exception. */
function reportToConsole(error: unknown, event: ChangeEvent): void {
  console.error(`crmkit: a change listener threw while handling a ${event.type} event:`, error);
}

/** Reads rows a batch at a time, each batch one transaction, and answers the tally. */
async function importRows(engine: Engine<SchemaState>, rows: Iterable<ImportRow> | AsyncIterable<ImportRow>, options: ImportOptions): Promise<ImportResult> {
  engine.assertOutsideTransaction();
  const input = parseImportOptions(options);
  const iterable = rows as { [Symbol.iterator]?: unknown; [Symbol.asyncIterator]?: unknown } | null;
  if (typeof iterable !== 'object' || iterable === null || (typeof iterable[Symbol.iterator] !== 'function' && typeof iterable[Symbol.asyncIterator] !== 'function')) {
    throw validationError([{ code: 'INVALID_ARGUMENT', property: 'rows', message: 'import expects rows: an array, an iterable or an async iterable of { column: cell } objects' }]);
  }
  // The mapping is checked before any row is read.
  await engine.run('read', async (ctx) => planImport(ctx.schema, input));
  const tally: ImportTally = { created: 0, updated: 0, skipped: 0, failed: 0, errors: [], failedRows: [] };
  let batch: Array<{ number: number; row: ImportRow }> = [];
  let number = 0;
  const flush = async (): Promise<void> => {
    if (batch.length > 0) {
      const rows = batch;
      batch = [];
      await engine.run('write', (ctx) => importBatch(ctx, input, rows, tally));
    }
    input.onProgress?.(number);
  };
  for await (const row of rows as AsyncIterable<ImportRow>) {
    number++;
    if (typeof row !== 'object' || row === null || Array.isArray(row)) {
      tally.failed++;
      tally.errors.push({ row: number, code: 'INVALID_ROW', message: `row ${number} is not an object of column → cell` });
      continue;
    }
    batch.push({ number, row });
    if (batch.length >= input.batchSize) await flush();
  }
  if (batch.length > 0 || number === 0) await flush();
  const { failedRows, ...counts } = tally;
  return { ...counts, errorCsv: () => errorCsvOf(tally) };
}

/**
 * Creates a CRM. With no options it holds the standard catalogue in memory.
 *
 * @example
 * import { createCrm } from 'crmkit';
 * const crm = await createCrm();
 * const contact = await crm.records.create('contacts', { email: 'john@orange.com', firstname: 'John' });
 */
export async function createCrm(options: CreateCrmOptions = {}): Promise<Crm> {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) throw argumentError(parsed.error, 'createCrm', ['options'], optionsSchema);
  const settings: EngineOptions = {
    ids: parsed.data.ids ?? randomId,
    clock: parsed.data.clock ?? systemClock,
    history: parsed.data.history ?? true,
    blockPurgedEmails: parsed.data.blockPurgedEmails ?? false,
    uniquePropertyLimit: parsed.data.uniquePropertyLimit ?? 10,
    labelLimit: parsed.data.labelLimit ?? 10,
    autoAssociateByDomain: freeMailDomains(parsed.data.autoAssociateByDomain),
    autoAssociateActivities: parsed.data.autoAssociateActivities ?? true,
    strict: parsed.data.strict ?? false,
    dealAmountFromLineItems: parsed.data.dealAmountFromLineItems ?? false,
    onListenerError: parsed.data.onListenerError ?? reportToConsole,
  };
  const storage = parsed.data.storage ?? memoryStorage();
  const engine = new Engine(storage, settings, (version, doc) => SchemaState.load(version, doc as SchemaDoc | undefined), [
    calculatedPropertiesFor(settings),
    requiredAssociations,
  ]);
  await engine.start();
  await engine.run('write', syncIndexes);

  const crm: Crm = {
    schema: schemaFacade(engine.run, () => engine.schema),
    records: recordsFacade(engine.run),
    associations: associationsFacade(engine.run, () => engine.schema),
    pipelines: pipelinesFacade(engine.run),
    segments: segmentsFacade(engine.run),
    views: viewsFacade(engine.run),
    commerce: commerceFacade(engine.run),
    timeline: (record, options) =>
      engine.run('read', (ctx) => {
        const input = parseTimelineOptions(options);
        return timeline(ctx, parseRef(record, 'record'), input);
      }),
    subscribe(listener) {
      if (typeof listener !== 'function') {
        throw validationError([{ code: 'INVALID_ARGUMENT', property: 'listener', message: 'subscribe expects a function' }]);
      }
      engine.listeners.add(listener);
      return () => {
        engine.listeners.delete(listener);
      };
    },
    transaction: (fn) => engine.transaction(typeof fn === 'function' ? (ctx) => fn(transactionFacade(ctx)) : (fn as never)),
    refresh: () => engine.refresh(),
    import: (rows, options) => importRows(engine, rows, options),
    async fork() {
      engine.assertOutsideTransaction();
      if (!storage.fork) throw new CrmError('STORAGE_ERROR', 'This storage cannot fork (the memory storage can)');
      const copy = await storage.fork();
      // Forkable ids and clocks go on from the parent's state in each fork (so every fork of one
      // base hands out the same next id); a plain function has no state to copy and stays shared.
      return createCrm({ ...options, storage: copy, ids: settings.ids.fork?.() ?? settings.ids, clock: settings.clock.fork?.() ?? settings.clock });
    },
    close: async () => {
      engine.assertOutsideTransaction();
      await storage.close();
    },
  };
  return crm;
}
