// crmkit/import: CSV text or streams into crm.import, through a real parser (csv-parse).
import { Readable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { importCsv } from 'crmkit/import';
import { expectCrmError, testCrm } from '../helpers.js';

const MAPPING = { Email: 'contacts.email', 'First name': 'contacts.firstname', Company: 'companies.name', Domain: 'companies.domain' };

describe('importCsv', () => {
  it('imports a CSV whose header names the columns: quoted cells, commas and line breaks inside quotes, a BOM', async () => {
    const { crm } = await testCrm();
    const text = '\uFEFFEmail,First name,Company,Domain\r\nana@acme.com,Ana,"Acme, Inc.",acme.com\r\nbo@globex.com,"Bo ""B"" Li",Globex,globex.com\r\n';
    const result = await importCsv(crm, text, { mapping: MAPPING });
    expect(result).toMatchObject({ created: 2, failed: 0 });
    expect((await crm.records.getBy('companies', 'domain', 'acme.com'))!.properties.name).toBe('Acme, Inc.');
    expect((await crm.records.getBy('contacts', 'email', 'bo@globex.com'))!.properties.firstname).toBe('Bo "B" Li');
  });

  it('reads a stream of chunks cut anywhere, in batches', async () => {
    const { crm } = await testCrm();
    const lines = ['Email,First name', ...Array.from({ length: 120 }, (_, n) => `p${n}@x.com,P${n}`)].join('\n');
    const chunks: Buffer[] = [];
    for (let at = 0; at < lines.length; at += 7) chunks.push(Buffer.from(lines.slice(at, at + 7)));
    const progress: number[] = [];
    const result = await importCsv(crm, Readable.from(chunks), { mapping: { Email: 'contacts.email', 'First name': 'contacts.firstname' }, batchSize: 50, onProgress: (done) => progress.push(done) });
    expect(result.created).toBe(120);
    expect(progress).toEqual([50, 100, 120]);
  });

  it('numbers rows from 1 after the header, and its error CSV parses back to the failed rows', async () => {
    const { crm } = await testCrm();
    const text = 'Email,First name,Company,Domain\nok@acme.com,Ok,Acme,acme.com\n"bad, email",X,"Globex\nEast",globex.com\n';
    const result = await importCsv(crm, text, { mapping: MAPPING });
    expect(result.errors).toEqual([{ row: 2, column: 'Email', code: 'INVALID_EMAIL', message: expect.any(String) }]);
    const [failed] = parse(result.errorCsv(), { columns: true }) as Array<Record<string, string>>;
    expect(failed).toMatchObject({ Email: 'bad, email', Company: 'Globex\nEast', 'Import row': '2', 'Import error code': 'INVALID_EMAIL' });
  });

  it('takes another delimiter; short rows read as blank cells, cells past the header are ignored', async () => {
    const { crm } = await testCrm();
    const result = await importCsv(crm, 'Email;First name\na@x.com;Ana\nb@x.com\nc@x.com;Cy;extra;more\n', {
      mapping: { Email: 'contacts.email', 'First name': 'contacts.firstname' },
      csv: { delimiter: ';' },
    });
    expect(result.created).toBe(3);
    expect((await crm.records.getBy('contacts', 'email', 'c@x.com'))!.properties.firstname).toBe('Cy');
    expect((await crm.records.getBy('contacts', 'email', 'b@x.com'))!.properties).not.toHaveProperty('firstname');
  });

  it('a CSV the parser cannot read stops with VALIDATION_ERROR naming the line; a bad source or mapping is refused', async () => {
    const { crm } = await testCrm();
    const error = await expectCrmError(importCsv(crm, 'Email,First name\na@x.com,"Ana\n', { mapping: { Email: 'contacts.email' } }), 'VALIDATION_ERROR');
    expect(error.message).toMatch(/line/);
    await expectCrmError(importCsv(crm, 42 as never, { mapping: { Email: 'contacts.email' } }), 'VALIDATION_ERROR');
    await expectCrmError(importCsv(crm, 'Email\na@x.com\n', { mapping: { Email: 'contact.email' } }), 'VALIDATION_ERROR');
  });

  it('any cells, written as CSV and imported, arrive as they were (a real round trip through the parser)', async () => {
    const cell = fc.string({ maxLength: 12 }).filter((text) => !/[\r\n]/.test(text) && text.trim() === text && text.trim() !== '');
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(cell, { minLength: 1, maxLength: 5 }), async (names) => {
        const { crm } = await testCrm();
        const quote = (text: string): string => `"${text.replace(/"/g, '""')}"`;
        const text = ['Email,First name', ...names.map((name, n) => `p${n}@x.com,${quote(name)}`)].join('\r\n');
        const result = await importCsv(crm, text, { mapping: { Email: 'contacts.email', 'First name': 'contacts.firstname' } });
        expect(result.failed).toBe(0);
        const stored = (await crm.records.list('contacts')).results.map((record) => record.properties.firstname);
        expect(stored).toEqual(names);
      }),
      { numRuns: 50 },
    );
  });
});
