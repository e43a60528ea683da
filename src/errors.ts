// Every failure crmkit reports is a CrmError: a stable code, a message naming the culprit, and
// the facts in `details`. docs/errors.md lists every code.

/**
 * The stable code of a {@link CrmError}.
 *
 * @example
 * if (error instanceof CrmError && error.code === 'DUPLICATE_RECORD') { ... }
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
  | 'CONFLICT'
  | 'STORAGE_ERROR'
  | 'UNKNOWN_PIPELINE'
  | 'UNKNOWN_STAGE'
  | 'PIPELINE_IN_USE'
  | 'STAGE_IN_USE';

/**
 * The code of one problem inside a VALIDATION_ERROR. Record writes use the first group
 * (HubSpot's per-property codes); definitions and call arguments the second.
 *
 * @example
 * error.details.issues?.map((issue) => issue.code); // ['INVALID_EMAIL', 'INVALID_OPTION']
 */
export type ValidationIssueCode =
  // values written to records
  | 'PROPERTY_DOESNT_EXIST'
  | 'READ_ONLY_VALUE'
  | 'REQUIRED'
  | 'TOO_LONG'
  | 'INVALID_STRING'
  | 'INVALID_NUMBER'
  | 'INVALID_BOOLEAN'
  | 'INVALID_DATE'
  | 'INVALID_DATETIME'
  | 'INVALID_OPTION'
  | 'INVALID_EMAIL'
  | 'INVALID_DOMAIN'
  | 'EMAIL_BLOCKED'
  | 'INVALID_PROPERTIES'
  // definitions and arguments
  | 'INVALID_NAME'
  | 'RESERVED_NAME'
  | 'INVALID_FIELD_TYPE'
  | 'DUPLICATE_OPTION'
  | 'OPTIONS_NOT_ALLOWED'
  | 'UNIQUE_NOT_ALLOWED'
  | 'UNIQUE_PROPERTY_LIMIT'
  | 'UNKNOWN_GROUP'
  | 'PROPERTY_IN_USE'
  | 'NOT_A_UNIQUE_PROPERTY'
  | 'INVALID_CURSOR'
  | 'INVALID_ID'
  | 'INVALID_ARGUMENT'
  | 'UNKNOWN_OPTION'
  | 'CRM_IN_TRANSACTION'
  // associations
  | 'INVALID_LABEL'
  | 'LIMIT_EXCEEDS_PAIR'
  | 'MERGE_WITH_ITSELF';

/**
 * One problem inside a VALIDATION_ERROR: what is wrong (`code`), where (`property`, and
 * `index` for the input of a batch), and a message that names the culprit.
 *
 * @example
 * { code: 'INVALID_OPTION', property: 'lifecyclestage', index: 3, message: '...' }
 */
export interface ValidationIssue {
  code: ValidationIssueCode;
  /** The property (or argument field) at fault. */
  property?: string;
  /** The position of the input in a batch call (createMany). */
  index?: number;
  /** Where in a nested argument the problem is (definitions: ['properties', 2, 'name']). */
  path?: (string | number)[];
  message: string;
  /** Extra facts, e.g. `allowed` options, `maxLength`, `oneOf`. */
  [key: string]: unknown;
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
 * The facts of a {@link CrmError}. Which fields are present depends on the code
 * (docs/errors.md).
 *
 * @example
 * error.details.existingId; // for DUPLICATE_RECORD
 */
export interface CrmErrorDetails {
  issues?: ValidationIssue[];
  existingId?: string;
  count?: number;
  conflicts?: DuplicateConflict[];
  objectType?: string;
  property?: string;
  id?: string;
  cause?: unknown;
  /**
   * STORAGE_ERROR from a SQL adapter: 'rolled_back' when the call wrote nothing, 'unknown'
   * (PostgreSQL) when the connection was lost after COMMIT was sent, so it may have committed.
   */
  outcome?: 'rolled_back' | 'unknown';
  /** VALIDATION_ERROR: how many issues there were in all; `issues` lists the first {@link MAX_LISTED_ISSUES}. */
  issueCount?: number;
  [key: string]: unknown;
}

/**
 * The error every crmkit call rejects with. Nothing was written when it is thrown.
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
export class CrmError extends Error {
  readonly code: CrmErrorCode;
  readonly details: CrmErrorDetails;

  constructor(code: CrmErrorCode, message: string, details: CrmErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'CrmError';
    this.code = code;
    this.details = details;
  }
}

/**
 * Whether `error` is a {@link CrmError}, optionally with the given code.
 *
 * @example
 * if (isCrmError(error, 'NOT_FOUND')) return undefined;
 */
export function isCrmError(error: unknown, code?: CrmErrorCode): error is CrmError {
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
export function validationError(issues: ValidationIssue[], subject?: string, total = issues.length): CrmError {
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
  error(subject?: string): CrmError {
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
