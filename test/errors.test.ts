// The error boundary at run time: one CrmError class everywhere, and errors whose details are
// what their types say. The shape tables below are typed from CrmErrorDetails and
// ValidationIssue, so `tsc` keeps them equal to the types; the tests hold every error crmkit
// raises (a corpus covering every code, and fast-check's arbitrary writes) to them.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCrm, CrmError, isCrmError, type Crm, type CrmErrorCode, type CrmErrorDetails, type CrmRecord } from 'crmkit';
import type { ValidationIssue, ValidationIssueBase, ValidationIssueCode, ValidationIssueFacts } from 'crmkit';
import { CrmError as StorageCrmError, isCrmError as storageIsCrmError } from 'crmkit/storage';
import { sequentialIds, steppingClock } from 'crmkit/testing';

// ---------------------------------------------------------------- shapes, typed from the types

type Kind<T> = [NonNullable<T>] extends [string] ? 'string' : [NonNullable<T>] extends [number] ? 'number' : [NonNullable<T>] extends [boolean] ? 'boolean' : [NonNullable<T>] extends [readonly unknown[]] ? 'array' : 'unknown';
/** Each field of T: whether it must be there, and what kind of value it holds (e.g. 'required string'). */
type Shape<T> = { [K in keyof T]-?: `${{} extends Pick<T, K> ? 'optional' : 'required'} ${Kind<T[K]>}` };

const DETAILS: { [C in CrmErrorCode]: Shape<CrmErrorDetails<C>> } = {
  VALIDATION_ERROR: { index: 'optional number', issues: 'required array', issueCount: 'required number' },
  UNKNOWN_OBJECT_TYPE: { index: 'optional number', objectType: 'required string', suggestion: 'optional string' },
  UNKNOWN_PROPERTY: { index: 'optional number', objectType: 'required string', property: 'required string' },
  OBJECT_NOT_ACTIVE: { index: 'optional number', objectType: 'required string' },
  DUPLICATE_RECORD: { index: 'optional number', objectType: 'required string', existingId: 'optional string', conflicts: 'optional array' },
  NOT_FOUND: { index: 'optional number', objectType: 'required string', id: 'required string', toType: 'optional string', toId: 'optional string' },
  ARCHIVED: { index: 'optional number', objectType: 'required string', id: 'optional string', property: 'optional string', group: 'optional string' },
  READ_ONLY_PROPERTY: { index: 'optional number', objectType: 'required string', property: 'required string' },
  IMMUTABLE: {
    index: 'optional number',
    objectType: 'required string',
    property: 'optional string',
    field: 'optional string',
    fields: 'optional array',
    toType: 'optional string',
    label: 'optional string',
  },
  LABEL_EXISTS: { index: 'optional number', objectType: 'required string', toType: 'required string', label: 'required string' },
  UNKNOWN_LABEL: { index: 'optional number', objectType: 'required string', toType: 'required string', label: 'required string', suggestion: 'optional string' },
  LABEL_LIMIT: { index: 'optional number', objectType: 'required string', toType: 'required string', limit: 'required number' },
  LABEL_IN_USE: {
    index: 'optional number',
    objectType: 'required string',
    toType: 'required string',
    label: 'required string',
    associations: 'required number',
    count: 'required number',
    segments: 'optional array',
    views: 'optional array',
  },
  ASSOCIATION_NOT_ALLOWED: { index: 'optional number', objectType: 'required string', toType: 'optional string', id: 'optional string', reason: 'optional string' },
  ASSOCIATION_LIMIT: {
    index: 'optional number',
    objectType: 'required string',
    id: 'required string',
    toType: 'required string',
    limit: 'required number',
    label: 'optional string',
  },
  ASSOCIATION_REQUIRED: { index: 'optional number', objectType: 'required string', ids: 'required array', anyOf: 'required array' },
  PRIMARY_REQUIRED: { index: 'optional number', objectType: 'required string', id: 'required string' },
  PRIMARY_NOT_ALLOWED: { index: 'optional number', objectType: 'required string', toType: 'optional string' },
  UNKNOWN_PIPELINE: { index: 'optional number', objectType: 'required string', pipelineId: 'required string' },
  UNKNOWN_STAGE: { index: 'optional number', objectType: 'required string', pipelineId: 'required string', stageId: 'required string' },
  PIPELINE_IN_USE: { index: 'optional number', objectType: 'required string', pipelineId: 'required string', count: 'required number' },
  STAGE_IN_USE: { index: 'optional number', objectType: 'required string', pipelineId: 'required string', stageId: 'required string', count: 'required number' },
  UNKNOWN_SEGMENT: { index: 'optional number', segmentId: 'required string' },
  UNKNOWN_VIEW: { index: 'optional number', viewId: 'required string' },
  SEGMENT_IN_USE: { index: 'optional number', segmentId: 'required string', segments: 'required array', views: 'required array' },
  OBJECT_IN_USE: { index: 'optional number', objectType: 'required string', records: 'required boolean', segments: 'required array', views: 'required array' },
  ASSOCIATION_IN_USE: { index: 'optional number', objectType: 'required string', toType: 'required string', associations: 'required number', segments: 'required array', views: 'required array' },
  CONFLICT: {
    index: 'optional number',
    objectType: 'required string',
    property: 'optional string',
    group: 'optional string',
    id: 'optional string',
    pipelineId: 'optional string',
    stageId: 'optional string',
  },
  STORAGE_ERROR: {
    index: 'optional number',
    cause: 'optional unknown',
    outcome: 'optional string',
    sqlState: 'optional string',
    code: 'optional string',
    attempts: 'optional number',
    version: 'optional number',
    supported: 'optional number',
    waitedMs: 'optional number',
    busyTimeoutMs: 'optional number',
    doing: 'optional string',
  },
};

