// The public shapes of crmkit's API (values, records, schema definitions, options).
// Behaviour lives elsewhere; this file is types only.
import type { CrmError } from './errors.js';

// ---------------------------------------------------------------- values and records

/**
 * A stored property value: `string`, `number`, `boolean`, or `string[]` for a multi-select
 * (`checkbox`) enumeration. Dates are `'YYYY-MM-DD'`, datetimes ISO-8601 UTC strings.
 * `null` in a write clears the property; a cleared property is absent from `properties`.
 *
 * @example
 * const value: PropertyValue = ['coffee', 'tea'];
 */
export type PropertyValue = string | number | boolean | string[] | null;

/**
 * What a write accepts for one property: a {@link PropertyValue}, or a `Date` for a date or
 * datetime property. HubSpot's wire forms are accepted too: strings for numbers and booleans,
 * epoch milliseconds for datetimes, `'a;b'` for a multi-select.
 *
 * @example
 * const input: PropertyInput = new Date('2026-01-01T00:00:00Z');
 */
export type PropertyInput = PropertyValue | Date;

/**
 * A record's properties as stored: only properties with a value are present.
 *
 * @example
 * const props: Properties = { email: 'john@orange.com', firstname: 'John' };
 */
export type Properties = { [name: string]: PropertyValue | undefined };

/**
 * Properties as a write accepts them; `undefined` leaves a property unchanged, `null` or `''`
 * clears it.
 *
 * @example
 * const patch: PropertiesInput = { lifecyclestage: 'customer', phone: null };
 */
export type PropertiesInput = { [name: string]: PropertyInput | undefined };

/**
 * One record. Records handed out by crmkit are frozen snapshots: changing one never changes
 * what is stored.
 *
 * @example
 * const contact: CrmRecord = await crm.records.create('contacts', { email: 'a@b.com' });
 * contact.properties.email; // 'a@b.com'
 */
export interface CrmRecord {
  readonly id: string;
  /** The object type's name ('contacts', 'roast_batches'). */
  readonly objectType: string;
  /** Includes the read-only system properties (hs_object_id, createdate, ...). */
  readonly properties: Readonly<Properties>;
  /** ISO-8601 UTC. */
  readonly createdAt: string;
  /** ISO-8601 UTC; changes with every write to the record (update, archive, restore). */
  readonly updatedAt: string;
  readonly archived: boolean;
  /** Set while archived (ISO-8601 UTC). */
  readonly archivedAt?: string;
}

/**
 * A reference to a record by type and id.
 *
 * @example
 * const ref: RecordRef = { objectType: 'contacts', id: contact.id };
 */
export interface RecordRef {
  objectType: string;
  id: string;
}

/**
 * A record object or a {@link RecordRef}: calls that take a record accept either.
 *
 * @example
 * const like: RecordLike = contact; // or { objectType: 'contacts', id }
 */
export type RecordLike = RecordRef | CrmRecord;

/**
 * A page of results. `paging.next.after` is an opaque cursor for the next page; it is absent
 * on the last page.
 *
 * @example
 * let page = await crm.records.list('contacts', { limit: 100 });
 * while (page.paging?.next) page = await crm.records.list('contacts', { after: page.paging.next.after });
 */
export interface Page<T> {
  results: T[];
  paging?: { next?: { after: string } };
}

// ---------------------------------------------------------------- schema

/**
 * A property's data type.
 *
 * @example
 * const type: PropertyType = 'enumeration';
 */
export type PropertyType =
  | 'string'
  | 'number'
  | 'bool'
  | 'date'
  | 'datetime'
  | 'enumeration'
  | 'phone_number';

/**
 * How a property is edited. Valid pairs with {@link PropertyType}: bool → booleancheckbox;
 * enumeration → select, radio, checkbox (multi-select), booleancheckbox; date and datetime →
 * date; number → number; string → text, textarea, html, file, phonenumber; phone_number →
 * phonenumber; any type → calculation_equation (read-only).
 *
 * @example
 * const fieldType: FieldType = 'checkbox';
 */
export type FieldType =
  | 'text'
  | 'textarea'
  | 'html'
  | 'file'
  | 'phonenumber'
  | 'number'
  | 'date'
  | 'select'
  | 'radio'
  | 'checkbox'
  | 'booleancheckbox'
  | 'calculation_equation';

/**
 * An enumeration option: `value` is what records store (exact, case-sensitive), `label` what
 * people see.
 *
 * @example
 * const option: PropertyOption = { label: 'Customer', value: 'customer' };
 */
export interface PropertyOption {
  label: string;
  value: string;
  displayOrder?: number;
  hidden?: boolean;
}

/**
 * A property to define.
 *
 * @example
 * await crm.schema.defineProperty('contacts', {
 *   name: 'favorite_roast', label: 'Favourite roast', type: 'enumeration', fieldType: 'select',
 *   options: [{ label: 'Light', value: 'light' }, { label: 'Dark', value: 'dark' }],
 * });
 */
