// crm.import: rows into records by a column mapping, each row all or nothing, bad rows reported
// with their number, column and code; multi-object rows with their associations.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Crm, ImportRow } from 'crmkit';
import { expectCrmError, issueCodes, testCrm } from '../helpers.js';

const MAPPING = { Email: 'contacts.email', 'First name': 'contacts.firstname', Stage: 'contacts.lifecyclestage', Company: 'companies.name', Domain: 'companies.domain' };

describe('import', () => {
  it('imports a contact and its company from each row, associated, with history source IMPORT', async () => {
    const { crm } = await testCrm();
    const result = await crm.import(
      [
        { Email: 'ana@acme.com', 'First name': 'Ana', Stage: 'Lead', Company: 'Acme', Domain: 'acme.com' },
        { Email: 'bo@acme.com', 'First name': 'Bo', Stage: 'customer', Company: 'Acme Inc', Domain: 'www.ACME.com' },
      ],
      { mapping: MAPPING },
    );
    expect(result).toMatchObject({ created: 2, updated: 0, skipped: 0, failed: 0, errors: [] });
    const acme = (await crm.records.getBy('companies', 'domain', 'acme.com'))!;
    // The second row found Acme by its domain and updated its name.
    expect(acme.properties.name).toBe('Acme Inc');
    expect(await crm.records.count('companies')).toBe(1);
    const ana = (await crm.records.getBy('contacts', 'email', 'ana@acme.com'))!;
    // An option's label ('Lead') is read as its value.
    expect(ana.properties.lifecyclestage).toBe('lead');
    expect((await crm.associations.list(acme, 'contacts')).results.map((item) => item.id)).toContain(ana.id);
    expect((await crm.records.history('contacts', ana.id, 'firstname'))[0]).toMatchObject({ value: 'Ana', sourceType: 'IMPORT' });
    // The first company a contact gets is its primary.
    expect((await crm.associations.list(ana, 'companies')).results[0]).toMatchObject({ id: acme.id, primary: true });
  });

  it('a bad row writes nothing and never stops the good ones; each problem names its row, column and code', async () => {
    const { crm } = await testCrm();
    const rows: ImportRow[] = [
      { Email: 'ok@acme.com', Company: 'Acme', Domain: 'acme.com' },
      { Email: 'not an email', Company: 'Globex', Domain: 'globex.com' },
      { Email: 'also@ok.com', Stage: 'nope' },
      { Email: 'fine@initech.com', Company: 'Initech', Domain: 'initech.com' },
    ];
    const result = await crm.import(rows, { mapping: MAPPING });
    expect(result).toMatchObject({ created: 2, failed: 2 });
    expect(result.errors).toEqual([
      { row: 2, column: 'Email', code: 'INVALID_EMAIL', message: expect.any(String) },
      { row: 3, column: 'Stage', code: 'INVALID_OPTION', message: expect.any(String) },
    ]);
    // Row 2's company was not created: the row is all or nothing.
    expect(await crm.records.getBy('companies', 'domain', 'globex.com')).toBeUndefined();
    expect(result.errorCsv().split('\r\n')).toEqual([
      'Email,Company,Domain,Stage,Import row,Import error column,Import error code,Import error message',
      expect.stringMatching(/^not an email,Globex,globex\.com,,2,Email,INVALID_EMAIL,/),
      expect.stringMatching(/^also@ok\.com,,,nope,3,Stage,INVALID_OPTION,"/),
      '',
    ]);
  });

  it('onExisting: update (default), skip, or error with DUPLICATE_RECORD', async () => {
    const { crm } = await testCrm();
    const ana = await crm.records.create('contacts', { email: 'ana@acme.com', firstname: 'Ana' });
    const row = [{ Email: 'ANA@acme.com', 'First name': 'Anna' }];
    const mapping = { Email: 'contacts.email', 'First name': 'contacts.firstname' };
    expect(await crm.import(row, { mapping, onExisting: 'skip' })).toMatchObject({ skipped: 1, updated: 0 });
    expect((await crm.records.get('contacts', ana.id))!.properties.firstname).toBe('Ana');
    const refused = await crm.import(row, { mapping, onExisting: 'error' });
    expect(refused).toMatchObject({ failed: 1, errors: [{ row: 1, column: 'Email', code: 'DUPLICATE_RECORD' }] });
    expect(await crm.import(row, { mapping })).toMatchObject({ updated: 1 });
    expect((await crm.records.get('contacts', ana.id))!.properties.firstname).toBe('Anna');
    // The same values again change nothing: the row counts as skipped.
    expect(await crm.import(row, { mapping })).toMatchObject({ updated: 0, skipped: 1 });
  });

  it('finds records by id through <type>.hs_object_id; an unknown id fails its row with NOT_FOUND', async () => {
    const { crm } = await testCrm();
    const deal = await crm.records.create('deals', { dealname: 'Old', dealstage: 'qualifiedtobuy' });
    const result = await crm.import(
      [
        { Id: deal.id, Name: 'Renamed', Stage: 'Closed won' },
        { Id: 'nope', Name: 'Ghost' },
      ],
      { mapping: { Id: 'deals.hs_object_id', Name: 'deals.dealname', Stage: 'deals.dealstage' } },
    );
    expect(result).toMatchObject({ updated: 1, failed: 1, errors: [{ row: 2, column: 'Id', code: 'NOT_FOUND' }] });
    expect((await crm.records.get('deals', deal.id))!.properties).toMatchObject({ dealname: 'Renamed', dealstage: 'closedwon', hs_is_closed_won: true });
  });

  it('reads spreadsheet forms: Yes/No, grouped numbers, labels of options', async () => {
    const { crm } = await testCrm();
    await crm.schema.defineProperty('contacts', { name: 'vip', label: 'VIP', type: 'bool', fieldType: 'booleancheckbox' });
    await crm.import([{ Email: 'a@x.com', VIP: 'Yes', Stage: 'Marketing Qualified Lead' }], { mapping: { Email: 'contacts.email', VIP: 'contacts.vip', Stage: 'contacts.lifecyclestage' } });
    expect((await crm.records.getBy('contacts', 'email', 'a@x.com'))!.properties).toMatchObject({ vip: true, lifecyclestage: 'marketingqualifiedlead' });
    await crm.import([{ Deal: 'Big', Amount: '1,200.50', Stage: 'appointmentscheduled' }], { mapping: { Deal: 'deals.dealname', Amount: 'deals.amount', Stage: 'deals.dealstage' } });
    expect((await crm.records.search('deals', { query: 'Big' })).results[0]!.properties.amount).toBe(1200.5);
  });

  it('makes the associations asked for, labels included, and checks commit rules for each row (a lead needs a contact)', async () => {
    const { crm } = await testCrm();
    await crm.associations.createLabel({ from: 'contacts', to: 'companies', label: 'Billing contact' });
    const result = await crm.import(
      [
        { Email: 'ana@acme.com', Company: 'Acme', Domain: 'acme.com', Lead: 'Ana at Acme' },
        { Lead: 'Nobody' },
      ],
      {
        mapping: { Email: 'contacts.email', Company: 'companies.name', Domain: 'companies.domain', Lead: 'leads.hs_lead_name' },
        associations: [
          { from: 'contacts', to: 'companies', labels: ['billing_contact'] },
          { from: 'leads', to: 'contacts' },
        ],
      },
    );
    expect(result).toMatchObject({ created: 1, failed: 1, errors: [{ row: 2, code: 'ASSOCIATION_REQUIRED' }] });
    const ana = (await crm.records.getBy('contacts', 'email', 'ana@acme.com'))!;
    expect((await crm.associations.list(ana, 'companies')).results[0]!.labels).toEqual(expect.arrayContaining(['billing_contact', 'primary']));
    expect(await crm.records.count('leads')).toBe(1);
  });

  it('reads any iterable or async iterable in batches, reporting progress after each', async () => {
    const { crm } = await testCrm();
    async function* rows(): AsyncGenerator<ImportRow> {
      for (let n = 1; n <= 25; n++) yield { Email: `p${n}@x.com` };
    }
    const progress: number[] = [];
    const result = await crm.import(rows(), { mapping: { Email: 'contacts.email' }, batchSize: 10, onProgress: (done) => progress.push(done) });
    expect(result.created).toBe(25);
    expect(progress).toEqual([10, 20, 25]);
  });

  it('a bad mapping or option is VALIDATION_ERROR before any row is read, and writes nothing', async () => {
    const { crm, storage } = await testCrm();
    const before = storage.snapshot();
    let read = false;
    const rows = {
      *[Symbol.iterator]() {
        read = true;
        yield { Email: 'a@x.com' };
      },
    };
    const error = await expectCrmError(
      crm.import(rows, { mapping: { Email: 'contact.email', Name: 'contacts.nope', Id: 'contacts.createdate', Company: 'companies.name' }, associations: [{ from: 'contacts', to: 'products' }] }),
      'VALIDATION_ERROR',
    );
    expect(issueCodes(error)).toEqual(['INVALID_ARGUMENT', 'PROPERTY_DOESNT_EXIST', 'READ_ONLY_VALUE', 'INVALID_ARGUMENT']);
    expect(read).toBe(false);
    for (const options of [undefined, {}, { mapping: {} }, { mapping: { Email: 'email' } }, { mapping: { Email: 'contacts.email' }, batchSize: 0 }, { mapping: { Email: 'contacts.email' }, onExisting: 'merge' }]) {
      await expectCrmError(crm.import([], options as never), 'VALIDATION_ERROR');
    }
    await expectCrmError(crm.import(42 as never, { mapping: { Email: 'contacts.email' } }), 'VALIDATION_ERROR');
    expect(storage.snapshot()).toEqual(before);
  });
});

describe('import over any rows', () => {
  const row = fc.record({
    Email: fc.constantFrom('a@x.com', 'A@X.com', 'b@x.com', 'c@x.com', 'bad', ''),
    'First name': fc.constantFrom('Ana', 'Bo', ''),
    Stage: fc.constantFrom('lead', 'Customer', 'nope', ''),
  });

  it('each row is all or nothing, in order: the contacts equal a model of the rows, and the counts add up', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(row, { maxLength: 12 }), fc.constantFrom('update' as const, 'skip' as const, 'error' as const), fc.integer({ min: 1, max: 5 }), async (rows, onExisting, batchSize) => {
        const { crm } = await testCrm();
        const result = await crm.import(rows, { mapping: { Email: 'contacts.email', 'First name': 'contacts.firstname', Stage: 'contacts.lifecyclestage' }, onExisting, batchSize });
        // The model: email → properties, the row's fate.
        const model = new Map<string, Record<string, string>>();
        const expected = { created: 0, updated: 0, skipped: 0, failed: 0 };
        for (const { Email, 'First name': first, Stage } of rows) {
          const email = Email.toLowerCase();
          const stage = Stage === '' ? undefined : Stage === 'Customer' ? 'customer' : Stage;
          const values: Record<string, string> = {};
          if (first !== '') values.firstname = first;
          if (stage !== undefined) values.lifecyclestage = stage;
          if (Email === '' && first === '' && stage === undefined) {
            expected.skipped++; // an empty row names no record
            continue;
          }
          const existing = Email === '' || Email === 'bad' ? undefined : model.get(email);
          if (existing) {
            if (onExisting === 'error') expected.failed++;
            else if (onExisting === 'skip') expected.skipped++; // a skipped record's cells are not judged
            else if (stage === 'nope') expected.failed++;
            else {
              const changed = Object.entries(values).some(([name, value]) => existing[name] !== value);
              Object.assign(existing, values);
              expected[changed ? 'updated' : 'skipped']++;
            }
            continue;
          }
          // A new contact: every value judged, and it needs one of email, first or last name.
          if (Email === 'bad' || stage === 'nope' || (Email === '' && first === '')) {
            expected.failed++;
            continue;
          }
          model.set(Email === '' ? `#${model.size}` : email, { ...(Email === '' ? {} : { email }), ...values });
          expected.created++;
        }
        expect({ created: result.created, updated: result.updated, skipped: result.skipped, failed: result.failed }).toEqual(expected);
        const stored = (await crm.records.list('contacts', { limit: 100 })).results.map(({ properties: { email, firstname, lifecyclestage } }) => ({
          ...(email !== undefined ? { email } : {}),
          ...(firstname !== undefined ? { firstname } : {}),
          ...(lifecyclestage !== undefined ? { lifecyclestage } : {}),
        }));
        expect(stored).toEqual([...model.values()]);
        expect(new Set(result.errors.map((error) => error.row)).size).toBe(result.failed);
      }),
      { numRuns: 150 },
    );
  });

  /** What the CRM holds, by email and domain (ids differ between the two paths). */
  async function contents(crm: Crm): Promise<unknown> {
    const companies = (await crm.records.list('companies', { limit: 100 })).results;
    const domainOf = new Map(companies.map((company) => [company.id, company.properties.domain]));
    const contacts = [];
    for (const contact of (await crm.records.list('contacts', { limit: 100 })).results) {
      const links = (await crm.associations.list(contact, 'companies')).results.map((item) => [domainOf.get(item.id), item.primary]);
      contacts.push([contact.properties.email, contact.properties.firstname, links]);
    }
    return { companies: companies.map((company) => [company.properties.domain, company.properties.name]), contacts };
  }

  it('a batch written whole (all rows good) ends as the same rows written one by one (a bad row sends its batch row by row)', async () => {
    const good = fc.record({
      Email: fc.constantFrom('a@x.com', 'b@x.com', 'c@y.com', 'B@X.com'),
      'First name': fc.constantFrom('Ana', 'Bo', ''),
      Company: fc.constantFrom('X', 'X Inc', 'Y', ''),
      Domain: fc.constantFrom('x.com', 'y.com', 'www.X.com'),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(good, { minLength: 1, maxLength: 10 }), fc.constantFrom('update' as const, 'skip' as const), async (rows, onExisting) => {
        const whole = await testCrm();
        const byRow = await testCrm();
        const mapping = { Email: 'contacts.email', 'First name': 'contacts.firstname', Company: 'companies.name', Domain: 'companies.domain' };
        const fast = await whole.crm.import(rows, { mapping, onExisting });
        // The same rows and one bad row: the batch fails whole and goes row by row.
        const slow = await byRow.crm.import([...rows, { Email: 'not an email', Domain: 'z.com' }], { mapping, onExisting });
        expect({ created: slow.created, updated: slow.updated, skipped: slow.skipped, failed: slow.failed - 1 }).toEqual({
          created: fast.created,
          updated: fast.updated,
          skipped: fast.skipped,
          failed: fast.failed,
        });
        expect(await contents(whole.crm)).toEqual(await contents(byRow.crm));
      }),
      { numRuns: 100 },
    );
  });
});
