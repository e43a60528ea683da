// Every failure crmkit reports is a CrmError: a stable code, a message naming the culprit, and
// the facts in `details`. docs/errors.md lists every code.

/**
 * The stable code of a {@link CrmError}. Narrowing the code narrows the error's `details`
 * (see {@link CrmErrorDetailsByCode}).
 *
 * @example
 * if (error instanceof CrmError && error.code === 'DUPLICATE_RECORD') error.details.existingId;
 */
export type CrmErrorCode =
  | 'VALIDATION_ERROR'
  | 'UNKNOWN_OBJECT_TYPE'
  | 'UNKNOWN_PROPERTY'
  | 'OBJECT_NOT_ACTIVE'
  | 'DUPLICATE_RECORD'
  | 'NOT_FOUND'
  | 'ARCHIVED'
  | 'READ_ONLY_PROPERTY'
  | 'IMMUTABLE'
  | 'LABEL_EXISTS'
  | 'UNKNOWN_LABEL'
  | 'LABEL_LIMIT'
  | 'LABEL_IN_USE'
  | 'ASSOCIATION_NOT_ALLOWED'
  | 'ASSOCIATION_LIMIT'
  | 'ASSOCIATION_REQUIRED'
  | 'PRIMARY_REQUIRED'
  | 'PRIMARY_NOT_ALLOWED'
  | 'UNKNOWN_PIPELINE'
  | 'UNKNOWN_STAGE'
  | 'PIPELINE_IN_USE'
  | 'STAGE_IN_USE'
  | 'UNKNOWN_SEGMENT'
  | 'UNKNOWN_VIEW'
  | 'SEGMENT_IN_USE'
  | 'OBJECT_IN_USE'
  | 'ASSOCIATION_IN_USE'
  | 'CONFLICT'
  | 'STORAGE_ERROR';

/** A place inside a nested argument: keys and array positions (`['properties', 2, 'name']`). */
export type IssuePath = (string | number)[];

/**
 * What every {@link ValidationIssue} has, whatever its code: a message naming the culprit, and
 * where the problem is.
 *
 * @example
 * const where = (issue: ValidationIssueBase) => issue.path?.join('.') ?? issue.property;
 */
export interface ValidationIssueBase {
  message: string;
  /** The property (or argument field) at fault. */
  property?: string;
  /** The position of the input in a batch call (createMany, associateMany, …). */
  index?: number;
  /** Where in a nested argument the problem is (definitions: `['properties', 2, 'name']`). */
  path?: IssuePath;
}

/**
 * The facts each {@link ValidationIssueCode} adds to {@link ValidationIssueBase}: one entry per
 * code, so the codes and their shapes cannot drift apart. Record writes use the first group
 * (HubSpot's per-property codes); definitions and call arguments the others.
 *
 * @example
 * type TooLong = ValidationIssueFacts['TOO_LONG']; // { maxLength: number; length: number }
 */
