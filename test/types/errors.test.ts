// Type tests for the error boundary: the codes, each code's details, narrowing by code, the
// constructor adapters use, and the validation issues. `tsc --noEmit` checks every assertion
// (a wrong type or an unused `@ts-expect-error` fails CI); vitest runs them too, on real errors.
import { describe, expectTypeOf, it } from 'vitest';
import { CrmError, isCrmError } from 'crmkit';
import type {
  CrmErrorCode,
  CrmErrorDetails,
  CrmErrorDetailsByCode,
  DuplicateConflict,
  IssuePath,
  StorageErrorDetails,
  ValidationIssue,
  ValidationIssueCode,
  ValidationIssueFacts,
} from 'crmkit';
import { CrmError as StorageCrmError, type StorageErrorDetails as SeamStorageErrorDetails } from 'crmkit/storage';

/** A value of the union type, so narrowing is what the test shows (not a literal's own type). */
const caught = (error: unknown): unknown => error;

describe('CrmErrorCode', () => {
  it('is the codes crmkit raises, and every code has its details', () => {
    expectTypeOf<CrmErrorCode>().toEqualTypeOf<
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
      | 'STORAGE_ERROR'
    >();
    expectTypeOf<keyof CrmErrorDetailsByCode>().toEqualTypeOf<CrmErrorCode>();
  });

  it('types the pipeline codes\' details', () => {
    expectTypeOf<CrmErrorDetailsByCode['STAGE_IN_USE']>().toEqualTypeOf<{ objectType: string; pipelineId: string; stageId: string; count: number }>();
    expectTypeOf<CrmErrorDetailsByCode['SEGMENT_IN_USE']>().toEqualTypeOf<{ segmentId: string; segments: string[]; views: string[] }>();
    // @ts-expect-error: count is required
    void new CrmError('PIPELINE_IN_USE', 'in use', { objectType: 'deals', pipelineId: 'default' });
  });
});

describe('details per code', () => {
  it('DUPLICATE_RECORD: the holder and every colliding input', () => {
    expectTypeOf<CrmErrorDetails<'DUPLICATE_RECORD'>>().toEqualTypeOf<{
      index?: number;
      objectType: string;
      existingId?: string;
      conflicts?: DuplicateConflict[];
    }>();
    expectTypeOf<DuplicateConflict>().toEqualTypeOf<{
      index: number;
      id?: string;
      property: string;
      value: string;
      existingId?: string;
      conflictsWithIndex?: number;
    }>();
  });

  it('NOT_FOUND: the record, and the other end when two records are not associated', () => {
    expectTypeOf<CrmErrorDetails<'NOT_FOUND'>>().toEqualTypeOf<{ index?: number; objectType: string; id: string; toType?: string; toId?: string }>();
  });

  it('VALIDATION_ERROR: the listed issues and how many there were', () => {
    expectTypeOf<CrmErrorDetails<'VALIDATION_ERROR'>>().toEqualTypeOf<{ index?: number; issues: ValidationIssue[]; issueCount: number }>();
  });

  it('ASSOCIATION_LIMIT: the record holding too many, the type, the cap and the label', () => {
    expectTypeOf<CrmErrorDetails<'ASSOCIATION_LIMIT'>>().toEqualTypeOf<{
      index?: number;
      objectType: string;
      id: string;
      toType: string;
      limit: number;
      label?: string;
    }>();
  });

  it("STORAGE_ERROR: what happened to the writes, the driver's facts, all optional", () => {
    expectTypeOf<CrmErrorDetails<'STORAGE_ERROR'>['outcome']>().toEqualTypeOf<'rolled_back' | 'unknown' | undefined>();
    expectTypeOf<CrmErrorDetails<'STORAGE_ERROR'>>().toEqualTypeOf<{
      index?: number;
      cause?: unknown;
      outcome?: 'rolled_back' | 'unknown';
      sqlState?: string;
      code?: string;
      attempts?: number;
      version?: number;
      supported?: number;
      waitedMs?: number;
      busyTimeoutMs?: number;
      doing?: string;
    }>();
    expectTypeOf<CrmErrorDetailsByCode['STORAGE_ERROR']>().toEqualTypeOf<StorageErrorDetails>();
    expectTypeOf<SeamStorageErrorDetails>().toEqualTypeOf<StorageErrorDetails>();
  });

  it('PRIMARY_REQUIRED is always about a contact', () => {
    expectTypeOf<CrmErrorDetails<'PRIMARY_REQUIRED'>['objectType']>().toEqualTypeOf<'contacts'>();
  });

  it('without a code, the details are the union of every code’s', () => {
    expectTypeOf<CrmErrorDetails>().toEqualTypeOf<CrmErrorDetails<CrmErrorCode>>();
    expectTypeOf<CrmErrorDetails<'NOT_FOUND'>>().toExtend<CrmErrorDetails>();
  });

  it('closed: a field of another code is not there', () => {
    const notFound = new CrmError('NOT_FOUND', 'gone', { objectType: 'contacts', id: '1' });
    // @ts-expect-error: existingId is DUPLICATE_RECORD's
    void notFound.details.existingId;
    const duplicate = new CrmError('DUPLICATE_RECORD', 'taken', { objectType: 'contacts', existingId: '1' });
    // @ts-expect-error: issues are VALIDATION_ERROR's
    void duplicate.details.issues;
    const limit = new CrmError('ASSOCIATION_LIMIT', 'full', { objectType: 'deals', id: 'd1', toType: 'contacts', limit: 1 });
    // @ts-expect-error: outcome is STORAGE_ERROR's
    void limit.details.outcome;
    const storage = new CrmError('STORAGE_ERROR', 'disk full');
    // @ts-expect-error: STORAGE_ERROR names no record
    void storage.details.objectType;
    // Unnarrowed, only what every code has can be read.
    const any = caught(duplicate) as CrmError;
    expectTypeOf(any.details.index).toEqualTypeOf<number | undefined>();
    // @ts-expect-error: which code? Check it first.
    void any.details.existingId;
  });
});

