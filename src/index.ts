// The public surface of 'crmkit'. Nothing else is public: what is not exported here may change
// in any release.
export { createCrm } from './crm.js';
export type { Associations, Commerce, CreateCrmOptions, Crm, CrmTransaction, Pipelines, Records, Schema, Segments, Views } from './crm.js';
export { FREE_MAIL_DOMAINS } from './associations/free-mail.js';
export { CrmError, isCrmError } from './errors.js';
export type {
  CrmErrorCode,
  CrmErrorConstructor,
  CrmErrorDetails,
  CrmErrorDetailsBase,
  CrmErrorDetailsByCode,
  CrmErrorInit,
  CrmErrorOf,
  DuplicateConflict,
  IssuePath,
  StorageErrorDetails,
  ValidationIssue,
  ValidationIssueBase,
  ValidationIssueCode,
  ValidationIssueFacts,
} from './errors.js';
export { MemoryStorage, memoryStorage } from './storage/memory.js';
export type { MemorySnapshot } from './storage/memory.js';
export type {
  Awaitable,
  EdgeEnds,
  EdgeHistoryEntry,
  EdgePage,
  EdgePageRequest,
  EdgeScanRequest,
  HistoryEntry,
  KeyClaim,
  KeyConflict,
  ScanRequest,
  ScanResult,
  Storage,
  StorageTx,
  StoredEdge,
  StoredRecord,
} from './storage/types.js';
export { normaliseDomain, normaliseEmail } from './schema/values.js';
export { inverseEdge } from './storage/edges.js';
// For adapters, through 'crmkit/storage' (which re-exports them from here, so there is one copy).
export { edgePageScope, invalidStorageCursor, StorageCursors } from './storage/cursor.js';
export type { CursorPosition, CursorShape, StorageCursorKind } from './storage/cursor.js';
export type * from './types.js';
// Search plans and their reference evaluator: adapters run plans (through 'crmkit/storage').
export {
  compareText,
  comparePositions,
  compareValues,
  evaluateSearch,
  foldCase,
  matches,
  pageOf,
  positionOf,
  sortValue,
  tokenMatches,
  tokensOf,
} from './storage/evaluate.js';
export type { PlanGraph } from './storage/evaluate.js';
// Static lists on any storage (its own primitives, else metadata documents).
export { listsIn } from './storage/lists.js';
export type { Lists } from './storage/lists.js';
export { bucketsOf, evaluateAggregate, ExactSum } from './storage/aggregate.js';
export type {
  AggregateAnswer,
  AggregatePlan,
  AssociationPredicate,
  CompareOp,
  PlanBucket,
  PlanDimension,
  PlanPosition,
  PlanProperty,
  PlanSort,
  PlanValue,
  PlanValueType,
  Predicate,
  SearchExplanation,
  SearchPage,
  SearchPlan,
} from './storage/plan.js';