export interface ValidationIssueFacts {
  // values written to records
  /** The object type has no such live property; `suggestion` is the nearest live one. */
  PROPERTY_DOESNT_EXIST: { suggestion?: string };
  READ_ONLY_VALUE: {};
  /** A required property is missing; `oneOf` when none of a "one of" group has a value. */
  REQUIRED: { oneOf?: string[] };
  TOO_LONG: { maxLength: number; length: number };
  INVALID_STRING: {};
  INVALID_NUMBER: {};
  INVALID_BOOLEAN: {};
  /** Dates and datetimes alike. */
  INVALID_DATE: {};
  /** `allowed`: every option value of the enumeration. */
  INVALID_OPTION: { allowed: string[] };
  INVALID_EMAIL: {};
  INVALID_DOMAIN: {};
  EMAIL_BLOCKED: {};
  INVALID_PROPERTIES: {};
  /** A number outside its rule's bounds (a line item's price, quantity, discount); `minExclusive`: the value must be above `min`. */
  OUT_OF_RANGE: { min?: number; max?: number; minExclusive?: boolean };
  /** A value that may not stand beside `conflictsWith`'s (a line item's unit discount and discount percentage). */
  CONFLICTING_VALUE: { conflictsWith: string };
  // definitions and arguments
  INVALID_NAME: {};
  RESERVED_NAME: {};
  INVALID_FIELD_TYPE: {};
  DUPLICATE_OPTION: {};
  OPTIONS_NOT_ALLOWED: {};
  UNIQUE_NOT_ALLOWED: {};
  UNIQUE_PROPERTY_LIMIT: { limit: number; count: number };
  UNKNOWN_GROUP: {};
  /** Archiving the default property group, or one holding live properties (`properties`: their names). */
  GROUP_IN_USE: { properties?: string[] };
  /** `segments` / `views`: the saved filters naming the property (archiving it would break them). */
  PROPERTY_IN_USE: { segments?: string[]; views?: string[] };
  NOT_A_UNIQUE_PROPERTY: {};
  INVALID_CURSOR: {};
  INVALID_ID: {};
  /** A malformed argument; `max` when a page `limit` is above the largest page. */
  INVALID_ARGUMENT: { max?: number };
  /** A key the argument does not take (`option`), the nearest valid one, every valid one, and the object holding it. */
  UNKNOWN_OPTION: { option: string; suggestion?: string; allowed: string[]; path: IssuePath };
  CRM_IN_TRANSACTION: {};
  // associations
  INVALID_LABEL: {};
  LIMIT_EXCEEDS_PAIR: {};
  MERGE_WITH_ITSELF: {};
  // pipelines
  /** The object type has no pipelines (contacts, companies, products, …). */
  PIPELINES_NOT_SUPPORTED: {};
  /** A stage label used twice in one pipeline. */
  DUPLICATE_LABEL: {};
  /** More stages in a pipeline, or pipelines in an object type, than `limit`. */
  LIMIT_REACHED: { limit: number };
  /** The last live stage of a pipeline, or the last live pipeline of an object type: it must stay. */
  LAST_REMAINING: {};
  // segments
  /** A filter naming a segment that does not exist. */
  UNKNOWN_SEGMENT: { segmentId: string };
  /** Active segments whose filters name each other round in a circle: `cycle` lists their ids, the first repeated last. */
  SEGMENT_CYCLE: { cycle: string[] };
}

/**
 * The code of one problem inside a VALIDATION_ERROR (docs/errors.md, "Validation issues").
 *
 * @example
 * error.details.issues.map((issue) => issue.code); // ['INVALID_EMAIL', 'INVALID_OPTION']
 */
export type ValidationIssueCode = keyof ValidationIssueFacts;

/**
 * One problem inside a VALIDATION_ERROR: what is wrong (`code`), where (`property`, `index` for
 * the input of a batch, `path` inside a nested argument), a message that names the culprit, and
 * the facts of its code. A union on `code`: checking the code narrows the facts.
 * `ValidationIssue<'INVALID_OPTION'>` is the issue of one code.
 *
 * @example
 * for (const issue of error.details.issues) {
 *   if (issue.code === 'INVALID_OPTION') console.log(issue.property, 'takes one of', issue.allowed);
 * }
 */
export type ValidationIssue<C extends ValidationIssueCode = ValidationIssueCode> = C extends ValidationIssueCode
  ? // A mapped type, so that editors show the issue flat ({ code; message; …; allowed }).
    { [K in keyof ({ code: C } & ValidationIssueBase & ValidationIssueFacts[C])]: ({ code: C } & ValidationIssueBase & ValidationIssueFacts[C])[K] }
  : never;

/**
 * The issue of `code` with its `facts`, at a place (`property`, `index`, `path`) and with a
 * message. For a code and facts that travel apart (a normaliser's refusal), the one place they
 * are put back together, so the facts of every code reach the caller.
 *
 * @example
 * issueOf('TOO_LONG', { maxLength: 65_536, length: 70_000 }, { property: 'bio', message: 'bio: too long' });
 */