describe('narrowing the code narrows the details', () => {
  it('through instanceof and ===', () => {
    const error = caught(new CrmError('DUPLICATE_RECORD', 'taken', { objectType: 'contacts', existingId: '7', conflicts: [] }));
    if (error instanceof CrmError) {
      expectTypeOf(error).toEqualTypeOf<CrmError>();
      if (error.code === 'DUPLICATE_RECORD') {
        expectTypeOf(error.details.existingId).toEqualTypeOf<string | undefined>();
        expectTypeOf(error.details.conflicts).toEqualTypeOf<DuplicateConflict[] | undefined>();
      }
    }
  });

  it('through isCrmError with a code, and without one', () => {
    const error = caught(new CrmError('NOT_FOUND', 'gone', { objectType: 'contacts', id: '1' }));
    if (isCrmError(error, 'NOT_FOUND')) {
      expectTypeOf(error).toEqualTypeOf<CrmError<'NOT_FOUND'>>();
      expectTypeOf(error.code).toEqualTypeOf<'NOT_FOUND'>();
      expectTypeOf(error.details.id).toEqualTypeOf<string>();
    }
    if (isCrmError(error)) {
      expectTypeOf(error).toEqualTypeOf<CrmError>();
      if (error.code === 'VALIDATION_ERROR') expectTypeOf(error.details.issueCount).toEqualTypeOf<number>();
    }
  });

  it('through switch (error.code), exhaustively', () => {
    const describe = (error: CrmError): string => {
      switch (error.code) {
        case 'VALIDATION_ERROR':
          return error.details.issues.map((issue) => issue.code).join();
        case 'DUPLICATE_RECORD':
          return error.details.existingId ?? 'in the batch';
        case 'ASSOCIATION_LIMIT':
          return `${error.details.limit}`;
        case 'ASSOCIATION_REQUIRED':
          return error.details.ids.join();
        case 'LABEL_IN_USE':
          return `${error.details.associations}`;
        case 'STORAGE_ERROR':
          return error.details.outcome ?? 'no outcome';
        case 'UNKNOWN_OBJECT_TYPE':
        case 'UNKNOWN_PROPERTY':
        case 'OBJECT_NOT_ACTIVE':
        case 'NOT_FOUND':
        case 'ARCHIVED':
        case 'READ_ONLY_PROPERTY':
        case 'IMMUTABLE':
        case 'LABEL_EXISTS':
        case 'UNKNOWN_LABEL':
        case 'LABEL_LIMIT':
        case 'ASSOCIATION_NOT_ALLOWED':
        case 'PRIMARY_REQUIRED':
        case 'PRIMARY_NOT_ALLOWED':
        case 'UNKNOWN_PIPELINE':
        case 'UNKNOWN_STAGE':
        case 'PIPELINE_IN_USE':
        case 'STAGE_IN_USE':
        case 'OBJECT_IN_USE':
        case 'ASSOCIATION_IN_USE':
        case 'CONFLICT':
          return error.details.objectType;
        case 'UNKNOWN_SEGMENT':
        case 'SEGMENT_IN_USE':
          return error.details.segmentId;
        case 'UNKNOWN_VIEW':
          return error.details.viewId;
        default:
          // Every code is handled above: a new code fails this line until it is.
          return expectTypeOf(error).toBeNever() as never;
      }
    };
    describe(new CrmError('ASSOCIATION_REQUIRED', 'alone', { objectType: 'quotes', ids: ['q1'], anyOf: ['deals'] }));
  });

  it('CrmError<C> is a CrmError, and an Error', () => {
    expectTypeOf<CrmError<'NOT_FOUND'>>().toExtend<CrmError>();
    expectTypeOf<CrmError>().toExtend<Error>();
    expectTypeOf<CrmError<'NOT_FOUND' | 'ARCHIVED'>>().toEqualTypeOf<CrmError<'NOT_FOUND'> | CrmError<'ARCHIVED'>>();
  });
});