export interface PropertyDefinitionInput {
  /** Internal name: `^[a-z][a-z0-9_]*$`, under 100 characters, immutable; `hs_` is reserved. */
  name: string;
  label: string;
  type: PropertyType;
  fieldType: FieldType;
  /** Enumerations only; values unique. */
  options?: PropertyOption[];
  /** Adds a dedup key (string, number and phone_number properties; at most 10 per object type). Immutable. */
  unique?: boolean;
  /** Shorthand for listing the property in the object type's `requiredProperties`. */
  required?: boolean;
  /** Callers cannot write it; only the engine does. */
  readOnly?: boolean;
  /** The property group (default: the object type's information group). */
  groupName?: string;
  description?: string;
  /** Declares an equality/range index (used by search; accepted and stored today). */
  indexed?: boolean;
}

/**
 * A property's definition as the schema reports it.
 *
 * @example
 * crm.schema.property('contacts', 'email').type; // 'string'
 */
export interface PropertyDefinition {
  readonly name: string;
  readonly label: string;
  readonly type: PropertyType;
  readonly fieldType: FieldType;
  readonly options?: readonly PropertyOption[];
  readonly unique: boolean;
  /** Whether the object type requires it (derived from `requiredProperties`). */
  readonly required: boolean;
  readonly readOnly: boolean;
  readonly groupName: string;
  readonly description?: string;
  readonly indexed?: boolean;
  /** Shipped with the standard catalogue (cannot be archived; only label, group, options and description change). */
  readonly hubspotDefined: boolean;
  readonly archived: boolean;
}

/**
 * A group of properties, as shown together in a UI.
 *
 * @example
 * await crm.schema.defineGroup('contacts', { name: 'coffee', label: 'Coffee preferences' });
 */
export interface PropertyGroup {
  readonly name: string;
  readonly label: string;
  readonly displayOrder: number;
  /** Archived by `schema.archiveGroup`; only `groups(type, { archived: true })` lists it. */
  readonly archived: boolean;
}

/**
 * A property group to define.
 *
 * @example
 * const group: PropertyGroupInput = { name: 'coffee', label: 'Coffee preferences' };
 */
export interface PropertyGroupInput {
  name: string;
  label: string;
  displayOrder?: number;
}

/**
 * An object type's singular and plural display labels.
 *
 * @example
 * await crm.schema.renameObject('companies', { singular: 'Account', plural: 'Accounts' });
 */
export interface ObjectLabels {
  singular: string;
  plural: string;
}

/**
 * An object type: standard (from the catalogue) or custom.
 *
 * @example
 * const contacts = crm.schema.object('contacts'); // or crm.schema.object('0-1')
 * contacts.dedupKeys; // ['hs_object_id', 'email', 'hs_additional_emails']
 */
export interface ObjectTypeDefinition {
  /** '0-1' contacts, '0-2' companies, ..., '2-<n>' custom. */
  readonly id: string;
  readonly name: string;
  readonly labels: Readonly<ObjectLabels>;
  /** foundational, marketing, sales, service, commerce, other; services sit in two; custom objects in other. */
  readonly categories: readonly string[];
  /** Properties whose values identify a record uniquely (always hs_object_id; contacts add email and hs_additional_emails while dedup is on; every unique property). */
  readonly dedupKeys: readonly string[];
  /** At least one of these must have a value (contacts: email, firstname, lastname). */
  readonly requireOneOf?: readonly string[];
  readonly primaryDisplayProperty?: string;
  readonly requiredProperties: readonly string[];
  readonly searchableProperties: readonly string[];
  /** Live (unarchived) property definitions. */
  readonly properties: readonly PropertyDefinition[];
  readonly groups: readonly PropertyGroup[];
  /** Custom objects: the object types it may associate with. */
  readonly associations?: readonly string[];
  /** Must be activated (`schema.activate`) before it holds records. */
  readonly requiresActivation: boolean;
  /** False until activated, for types that require activation. */
  readonly active: boolean;
  /** True for user-defined object types. */
  readonly custom: boolean;
}

/**
 * A custom object type to define.
 *
 * @example
 * await crm.schema.defineObject({
 *   name: 'roast_batches', labels: { singular: 'Roast batch', plural: 'Roast batches' },
 *   primaryDisplayProperty: 'batch_name', requiredProperties: ['batch_name'],
 *   properties: [{ name: 'batch_name', label: 'Batch', type: 'string', fieldType: 'text' }],
 *   associations: ['contacts', 'deals'],
 * });
 */
export interface ObjectTypeInput {
  name: string;
  labels: ObjectLabels;
  primaryDisplayProperty?: string;
  requiredProperties?: string[];
  searchableProperties?: string[];
  properties: PropertyDefinitionInput[];
  /** Object types the custom object may associate with. */
  associations?: string[];
}

/**
 * What `schema.updateObject` may change.
 *
 * @example
 * await crm.schema.updateObject('companies', { dedup: false }); // HubSpot's API behaviour
 */
export type ObjectTypePatch = Partial<
  Pick<ObjectTypeInput, 'labels' | 'primaryDisplayProperty' | 'requiredProperties' | 'searchableProperties'>