export function issueOf<C extends ValidationIssueCode>(code: C, facts: ValidationIssueFacts[C] | undefined, at: ValidationIssueBase): ValidationIssue<C> {
  // TypeScript cannot relate a generic code to its facts; the signature is what holds them together.
  return { ...facts, code, ...at } as unknown as ValidationIssue<C>;
}

/**
 * One input of a batch that collides with an existing record or with another input.
 *
 * @example
 * { index: 4, property: 'email', value: 'a@b.com', conflictsWithIndex: 1 }
 */
export interface DuplicateConflict {
  index: number;
  /** The colliding record's id, when it already exists (turning a dedup key back on). */
  id?: string;
  /** The dedup key that collides (email, domain, or a unique property's name). */
  property: string;
  value: string;
  existingId?: string;
  conflictsWithIndex?: number;
}

/**
 * The `details` of each {@link CrmErrorCode}, as crmkit sets them: a field that is always there
 * is required, one that depends on the case is optional. Besides these, any code raised by one
 * item of a batch call (associateMany, removeMany, …) carries `index`, the item at fault
 * ({@link CrmErrorDetailsBase}). The shapes are closed: a later version may add optional fields
 * (docs/decisions/0010-typed-errors.md).
 *
 * @example
 * type Duplicate = CrmErrorDetailsByCode['DUPLICATE_RECORD']; // { objectType; existingId?; conflicts? }
 */
export interface CrmErrorDetailsByCode {
  /** `issues`: the first {@link MAX_LISTED_ISSUES} problems; `issueCount`: how many there were in all. */
  VALIDATION_ERROR: { issues: ValidationIssue[]; issueCount: number };
  /** `objectType`: what was given (described when not a string); `suggestion`: the type meant, for a near miss or a record passed as a type. */
  UNKNOWN_OBJECT_TYPE: { objectType: string; suggestion?: string };
  UNKNOWN_PROPERTY: { objectType: string; property: string };
  OBJECT_NOT_ACTIVE: { objectType: string };
  /**
   * `existingId`: the first existing record holding a key (absent when the inputs of a batch
   * only collide with each other); `conflicts`: every colliding input (absent for a merge).
   */
  DUPLICATE_RECORD: { objectType: string; existingId?: string; conflicts?: DuplicateConflict[] };
  /** A record: `objectType`, `id`. Two records not associated (unlabel): also `toType`, `toId`. */
  NOT_FOUND: { objectType: string; id: string; toType?: string; toId?: string };
  /** An archived record (`id`) or property definition (`property`). */
  ARCHIVED: { objectType: string; id?: string; property?: string; group?: string };
  READ_ONLY_PROPERTY: { objectType: string; property: string };
  /**
   * What cannot change: a property's `field` (or, for a HubSpot-defined property, its
   * `fields`), an object type's `field`, or a label's (`toType`, `label`, `field` when one).
   */
  IMMUTABLE: { objectType: string; property?: string; field?: string; fields?: string[]; toType?: string; label?: string };
  LABEL_EXISTS: { objectType: string; toType: string; label: string };
  /** `suggestion`: the internal name meant (a display label, a near miss, the other side's name). */
  UNKNOWN_LABEL: { objectType: string; toType: string; label: string; suggestion?: string };
  LABEL_LIMIT: { objectType: string; toType: string; limit: number };
  /** `associations` and `count`: how many associations (archived records' too) carry the label. */
  LABEL_IN_USE: { objectType: string; toType: string; label: string; associations: number; count: number; segments?: string[]; views?: string[] };
  /** A pair that may not associate (`toType`), or a record with itself (`id`, `reason: 'self'`). */
  ASSOCIATION_NOT_ALLOWED: { objectType: string; toType?: string; id?: string; reason?: 'self' };
  /** The record that would hold too many (`objectType`, `id`), of `toType`; `label` when a label's cap. */
  ASSOCIATION_LIMIT: { objectType: string; id: string; toType: string; limit: number; label?: string };
  /** Every record (`ids`) left without one of `anyOf`. */
  ASSOCIATION_REQUIRED: { objectType: string; ids: string[]; anyOf: string[] };
  PRIMARY_REQUIRED: { objectType: 'contacts'; id: string };
  PRIMARY_NOT_ALLOWED: { objectType: string; toType?: string };
  /** A crm.pipelines call naming a pipeline the object type does not have live. */
  UNKNOWN_PIPELINE: { objectType: string; pipelineId: string };
  /** A crm.pipelines call naming a stage the pipeline does not have live. */
  UNKNOWN_STAGE: { objectType: string; pipelineId: string; stageId: string };
  /** `count`: how many records (archived ones included) are in the pipeline. */
  PIPELINE_IN_USE: { objectType: string; pipelineId: string; count: number };
  /** `count`: how many records (archived ones included) are in the stage. */
  STAGE_IN_USE: { objectType: string; pipelineId: string; stageId: string; count: number };
  /** A crm.segments call naming a segment that does not exist. */
  UNKNOWN_SEGMENT: { segmentId: string };
  /** A crm.views call naming a view that does not exist. */
  UNKNOWN_VIEW: { viewId: string };
  /** A segment other saved filters name (`segments`, `views`): delete or change them first. */
  SEGMENT_IN_USE: { segmentId: string; segments: string[]; views: string[] };
  /**
   * Deleting a custom object type that still holds records (`records`: archived ones count) or
   * that saved filters name (`segments`, `views`: of its records, or reaching it by association).
   */
  OBJECT_IN_USE: { objectType: string; records: boolean; segments: string[]; views: string[] };
  /**
   * Removing a pair (`objectType` ↔ `toType`) that associations still join (`associations`: how
   * many, archived records' included) or saved filters cross (`segments`, `views`).
   */
  ASSOCIATION_IN_USE: { objectType: string; toType: string; associations: number; segments: string[]; views: string[] };
  /**
   * The name taken: an object type, a `property`, a property `group`, a `pipelineId` or a
   * `stageId` (archived ones included); or an `id` the id generator repeated.
   */
  CONFLICT: { objectType: string; property?: string; group?: string; id?: string; pipelineId?: string; stageId?: string };
  /** docs/errors.md and docs/storage.md say which adapter sets which field. */
  STORAGE_ERROR: StorageErrorDetails;
}