describe('the constructor', () => {
  it('takes the details of its code, and answers the error of that code', () => {
    expectTypeOf(new CrmError('STORAGE_ERROR', 'disk full', { cause: new Error('ENOSPC'), outcome: 'rolled_back' })).toEqualTypeOf<CrmError<'STORAGE_ERROR'>>();
    // The seam's CrmError is the same class.
    expectTypeOf(new StorageCrmError('STORAGE_ERROR', 'closed')).toEqualTypeOf<CrmError<'STORAGE_ERROR'>>();
    // A VALIDATION_ERROR may leave issueCount out: it is the number of issues.
    expectTypeOf(new CrmError('VALIDATION_ERROR', 'bad', { issues: [{ code: 'INVALID_ARGUMENT', message: 'bad' }] })).toEqualTypeOf<CrmError<'VALIDATION_ERROR'>>();
  });

  it('refuses details that are not the code’s', () => {
    // @ts-expect-error: NOT_FOUND says which record
    void new CrmError('NOT_FOUND', 'gone');
    // @ts-expect-error: not an outcome
    void new CrmError('STORAGE_ERROR', 'disk full', { outcome: 'maybe' });
    // @ts-expect-error: existingId is not a STORAGE_ERROR fact
    void new CrmError('STORAGE_ERROR', 'disk full', { existingId: '1' });
    // @ts-expect-error: a VALIDATION_ERROR has issues
    void new CrmError('VALIDATION_ERROR', 'bad', {});
    // @ts-expect-error: INVALID_OPTION lists what is allowed
    void new CrmError('VALIDATION_ERROR', 'bad', { issues: [{ code: 'INVALID_OPTION', message: 'bad' }] });
  });
});