const ISSUE_BASE: Shape<ValidationIssueBase> & { code: 'required string' } = {
  code: 'required string',
  message: 'required string',
  property: 'optional string',
  index: 'optional number',
  path: 'optional array',
};

const ISSUE_FACTS: { [C in ValidationIssueCode]: Shape<ValidationIssueFacts[C]> } = {
  PROPERTY_DOESNT_EXIST: { suggestion: 'optional string' },
  READ_ONLY_VALUE: {},
  REQUIRED: { oneOf: 'optional array' },
  TOO_LONG: { maxLength: 'required number', length: 'required number' },
  INVALID_STRING: {},
  INVALID_NUMBER: {},
  INVALID_BOOLEAN: {},
  INVALID_DATE: {},
  INVALID_OPTION: { allowed: 'required array' },
  INVALID_EMAIL: {},
  INVALID_DOMAIN: {},
  EMAIL_BLOCKED: {},
  INVALID_PROPERTIES: {},
  OUT_OF_RANGE: { min: 'optional number', max: 'optional number', minExclusive: 'optional boolean' },
  CONFLICTING_VALUE: { conflictsWith: 'required string' },
  INVALID_NAME: {},
  RESERVED_NAME: {},
  INVALID_FIELD_TYPE: {},
  DUPLICATE_OPTION: {},
  OPTIONS_NOT_ALLOWED: {},
  UNIQUE_NOT_ALLOWED: {},
  UNIQUE_PROPERTY_LIMIT: { limit: 'required number', count: 'required number' },
  UNKNOWN_GROUP: {},
  GROUP_IN_USE: { properties: 'optional array' },
  PROPERTY_IN_USE: { segments: 'optional array', views: 'optional array' },
  NOT_A_UNIQUE_PROPERTY: {},
  INVALID_CURSOR: {},
  INVALID_ID: {},
  INVALID_ARGUMENT: { max: 'optional number' },
  UNKNOWN_OPTION: { option: 'required string', suggestion: 'optional string', allowed: 'required array', path: 'required array' },
  CRM_IN_TRANSACTION: {},
  INVALID_LABEL: {},
  LIMIT_EXCEEDS_PAIR: {},
  MERGE_WITH_ITSELF: {},
  PIPELINES_NOT_SUPPORTED: {},
  DUPLICATE_LABEL: {},
  LIMIT_REACHED: { limit: 'required number' },
  LAST_REMAINING: {},
  UNKNOWN_SEGMENT: { segmentId: 'required string' },
  SEGMENT_CYCLE: { cycle: 'required array' },
};

function kindOf(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? typeof value : 'other';
}