/**
 * The `details` of a STORAGE_ERROR. Every field is optional: the memory storage sets none, and
 * an adapter sets what it knows. An adapter's own facts belong in `cause` (the driver's error).
 *
 * @example
 * if (isCrmError(error, 'STORAGE_ERROR') && error.details.outcome === 'unknown') await checkThenRetry();
 */
export interface StorageErrorDetails {
  /** The driver's error. */
  cause?: unknown;
  /**
   * SQL adapters: 'rolled_back' when the call wrote nothing, 'unknown' (PostgreSQL) when the
   * connection was lost after COMMIT was sent, so it may have committed.
   */
  outcome?: 'rolled_back' | 'unknown';
  /** PostgreSQL: the SQLSTATE of the failure. */
  sqlState?: string;
  /** SQLite: the driver's code (`'SQLITE_BUSY'`, `'SQLITE_FULL'`, …). */
  code?: string;
  /** PostgreSQL: how many times a conflicting transaction was tried. */
  attempts?: number;
  /** A database at a newer crmkit schema `version` than this crmkit `supported`. */
  version?: number;
  supported?: number;
  /** SQLite's busy timeout: how long the call waited, the limit, and what it was doing. */
  waitedMs?: number;
  busyTimeoutMs?: number;
  doing?: string;
}

/**
 * What the `details` of every code may carry: `index`, the item of a batch call at fault.
 *
 * @example
 * if (isCrmError(error) && error.details.index !== undefined) console.log('pair', error.details.index);
 */
export interface CrmErrorDetailsBase {
  index?: number;
}

/**
 * The facts of a {@link CrmError} of code `C` (a union over the codes when `C` is left out).
 *
 * @example
 * const details: CrmErrorDetails<'NOT_FOUND'> = { objectType: 'contacts', id: '42' };
 */
