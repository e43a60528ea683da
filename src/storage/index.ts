// 'crmkit/storage': what an adapter author needs, without the rest of crmkit's surface: the
// seam's types, the edge helpers, the one storage cursor codec, the tenant check, the memory
// adapter (the reference) and CrmError. docs/adapters.md explains the contract.
//
// Everything the engine also uses is re-exported from 'crmkit' rather than from its file: in the
// build this entry is a bundle of its own that imports 'crmkit' as an external, so there is one
// copy of each (an adapter's `new CrmError(...)` is the engine's CrmError, and `instanceof`
// holds across every subpath). Only what the engine never uses is written here.
import { CrmError } from 'crmkit';

export {
  bucketsOf,
  compareText,
  comparePositions,
  compareValues,
  CrmError,
  edgePageScope,
  evaluateAggregate,
  evaluateSearch,
  ExactSum,
  foldCase,
  matches,
  pageOf,
  positionOf,
  sortValue,
  tokenMatches,
  tokensOf,
  inverseEdge,
  invalidStorageCursor,
  isCrmError,
  listsIn,
  MemoryStorage,
  memoryStorage,
  StorageCursors,
} from 'crmkit';
export type {
  AggregateAnswer,
  AggregatePlan,
  AssociationPredicate,
  Awaitable,
  CompareOp,
  PlanBucket,
  PlanDimension,
  PlanGraph,
  PlanPosition,
  PlanProperty,
  PlanSort,
  PlanValue,
  PlanValueType,
  Predicate,
  SearchExplanation,
  SearchPage,
  SearchPlan,
  CrmErrorCode,
  CrmErrorDetails,
  CrmRecord,
  CursorPosition,
  CursorShape,
  EdgeEnds,
  EdgeHistoryEntry,
  EdgePage,
  EdgePageRequest,
  EdgeScanRequest,
  HistoryEntry,
  KeyClaim,
  KeyConflict,
  Lists,
  MemorySnapshot,
  ScanRequest,
  ScanResult,
  Source,
  SourceType,
  Storage,
  StorageCursorKind,
  StorageTx,
  StoredEdge,
  StoredRecord,
  StorageErrorDetails,
  ValidationIssue,
} from 'crmkit';

/**
 * The longest tenant name {@link checkTenant} accepts.
 *
 * @example
 * import { TENANT_MAX_LENGTH } from 'crmkit/storage';
 * TENANT_MAX_LENGTH; // 200
 */
export const TENANT_MAX_LENGTH = 200;

/** Control characters (C0, DEL, C1): NUL cannot be stored by PostgreSQL, and none belongs in a name. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * What is wrong with `tenant` as a tenant name, or `undefined` when it is a good one: 1 to
 * {@link TENANT_MAX_LENGTH} characters of well-formed Unicode without control characters. A
 * tenant is stored as text and compared byte for byte, so it must be text every database keeps
 * exactly: PostgreSQL stores a lone surrogate as U+FFFD (so 'x\ud800' and 'x\udfff' would name
 * one tenant) and cannot store NUL.
 *
 * @example
 * tenantProblem('acme'); // undefined
 * tenantProblem('');     // 'tenant must have 1 to 200 characters, got 0'
 */
export function tenantProblem(tenant: unknown): string | undefined {
  if (typeof tenant !== 'string') return `tenant must be a string, got ${tenant === null ? 'null' : typeof tenant}`;
  if (tenant.length === 0 || tenant.length > TENANT_MAX_LENGTH) return `tenant must have 1 to ${TENANT_MAX_LENGTH} characters, got ${tenant.length}`;
  if (LONE_SURROGATE.test(tenant)) return 'tenant must be well-formed Unicode (it holds a lone surrogate)';
  if (CONTROL.test(tenant)) return 'tenant must not contain control characters (NUL, line breaks, ...)';
  return undefined;
}

/**
 * The tenant name to use, or a VALIDATION_ERROR (issue INVALID_ARGUMENT, property 'tenant')
 * naming what is wrong ({@link tenantProblem}); `subject` names the caller in the message.
 *
 * @example
 * import { checkTenant } from 'crmkit/storage';
 * const tenant = checkTenant(options.tenant ?? 'default', 'myStorage'); // 'default'
 */
export function checkTenant(tenant: unknown, subject: string): string {
  const problem = tenantProblem(tenant);
  if (problem === undefined) return tenant as string;
  throw new CrmError('VALIDATION_ERROR', `${subject}: ${problem}`, {
    issues: [{ code: 'INVALID_ARGUMENT', property: 'tenant', message: problem }],
  });
}