describe('ValidationIssue', () => {
  it('has these codes, and INVALID_DATETIME is INVALID_DATE', () => {
    expectTypeOf<ValidationIssueCode>().toEqualTypeOf<keyof ValidationIssueFacts>();
    expectTypeOf<ValidationIssueCode>().toEqualTypeOf<
      | 'PROPERTY_DOESNT_EXIST'
      | 'READ_ONLY_VALUE'
      | 'REQUIRED'
      | 'TOO_LONG'
      | 'INVALID_STRING'
      | 'INVALID_NUMBER'
      | 'INVALID_BOOLEAN'
      | 'INVALID_DATE'
      | 'INVALID_OPTION'
      | 'INVALID_EMAIL'
      | 'INVALID_DOMAIN'
      | 'EMAIL_BLOCKED'
      | 'INVALID_PROPERTIES'
      | 'OUT_OF_RANGE'
      | 'CONFLICTING_VALUE'
      | 'INVALID_NAME'
      | 'RESERVED_NAME'
      | 'INVALID_FIELD_TYPE'
      | 'DUPLICATE_OPTION'
      | 'OPTIONS_NOT_ALLOWED'
      | 'UNIQUE_NOT_ALLOWED'
      | 'UNIQUE_PROPERTY_LIMIT'
      | 'UNKNOWN_GROUP'
      | 'GROUP_IN_USE'
      | 'PROPERTY_IN_USE'
      | 'NOT_A_UNIQUE_PROPERTY'
      | 'INVALID_CURSOR'
      | 'INVALID_ID'
      | 'INVALID_ARGUMENT'
      | 'UNKNOWN_OPTION'
      | 'CRM_IN_TRANSACTION'
      | 'INVALID_LABEL'
      | 'LIMIT_EXCEEDS_PAIR'
      | 'MERGE_WITH_ITSELF'
      | 'PIPELINES_NOT_SUPPORTED'
      | 'DUPLICATE_LABEL'
      | 'LIMIT_REACHED'
      | 'LAST_REMAINING'
      | 'UNKNOWN_SEGMENT'
      | 'SEGMENT_CYCLE'
    >();
  });

  it('is a union on code: each code with where it is and its own facts', () => {
    expectTypeOf<ValidationIssue<'INVALID_OPTION'>>().toEqualTypeOf<{
      code: 'INVALID_OPTION';
      message: string;
      property?: string;
      index?: number;
      path?: IssuePath;
      allowed: string[];
    }>();
    expectTypeOf<ValidationIssue<'TOO_LONG'>>().toEqualTypeOf<{
      code: 'TOO_LONG';
      message: string;
      property?: string;
      index?: number;
      path?: IssuePath;
      maxLength: number;
      length: number;
    }>();
    expectTypeOf<ValidationIssue<'UNKNOWN_OPTION'>>().toEqualTypeOf<{
      code: 'UNKNOWN_OPTION';
      message: string;
      property?: string;
      index?: number;
      path: IssuePath;
      option: string;
      suggestion?: string;
      allowed: string[];
    }>();
    expectTypeOf<ValidationIssue<'REQUIRED'>['oneOf']>().toEqualTypeOf<string[] | undefined>();
    expectTypeOf<ValidationIssue<'UNIQUE_PROPERTY_LIMIT'>>().toHaveProperty('limit').toEqualTypeOf<number>();
    expectTypeOf<ValidationIssue<'INVALID_EMAIL'>>().toEqualTypeOf<{ code: 'INVALID_EMAIL'; message: string; property?: string; index?: number; path?: IssuePath }>();
    expectTypeOf<ValidationIssue>().toEqualTypeOf<ValidationIssue<ValidationIssueCode>>();
  });

  it('narrows by code', () => {
    const error = new CrmError('VALIDATION_ERROR', 'bad', {
      issues: [{ code: 'INVALID_OPTION', property: 'lifecyclestage', allowed: ['lead'], message: 'bad' }],
    });
    for (const issue of error.details.issues) {
      expectTypeOf(issue.message).toEqualTypeOf<string>();
      expectTypeOf(issue.path).toEqualTypeOf<IssuePath | undefined>();
      // @ts-expect-error: which code? Only INVALID_OPTION and UNKNOWN_OPTION list what is allowed.
      void issue.allowed;
      if (issue.code === 'INVALID_OPTION') expectTypeOf(issue.allowed).toEqualTypeOf<string[]>();
      if (issue.code === 'INVALID_EMAIL') {
        // @ts-expect-error: INVALID_EMAIL has no facts of its own
        void issue.allowed;
      }
    }
  });
});