export type CrmErrorDetails<C extends CrmErrorCode = CrmErrorCode> = C extends CrmErrorCode
  ? { [K in keyof (CrmErrorDetailsBase & CrmErrorDetailsByCode[C])]: (CrmErrorDetailsBase & CrmErrorDetailsByCode[C])[K] }
  : never;

/**
 * The `details` a {@link CrmError} is built with: those of its code, except that a
 * VALIDATION_ERROR's `issueCount` may be left out (it is then the number of `issues`).
 *
 * @example
 * new CrmError('VALIDATION_ERROR', 'bad tenant', { issues: [{ code: 'INVALID_ARGUMENT', property: 'tenant', message: 'empty' }] });
 */
export type CrmErrorInit<C extends CrmErrorCode = CrmErrorCode> = C extends 'VALIDATION_ERROR'
  ? { issues: ValidationIssue[]; issueCount?: number; index?: number }
  : CrmErrorDetails<C>;

/**
 * A {@link CrmError} of one code: `code` is `C` and `details` are that code's. Write
 * `CrmError<'NOT_FOUND'>` rather than this name.
 *
 * @example
 * const error: CrmErrorOf<'NOT_FOUND'> = new CrmError('NOT_FOUND', 'gone', { objectType: 'contacts', id: '42' });
 */
export interface CrmErrorOf<C extends CrmErrorCode> extends Error {
  readonly name: 'CrmError';
  readonly code: C;
  readonly details: CrmErrorDetails<C>;
}

/**
 * The error every crmkit call rejects with; nothing was written when it is thrown. A union on
 * `code`: checking the code (`===`, `switch`, {@link isCrmError}) narrows `details` to that
 * code's ({@link CrmErrorDetailsByCode}). `CrmError<'DUPLICATE_RECORD'>` is the error of one code.
 *
 * @example
 * try {
 *   await crm.records.create('contacts', { email: 'taken@example.com' });
 * } catch (error) {
 *   if (error instanceof CrmError && error.code === 'DUPLICATE_RECORD') {
 *     console.log('already there:', error.details.existingId);
 *   }
 * }
 */
export type CrmError<C extends CrmErrorCode = CrmErrorCode> = C extends CrmErrorCode ? CrmErrorOf<C> : never;

/**
 * The CrmError class: `new CrmError(code, message, details)` checks `details` against the
 * code's (adapters throw STORAGE_ERROR this way), and `instanceof CrmError` narrows to the union
 * {@link CrmError}. `details` may be left out when every field of the code's is optional.
 *
 * @example
 * throw new CrmError('STORAGE_ERROR', 'my storage: disk full', { cause: error, outcome: 'rolled_back' });
 */
export interface CrmErrorConstructor {
  new <C extends CrmErrorCode>(
    code: C,
    message: string,
    ...details: {} extends CrmErrorInit<C> ? [details?: CrmErrorInit<C>] : [details: CrmErrorInit<C>]
  ): CrmError<C>;
  readonly prototype: CrmError;
}

// One class at run time, whatever the code; its instance type is the union above. Named
// CrmError so that stack traces, `constructor.name` and `error.name` all say CrmError.
const CrmErrorClass = class CrmError extends Error {
  readonly code: CrmErrorCode;
  readonly details: { [key: string]: unknown };

  constructor(code: CrmErrorCode, message: string, details: { [key: string]: unknown } = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'CrmError';
    this.code = code;
    // Every VALIDATION_ERROR says how many issues it had, however it was built (an adapter
    // written in JavaScript may give anything: building the error must not fail).
    const issues = details.issues;
    this.details = code === 'VALIDATION_ERROR' && details.issueCount === undefined && Array.isArray(issues) ? { ...details, issueCount: issues.length } : details;
  }
};

/**
 * The error every crmkit call rejects with (see the {@link CrmError} type). One class: the
 * subpaths ('crmkit/storage', the adapters) use this one, so `instanceof` holds everywhere.
 *
 * @example
 * if (error instanceof CrmError && error.code === 'NOT_FOUND') return undefined;
 */
