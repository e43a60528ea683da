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

/** Builds the one VALIDATION_ERROR that reports every issue of a call. */
export function validationError(issues: ValidationIssue[], subject?: string): CrmError {
  const first = issues[0];
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  const prefix = subject ? `${subject}: ` : '';
  return new CrmError('VALIDATION_ERROR', `${prefix}${first ? first.message : 'invalid input'}${more}`, { issues });
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