> & {
  /** `false` stops enforcing a standard object's dedup key (email, domain); `true` turns it back on. */
  dedup?: boolean;
};

/**
 * What `schema.updateProperty` may change. `name`, `type` and `unique` may be given only with
 * their current values (anything else is IMMUTABLE).
 *
 * @example
 * await crm.schema.updateProperty('contacts', 'favorite_roast', { label: 'Favourite roast' });
 */
export type PropertyPatch = Partial<PropertyDefinitionInput>;

// ---------------------------------------------------------------- records

/**
 * Where a write came from (docs/records.md "Calls"); property and association history record it.
 *
 * @example
 * const source: SourceType = 'IMPORT';
 */
export type SourceType =
  | 'USER'
  | 'OBJECT_DELETION'
  | 'OBJECT_MERGE'
  | 'OBJECT_RESTORE'
  | 'IMPORT'
  | 'DOMAIN_AUTO_ASSOCIATION'
  | 'API'
  | 'JOB'
  | 'MIGRATION'
  | 'CALCULATED'
  | 'UNKNOWN';

/**
 * A write's source: a type, and optionally who or what (`id`, a human-readable `label`).
 *
 * @example
 * await crm.records.update('contacts', id, { phone: '+1 555' }, { source: { type: 'USER', id: 'u7', label: 'Ana' } });
 */
export interface Source {
  type: SourceType;
  label?: string;
  id?: string;
}

/**
 * Options every write accepts.
 *
 * @example
 * await crm.records.archive('contacts', id, { source: { type: 'JOB' } });
 */
export interface WriteOptions {
  /** Default `{ type: 'API' }`. */
  source?: Source;
}

/**
 * Options of `records.create` and `records.createMany`.
 *
 * @example
 * await crm.records.create('contacts', { email: 'a@b.com' }, { source: { type: 'IMPORT' } });
 */
export interface CreateOptions extends WriteOptions {
  /**
   * Associations made with the record, in the same transaction (how a quote gets its deal).
   * `createMany` gives every record the same list.
   */
  associations?: Array<{ to: RecordLike; labels?: string[] }>;
}

/**
 * Options every batch write takes (createMany, upsertMany, updateMany, archiveMany): the source,
 * and `atomic`. `true` (the default): one transaction, every problem reported (every bad value
 * of every input, every dedup conflict with its input's index), nothing written on failure.
 * `false`: each item succeeds or fails on its own, in input order, and the call answers a
 * {@link BatchOutcome} instead of throwing.
 *
 * @example
 * const { results, errors } = await crm.records.upsertMany('contacts', rows, { atomic: false });
 */
export interface BatchOptions extends WriteOptions {
  atomic?: boolean;
}

/**
 * A per-item batch's answer (HubSpot's 207 partial results, made explicit): every input index
 * appears once, in `results` with its value or in `errors` with its `CrmError` (whose
 * `details.index` is the index too). Both lists are in input order.
 *
 * @example
 * const outcome: BatchOutcome<CrmRecord> = await crm.records.createMany('contacts', inputs, { atomic: false });
 * for (const { index, error } of outcome.errors) console.log(index, error.code);
 */
export interface BatchOutcome<T> {
  results: Array<{ index: number; value: T }>;
  errors: Array<{ index: number; error: CrmError }>;
}

/**
 * An update given as a function: it receives a draft of the record's properties (immer) and
 * changes it, or returns new properties. Deleting a key clears the property.
 *
 * @example
 * await crm.records.update('contacts', id, (draft) => { draft.firstname = 'Jo'; delete draft.phone; });
 */
export type UpdateRecipe = (draft: Properties) => void | Properties;

/**
 * One entry of a property's history.
 *
 * @example
 * const [latest] = await crm.records.history('contacts', id, 'email');
 * latest.sourceType; // 'API'
 */
export interface PropertyHistoryEntry {
  /** `null` when the write cleared the property. */
  value: PropertyValue;
  /** ISO-8601 UTC. */
  timestamp: string;
  /** The write's source type (default API); the engine's own computed values are CALCULATED. */
  sourceType: SourceType;
  sourceId?: string;
  sourceLabel?: string;
}

/**
 * Options of `records.list`.
 *
 * @example
 * await crm.records.list('contacts', { limit: 50, archived: true });
 */
export interface ListOptions {
  /** Page size, 1 to 1,000 (default 100); a bigger one is VALIDATION_ERROR. */
  limit?: number;
  /** The cursor from the previous page's `paging.next.after`. */
  after?: string;
  /** `true` lists archived records too (each with `archived: true`). */
  archived?: boolean;
}

/**
 * Options of `records.upsert`.
 *
 * @example
 * await crm.records.upsert('contacts', { email: 'a@b.com', firstname: 'A' }, { idProperty: 'email' });
 */
export interface UpsertOptions extends WriteOptions {
  /** The unique property that identifies the record (default: the object type's dedup key, else hs_object_id). */
  idProperty?: string;
}

// ---------------------------------------------------------------- associations