export const CrmError: CrmErrorConstructor = CrmErrorClass as unknown as CrmErrorConstructor;

/**
 * Whether `error` is a {@link CrmError}, optionally of the given code; narrows `details` to the
 * code's.
 *
 * @example
 * if (isCrmError(error, 'NOT_FOUND')) return undefined;
 * if (isCrmError(error, 'DUPLICATE_RECORD')) return error.details.existingId;
 */
export function isCrmError<C extends CrmErrorCode = CrmErrorCode>(error: unknown, code?: C): error is CrmError<C> {
  return error instanceof CrmError && (code === undefined || error.code === code);
}

/**
 * How many issues a VALIDATION_ERROR lists (`details.issues`); `details.issueCount` has the
 * total. A million bad properties cost a count, not a million issue objects.
 *
 * @example
 * error.details.issues!.length; // at most 100
 * error.details.issueCount;     // 1000000
 */
export const MAX_LISTED_ISSUES = 100;

/**
 * Builds the one VALIDATION_ERROR that reports every issue of a call: the first
 * {@link MAX_LISTED_ISSUES} listed, `total` (default: as many as given) in `details.issueCount`.
 *
 * @example
 * throw validationError([{ code: 'INVALID_ID', property: 'id', message: '42 is not a record id' }]);
 */
export function validationError(issues: ValidationIssue[], subject?: string, total = issues.length): CrmError<'VALIDATION_ERROR'> {
  const count = Math.max(total, issues.length);
  const listed = issues.length > MAX_LISTED_ISSUES ? issues.slice(0, MAX_LISTED_ISSUES) : issues;
  const first = listed[0];
  const more = count > 1 ? ` (and ${count - 1} more)` : '';
  const prefix = subject ? `${subject}: ` : '';
  return new CrmError('VALIDATION_ERROR', `${prefix}${first ? first.message : 'invalid input'}${more}`, { issues: listed, issueCount: count });
}

/**
 * Where a call collects its issues: it keeps the first {@link MAX_LISTED_ISSUES} and only
 * counts the rest. Collectors check {@link IssueList.listing} before building an issue, so a
 * huge bad input costs a counter past the cap, not an object (and a message) per problem.
 *
 * @example
 * const issues = new IssueList();
 * for (const name of names) {
 *   if (isBad(name)) issues.listing ? issues.add({ code: 'INVALID_NAME', message: `${name} ...` }) : issues.countOnly();
 * }
 * if (issues.length > 0) throw issues.error('defineObject');
 */
export class IssueList {
  /** The issues listed so far (at most {@link MAX_LISTED_ISSUES}). */
  readonly listed: ValidationIssue[] = [];
  private count = 0;

  /** Whether another issue would still be listed; past the cap, call {@link IssueList.countOnly} instead of building one. */
  get listing(): boolean {
    return this.listed.length < MAX_LISTED_ISSUES;
  }

  /** How many issues there are in all, listed or only counted. */
  get length(): number {
    return this.count;
  }

  /** Adds an issue (listed while there is room, counted either way). */
  add(issue: ValidationIssue): void {
    this.count++;
    if (this.listed.length < MAX_LISTED_ISSUES) this.listed.push(issue);
  }

  /** Counts an issue without building it (past the cap). */
  countOnly(count = 1): void {
    this.count += count;
  }

  /** The VALIDATION_ERROR reporting them, with the total in `details.issueCount`. */
  error(subject?: string): CrmError<'VALIDATION_ERROR'> {
    return validationError(this.listed, subject, this.count);
  }
}

/** A caller's value as a `details` field: strings (cut to 200 characters) as they are, anything else described. */
export function culprit(value: unknown): string {
  return typeof value === 'string' ? value.slice(0, 200) : describeValue(value);
}

/** Shortens a value for a message, so a 10 MB string never ends up in one. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') {
    return value.length > 60 ? `a string of ${value.length} characters` : JSON.stringify(value);
  }
  if (value === null) return 'null';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'an invalid Date' : `Date ${value.toISOString()}`;
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'function') return 'a function';
  return String(value);
}