/** What in `value` its shape does not allow: a field it does not name, a required one missing, a value of another kind. */
function misfits(shape: Readonly<Record<string, string>>, value: object, where: string): string[] {
  const found: string[] = [];
  const fields = value as Record<string, unknown>;
  for (const key of Object.keys(fields)) if (!Object.hasOwn(shape, key) && fields[key] !== undefined) found.push(`${where}: ${key} is not one of its fields`);
  for (const [key, spec] of Object.entries(shape)) {
    const [presence, kind] = spec.split(' ');
    const field = fields[key];
    if (field === undefined) {
      if (presence === 'required') found.push(`${where}: ${key} is missing`);
    } else if (kind !== 'unknown' && kindOf(field) !== kind) {
      found.push(`${where}: ${key} is ${kindOf(field)}, not ${kind}`);
    }
  }
  return found;
}

/** Every way `error`'s details (and a VALIDATION_ERROR's issues) differ from their types. */
function typeMisfits(error: CrmError): string[] {
  const found = misfits(DETAILS[error.code], error.details, error.code);
  if (error.code === 'VALIDATION_ERROR') {
    error.details.issues.forEach((issue: ValidationIssue, at) => {
      found.push(...misfits({ ...ISSUE_BASE, ...ISSUE_FACTS[issue.code] }, issue, `issues[${at}] ${issue.code}`));
    });
    expect(error.details.issueCount).toBeGreaterThanOrEqual(error.details.issues.length);
  }
  return found;
}

/** The CrmError `call` rejects with. */
async function refusal(call: Promise<unknown>): Promise<CrmError> {
  const error = await call.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(CrmError);
  return error as CrmError;
}

const QUOTE = { hs_title: 'Q-1', hs_expiration_date: '2027-01-01' };

async function world(): Promise<{ crm: Crm; ana: CrmRecord; bo: CrmRecord; acme: CrmRecord; globex: CrmRecord; deal: CrmRecord; gone: CrmRecord }> {
  const crm = await createCrm({ ids: sequentialIds(), clock: steppingClock() });
  const [ana, bo, gone] = await crm.records.createMany('contacts', [{ email: 'ana@acme.com' }, { email: 'bo@acme.com' }, { email: 'gone@acme.com' }]);
  const [acme, globex] = await crm.records.createMany('companies', [{ domain: 'acme.com' }, { domain: 'globex.com' }]);
  const deal = await crm.records.create('deals', { dealname: 'Big one', dealstage: 'appointmentscheduled' });
  await crm.associations.associate(ana!, acme!);
  await crm.associations.createLabel({ from: 'deals', to: 'contacts', label: 'Decision maker', limit: 1 });
  await crm.associations.associate(deal, ana!, ['decision_maker']);
  await crm.records.archive('contacts', gone!.id);
  await crm.schema.defineProperty('contacts', { name: 'badge', label: 'Badge', type: 'string', fieldType: 'text', unique: true });
  await crm.schema.defineProperty('contacts', { name: 'old_code', label: 'Old code', type: 'string', fieldType: 'text' });
  await crm.schema.archiveProperty('contacts', 'old_code');
  return { crm, ana: ana!, bo: bo!, acme: acme!, globex: globex!, deal, gone: gone! };
}

// ---------------------------------------------------------------- the class