/**
 * How many records one record may hold under a label or a pair: 'one', 'many' (no cap), or a
 * number from 1 to 10,000.
 *
 * @example
 * await crm.associations.createLabel({ from: 'deals', to: 'contacts', label: 'Champion', limit: 'one' });
 */
export type AssociationLimit = 'one' | 'many' | number;

/**
 * A label to define on an object pair (docs/associations.md "Labels").
 *
 * @example
 * await crm.associations.createLabel({ from: 'contacts', to: 'contacts', label: 'Manager', inverseLabel: 'Employee' });
 */
export interface LabelInput {
  from: string;
  to: string;
  /** Display label, as seen from `from`. */
  label: string;
  /** Internal name, immutable; derived from `label` when omitted ('Decision maker' → 'decision_maker'). */
  name?: string;
  /** Makes a paired label: the display label seen from `to` (its internal name is derived from it). */
  inverseLabel?: string;
  /** How many `to` records one `from` record may hold under the label (default 'many'). */
  limit?: AssociationLimit;
  /** How many `from` records one `to` record may hold under the label (default 'many'). */
  inverseLimit?: AssociationLimit;
}

/**
 * A label defined on an object pair. `labels(a, b)` and `labels(b, a)` show the same definitions.
 *
 * @example
 * const [primary] = crm.associations.labels('contacts', 'companies');
 * primary.name; // 'primary'
 */
export interface LabelDefinition {
  from: string;
  to: string;
  name: string;
  label: string;
  /** A paired label's name and display label as seen from `to`. */
  inverseName?: string;
  inverseLabel?: string;
  limit: AssociationLimit;
  inverseLimit: AssociationLimit;
  /**
   * Stable integer ids for integrations, one per direction: `typeId` for `from` → `to`,
   * `inverseTypeId` for `to` → `from`. HubSpot's where it defines them (primary contact →
   * company 1 / 2, …); a user's labels get ids from 1000 up that no HubSpot-defined or
   * generated id equals, and never reuse one.
   */
  typeId: number;
  inverseTypeId: number;
  /** A built-in label (`primary`, `child_company` / `parent_company`, `contact_signer`): it cannot be changed or deleted. */
  hubspotDefined: boolean;
}

/**
 * One association type of a direction (`from` → `to`), as integrations such as HubSpot's API
 * name it: the unlabelled association, a built-in label (`primary`, a company's
 * `parent_company` / `child_company`, a quote's `contact_signer`) or a user's label
 * (docs/associations.md "Type ids").
 *
 * @example
 * crm.associations.types('contacts', 'companies');
 * // [{ from: 'contacts', to: 'companies', typeId: 279, category: 'HUBSPOT_DEFINED', name: null, label: null, limit: 'many' },
 * //  { from: 'contacts', to: 'companies', typeId: 1, category: 'HUBSPOT_DEFINED', name: 'primary', label: 'Primary', limit: 'one' }]
 */
export interface AssociationType {
  from: string;
  to: string;
  /** The integer id of this type in this direction. */
  typeId: number;
  /** HUBSPOT_DEFINED: the unlabelled association and the built-in labels; USER_DEFINED: labels made with createLabel. */
  category: 'HUBSPOT_DEFINED' | 'USER_DEFINED';
  /** The label's internal name seen from `from`; `null` for the unlabelled association. */
  name: string | null;
  /** Its display label; `null` for the unlabelled association. */
  label: string | null;
  /**
   * How many `to` records one `from` record may hold under this type: the pair's limit for the
   * unlabelled association, the label's limit seen from `from` otherwise (docs/associations.md
   * "Limits"). The built-in primary is `'one'` from the record's side, `'many'` from the company's.
   */
  limit: AssociationLimit;
}

/**
 * One association as `associations.list` shows it from the listing record.
 *
 * @example
 * const { results } = await crm.associations.list(contact, 'companies');
 * results.find((item) => item.primary)?.id; // the contact's primary company
 */
export interface AssociationItem {
  objectType: string;
  id: string;
  /** Internal label names seen from the listing record ('primary' included). */
  labels: string[];
  /** Whether this is the primary-company association (from either side). */
  primary: boolean;
  /** The associated record itself, when the list was asked for `{ records: true }`. */
  record?: CrmRecord;
}

/**
 * One change of an association, as logged on the record whose history it is (`from`).
 *
 * @example
 * const [latest] = await crm.associations.history(contact, { with: company });
 * latest.action; // 'created'
 */
export interface AssociationHistoryEntry {
  action: 'created' | 'removed' | 'relabelled';
  from: RecordRef;
  to: RecordRef;
  /** The other record's display name when the change happened. */
  otherName?: string;
  /** Labels seen from `from`. */
  labelsBefore: string[];
  labelsAfter: string[];
  /** ISO-8601 UTC. */
  timestamp: string;
  source: Source;
}

/**
 * Options of every association write.
 *
 * @example
 * await crm.associations.associate(contact, company, [], { source: { type: 'USER', id: 'u1' } });
 */
export interface AssociationWriteOptions {
  /** Default `{ type: 'API' }`. */
  source?: Source;
}

