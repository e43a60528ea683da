// The engine's behaviour as tests, run over any Storage factory: records, dedup keys, paging,
// history, transactions, schema persistence, associations and calculated properties, all through
// the public API (docs/records.md, docs/associations.md). An adapter that passes them makes the
// engine behave on its storage as it does on memory. Each test's name states the behaviour; each
// test builds its own fresh storage. A refused call is shown to change nothing by comparing what
// the public API reads before and after it (adapters have no snapshot).
import { describe, expect, it } from 'vitest';
import { createCrm, CrmError, isCrmError } from 'crmkit';
import type { ChangeEvent, Crm, CrmErrorCode, CrmRecord, PropertiesInput, RecordLike, Storage } from 'crmkit';
import { sequentialIds, steppingClock } from './index.js';

type Factory = () => Storage | Promise<Storage>;

const DEAL = { dealname: 'Big one', dealstage: 'appointmentscheduled' } as const;
const QUOTE = { hs_title: 'Q-1', hs_expiration_date: '2027-01-01' } as const;
const TYPES = ['contacts', 'companies', 'deals', 'quotes'] as const;

/** Awaits `promise`, expects a CrmError of `code`, and answers it. */
async function refused(promise: Promise<unknown>, code: CrmErrorCode): Promise<CrmError> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  expect(caught, `expected a CrmError ${code}`).toBeInstanceOf(CrmError);
  const error = caught as CrmError;
  expect(error.code, error.message).toBe(code);
  return error;
}

/** The codes of a VALIDATION_ERROR's issues. */
const issueCodes = (error: CrmError): string[] => (error.details.issues ?? []).map((issue) => issue.code);

/** Every record of a type, archived ones too, by pages of `limit`. */
async function everyRecord(crm: Crm, objectType: string, limit = 50, archived = true): Promise<CrmRecord[]> {
  const all: CrmRecord[] = [];
  let after: string | undefined;
  let pages = 0;
  do {
    const page = await crm.records.list(objectType, { limit, archived, ...(after !== undefined ? { after } : {}) });
    expect(page.results.length).toBeLessThanOrEqual(limit);
    all.push(...page.results);
    after = page.paging?.next?.after;
    expect(++pages, `list(${objectType}, limit ${limit}) does not end`).toBeLessThanOrEqual(1_000);
  } while (after !== undefined);
  return all;
}

/** An error's code, or the value: for reads that may be refused (a pair that cannot associate). */
async function settle<T>(promise: Promise<T>): Promise<T | string> {
  try {
    return await promise;
  } catch (error) {
    if (isCrmError(error)) return `error ${error.code}`;
    throw error;
  }
}

/**
 * What the public API reads of a CRM: every record of `types` (archived too), each record's
 * associations to each type and association history, and the schema. Compare it before and after
 * a refused call to show the call changed nothing.
 */
async function view(crm: Crm, types: readonly string[] = TYPES): Promise<unknown> {
  const records: Record<string, unknown> = {};
  for (const type of types) {
    for (const record of await everyRecord(crm, type)) {
      const ref = { objectType: type, id: record.id };
      const associations: Record<string, unknown> = {};
      for (const to of types) associations[to] = await settle(crm.associations.list(ref, to, { limit: 100 }));
      records[`${type}/${record.id}`] = { record, associations, history: await settle(crm.associations.history(ref)) };
    }
  }
  const schema = types.map((type) => [crm.schema.object(type), crm.schema.properties(type, { archived: true })]);
  return { records, schema };
}

/** The ids of a record's associations to `toType`, in order. */
async function associatedIds(crm: Crm, record: RecordLike, toType: string, label?: string): Promise<string[]> {
  const page = await crm.associations.list(record, toType, { limit: 100, ...(label !== undefined ? { label } : {}) });
  return page.results.map((item) => item.id);
}

/** The record's primary company id, if any. */
async function primaryOf(crm: Crm, record: RecordLike): Promise<string | undefined> {
  const { results } = await crm.associations.list(record, 'companies', { limit: 100 });
  const primaries = results.filter((item) => item.primary);
  expect(primaries.length, 'at most one primary company').toBeLessThanOrEqual(1);
  return primaries[0]?.id;
}