describe('CrmError, the class', () => {
  it('is one class, named CrmError, on every entry point', () => {
    const error = new CrmError('NOT_FOUND', 'No contacts record with id "42"', { objectType: 'contacts', id: '42' });
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(StorageCrmError);
    expect(StorageCrmError).toBe(CrmError);
    expect(storageIsCrmError).toBe(isCrmError);
    expect(error.name).toBe('CrmError');
    expect(CrmError.name).toBe('CrmError');
    expect(error.constructor).toBe(CrmError);
    expect(Object.getPrototypeOf(error)).toBe(CrmError.prototype);
    expect(String(error)).toBe('CrmError: No contacts record with id "42"');
    expect(error.stack).toContain('CrmError');
    expect({ ...error }).toEqual({ name: 'CrmError', code: 'NOT_FOUND', details: { objectType: 'contacts', id: '42' } });
  });

  it("gives a STORAGE_ERROR's cause to Error's cause", () => {
    const cause = new Error('ENOSPC');
    expect(new CrmError('STORAGE_ERROR', 'disk full', { cause, outcome: 'rolled_back' }).cause).toBe(cause);
    expect(new CrmError('STORAGE_ERROR', 'closed').cause).toBeUndefined();
    expect(new CrmError('STORAGE_ERROR', 'closed').details).toEqual({});
  });

  it('isCrmError: any CrmError, or one of a code', () => {
    const error: unknown = new CrmError('ARCHIVED', 'archived', { objectType: 'contacts', id: '1' });
    expect(isCrmError(error)).toBe(true);
    expect(isCrmError(error, 'ARCHIVED')).toBe(true);
    expect(isCrmError(error, 'NOT_FOUND')).toBe(false);
    expect(isCrmError(new Error('x'))).toBe(false);
    expect(isCrmError({ name: 'CrmError', code: 'ARCHIVED', details: {} })).toBe(false);
    expect(isCrmError(undefined, 'ARCHIVED')).toBe(false);
  });

  it('a VALIDATION_ERROR counts its issues, however it is built', async () => {
    const issues = [{ code: 'INVALID_ARGUMENT' as const, property: 'tenant', message: 'empty' }];
    expect(new CrmError('VALIDATION_ERROR', 'bad', { issues }).details).toEqual({ issues, issueCount: 1 });
    expect(new CrmError('VALIDATION_ERROR', 'bad', { issues, issueCount: 250 }).details.issueCount).toBe(250);
    // Built outside validationError by the engine itself (the transaction's argument check).
    const crm = await createCrm();
    const error = await refusal(crm.transaction(42 as never));
    expect(isCrmError(error, 'VALIDATION_ERROR') && error.details).toEqual({ issues: [expect.objectContaining({ code: 'INVALID_ARGUMENT' })], issueCount: 1 });
  });

  it('building one from JavaScript with the wrong details never fails', () => {
    expect(new CrmError('VALIDATION_ERROR', 'bad', {} as never).details).toEqual({});
    expect(new CrmError('VALIDATION_ERROR', 'bad', { issues: 'x' } as never).details).toEqual({ issues: 'x' });
  });
});

// ---------------------------------------------------------------- what is thrown is what is typed