/**
 * Options of `remove` and `unlabel`: the contact's new primary company when the change takes its
 * primary away and leaves a choice.
 *
 * @example
 * await crm.associations.remove(contact, acme, { newPrimary: globex });
 */
export interface RemoveOptions extends AssociationWriteOptions {
  newPrimary?: RecordLike;
}

/**
 * Options of `associations.list`.
 *
 * @example
 * await crm.associations.list(deal, 'contacts', { label: 'decision_maker', limit: 10 });
 */
export interface AssociationListOptions {
  /** Only associations carrying this label (a name seen from the listing record). */
  label?: string;
  /** Page size, 1 to 1,000 (default 100); a bigger one is VALIDATION_ERROR. */
  limit?: number;
  after?: string;
  /** Each item also carries the associated record (`item.record`), read in the same call. */
  records?: boolean;
  /** With `records`: only these properties of the associated records (plus id and dates). */
  properties?: string[];
}

/**
 * One pair of `associateMany` / `removeMany`.
 *
 * @example
 * await crm.associations.associateMany([{ from: deal, to: contact, labels: ['decision_maker'] }]);
 */
export interface AssociationPair {
  from: RecordLike;
  to: RecordLike;
  labels?: string[];
}

// ---------------------------------------------------------------- import

/**
 * One row of an import: column → cell.
 *
 * @example
 * const row: ImportRow = { Email: 'ana@acme.com', 'First name': 'Ana', Company: 'Acme', Domain: 'acme.com' };
 */
export type ImportRow = { [column: string]: string | number | boolean | null | undefined };

/**
 * Options of `crm.import` (docs/import.md).
 *
 * @example
 * await crm.import(rows, {
 *   mapping: { Email: 'contacts.email', 'First name': 'contacts.firstname', Company: 'companies.name', Domain: 'companies.domain' },
 *   associations: [{ from: 'contacts', to: 'companies', labels: ['primary'] }],
 *   onExisting: 'update',
 * });
 */
export interface ImportOptions {
  /** column → 'objectType.property'; `<type>.hs_object_id` finds a record by id. Unmapped columns are ignored. */
  mapping: { [column: string]: string };
  /**
   * The associations made between a row's records (labels seen from `from`, `primary`
   * included). Default: the first mapped type with each other one.
   */
  associations?: Array<{ from: string; to: string; labels?: string[] }>;
  /** A record found by record id or dedup key: update it (default), skip it, or fail the row (DUPLICATE_RECORD). */
  onExisting?: 'update' | 'skip' | 'error';
  /** Called after each batch with the number of rows read so far. */
  onProgress?: (rowsDone: number) => void;
  /** Rows a transaction takes (default 1,000, 1–10,000). */
  batchSize?: number;
  /** Default `{ type: 'IMPORT' }`. */
  source?: Source;
}

/**
 * One problem of a failed row.
 *
 * @example
 * const problem: ImportRowError = { row: 3, column: 'Email', code: 'INVALID_EMAIL', message: 'email: "ana@" is not a valid email address' };
 */
export interface ImportRowError {
  /** The row's number, counting data rows from 1 (a CSV's header line is not a row). */
  row: number;
  /** The source column to blame, when one is. */
  column?: string;
  /** A property issue's code (INVALID_EMAIL, …) or the CrmError's code (DUPLICATE_RECORD, …). */
  code: string;
  message: string;
}

/**
 * What an import did, counted by rows: a row is `created` when it created a record, else
 * `updated` when it changed one, else `skipped`; `failed` rows wrote nothing.
 *
 * @example
 * const { created, failed, errors } = await crm.import(rows, options);
 */
export interface ImportResult {
  created: number;
  updated: number;
  skipped: number;
  failed: number;
  /** Every problem of every failed row, in row order. */
  errors: ImportRowError[];
  /** The failed rows as a CSV: their columns, then the row number, column, code and message of each row's first problem. */
  errorCsv(): string;
}

// ---------------------------------------------------------------- pipelines

/**
 * What a stage says about the records in it. Every stage answers `isClosed`; deal stages carry a
 * `probability` (0.0 to 1.0 in steps of 0.1; 1.0 is closed won, 0.0 closed lost) and are closed
 * exactly at 0.0 and 1.0; ticket stages a `ticketState` (closed when CLOSED); other types set
 * `isClosed` themselves (default false). A probability may be given as a numeric string ('0.2').
 *
 * @example
 * const won: PipelineStageMetadata = { probability: 1, isClosed: true };
 */
export interface PipelineStageMetadata {
  probability?: number;
  ticketState?: 'OPEN' | 'CLOSED';
  isClosed?: boolean;
}

/**
 * A stage to create. `id` (lowercase letters, digits, `_` and `-`, unique within the object type,
 * never reused) is derived from the label when omitted ('Closed won' → 'closed_won'); without a
 * `displayOrder` a stage goes after the ones before it.
 *
 * @example
 * const stage: PipelineStageInput = { label: 'Negotiation', metadata: { probability: 0.7 } };
 */