/** Runs the engine's behaviour tests over storages made by `factory`. */
export function describeEngine(name: string, factory: Factory): void {
  /** A CRM on a fresh storage from the factory, with deterministic ids and time. */
  const fresh = async (): Promise<Crm> => createCrm({ storage: await factory(), ids: sequentialIds(), clock: steppingClock() });
  const contact = (crm: Crm, properties: PropertiesInput = {}): Promise<CrmRecord> => crm.records.create('contacts', { firstname: 'Ana', ...properties });
  const company = (crm: Crm, properties: PropertiesInput = {}): Promise<CrmRecord> => crm.records.create('companies', { name: 'Acme', ...properties });
  const deal = (crm: Crm, properties: PropertiesInput = {}): Promise<CrmRecord> => crm.records.create('deals', { ...DEAL, ...properties });
  const quote = (crm: Crm, forDeal: RecordLike, properties: PropertiesInput = {}): Promise<CrmRecord> =>
    crm.records.create('quotes', { ...QUOTE, ...properties }, { associations: [{ to: forDeal }] });
  const listen = (crm: Crm): ChangeEvent[] => {
    const events: ChangeEvent[] = [];
    crm.subscribe((event) => events.push(event));
    return events;
  };

  describe(`engine behaviour: ${name}`, () => {
    // ---------------------------------------------------------------- records

    describe('records: create and read', () => {
      it('creates a record with its system properties, and get answers the same record', async () => {
        const crm = await fresh();
        const ana = await crm.records.create('contacts', { email: 'Ana@Orange.com', firstname: 'Ana' });
        expect(ana).toMatchObject({
          id: 'id-1',
          objectType: 'contacts',
          archived: false,
          properties: { email: 'ana@orange.com', firstname: 'Ana', hs_object_id: 'id-1', createdate: ana.createdAt },
        });
        expect(await crm.records.get('contacts', ana.id)).toEqual(ana);
        expect(await crm.records.get('0-1', ana.id)).toEqual(ana);
        const bigOne = await deal(crm, { amount: '1200.5', closedate: '2026-03-01' });
        expect(bigOne.properties).toMatchObject({ amount: 1200.5, closedate: '2026-03-01T00:00:00.000Z', pipeline: 'default' });
        expect(await crm.records.get('deals', bigOne.id)).toEqual(bigOne);
      });

      it('refuses an invalid create with VALIDATION_ERROR listing every issue, and writes nothing', async () => {
        const crm = await fresh();
        await contact(crm, { email: 'bo@x.com' });
        const before = await view(crm);
        const error = await refused(crm.records.create('contacts', { email: 'not-an-email', lifecyclestage: 'Customer', nope: 1 }), 'VALIDATION_ERROR');
        expect(issueCodes(error).sort()).toEqual(['INVALID_EMAIL', 'INVALID_OPTION', 'PROPERTY_DOESNT_EXIST']);
        await refused(crm.records.create('deals', { amount: 5 }), 'VALIDATION_ERROR');
        expect(await view(crm)).toEqual(before);
      });

      it('createMany answers the records in input order and list shows them in creation order', async () => {
        const crm = await fresh();
        const created = await crm.records.createMany('contacts', ['c@x.com', 'a@x.com', 'b@x.com'].map((email) => ({ email })));
        expect(created.map((record) => record.properties.email)).toEqual(['c@x.com', 'a@x.com', 'b@x.com']);
        expect((await crm.records.list('contacts')).results).toEqual(created);
      });

      it('createMany with one invalid input reports it by index and creates none of them', async () => {
        const crm = await fresh();
        const error = await refused(crm.records.createMany('contacts', [{ email: 'fine@x.com' }, { email: 'bad' }, {}]), 'VALIDATION_ERROR');
        expect((error.details.issues ?? []).map((issue) => [issue.index, issue.code])).toEqual([
          [1, 'INVALID_EMAIL'],
          [2, 'REQUIRED'],
        ]);
        expect(await everyRecord(crm, 'contacts')).toEqual([]);
        expect(await crm.records.getBy('contacts', 'email', 'fine@x.com')).toBeUndefined();
      });

      it('get answers undefined for an unknown id, and an archived record only when asked', async () => {
        const crm = await fresh();
        const ana = await contact(crm);
        expect(await crm.records.get('contacts', 'missing')).toBeUndefined();
        expect(await crm.records.get('companies', ana.id)).toBeUndefined();
        await crm.records.archive('contacts', ana.id);
        expect(await crm.records.get('contacts', ana.id)).toBeUndefined();
        expect(await crm.records.get('contacts', ana.id, { archived: true })).toMatchObject({ id: ana.id, archived: true, archivedAt: expect.any(String) });
      });

      it('getBy finds live records by hs_object_id, email (any case) and domain (normalised), never archived ones', async () => {
        const crm = await fresh();
        const ana = await contact(crm, { email: 'ana@x.com' });
        const orange = await company(crm, { domain: 'https://www.Orange.com/about' });
        expect(await crm.records.getBy('contacts', 'hs_object_id', ana.id)).toEqual(ana);
        expect((await crm.records.getBy('contacts', 'email', '  ANA@X.com '))?.id).toBe(ana.id);
        expect((await crm.records.getBy('companies', 'domain', 'orange.com'))?.id).toBe(orange.id);
        expect(await crm.records.getBy('contacts', 'email', 'nobody@x.com')).toBeUndefined();
        await crm.records.archive('contacts', ana.id);
        expect(await crm.records.getBy('contacts', 'email', 'ana@x.com')).toBeUndefined();
        expect(await crm.records.getBy('contacts', 'hs_object_id', ana.id)).toBeUndefined();
      });
    });

    describe('records: dedup keys', () => {
      it('refuses a duplicate email in another case with DUPLICATE_RECORD naming the holder, and writes nothing', async () => {
        const crm = await fresh();
        const ana = await contact(crm, { email: 'ana@x.com' });
        const before = await view(crm);
        const error = await refused(crm.records.create('contacts', { email: ' ANA@X.com', firstname: 'Copy' }), 'DUPLICATE_RECORD');
        expect(error.details.existingId).toBe(ana.id);
        expect(error.details.conflicts).toEqual([{ index: 0, property: 'email', value: 'ana@x.com', existingId: ana.id }]);
        expect(await view(crm)).toEqual(before);
      });

      it('treats additional emails as keys in the same namespace as emails, and getBy finds them', async () => {
        const crm = await fresh();
        const ana = await contact(crm, { email: 'ana@x.com', hs_additional_emails: 'Ana@Home.org;ana.work@corp.com' });
        expect((await crm.records.getBy('contacts', 'email', 'ana@home.org'))?.id).toBe(ana.id);
        expect((await crm.records.getBy('contacts', 'hs_additional_emails', 'ANA.work@corp.com'))?.id).toBe(ana.id);
        const byEmail = await refused(crm.records.create('contacts', { email: 'ana@home.org' }), 'DUPLICATE_RECORD');
        expect(byEmail.details.existingId).toBe(ana.id);
        const byAdditional = await refused(crm.records.create('contacts', { email: 'bo@x.com', hs_additional_emails: 'ana@x.com' }), 'DUPLICATE_RECORD');
        expect(byAdditional.details.conflicts).toEqual([expect.objectContaining({ property: 'hs_additional_emails', value: 'ana@x.com', existingId: ana.id })]);
        expect(await crm.records.getBy('contacts', 'email', 'bo@x.com')).toBeUndefined();
      });

      it('createMany reports every conflicting input, with existing records and with each other, and creates nothing', async () => {
        const crm = await fresh();
        const ana = await contact(crm, { email: 'ana@x.com' });
        const before = await view(crm);
        const error = await refused(
          crm.records.createMany('contacts', [
            { email: 'bo@x.com' },
            { email: 'ANA@x.com' },
            { email: 'cy@x.com' },
            { email: 'Bo@X.com' },
            { email: 'dee@x.com', hs_additional_emails: 'cy@x.com' },
            { email: 'eve@x.com' },
          ]),
          'DUPLICATE_RECORD',
        );
        expect(error.details.conflicts).toEqual([
          { index: 1, property: 'email', value: 'ana@x.com', existingId: ana.id },
          { index: 3, property: 'email', value: 'bo@x.com', conflictsWithIndex: 0 },
          { index: 4, property: 'hs_additional_emails', value: 'cy@x.com', conflictsWithIndex: 2 },
        ]);
        expect(await view(crm)).toEqual(before);
        expect(await crm.records.getBy('contacts', 'email', 'eve@x.com')).toBeUndefined();
      });

      it("refuses a company whose normalised domain or additional domain is another company's", async () => {
        const crm = await fresh();
        const orange = await company(crm, { domain: 'orange.com', hs_additional_domains: 'orange.fr' });
        expect((await refused(company(crm, { domain: 'ORANGE.COM.' }), 'DUPLICATE_RECORD')).details.existingId).toBe(orange.id);
        expect((await refused(company(crm, { domain: 'http://www.orange.fr/' }), 'DUPLICATE_RECORD')).details.existingId).toBe(orange.id);
        expect((await crm.records.getBy('companies', 'domain', 'orange.fr'))?.id).toBe(orange.id);
        expect(await everyRecord(crm, 'companies')).toHaveLength(1);
      });

      it('a custom unique property is a key: duplicates refused, getBy and upsert by it work', async () => {
        const crm = await fresh();
        await crm.schema.defineProperty('contacts', { name: 'customer_number', label: 'Customer number', type: 'string', fieldType: 'text', unique: true });
        const ana = await contact(crm, { customer_number: 'C-1' });
        await refused(contact(crm, { firstname: 'Bo', customer_number: 'C-1' }), 'DUPLICATE_RECORD');
        expect((await crm.records.getBy('contacts', 'customer_number', 'C-1'))?.id).toBe(ana.id);
        const again = await crm.records.upsert('contacts', { customer_number: 'C-1', lastname: 'Silva' }, { idProperty: 'customer_number' });
        expect(again).toMatchObject({ created: false, record: { id: ana.id, properties: { firstname: 'Ana', lastname: 'Silva' } } });
      });

      it('an update to a taken email is DUPLICATE_RECORD and changes nothing; changing an email frees the old one', async () => {
        const crm = await fresh();
        const ana = await contact(crm, { email: 'ana@x.com' });
        const bo = await contact(crm, { email: 'bo@x.com', firstname: 'Bo' });
        const before = await view(crm);
        await refused(crm.records.update('contacts', bo.id, { email: 'Ana@x.com', firstname: 'Bob' }), 'DUPLICATE_RECORD');
        expect(await view(crm)).toEqual(before);
        await crm.records.update('contacts', ana.id, { email: 'ana@new.org' });
        const cy = await contact(crm, { email: 'ana@x.com', firstname: 'Cy' });
        expect((await crm.records.getBy('contacts', 'email', 'ana@x.com'))?.id).toBe(cy.id);
        expect((await crm.records.getBy('contacts', 'email', 'ana@new.org'))?.id).toBe(ana.id);
      });
    });

    describe('records: list paging', () => {
      it('pages of any limit cover every record exactly once, in creation order, following cursors', async () => {
        const crm = await fresh();
        const first = await crm.records.createMany('contacts', Array.from({ length: 6 }, (_, n) => ({ firstname: `P${n}` })));
        const second = await crm.records.createMany('contacts', Array.from({ length: 5 }, (_, n) => ({ firstname: `Q${n}` })));
        const ids = [...first, ...second].map((record) => record.id);
        for (const limit of [1, 3, 5, 11, 100]) {
          expect((await everyRecord(crm, 'contacts', limit, false)).map((record) => record.id), `limit ${limit}`).toEqual(ids);
        }
        // A cursor may come back with a full last page (the storage says "more may follow"); what follows it is then empty.
        const whole = await crm.records.list('contacts', { limit: 11 });
        expect(whole.results).toHaveLength(11);
        const next = whole.paging?.next?.after;
        if (next !== undefined) expect((await crm.records.list('contacts', { limit: 11, after: next })).results).toEqual([]);
        expect(await crm.records.list('companies')).toEqual({ results: [] });
      });

      it('leaves archived records out of pages unless asked, then marks them archived', async () => {
        const crm = await fresh();
        const created = await crm.records.createMany('contacts', Array.from({ length: 6 }, (_, n) => ({ firstname: `P${n}` })));
        await crm.records.archive('contacts', created[1]!.id);
        await crm.records.archive('contacts', created[4]!.id);
        const live = await everyRecord(crm, 'contacts', 2, false);
        expect(live.map((record) => record.id)).toEqual([0, 2, 3, 5].map((n) => created[n]!.id));
        const all = await everyRecord(crm, 'contacts', 2, true);
        expect(all.map((record) => record.id)).toEqual(created.map((record) => record.id));
        expect(all.filter((record) => record.archived).map((record) => record.id)).toEqual([created[1]!.id, created[4]!.id]);
      });

      it("refuses a garbage cursor and another type's cursor with VALIDATION_ERROR INVALID_CURSOR", async () => {
        const crm = await fresh();
        await crm.records.createMany('contacts', [{ firstname: 'A' }, { firstname: 'B' }]);
        await crm.records.createMany('companies', [{ name: 'A' }, { name: 'B' }]);
        const after = (await crm.records.list('contacts', { limit: 1 })).paging?.next?.after;
        expect(after).toEqual(expect.any(String));
        expect(issueCodes(await refused(crm.records.list('companies', { after: after! }), 'VALIDATION_ERROR'))).toEqual(['INVALID_CURSOR']);
        expect(issueCodes(await refused(crm.records.list('contacts', { after: 'garbage' }), 'VALIDATION_ERROR'))).toEqual(['INVALID_CURSOR']);
      });

      it('a cursor reveals no storage position and any edit to it is INVALID_CURSOR; another storage’s cursor is refused', async () => {
        const crm = await fresh();
        await crm.records.createMany('contacts', Array.from({ length: 4 }, (_, n) => ({ firstname: `P${n}` })));
        const after = (await crm.records.list('contacts', { limit: 1 })).paging!.next!.after;
        // Opaque: neither the type nor a bare position.
        expect(after).not.toMatch(/contacts|^[a-z]?[0-9]+$/);
        // Every one-character edit is refused, never read as another position.
        const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
        for (let at = 0; at < after.length; at++) {
          const swapped = alphabet[(alphabet.indexOf(after[at]!) + 1) % alphabet.length]!;
          const edited = after.slice(0, at) + swapped + after.slice(at + 1);
          const error = await refused(crm.records.list('contacts', { after: edited }), 'VALIDATION_ERROR');
          expect(issueCodes(error), `edit at ${at}`).toEqual(['INVALID_CURSOR']);
        }
        expect(issueCodes(await refused(crm.records.list('contacts', { after: after.slice(0, -1) }), 'VALIDATION_ERROR'))).toEqual(['INVALID_CURSOR']);
        const other = await fresh();
        await other.records.createMany('contacts', Array.from({ length: 4 }, (_, n) => ({ firstname: `P${n}` })));
        expect(issueCodes(await refused(other.records.list('contacts', { after }), 'VALIDATION_ERROR'))).toEqual(['INVALID_CURSOR']);
        // The cursor still works where it was made.
        expect((await crm.records.list('contacts', { limit: 1, after })).results).toHaveLength(1);
      });
    });

    describe('records: update, upsert and history', () => {
      it('update applies a patch or a recipe, moves updatedAt, and get reads the result', async () => {
        const crm = await fresh();
        const ana = await contact(crm, { email: 'ana@x.com', phone: '+1 555' });
        const patched = await crm.records.update('contacts', ana.id, { firstname: 'Anna', lifecyclestage: 'lead' });
        expect(patched.properties).toMatchObject({ firstname: 'Anna', lifecyclestage: 'lead', email: 'ana@x.com', phone: '+1 555' });
        expect(patched.updatedAt > ana.updatedAt).toBe(true);
        expect(patched.createdAt).toBe(ana.createdAt);
        const recipe = await crm.records.update('contacts', ana.id, (draft) => {
          delete draft.phone;
          draft.jobtitle = 'CTO';
        });
        expect(recipe.properties).not.toHaveProperty('phone');
        expect(await crm.records.get('contacts', ana.id)).toEqual(recipe);
      });

      it('an update that changes nothing writes nothing: same record, no history, no event', async () => {
        const crm = await fresh();
        const ana = await contact(crm, { email: 'ana@x.com' });
        const events = listen(crm);
        const same = await crm.records.update('contacts', ana.id, { email: ' ANA@x.com', firstname: 'Ana', city: '' });
        expect(same).toEqual(ana);
        expect(await crm.records.get('contacts', ana.id)).toEqual(ana);
        expect(await crm.records.history('contacts', ana.id, 'firstname')).toHaveLength(1);
        expect(events).toEqual([]);
      });

      it('refuses to update an archived record (ARCHIVED) or an unknown one (NOT_FOUND)', async () => {
        const crm = await fresh();
        const ana = await contact(crm);
        await crm.records.archive('contacts', ana.id);
        await refused(crm.records.update('contacts', ana.id, { firstname: 'X' }), 'ARCHIVED');
        await refused(crm.records.update('contacts', 'ghost', { firstname: 'X' }), 'NOT_FOUND');
        expect((await crm.records.get('contacts', ana.id, { archived: true }))?.properties.firstname).toBe('Ana');
      });

      it('upsert creates by the dedup key, then updates the same record', async () => {
        const crm = await fresh();
        const first = await crm.records.upsert('contacts', { email: 'ana@x.com', firstname: 'Ana' });
        const second = await crm.records.upsert('contacts', { email: 'ANA@x.com', lastname: 'Silva' });
        expect([first.created, second.created]).toEqual([true, false]);
        expect(second.record).toMatchObject({ id: first.record.id, properties: { firstname: 'Ana', lastname: 'Silva' } });
        const orange = await crm.records.upsert('companies', { domain: 'orange.com', name: 'Orange' });
        const again = await crm.records.upsert('companies', { domain: 'www.orange.com', numberofemployees: 12 });
        expect(again).toMatchObject({ created: false, record: { id: orange.record.id, properties: { name: 'Orange', numberofemployees: 12 } } });
        expect(await everyRecord(crm, 'contacts')).toHaveLength(1);
      });

      it('upsert by hs_object_id updates that record, and is NOT_FOUND (writing nothing) for an unknown id', async () => {
        const crm = await fresh();
        const bigOne = await deal(crm);
        const result = await crm.records.upsert('deals', { hs_object_id: bigOne.id, amount: 7 }, { idProperty: 'hs_object_id' });
        expect(result).toMatchObject({ created: false, record: { id: bigOne.id, properties: { amount: 7 } } });
        const before = await view(crm);
        await refused(crm.records.upsert('deals', { hs_object_id: 'ghost', amount: 1 }, { idProperty: 'hs_object_id' }), 'NOT_FOUND');
        expect(await view(crm)).toEqual(before);
      });

      it('history answers a property’s values newest first, each with its time and source; a cleared value is null', async () => {
        const crm = await fresh();
        const ana = await contact(crm, { email: 'a@x.com' });
        await crm.records.update('contacts', ana.id, { email: 'b@x.com' }, { source: { type: 'IMPORT', id: 'imp-1', label: 'CSV' } });
        await crm.records.update('contacts', ana.id, { email: 'c@x.com' }, { source: { type: 'USER', id: 'u7' } });
        await crm.records.update('contacts', ana.id, { email: null });
        const history = await crm.records.history('contacts', ana.id, 'email');
        expect(history.map(({ timestamp: _, ...rest }) => rest)).toEqual([
          { value: null, sourceType: 'API' },
          { value: 'c@x.com', sourceType: 'USER', sourceId: 'u7' },
          { value: 'b@x.com', sourceType: 'IMPORT', sourceId: 'imp-1', sourceLabel: 'CSV' },
          { value: 'a@x.com', sourceType: 'API' },
        ]);
        const times = history.map((entry) => entry.timestamp);
        expect([...times].sort().reverse()).toEqual(times);
        expect(new Set(times).size).toBe(4);
        expect(await crm.records.history('contacts', ana.id, 'city')).toEqual([]);
      });
    });

    describe('records: archive, restore, purge', () => {
      it('archive frees the email for a new contact; restoring the old one is then DUPLICATE_RECORD and leaves it archived', async () => {
        const crm = await fresh();
        const old = await contact(crm, { email: 'ana@x.com', firstname: 'Old' });
        await crm.records.archive('contacts', old.id);
        const taker = await contact(crm, { email: 'ANA@x.com', firstname: 'New' });
        const before = await view(crm);
        const error = await refused(crm.records.restore('contacts', old.id), 'DUPLICATE_RECORD');
        expect(error.details.existingId).toBe(taker.id);
        expect(await view(crm)).toEqual(before);
        expect((await crm.records.get('contacts', old.id, { archived: true }))?.archived).toBe(true);
      });

      it('restore brings the record back with its keys and history', async () => {
        const crm = await fresh();
        const ana = await contact(crm, { email: 'ana@x.com', hs_additional_emails: 'ana@home.org' });
        await crm.records.archive('contacts', ana.id);
        expect(await crm.records.history('contacts', ana.id, 'email')).toHaveLength(1);
        const restored = await crm.records.restore('contacts', ana.id);
        expect(restored).toMatchObject({ id: ana.id, archived: false, properties: ana.properties });
        expect(restored).not.toHaveProperty('archivedAt');
        expect((await crm.records.getBy('contacts', 'email', 'ana@home.org'))?.id).toBe(ana.id);
        await refused(contact(crm, { email: 'ana@x.com' }), 'DUPLICATE_RECORD');
        expect(await crm.records.history('contacts', ana.id, 'email')).toHaveLength(1);
        // Restoring a live record changes nothing.
        const events = listen(crm);
        expect(await crm.records.restore('contacts', ana.id)).toEqual(await crm.records.get('contacts', ana.id));
        expect(events).toEqual([]);
      });

      it('purge deletes the record and its history for good and frees its keys', async () => {
        const crm = await fresh();
        const ana = await contact(crm, { email: 'ana@x.com', hs_additional_emails: 'ana@home.org' });
        await crm.records.update('contacts', ana.id, { firstname: 'Anna' });
        await crm.records.purge('contacts', ana.id);
        expect(await crm.records.get('contacts', ana.id, { archived: true })).toBeUndefined();
        expect(await everyRecord(crm, 'contacts')).toEqual([]);
        await refused(crm.records.history('contacts', ana.id, 'firstname'), 'NOT_FOUND');
        await refused(crm.records.purge('contacts', ana.id), 'NOT_FOUND');
        expect((await contact(crm, { email: 'ana@x.com' })).id).not.toBe(ana.id);
        expect((await contact(crm, { email: 'ana@home.org' })).id).not.toBe(ana.id);
      });

      it('emits one event per change, in order, with the source', async () => {
        const crm = await fresh();
        const events = listen(crm);
        const source = { type: 'JOB' as const, id: 'nightly' };
        const ana = await crm.records.create('contacts', { email: 'a@x.com' }, { source });
        await crm.records.update('contacts', ana.id, { firstname: 'A' }, { source });
        await crm.records.archive('contacts', ana.id, { source });
        await crm.records.restore('contacts', ana.id, { source });
        await crm.records.purge('contacts', ana.id, { source });
        expect(events.map((event) => event.type)).toEqual(['record.created', 'record.updated', 'record.archived', 'record.restored', 'record.purged']);
        for (const event of events) expect(event).toMatchObject({ objectType: 'contacts', id: ana.id, source });
        expect(events[1]).toMatchObject({ changes: { firstname: 'A' } });
      });
    });

    // ---------------------------------------------------------------- transactions

    describe('transactions', () => {
      it('commits every call of the function together and answers its value', async () => {
        const crm = await fresh();
        const result = await crm.transaction(async (tx) => {
          const ana = await tx.records.create('contacts', { email: 'ana@x.com' });
          const acme = await tx.records.create('companies', { name: 'Acme', domain: 'acme.com' });
          await tx.associations.associate(ana, acme);
          // Calls inside see each other's writes.
          expect((await tx.records.getBy('contacts', 'email', 'ana@x.com'))?.id).toBe(ana.id);
          return { ana, acme };
        });
        expect((await crm.records.getBy('companies', 'domain', 'acme.com'))?.id).toBe(result.acme.id);
        expect(await primaryOf(crm, result.ana)).toBe(result.acme.id);
      });

      it('keeps nothing of a function that throws: records, keys, associations, schema', async () => {
        const crm = await fresh();
        const bo = await contact(crm, { email: 'bo@x.com' });
        const before = await view(crm);
        await expect(
          crm.transaction(async (tx) => {
            const ana = await tx.records.create('contacts', { email: 'ana@x.com' });
            await tx.records.update('contacts', bo.id, { email: 'bob@x.com' });
            await tx.associations.associate(ana, await tx.records.create('companies', { name: 'Acme' }));
            await tx.schema.defineProperty('contacts', { name: 'shoe_size', label: 'Shoe size', type: 'number', fieldType: 'number' });
            throw new Error('changed my mind');
          }),
        ).rejects.toThrow('changed my mind');
        expect(await view(crm)).toEqual(before);
        expect(await crm.records.getBy('contacts', 'email', 'ana@x.com')).toBeUndefined();
        expect((await crm.records.getBy('contacts', 'email', 'bo@x.com'))?.id).toBe(bo.id);
        await refused(crm.records.create('contacts', { firstname: 'X', shoe_size: 1 }), 'VALIDATION_ERROR');
        // The freed key is free: the rolled-back create did not keep it.
        await expect(contact(crm, { email: 'ana@x.com' })).resolves.toMatchObject({ properties: { email: 'ana@x.com' } });
      });

      it('undoes a failed call the function catches by itself; the rest commits', async () => {
        const crm = await fresh();
        const ana = await contact(crm, { email: 'ana@x.com' });
        await crm.transaction(async (tx) => {
          await tx.records.create('contacts', { email: 'bo@x.com' });
          // Fails after writing part of a batch: the first input is fine, the second a duplicate.
          const error = await tx.records.createMany('contacts', [{ email: 'cy@x.com' }, { email: 'ana@x.com' }]).catch((caught: unknown) => caught);
          expect(isCrmError(error, 'DUPLICATE_RECORD')).toBe(true);
          const moved = await tx.records.update('contacts', ana.id, { email: 'bo@x.com' }).catch((caught: unknown) => caught);
          expect(isCrmError(moved, 'DUPLICATE_RECORD')).toBe(true);
          await tx.records.create('contacts', { email: 'dee@x.com' });
        });
        expect((await everyRecord(crm, 'contacts')).map((record) => record.properties.email)).toEqual(['ana@x.com', 'bo@x.com', 'dee@x.com']);
        expect(await crm.records.getBy('contacts', 'email', 'cy@x.com')).toBeUndefined();
        expect(await crm.records.history('contacts', ana.id, 'email')).toHaveLength(1);
      });

      it('a call on crm instead of tx inside crm.transaction fails fast (CRM_IN_TRANSACTION) and the transaction goes on', async () => {
        const crm = await fresh();
        const misuse = (error: CrmError): void => expect(issueCodes(error)).toEqual(['CRM_IN_TRANSACTION']);
        let timer: Promise<unknown> | undefined;
        await crm.transaction(async (tx) => {
          await tx.records.create('contacts', { email: 'ana@x.com' });
          misuse(await refused(crm.records.create('contacts', { email: 'bo@x.com' }), 'VALIDATION_ERROR'));
          misuse(await refused(crm.records.list('contacts'), 'VALIDATION_ERROR'));
          misuse(await refused(crm.transaction(async () => undefined), 'VALIDATION_ERROR'));
          misuse(await refused(crm.refresh(), 'VALIDATION_ERROR'));
          misuse(await refused(crm.close(), 'VALIDATION_ERROR'));
          await tx.records.create('contacts', { email: 'cy@x.com' });
          // Work the callback leaves behind runs after the transaction: then crm is free again.
          timer = new Promise((resolve) => setTimeout(resolve, 5)).then(() => crm.records.create('contacts', { email: 'dee@x.com' }));
        });
        await timer;
        expect((await everyRecord(crm, 'contacts')).map((record) => record.properties.email)).toEqual(['ana@x.com', 'cy@x.com', 'dee@x.com']);
      });

      it('emits events only after commit, and none for a rolled-back transaction or a failed call', async () => {
        const crm = await fresh();
        const events = listen(crm);
        await crm.transaction(async (tx) => {
          await tx.records.create('contacts', { email: 'ana@x.com' });
          await tx.records.create('companies', { name: 'Acme' });
          expect(events).toEqual([]);
        });
        expect(events.map((event) => event.type)).toEqual(['record.created', 'record.created']);
        events.length = 0;
        await expect(
          crm.transaction(async (tx) => {
            await tx.records.create('contacts', { email: 'bo@x.com' });
            throw new Error('no');
          }),
        ).rejects.toThrow('no');
        await refused(crm.records.create('contacts', { email: 'ana@x.com' }), 'DUPLICATE_RECORD');
        expect(events).toEqual([]);
      });
    });

    // ---------------------------------------------------------------- schema

    describe('schema', () => {
      it('a defined property is stored: another Crm on the same storage reads and validates it', async () => {
        const storage = await factory();
        const first = await createCrm({ storage, ids: sequentialIds('a-'), clock: steppingClock() });
        const second = await createCrm({ storage, ids: sequentialIds('b-'), clock: steppingClock() });
        await first.schema.defineProperty('contacts', {
          name: 'roast',
          label: 'Favourite roast',
          type: 'enumeration',
          fieldType: 'select',
          options: [
            { label: 'Light', value: 'light' },
            { label: 'Dark', value: 'dark' },
          ],
        });
        const record = await second.records.create('contacts', { firstname: 'Ana', roast: 'dark' });
        expect(record.properties.roast).toBe('dark');
        expect(second.schema.property('contacts', 'roast')).toMatchObject({ type: 'enumeration', label: 'Favourite roast' });
        expect(issueCodes(await refused(second.records.create('contacts', { firstname: 'Bo', roast: 'medium' }), 'VALIDATION_ERROR'))).toEqual(['INVALID_OPTION']);
        const third = await createCrm({ storage });
        expect(third.schema.property('contacts', 'roast')).toEqual(first.schema.property('contacts', 'roast'));
        expect((await third.records.get('contacts', record.id))?.properties.roast).toBe('dark');
      });

      it('a defined object type is stored: another Crm on the same storage creates and associates its records', async () => {
        const storage = await factory();
        const first = await createCrm({ storage, ids: sequentialIds('a-'), clock: steppingClock() });
        const defined = await first.schema.defineObject({
          name: 'roast_batches',
          labels: { singular: 'Roast batch', plural: 'Roast batches' },
          primaryDisplayProperty: 'batch_name',
          properties: [{ name: 'batch_name', label: 'Batch', type: 'string', fieldType: 'text' }],
          associations: ['companies'],
        });
        expect(defined.id).toMatch(/^2-\d+$/);
        const second = await createCrm({ storage, ids: sequentialIds('b-'), clock: steppingClock() });
        expect(second.schema.object('roast_batches')).toEqual(defined);
        const acme = await company(second);
        const batch = await second.records.create('roast_batches', { batch_name: 'B1' }, { associations: [{ to: acme }] });
        expect(await associatedIds(first, acme, 'roast_batches')).toEqual([batch.id]);
        expect((await first.records.get(defined.id, batch.id))?.properties.batch_name).toBe('B1');
      });

      it('refresh makes a Crm see schema another Crm changed on the same storage', async () => {
        const storage = await factory();
        const first = await createCrm({ storage });
        const second = await createCrm({ storage });
        await first.schema.defineProperty('deals', { name: 'erp_id', label: 'ERP id', type: 'number', fieldType: 'number', unique: true });
        await first.schema.renameObject('deals', { singular: 'Opportunity', plural: 'Opportunities' });
        await first.associations.createLabel({ from: 'deals', to: 'contacts', label: 'Decision maker' });
        await second.refresh();
        expect(second.schema.property('deals', 'erp_id')).toMatchObject({ type: 'number', unique: true });
        expect(second.schema.object('deals').labels).toEqual({ singular: 'Opportunity', plural: 'Opportunities' });
        expect(second.associations.labels('deals', 'contacts').map((label) => label.name)).toContain('decision_maker');
        const bigOne = await second.records.create('deals', { ...DEAL, erp_id: '42' });
        await refused(first.records.create('deals', { ...DEAL, erp_id: 42 }), 'DUPLICATE_RECORD');
        expect((await first.records.getBy('deals', 'erp_id', 42))?.id).toBe(bigOne.id);
      });

      it('a refused schema write changes nothing, for this Crm or a new one on the same storage', async () => {
        const storage = await factory();
        const crm = await createCrm({ storage, ids: sequentialIds(), clock: steppingClock() });
        await crm.schema.defineProperty('contacts', { name: 'shoe_size', label: 'Shoe size', type: 'number', fieldType: 'number' });
        const before = await view(crm);
        await refused(crm.schema.defineProperty('contacts', { name: 'shoe_size', label: 'Again', type: 'string', fieldType: 'text' }), 'CONFLICT');
        await refused(crm.schema.defineProperty('contacts', { name: 'email', label: 'Mail', type: 'string', fieldType: 'text' }), 'CONFLICT');
        expect(await view(crm)).toEqual(before);
        expect(await view(await createCrm({ storage }))).toEqual(before);
      });

      it("a Crm that has not refreshed meets what another stored: CONFLICT, DUPLICATE_RECORD, and ids that never collide", async () => {
        const storage = await factory();
        const first = await createCrm({ storage, ids: sequentialIds('a-') });
        const second = await createCrm({ storage, ids: sequentialIds('b-') });
        await first.schema.defineProperty('contacts', { name: 'shoe_size', label: 'Shoe size', type: 'number', fieldType: 'number' });
        await refused(second.schema.defineProperty('contacts', { name: 'shoe_size', label: 'Shoe', type: 'string', fieldType: 'text' }), 'CONFLICT');
        expect(second.schema.property('contacts', 'shoe_size').type).toBe('number');
        await contact(first, { email: 'ana@x.com' });
        await refused(second.records.create('contacts', { email: 'ANA@x.com' }), 'DUPLICATE_RECORD');
        const champion = await first.associations.createLabel({ from: 'deals', to: 'contacts', label: 'Champion' });
        const buyer = await second.associations.createLabel({ from: 'deals', to: 'contacts', label: 'Buyer' });
        expect([champion.typeId, champion.inverseTypeId]).not.toContain(buyer.typeId);
        const thing = (name: string) => ({ name, labels: { singular: name, plural: `${name}s` }, primaryDisplayProperty: 'n', properties: [{ name: 'n', label: 'N', type: 'string' as const, fieldType: 'text' as const }] });
        const [one, two] = [await first.schema.defineObject(thing('one_things')), await second.schema.defineObject(thing('two_things'))];
        expect(one.id).not.toBe(two.id);
        await first.refresh();
        expect(first.associations.labels('deals', 'contacts').map((label) => label.name)).toEqual(['champion', 'buyer']);
        expect(first.schema.object(two.id).name).toBe('two_things');
      });

      it('turning companies’ dedup off is stored and lets another Crm create duplicate domains', async () => {
        const storage = await factory();
        const first = await createCrm({ storage, ids: sequentialIds('a-') });
        await company(first, { domain: 'orange.com' });
        await first.schema.updateObject('companies', { dedup: false });
        const second = await createCrm({ storage, ids: sequentialIds('b-') });
        expect(second.schema.object('companies').dedupKeys).not.toContain('domain');
        await company(second, { name: 'Orange 2', domain: 'orange.com' });
        expect((await everyRecord(first, 'companies')).map((record) => record.properties.domain)).toEqual(['orange.com', 'orange.com']);
      });
    });

    // ---------------------------------------------------------------- associations

    describe('associations: associate, list, labels', () => {
      it('lists an association from both sides, in the order made, with the total', async () => {
        const crm = await fresh();
        const bigOne = await deal(crm);
        const [ana, bob, cy] = [await contact(crm), await contact(crm, { firstname: 'Bob' }), await contact(crm, { firstname: 'Cy' })];
        await crm.associations.associate(bigOne, bob);
        await crm.associations.associate(ana, bigOne);
        await crm.associations.associate(bigOne, cy);
        const page = await crm.associations.list(bigOne, 'contacts');
        expect(page.results).toEqual([bob, ana, cy].map((record) => ({ objectType: 'contacts', id: record.id, labels: [], primary: false })));
        expect(page.total).toBe(3);
        expect(await associatedIds(crm, ana, 'deals')).toEqual([bigOne.id]);
        expect(await associatedIds(crm, { objectType: '0-1', id: cy.id }, '0-3')).toEqual([bigOne.id]);
      });

      it('pages a record’s associations with cursors, each exactly once', async () => {
        const crm = await fresh();
        const acme = await company(crm);
        const people = await crm.records.createMany('contacts', Array.from({ length: 5 }, (_, n) => ({ firstname: `P${n}` })));
        await crm.associations.associateMany(people.map((person) => ({ from: acme, to: person })));
        const seen: string[] = [];
        let after: string | undefined;
        do {
          const page = await crm.associations.list(acme, 'contacts', { limit: 2, ...(after !== undefined ? { after } : {}) });
          expect(page.results.length).toBeLessThanOrEqual(2);
          expect(page.total).toBe(5);
          seen.push(...page.results.map((item) => item.id));
          after = page.paging?.next?.after;
        } while (after !== undefined && seen.length < 10);
        expect(seen).toEqual(people.map((person) => person.id));
      });

      it('a list cursor survives associations removed meanwhile, and pages a label filter by itself', async () => {
        const crm = await fresh();
        const acme = await company(crm);
        const people = await crm.records.createMany('contacts', Array.from({ length: 6 }, (_, n) => ({ firstname: `P${n}` })));
        await crm.associations.associateMany(people.map((person) => ({ from: acme, to: person })));
        const first = await crm.associations.list(acme, 'contacts', { limit: 2 });
        expect(first.results.map((item) => item.id)).toEqual([people[0]!.id, people[1]!.id]);
        await crm.associations.remove(acme, people[1]!);
        await crm.associations.remove(acme, people[2]!);
        const next = await crm.associations.list(acme, 'contacts', { limit: 2, after: first.paging!.next!.after });
        expect(next.results.map((item) => item.id)).toEqual([people[3]!.id, people[4]!.id]);
        expect(next.total).toBe(4);
        // Primary companies only, from the company's side: each contact's first company is primary.
        const primaries = await crm.associations.list(acme, 'contacts', { limit: 1, label: 'primary' });
        expect(primaries.total).toBe(4);
        const after = primaries.paging!.next!.after;
        expect(issueCodes(await refused(crm.associations.list(acme, 'contacts', { limit: 1, after }), 'VALIDATION_ERROR'))).toEqual(['INVALID_CURSOR']);
        expect((await crm.associations.list(acme, 'contacts', { limit: 1, after, label: 'primary' })).results.map((item) => item.id)).toEqual([people[3]!.id]);
      });

      it('a paired label reads its own name from each side, and list filters by it', async () => {
        const crm = await fresh();
        const defined = await crm.associations.createLabel({ from: 'contacts', to: 'contacts', label: 'Manager', inverseLabel: 'Employee' });
        expect(defined).toMatchObject({ name: 'manager', inverseName: 'employee' });
        const [worker, boss, other] = [await contact(crm, { firstname: 'Worker' }), await contact(crm, { firstname: 'Boss' }), await contact(crm, { firstname: 'Other' })];
        await crm.associations.associate(worker, boss, ['manager']);
        await crm.associations.associate(worker, other);
        expect((await crm.associations.list(worker, 'contacts')).results.map((item) => [item.id, item.labels])).toEqual([
          [boss.id, ['manager']],
          [other.id, []],
        ]);
        expect((await crm.associations.list(boss, 'contacts')).results.map((item) => [item.id, item.labels])).toEqual([[worker.id, ['employee']]]);
        expect(await associatedIds(crm, worker, 'contacts', 'manager')).toEqual([boss.id]);
        await refused(crm.associations.associate(worker, other, ['nope']), 'UNKNOWN_LABEL');
        expect(crm.associations.labels('contacts', 'contacts').map((label) => label.name)).toEqual(['manager']);
      });

      it('unlabel keeps the association, remove takes it with its labels, both on both sides', async () => {
        const crm = await fresh();
        await crm.associations.createLabel({ from: 'deals', to: 'contacts', label: 'Decision maker' });
        const bigOne = await deal(crm);
        const ana = await contact(crm);
        await crm.associations.associate(bigOne, ana, ['decision_maker']);
        await crm.associations.unlabel(ana, bigOne, ['decision_maker']);
        expect((await crm.associations.list(bigOne, 'contacts')).results).toEqual([{ objectType: 'contacts', id: ana.id, labels: [], primary: false }]);
        await crm.associations.remove(bigOne, ana);
        expect(await crm.associations.list(bigOne, 'contacts')).toMatchObject({ results: [], total: 0 });
        expect(await crm.associations.list(ana, 'deals')).toMatchObject({ results: [], total: 0 });
        await refused(crm.associations.unlabel(bigOne, ana, ['decision_maker']), 'NOT_FOUND');
        await crm.associations.remove(bigOne, ana); // not associated: nothing happens
      });

      it('an associate that adds nothing changes nothing: no history, no event', async () => {
        const crm = await fresh();
        await crm.associations.createLabel({ from: 'deals', to: 'contacts', label: 'Champion' });
        const bigOne = await deal(crm);
        const ana = await contact(crm);
        await crm.associations.associate(bigOne, ana, ['champion']);
        const before = await view(crm);
        const events = listen(crm);
        await crm.associations.associate(ana, bigOne);
        await crm.associations.associate(bigOne, ana, ['champion']);
        expect(events).toEqual([]);
        expect(await view(crm)).toEqual(before);
      });

      it('deleteLabel is LABEL_IN_USE while an association carries the label, and labelUsage counts them', async () => {
        const crm = await fresh();
        await crm.associations.createLabel({ from: 'deals', to: 'contacts', label: 'Champion' });
        const bigOne = await deal(crm);
        const [ana, bob] = [await contact(crm), await contact(crm, { firstname: 'Bob' })];
        await crm.associations.associate(bigOne, ana, ['champion']);
        await crm.associations.associate(bigOne, bob, ['champion']);
        expect((await crm.associations.labelUsage('deals', 'contacts', 'champion')).associations).toBe(2);
        const error = await refused(crm.associations.deleteLabel('deals', 'contacts', 'champion'), 'LABEL_IN_USE');
        expect(error.details.associations).toBe(2);
        await crm.associations.unlabel(bigOne, ana, ['champion']);
        await crm.associations.remove(bigOne, bob);
        await crm.associations.deleteLabel('deals', 'contacts', 'champion');
        expect(crm.associations.labels('deals', 'contacts').map((label) => label.name)).not.toContain('champion');
      });

      it('refuses a self-association, a pair that may not associate, and an archived record, changing nothing', async () => {
        const crm = await fresh();
        const ana = await contact(crm);
        const bigOne = await deal(crm);
        const product = await crm.records.create('products', { name: 'Beans' });
        const gone = await contact(crm, { firstname: 'Gone' });
        await crm.records.archive('contacts', gone.id);
        const before = await view(crm);
        expect((await refused(crm.associations.associate(ana, ana), 'ASSOCIATION_NOT_ALLOWED')).details.reason).toBe('self');
        await refused(crm.associations.associate(product, bigOne), 'ASSOCIATION_NOT_ALLOWED');
        await refused(crm.associations.associate(bigOne, gone), 'ARCHIVED');
        await refused(crm.associations.associate(bigOne, { objectType: 'contacts', id: 'ghost' }), 'NOT_FOUND');
        expect(await view(crm)).toEqual(before);
      });

      it('associateMany is atomic: one refused pair refuses the batch', async () => {
        const crm = await fresh();
        const bigOne = await deal(crm);
        const [ana, bob] = [await contact(crm), await contact(crm, { firstname: 'Bob' })];
        const before = await view(crm);
        await refused(
          crm.associations.associateMany([
            { from: bigOne, to: ana },
            { from: bob, to: bob },
          ]),
          'ASSOCIATION_NOT_ALLOWED',
        );
        expect(await view(crm)).toEqual(before);
      });
    });

    describe('associations: limits', () => {
      it('a label limited to one refuses a second holder with ASSOCIATION_LIMIT and changes nothing', async () => {
        const crm = await fresh();
        await crm.associations.createLabel({ from: 'deals', to: 'contacts', label: 'Decision maker', limit: 'one' });
        const [d1, d2] = [await deal(crm), await deal(crm, { dealname: 'Two' })];
        const [ana, bob] = [await contact(crm), await contact(crm, { firstname: 'Bob' })];
        await crm.associations.associate(d1, ana, ['decision_maker']);
        await crm.associations.associate(d1, bob);
        const before = await view(crm);
        const error = await refused(crm.associations.associate(d1, bob, ['decision_maker']), 'ASSOCIATION_LIMIT');
        expect(error.details).toMatchObject({ objectType: 'deals', id: d1.id, toType: 'contacts', label: 'decision_maker', limit: 1 });
        expect(await view(crm)).toEqual(before);
        await crm.associations.associate(d2, ana, ['decision_maker']);
        expect(await associatedIds(crm, ana, 'deals', 'decision_maker')).toEqual([d1.id, d2.id]);
      });

      it('a pair capped by defineAssociation refuses one association too many, each way', async () => {
        const crm = await fresh();
        await crm.schema.defineAssociation('deals', 'contacts', { limit: 2, inverseLimit: 'one' });
        const [d1, d2] = [await deal(crm), await deal(crm, { dealname: 'Two' })];
        const [a, b, c] = [await contact(crm), await contact(crm, { firstname: 'B' }), await contact(crm, { firstname: 'C' })];
        await crm.associations.associate(d1, a);
        await crm.associations.associate(b, d1);
        const before = await view(crm);
        expect((await refused(crm.associations.associate(d1, c), 'ASSOCIATION_LIMIT')).details).toMatchObject({ objectType: 'deals', id: d1.id, limit: 2 });
        expect((await refused(crm.associations.associate(d2, a), 'ASSOCIATION_LIMIT')).details).toMatchObject({ objectType: 'contacts', id: a.id, limit: 1 });
        expect(await view(crm)).toEqual(before);
        // Associations to archived records do not count.
        await crm.records.archive('contacts', a.id);
        await crm.associations.associate(d1, c);
        expect(await associatedIds(crm, d1, 'contacts')).toEqual([b.id, c.id]);
      });
    });

    describe('associations: the primary company', () => {
      it('the first company associated becomes primary, from either side; setPrimary demotes the old one', async () => {
        const crm = await fresh();
        const [ana, bob] = [await contact(crm), await contact(crm, { firstname: 'Bob' })];
        const [acme, globex] = [await company(crm), await company(crm, { name: 'Globex' })];
        await crm.associations.associate(ana, acme);
        await crm.associations.associate(globex, bob);
        await crm.associations.associate(ana, globex);
        expect((await crm.associations.list(ana, 'companies')).results).toEqual([
          { objectType: 'companies', id: acme.id, labels: ['primary'], primary: true },
          { objectType: 'companies', id: globex.id, labels: [], primary: false },
        ]);
        expect(await primaryOf(crm, bob)).toBe(globex.id);
        await crm.associations.setPrimary(ana, globex);
        expect(await primaryOf(crm, ana)).toBe(globex.id);
        expect(await associatedIds(crm, ana, 'companies')).toEqual([acme.id, globex.id]);
        expect(await associatedIds(crm, globex, 'contacts', 'primary')).toEqual([bob.id, ana.id]);
      });

      it("refuses to unlabel a contact's only company's primary (PRIMARY_REQUIRED), and a primary from the company side", async () => {
        const crm = await fresh();
        const ana = await contact(crm);
        const acme = await company(crm);
        await crm.associations.associate(ana, acme);
        const before = await view(crm);
        await refused(crm.associations.unlabel(ana, acme, ['primary']), 'PRIMARY_REQUIRED');
        await refused(crm.associations.setPrimary(acme, ana), 'PRIMARY_NOT_ALLOWED');
        expect(await view(crm)).toEqual(before);
      });

      it('archiving a primary company gives its contacts their longest-associated live company; restoring brings it back', async () => {
        const crm = await fresh();
        const ana = await contact(crm);
        const bigOne = await deal(crm);
        const [x, y, z] = [await company(crm, { name: 'X' }), await company(crm, { name: 'Y' }), await company(crm, { name: 'Z' })];
        await crm.associations.associate(ana, z);
        await crm.associations.associate(ana, y);
        await crm.associations.setPrimary(ana, x);
        await crm.associations.associate(bigOne, x);
        await crm.associations.associate(bigOne, y);
        await crm.records.archive('companies', x.id);
        expect(await primaryOf(crm, ana)).toBe(z.id);
        expect(await associatedIds(crm, ana, 'companies')).toEqual([z.id, y.id]);
        expect(await primaryOf(crm, bigOne)).toBeUndefined();
        const [promoted, removed] = await crm.associations.history(ana);
        expect(promoted).toMatchObject({ action: 'relabelled', to: { id: z.id }, labelsAfter: ['primary'], source: { type: 'OBJECT_DELETION' } });
        expect(removed).toMatchObject({ action: 'removed', to: { id: x.id }, labelsBefore: ['primary'], source: { type: 'OBJECT_DELETION' } });
        await crm.records.restore('companies', x.id);
        expect(await primaryOf(crm, ana)).toBe(z.id);
        expect(await primaryOf(crm, bigOne)).toBe(x.id);
        expect(await associatedIds(crm, ana, 'companies')).toEqual([z.id, y.id, x.id]);
        // Restoring logs the association's return (created, OBJECT_RESTORE); the last entry about x shows the labels it has now.
        const aboutX = await crm.associations.history(ana, { with: x });
        expect(aboutX.filter((entry) => entry.source.type === 'OBJECT_RESTORE').map((entry) => entry.action)).toContain('created');
        expect(aboutX[0]).toMatchObject({ source: { type: 'OBJECT_RESTORE' }, labelsAfter: [] });
      });
    });

    describe('associations: required, history, merge', () => {
      it('refuses a quote without a deal (ASSOCIATION_REQUIRED) and keeps nothing; a quote created with its deal is kept', async () => {
        const crm = await fresh();
        const bigOne = await deal(crm);
        const before = await view(crm);
        const error = await refused(crm.records.create('quotes', QUOTE), 'ASSOCIATION_REQUIRED');
        expect(error.details).toMatchObject({ objectType: 'quotes', anyOf: ['deals'] });
        expect(await view(crm)).toEqual(before);
        const q = await quote(crm, bigOne);
        expect(await associatedIds(crm, q, 'deals')).toEqual([bigOne.id]);
        expect(await associatedIds(crm, bigOne, 'quotes')).toEqual([q.id]);
      });

      it('checks the quote’s deal when the transaction commits: a deal associated later is fine, none rolls back all', async () => {
        const crm = await fresh();
        const q = await crm.transaction(async (tx) => {
          const created = await tx.records.create('quotes', QUOTE);
          await tx.associations.associate(created, await tx.records.create('deals', DEAL));
          return created;
        });
        expect((await crm.associations.list(q, 'deals')).total).toBe(1);
        const before = await view(crm);
        await refused(
          crm.transaction(async (tx) => {
            await tx.records.create('deals', { ...DEAL, dealname: 'Other' });
            await tx.records.create('quotes', { ...QUOTE, hs_title: 'Q-2' });
          }),
          'ASSOCIATION_REQUIRED',
        );
        expect(await view(crm)).toEqual(before);
      });

      it("refuses to remove a quote's last deal or purge a deal that has quotes, changing nothing", async () => {
        const crm = await fresh();
        const bigOne = await deal(crm);
        const q = await quote(crm, bigOne);
        const before = await view(crm);
        expect((await refused(crm.associations.remove(bigOne, q), 'ASSOCIATION_REQUIRED')).details).toMatchObject({ objectType: 'quotes', ids: [q.id] });
        expect((await refused(crm.records.purge('deals', bigOne.id), 'ASSOCIATION_REQUIRED')).details.ids).toEqual([q.id]);
        expect(await view(crm)).toEqual(before);
      });

      it('logs every change on both records, newest first, each from its own side, with the other’s name and the source', async () => {
        const crm = await fresh();
        const ana = await contact(crm, { firstname: 'Ana', lastname: 'Silva' });
        const acme = await company(crm, { name: 'Acme' });
        await crm.associations.associate(ana, acme);
        await crm.records.update('companies', acme.id, { name: 'Acme Holdings' });
        await crm.associations.remove(acme, ana, { source: { type: 'USER', id: 'u1' } });
        const anaSide = await crm.associations.history(ana);
        expect(anaSide.map((entry) => [entry.action, entry.from.id, entry.to.id, entry.otherName, entry.labelsBefore, entry.labelsAfter, entry.source])).toEqual([
          ['removed', ana.id, acme.id, 'Acme Holdings', ['primary'], [], { type: 'USER', id: 'u1' }],
          ['created', ana.id, acme.id, 'Acme', [], ['primary'], { type: 'API' }],
        ]);
        const acmeSide = await crm.associations.history(acme);
        expect(acmeSide.map((entry) => [entry.action, entry.from.id, entry.to.id, entry.otherName])).toEqual([
          ['removed', acme.id, ana.id, 'Ana Silva'],
          ['created', acme.id, ana.id, 'Ana Silva'],
        ]);
        expect(acmeSide.map((entry) => entry.timestamp)).toEqual(anaSide.map((entry) => entry.timestamp));
        expect(anaSide[0]!.timestamp > anaSide[1]!.timestamp).toBe(true);
      });

      it('narrows history by type and record, and keeps a record’s history after the other record is purged', async () => {
        const crm = await fresh();
        const ana = await contact(crm);
        const acme = await company(crm);
        const bigOne = await deal(crm);
        await crm.associations.associate(ana, acme);
        await crm.associations.associate(ana, bigOne);
        expect((await crm.associations.history(ana, { toType: 'deals' })).map((entry) => entry.to.id)).toEqual([bigOne.id]);
        expect((await crm.associations.history(ana, { with: acme })).map((entry) => entry.to.id)).toEqual([acme.id]);
        await crm.records.purge('deals', bigOne.id);
        expect((await crm.associations.history(ana, { toType: 'deals' })).map((entry) => [entry.action, entry.to.id])).toEqual([
          ['removed', bigOne.id],
          ['created', bigOne.id],
        ]);
        expect(await associatedIds(crm, ana, 'deals')).toEqual([]);
      });

      it('merge keeps the primary’s values, fills its empty ones, takes the keys and associations; the merged id answers the survivor', async () => {
        const crm = await fresh();
        const ana = await contact(crm, { email: 'ana@x.com', firstname: 'Ana' });
        const annie = await contact(crm, { email: 'ana@home.org', firstname: 'Annie', lastname: 'Silva' });
        const acme = await company(crm);
        const bigOne = await deal(crm);
        await crm.associations.associate(annie, acme);
        await crm.associations.associate(annie, bigOne);
        await crm.associations.associate(ana, annie);
        const events = listen(crm);
        const survivor = await crm.records.merge('contacts', ana.id, annie.id);
        expect(survivor).toMatchObject({
          id: ana.id,
          properties: { email: 'ana@x.com', firstname: 'Ana', lastname: 'Silva', hs_additional_emails: 'ana@home.org', hs_merged_object_ids: annie.id },
        });
        expect(await crm.records.get('contacts', ana.id)).toEqual(survivor);
        expect((await crm.records.get('contacts', annie.id))?.id).toBe(ana.id);
        expect((await crm.records.getBy('contacts', 'hs_object_id', annie.id))?.id).toBe(ana.id);
        expect((await crm.records.getBy('contacts', 'email', 'ana@home.org'))?.id).toBe(ana.id);
        expect((await everyRecord(crm, 'contacts')).map((record) => record.id)).toEqual([ana.id]);
        expect(await primaryOf(crm, ana)).toBe(acme.id);
        expect(await associatedIds(crm, ana, 'deals')).toEqual([bigOne.id]);
        expect(await associatedIds(crm, ana, 'contacts')).toEqual([]);
        expect(await associatedIds(crm, acme, 'contacts')).toEqual([ana.id]);
        expect((await crm.records.history('contacts', ana.id, 'lastname'))[0]).toMatchObject({ value: 'Silva', sourceType: 'OBJECT_MERGE' });
        expect(events.find((event) => event.type === 'record.merged')).toMatchObject({ id: ana.id, mergedId: annie.id });
        await refused(contact(crm, { email: 'ana@home.org' }), 'DUPLICATE_RECORD');
      });

      it("merging deals moves the merged deal's quotes to the survivor; merging a record with itself is refused", async () => {
        const crm = await fresh();
        const [d1, d2] = [await deal(crm), await deal(crm, { dealname: 'Two' })];
        const q = await quote(crm, d2);
        await crm.records.merge('deals', d1.id, d2.id);
        expect(await associatedIds(crm, q, 'deals')).toEqual([d1.id]);
        expect(await associatedIds(crm, d1, 'quotes')).toEqual([q.id]);
        expect((await crm.records.get('deals', d2.id))?.id).toBe(d1.id);
        const before = await view(crm);
        expect(issueCodes(await refused(crm.records.merge('deals', d1.id, d1.id), 'VALIDATION_ERROR'))).toEqual(['MERGE_WITH_ITSELF']);
        expect(await view(crm)).toEqual(before);
      });
    });

    // ---------------------------------------------------------------- calculated properties

    describe('calculated properties', () => {
      it('num_associated_contacts counts a company’s live contacts, absent when zero, logged as CALCULATED', async () => {
        const crm = await fresh();
        const acme = await company(crm);
        expect(acme.properties).not.toHaveProperty('num_associated_contacts');
        const [ana, bob] = [await contact(crm), await contact(crm, { firstname: 'Bob' })];
        await crm.associations.associate(ana, acme);
        await crm.associations.associate(acme, bob);
        const count = async () => (await crm.records.get('companies', acme.id))?.properties.num_associated_contacts;
        expect(await count()).toBe(2);
        await crm.records.archive('contacts', bob.id);
        expect(await count()).toBe(1);
        await crm.records.restore('contacts', bob.id);
        expect(await count()).toBe(2);
        await crm.associations.remove(ana, acme);
        await crm.records.purge('contacts', bob.id);
        expect(await count()).toBeUndefined();
        expect((await crm.records.history('companies', acme.id, 'num_associated_contacts'))[0]).toMatchObject({ value: null, sourceType: 'CALCULATED' });
      });

      it('shows in the record a call answers and does not move updatedAt; a rolled-back transaction leaves it as it was', async () => {
        const crm = await fresh();
        const ana = await contact(crm);
        const acme = await crm.records.create('companies', { name: 'Acme' }, { associations: [{ to: ana }] });
        expect(acme.properties.num_associated_contacts).toBe(1);
        await crm.associations.associate(acme, await contact(crm, { firstname: 'Bob' }));
        const after = await crm.records.get('companies', acme.id);
        expect(after?.properties.num_associated_contacts).toBe(2);
        expect(after?.updatedAt).toBe(acme.updatedAt);
        await expect(
          crm.transaction(async (tx) => {
            await tx.associations.associate(acme, await tx.records.create('contacts', { firstname: 'Cy' }));
            throw new Error('no');
          }),
        ).rejects.toThrow('no');
        expect(await crm.records.get('companies', acme.id)).toEqual(after);
      });
    });
  });
}