describe('the details crmkit throws are the types', () => {
  it('ASSOCIATION_NOT_ALLOWED from a custom object naming products says objectType and toType, like every other', async () => {
    const crm = await createCrm();
    const error = await refusal(
      crm.schema.defineObject({
        name: 'roast_batches',
        labels: { singular: 'Roast batch', plural: 'Roast batches' },
        primaryDisplayProperty: 'batch_name',
        properties: [{ name: 'batch_name', label: 'Batch', type: 'string', fieldType: 'text' }],
        associations: ['contacts', 'products'],
      }),
    );
    expect(error.code).toBe('ASSOCIATION_NOT_ALLOWED');
    expect(error.details).toEqual({ objectType: 'roast_batches', toType: 'products' });
  });

  it("getBy with a value its property refuses reports the refusal's facts (TOO_LONG's lengths)", async () => {
    const { crm } = await world();
    const error = await refusal(crm.records.getBy('contacts', 'badge', 'x'.repeat(70_000)));
    expect(isCrmError(error, 'VALIDATION_ERROR') && error.details.issues).toEqual([
      { code: 'TOO_LONG', property: 'badge', maxLength: 65_536, length: 70_000, message: expect.stringContaining('badge') },
    ]);
  });

  it('every code, raised by the calls that raise it, has the fields its type says and no other', async () => {
    const w = await world();
    const { crm, ana, bo, acme, globex, deal, gone } = w;
    const few = await createCrm({ labelLimit: 1 });
    await few.associations.createLabel({ from: 'deals', to: 'contacts', label: 'Champion' });
    const closed = await createCrm();
    await closed.close();
    const issueCodes = new Set<ValidationIssueCode>();
    const calls: Array<[string, Promise<unknown>]> = [
      ['bad values', crm.records.create('contacts', { email: 'not an email', lifecyclestage: 'Customer', firstname: 'x'.repeat(70_000), shoesize: 4 })],
      ['a batch of bad inputs', crm.records.createMany('contacts', [{ email: 'a@b.com' }, 42 as never, { hs_object_id: '1' }])],
      ['a missing required value', crm.records.create('deals', { dealname: 'No stage' })],
      ['an unknown option', crm.records.get('contacts', ana.id, { archive: true } as never)],
      ['a page too big', crm.records.list('contacts', { limit: 5_000 })],
      ['a bad cursor', crm.records.list('contacts', { after: 'forged' })],
      ['a bad property definition', crm.schema.defineProperty('contacts', { name: 'Bad Name', label: 'x', type: 'bool', fieldType: 'text', unique: true })],
      ['too many unique properties', (async () => {
        const strict = await createCrm({ uniquePropertyLimit: 1 });
        await strict.schema.defineProperty('contacts', { name: 'a_key', label: 'A', type: 'string', fieldType: 'text', unique: true });
        await strict.schema.defineProperty('contacts', { name: 'b_key', label: 'B', type: 'string', fieldType: 'text', unique: true });
      })()],
      ['a merge with itself', crm.records.merge('contacts', ana.id, ana.id)],
      ['not a transaction function', crm.transaction(42 as never)],
      ['a key value its property refuses', crm.records.getBy('contacts', 'badge', 'x'.repeat(70_000))],
      ['a bad label name', crm.associations.createLabel({ from: 'deals', to: 'contacts', label: 'Odd', name: '2nd' })],
      ['an unknown type', crm.records.create('contact', { email: 'x@y.com' })],
      ['a record as a type', crm.records.get(ana as never, ana.id)],
      ['an unknown property', crm.records.getBy('contacts', 'nope', 'x')],
      ['an inactive type', crm.records.create('services', { hs_name: 'Onboarding' })],
      ['a duplicate email', crm.records.create('contacts', { email: 'ANA@acme.com' })],
      ['duplicates within a batch', crm.records.createMany('contacts', [{ email: 'twin@x.com' }, { email: 'twin@x.com' }])],
      ['a missing record', crm.records.update('contacts', 'missing', { firstname: 'X' })],
      ['two records not associated', crm.associations.unlabel(deal, bo, ['decision_maker'])],
      ['a missing record in a batch', crm.associations.associateMany([{ from: ana, to: globex }, { from: bo, to: { objectType: 'companies', id: 'missing' } }])],
      ['an archived record', crm.records.update('contacts', gone.id, { firstname: 'X' })],
      ['an archived property', crm.schema.updateProperty('contacts', 'old_code', { label: 'Older' })],
      ['a system property', crm.schema.updateProperty('contacts', 'hs_object_id', { label: 'Id' })],
      ["a property's type", crm.schema.updateProperty('contacts', 'badge', { type: 'number' } as never)],
      ["a HubSpot property's fields", crm.schema.updateProperty('contacts', 'email', { unique: false, fieldType: 'textarea' } as never)],
      ['the primary label', crm.associations.updateLabel('contacts', 'companies', 'primary', { label: 'Main' })],
      ['a taken label', crm.associations.createLabel({ from: 'deals', to: 'contacts', label: 'Decision maker' })],
      ['an unknown label', crm.associations.associate(deal, bo, ['Decision Maker'])],
      ['too many labels', few.associations.createLabel({ from: 'deals', to: 'contacts', label: 'Blocker' })],
      ['a label in use', crm.associations.deleteLabel('deals', 'contacts', 'decision_maker')],
      ['a record with itself', crm.associations.associate(ana, ana)],
      ['a pair that never associates', crm.associations.createLabel({ from: 'products', to: 'contacts', label: 'Buyer' })],
      [
        'a custom object naming products',
        crm.schema.defineObject({
          name: 'roast_batches',
          labels: { singular: 'Roast batch', plural: 'Roast batches' },
          properties: [{ name: 'batch_name', label: 'Batch', type: 'string', fieldType: 'text' }],
          associations: ['products'],
        }),
      ],
      ["a label's cap", crm.associations.associate(deal, bo, ['decision_maker'])],
      ['a quote without a deal', crm.records.create('quotes', QUOTE)],
      ["a contact's only primary", crm.associations.unlabel(ana, acme, ['primary'])],
      ["a company's primary company", crm.associations.setPrimary(acme, globex)],
      ['a taken property name', crm.schema.defineProperty('contacts', { name: 'badge', label: 'Badge', type: 'string', fieldType: 'text' })],
      ['a taken group name', crm.schema.defineGroup('contacts', { name: 'contactinformation', label: 'Again' })],
      ['a closed storage', closed.records.create('contacts', { email: 'late@x.com' })],
      ['an unknown pipeline', crm.pipelines.update('deals', 'nope', { label: 'X' })],
      ['an unknown stage', crm.pipelines.updateStage('deals', 'default', 'nope', { label: 'X' })],
      ['a pipeline in use', crm.pipelines.archiveStage('deals', 'default', 'appointmentscheduled')],
      ['a type without pipelines', crm.pipelines.list('contacts')],
      [
        'a pipeline holding records',
        (async () => {
          await crm.pipelines.create('deals', { id: 'second', label: 'Second', stages: [{ label: 'Open', metadata: { probability: 0.5 } }] });
          await crm.pipelines.archive('deals', 'default');
        })(),
      ],
      ['a taken pipeline id', crm.pipelines.create('tickets', { id: '0', label: 'Again', stages: [{ label: 'New' }] })],
      ['an unknown segment', crm.segments.members('404')],
      [
        'a custom object type still holding records',
        (async () => {
          await crm.schema.defineObject({ name: 'trial_runs', labels: { singular: 'Trial run', plural: 'Trial runs' }, primaryDisplayProperty: 'code', properties: [{ name: 'code', label: 'Code', type: 'string', fieldType: 'text' }] });
          await crm.records.create('trial_runs', { code: 'T-1' });
          await crm.schema.deleteObject('trial_runs');
        })(),
      ],
      [
        'a pair associations still join',
        (async () => {
          const run = await crm.records.create('trial_runs', { code: 'T-2' });
          await crm.schema.defineAssociation('trial_runs', 'contacts');
          await crm.associations.associate(run, ana);
          await crm.schema.removeAssociation('trial_runs', 'contacts');
        })(),
      ],
      ['an unknown view', crm.views.run('404')],
      ['a filter naming an unknown segment', crm.records.search('contacts', { filterGroups: [{ filters: [{ segment: { id: '404' } }] }] })],
      [
        'a segment in use, and one containing itself',
        (async () => {
          const inner = await crm.segments.create({ name: 'Inner', objectType: 'contacts', kind: 'active', filter: { filterGroups: [] } });
          const outer = await crm.segments.create({ name: 'Outer', objectType: 'contacts', kind: 'active', filter: { filterGroups: [{ filters: [{ segment: { id: inner.id } }] }] } });
          await crm.segments.update(inner.id, { filter: { filterGroups: [{ filters: [{ segment: { id: outer.id } }] }] } }).catch((error: unknown) => {
            const issue = (error as CrmError<'VALIDATION_ERROR'>).details.issues[0]!;
            issueCodes.add(issue.code);
            expect(typeMisfits(error as CrmError), 'a segment containing itself').toEqual([]);
          });
          await crm.segments.delete(inner.id);
        })(),
      ],
    ];
    const seen = new Set<CrmErrorCode>();
    for (const [what, call] of calls) {
      const error = await refusal(call);
      seen.add(error.code);
      if (error.code === 'VALIDATION_ERROR') for (const issue of error.details.issues) issueCodes.add(issue.code);
      expect(typeMisfits(error), `${what}: ${error.code} ${JSON.stringify(error.details)}`).toEqual([]);
    }
    // The corpus reaches every code (a new code needs a call here), and most issue codes.
    expect([...seen].sort()).toEqual(Object.keys(DETAILS).sort());
    expect(issueCodes.size).toBeGreaterThanOrEqual(15);
  });

  it('any write of any values to any property: every issue has its code’s fields (property)', async () => {
    const crm = await createCrm({ ids: sequentialIds(), clock: steppingClock() });
    await crm.records.create('contacts', { email: 'taken@x.com' });
    const names = crm.schema.object('contacts').properties.map((property) => property.name);
    const value = fc.oneof(
      fc.anything(),
      fc.string(),
      fc.constantFrom('taken@x.com', 'x'.repeat(70_000), '2026-02-30', 'lead', 'Customer', '12abc', 'true', '', null),
    );
    const input = fc.dictionary(fc.oneof(fc.constantFrom(...names), fc.string({ maxLength: 12 })), value, { maxKeys: 6 });
    await fc.assert(
      fc.asyncProperty(fc.array(input, { minLength: 1, maxLength: 3 }), async (inputs) => {
        const error = await crm.records.createMany('contacts', inputs as never).then(
          () => undefined,
          (caught: unknown) => caught,
        );
        if (error === undefined) return;
        expect(error).toBeInstanceOf(CrmError);
        expect(typeMisfits(error as CrmError), JSON.stringify((error as CrmError).details).slice(0, 500)).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });
});