export interface PipelineStageInput {
  id?: string;
  label: string;
  displayOrder?: number;
  /** The given form: a deal stage's probability may be a numeric string. */
  metadata?: Omit<PipelineStageMetadata, 'probability'> & { probability?: number | string };
}

/**
 * A stage as answered.
 *
 * @example
 * const stage: PipelineStage = await crm.pipelines.getStage('deals', 'default', 'closedwon');
 */
export interface PipelineStage {
  id: string;
  label: string;
  displayOrder: number;
  metadata: PipelineStageMetadata & { isClosed: boolean };
  createdAt: string;
  updatedAt: string;
  archived: boolean;
}

/**
 * A pipeline to create: a label, one or more stages (at most 100 for deals, tickets and custom
 * objects, 30 for the others), an optional id (derived from the label when omitted) and display
 * order (after the type's other pipelines when omitted).
 *
 * @example
 * await crm.pipelines.create('deals', { label: 'Renewals', stages: [
 *   { label: 'Up for renewal', metadata: { probability: 0.5 } },
 *   { label: 'Renewed', metadata: { probability: 1 } },
 *   { label: 'Churned', metadata: { probability: 0 } },
 * ] });
 */
export interface PipelineInput {
  id?: string;
  label: string;
  displayOrder?: number;
  stages: PipelineStageInput[];
}

/**
 * A pipeline as answered: its live stages by display order, ties by label.
 *
 * @example
 * const { stages } = (await crm.pipelines.get('tickets', '0'))!;
 */
export interface Pipeline {
  id: string;
  /** The object type's name ('deals', 'tickets', …). */
  objectType: string;
  label: string;
  displayOrder: number;
  stages: PipelineStage[];
  createdAt: string;
  updatedAt: string;
  archived: boolean;
}

/**
 * What `pipelines.update` may change (the id never changes).
 *
 * @example
 * await crm.pipelines.update('deals', 'renewals', { label: 'Renewals (2027)' });
 */
export interface PipelinePatch {
  label?: string;
  displayOrder?: number;
}

/**
 * What `pipelines.updateStage` may change; new metadata recomputes the derived values of the
 * records in the stage, in the same call.
 *
 * @example
 * await crm.pipelines.updateStage('deals', 'default', 'contractsent', { metadata: { probability: 0.8 } });
 */
export interface PipelineStagePatch {
  label?: string;
  displayOrder?: number;
  metadata?: PipelineStageInput['metadata'];
}

// ---------------------------------------------------------------- events

/**
 * A change, delivered to `crm.subscribe` listeners after the transaction that made it commits.
 * `type` is one of 'record.created', 'record.updated', 'record.archived', 'record.restored',
 * 'record.purged', 'schema.changed'.
 *
 * @example
 * crm.subscribe((event) => { if (event.type === 'record.created') console.log(event.id); });
 */
export type ChangeEvent =
  | { type: 'record.created'; objectType: string; id: string; record: CrmRecord; source: Source }
  | {
      type: 'record.updated';
      objectType: string;
      id: string;
      record: CrmRecord;
      /** The properties that changed, with their new values (`null`: cleared). */
      changes: Properties;
      source: Source;
    }
  | { type: 'record.archived'; objectType: string; id: string; source: Source }
  | { type: 'record.restored'; objectType: string; id: string; record: CrmRecord; source: Source }
  | { type: 'record.purged'; objectType: string; id: string; source: Source }
  | { type: 'record.merged'; objectType: string; id: string; mergedId: string; record: CrmRecord; source: Source }
  | {
      type: 'association.created' | 'association.removed' | 'association.relabelled';
      from: RecordRef;
      to: RecordRef;
      /** Labels seen from `from`, before and after. */
      labelsBefore: string[];
      labelsAfter: string[];
      source: Source;
    }
  | { type: 'schema.changed'; objectType: string; change: string };

// ---------------------------------------------------------------- options

/**
 * Makes record ids; must return a fresh, non-empty string each call. `fork()`, when present,
 * answers an independent copy that goes on from this one's state: `crm.fork()` gives the fork
 * that copy, so each fork of one base hands out the same next id whatever the other forks did
 * (`sequentialIds` from 'crmkit/testing' has one). A plain function has no state crmkit can copy,
 * so a parent and its forks share it: each id it hands out goes to whichever CRM asks first.
 *
 * @example
 * let n = 0;
 * const ids: IdGenerator = () => String(++n);
 * const counter = (next: number): IdGenerator => Object.assign(() => String(next++), { fork: () => counter(next) });
 * const forkable: IdGenerator = counter(1);
 */
export type IdGenerator = (() => string) & { fork?(): IdGenerator };

/**
 * Tells the time; crmkit reads it once per call. `fork()`, when present, answers an independent
 * copy that goes on from this clock's state, as for {@link IdGenerator} (`steppingClock` and
 * `fixedClock` from 'crmkit/testing' have one); a plain function is shared by a parent and its forks.
 *
 * @example
 * const clock: Clock = () => new Date('2026-01-01T00:00:00Z');
 * const stepping = (at: number): Clock => Object.assign(() => new Date((at += 1_000)), { fork: () => stepping(at) });
 */
export type Clock = (() => Date) & { fork?(): Clock };

// ---------------------------------------------------------------- search

/**
 * A search operator, with HubSpot's meaning for each property type (docs/search.md).
 *
 * @example
 * const operator: Operator = 'CONTAINS_TOKEN';
 */
export type Operator =
  | 'EQ'
  | 'NEQ'
  | 'LT'
  | 'LTE'
  | 'GT'
  | 'GTE'
  | 'BETWEEN'
  | 'IN'
  | 'NOT_IN'
  | 'HAS_PROPERTY'
  | 'NOT_HAS_PROPERTY'
  | 'CONTAINS_TOKEN'
  | 'NOT_CONTAINS_TOKEN';

/**
 * A time relative to the clock, as a signed ISO-8601 duration: `{ relative: '-P90D' }` is 90
 * days ago, `{ relative: 'P7D' }` 7 days ahead, `{ relative: 'PT0S' }` now. For date and
 * datetime filters, so that saved filters stay current; a date property compares with the
 * UTC day of that time.
 *
 * @example
 * // Not contacted in 90 days:
 * const filter: PropertyFilter = { propertyName: 'hs_last_activity_date', operator: 'LT', value: { relative: '-P90D' } };
 */
export interface RelativeTime {
  relative: string;
}

/**
 * A filter value: typed (a number for a number property, 'YYYY-MM-DD' or epoch milliseconds
 * for a date, `true` for a boolean) or as HubSpot sends it, a string.
 *
 * @example
 * const value: FilterValue = { relative: '-P7D' };
 */
export type FilterValue = string | number | boolean | RelativeTime;

/**
 * A condition on one property. `value` for the comparisons and tokens, `value` and `highValue`
 * for BETWEEN, `values` for IN and NOT_IN, none for HAS_PROPERTY and NOT_HAS_PROPERTY.
 *
 * @example
 * const open: PropertyFilter = { propertyName: 'amount', operator: 'BETWEEN', value: 1000, highValue: 5000 };
 */
export interface PropertyFilter {
  propertyName: string;
  operator: Operator;
  value?: FilterValue;
  values?: FilterValue[];
  highValue?: FilterValue;
}

/**
 * A condition on a record's associations to `toType` records: associated with the record `id`;
 * or whose associated records match `filters` — any of them (`match: 'any'`, the default) or
 * all of them (`'all'`, with at least one); only the primary company (`primary: true`), or only
 * associations under `label` (one name, or any of several; names seen from the searched record).
 *
 * @example
 * // Contacts whose primary company builds software:
 * const filter: AssociationFilter = { association: { toType: 'companies', primary: true,
 *   filters: [{ propertyName: 'industry', operator: 'EQ', value: 'COMPUTER_SOFTWARE' }] } };
 */
export interface AssociationFilter {
  association: {
    toType: string;
    id?: string;
    primary?: boolean;
    label?: string | string[];
    match?: 'any' | 'all';
    filters?: Filter[];
  };
}

/**
 * Members of a segment of the same object type (segments arrive with the segments issue; until
 * then a search naming one is VALIDATION_ERROR).
 *
 * @example
 * const filter: SegmentFilter = { segment: { id: 'vip' } };
 */
export interface SegmentFilter {
  segment: { id: string };
}

/**
 * One condition of a filter group.
 *
 * @example
 * const filter: Filter = { propertyName: 'lifecyclestage', operator: 'EQ', value: 'customer' };
 */
export type Filter = PropertyFilter | AssociationFilter | SegmentFilter;

/**
 * A segment (HubSpot's list) of one object type's records. An active segment's members are the
 * live records its filter matches at each read; a static segment's are the records put in it
 * (by its filter when it was made, then by `segments.add` and `segments.remove`). An archived
 * record leaves both kinds; restored, it is back in an active segment whose filter it matches.
 *
 * @example
 * const segment: Segment = await crm.segments.create({ name: 'Leads', objectType: 'contacts', kind: 'active', filter: { filterGroups: [{ filters: [{ propertyName: 'lifecyclestage', operator: 'EQ', value: 'lead' }] }] } });
 */
export interface Segment {
  /** A number as a string, counting up from '1'; never reused. */
  readonly id: string;
  readonly name: string;
  readonly objectType: string;
  readonly kind: 'active' | 'static';
  /** An active segment's filter (a static one keeps none). */
  readonly filter?: FilterSpec;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/**
 * What `segments.create` takes. An active segment needs `filter`; a static one's filter, when
 * given, chooses its first members (the live records matching it then).
 *
 * @example
 * const input: SegmentInput = { name: 'Conference list', objectType: 'contacts', kind: 'static' };
 */
export interface SegmentInput {
  name: string;
  objectType: string;
  kind: 'active' | 'static';
  filter?: FilterSpec;
}

/**
 * What `views.create` takes: an index page's saved view.
 *
 * @example
 * const input: ViewInput = { name: 'Big deals', objectType: 'deals', sorts: [{ propertyName: 'amount', direction: 'DESCENDING' }], properties: ['dealname', 'amount'] };
 */
export interface ViewInput {
  name: string;
  objectType: string;
  filter?: FilterSpec;
  sorts?: Sort[];
  properties?: string[];
}

/**
 * A saved view: a named filter with sorts and the properties to show, run as a search.
 *
 * @example
 * const view: View = await crm.views.create({ name: 'Big deals', objectType: 'deals' });
 */
export interface View {
  /** A number as a string, counting up from '1'; never reused. */
  readonly id: string;
  readonly name: string;
  readonly objectType: string;
  readonly filter?: FilterSpec;
  readonly sorts?: readonly Sort[];
  readonly properties?: readonly string[];
  readonly createdAt: string;
  readonly updatedAt: string;
}

/**
 * Filters that must all hold; a search's groups are alternatives (OR of ANDs).
 *
 * @example
 * const group: FilterGroup = { filters: [{ propertyName: 'amount', operator: 'GT', value: 0 }] };
 */
export interface FilterGroup {
  filters: Filter[];
}

/**
 * A sort key of a search; ties are broken by record id, and records without a value come last
 * in either direction.
 *
 * @example
 * const sort: Sort = { propertyName: 'createdate', direction: 'DESCENDING' };
 */
export interface Sort {
  propertyName: string;
  direction: 'ASCENDING' | 'DESCENDING';
}

/**
 * A search, in HubSpot's request shape: `filterGroups` (OR of ANDs; none: every live record),
 * `query` (words matched against the object's searchable properties), `sorts` (default: oldest
 * first), `properties` (only these, plus `hs_object_id`, `createdate` and the modified date;
 * default all), `limit` (default 100, at most 1,000) and `after` (a cursor from the last page).
 *
 * @example
 * await crm.records.search('deals', {
 *   filterGroups: [{ filters: [{ propertyName: 'dealstage', operator: 'EQ', value: 'closedwon' }] }],
 *   sorts: [{ propertyName: 'amount', direction: 'DESCENDING' }],
 *   limit: 10,
 * });
 */
export interface SearchRequest {
  filterGroups?: FilterGroup[];
  sorts?: Sort[];
  query?: string;
  properties?: string[];
  limit?: number;
  after?: string;
}

/**
 * A page of search results with the number of records that match in all.
 *
 * @example
 * const { total, results, paging } = await crm.records.search('contacts', { query: 'ann' });
 */
export interface SearchResult extends Page<CrmRecord> {
  total: number;
}

/**
 * A filter without paging, for `records.count` (and segments and reports later).
 *
 * @example
 * await crm.records.count('contacts', { filterGroups: [{ filters: [{ propertyName: 'lifecyclestage', operator: 'EQ', value: 'lead' }] }] });
 */
export interface FilterSpec {
  filterGroups: FilterGroup[];
}

/**
 * What a report groups records by: a property's value (`{ property }`), the labels of their
 * associations to another type (`{ associationLabel: { toType } }`: a record counts once under
 * each of its labels, under `'unlabelled'` when none of its associations carries one, and not at
 * all without an association), or a property of their primary company
 * (`{ primaryCompany: { property } }`). docs/reports.md has the rules.
 *
 * @example
 * const byStage: AggregateDimension = { property: 'dealstage' };
 * const byRole: AggregateDimension = { associationLabel: { toType: 'contacts' } };
 * const byIndustry: AggregateDimension = { primaryCompany: { property: 'industry' } };
 */
export type AggregateDimension = { property: string } | { associationLabel: { toType: string } } | { primaryCompany: { property: string } };

/**
 * A report: the live records matching `filter` (all of them without one), counted by one or two
 * dimensions, and with `sum` the sum of that number property in each bucket.
 *
 * @example
 * await crm.records.aggregate('deals', {
 *   filter: { filterGroups: [{ filters: [{ propertyName: 'pipeline', operator: 'EQ', value: 'default' }] }] },
 *   groupBy: { property: 'dealstage' },
 *   sum: 'amount',
 * });
 */
export interface AggregateRequest {
  filter?: FilterSpec;
  groupBy: AggregateDimension | [AggregateDimension] | [AggregateDimension, AggregateDimension];
  /** Sum this number property in each bucket (besides counting). */
  sum?: string;
}

/**
 * One bucket of a report: its value on each dimension (`keys`, as text: `''` for no value,
 * `'unlabelled'` for associations without a label; `key` is the first), how many records it
 * holds, and the sum when the request asked for one.
 *
 * @example
 * const bucket: AggregateBucket = { key: 'closedwon', keys: ['closedwon'], count: 12, sum: 48_000 };
 */
export interface AggregateBucket {
  key: string;
  keys: string[];
  count: number;
  sum?: number;
}

/**
 * A report's answer: its buckets, the largest first (ties by their keys in code-point order, no
 * value last).
 *
 * @example
 * const { buckets } = await crm.records.aggregate('contacts', { groupBy: { property: 'lifecyclestage' } });
 * buckets[0]; // { key: 'lead', keys: ['lead'], count: 120 }
 */
export interface AggregateResult {
  buckets: AggregateBucket[];
}
