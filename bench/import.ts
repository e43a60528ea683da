// Importing a CSV: 100,000 rows (× --scale) of a contact and its company (one company per ten
// contacts), streamed through crmkit/import in chunks as a file would be. Reported: rows/s, and
// the live heap the import holds beyond the records it has stored (a second run, sampled after a
// collection every 10,000 rows), which must not grow with the file. The floor loads
// the same rows in the same run through the calls an app would use without import: createMany
// of the companies, then createMany and associateMany of the contacts, 1,000 a call.
import type { Crm } from 'crmkit';
import { importCsv } from 'crmkit/import';
import type { StorageChoice } from './storages.js';
import { collectGarbage } from './timing.js';

/** The issue's targets on memory storage. */
export const IMPORT_TARGET_ROWS_PER_S = 50_000;
export const IMPORT_TARGET_RATIO = 1.5;

const PER_COMPANY = 10;
const MAPPING = { Email: 'contacts.email', 'First name': 'contacts.firstname', 'Last name': 'contacts.lastname', Company: 'companies.name', Domain: 'companies.domain' };

export interface ImportBenchResult {
  rows: number;
  importMs: number;
  floorMs: number;
  /** The most live heap the import held beyond the records it had stored, in MB. */
  workingMb: number;
  failures: string[];
}

/** Row `n`'s cells. */
function row(n: number): [string, string, string, string, string] {
  const company = Math.floor(n / PER_COMPANY);
  return [`p${n}@c${company}.example`, `First${n}`, `Last${n}`, `Company ${company}`, `c${company}.example`];
}

/** The CSV, as chunks of about 64 KiB (a file stream's size), made as they are read. */
function* csvChunks(rows: number): Generator<string> {
  let chunk = 'Email,First name,Last name,Company,Domain\n';
  for (let n = 0; n < rows; n++) {
    chunk += `${row(n).join(',')}\n`;
    if (chunk.length >= 65_536) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk.length > 0) yield chunk;
}

async function floorLoad(crm: Crm, rows: number): Promise<void> {
  const companies = Math.ceil(rows / PER_COMPANY);
  const companyIds: string[] = [];
  for (let start = 0; start < companies; start += 1_000) {
    const made = await crm.records.createMany(
      'companies',
      Array.from({ length: Math.min(1_000, companies - start) }, (_, at) => ({ name: `Company ${start + at}`, domain: `c${start + at}.example` })),
    );
    companyIds.push(...made.map((company) => company.id));
  }
  for (let start = 0; start < rows; start += 1_000) {
    const count = Math.min(1_000, rows - start);
    const made = await crm.records.createMany(
      'contacts',
      Array.from({ length: count }, (_, at) => {
        const [email, firstname, lastname] = row(start + at);
        return { email, firstname, lastname };
      }),
    );
    await crm.associations.associateMany(made.map((contact, at) => ({ from: contact, to: { objectType: 'companies', id: companyIds[Math.floor((start + at) / PER_COMPANY)]! } })));
  }
}

/**
 * The import phase on `storage`.
 *
 * @example
 * printImport(await importBench(STORAGES.memory, 0.1));
 */
export async function importBench(storage: StorageChoice, scale: number): Promise<ImportBenchResult> {
  const rows = Math.max(1_000, Math.round(100_000 * scale));
  const failures: string[] = [];

  const floorCrm = await storage.open();
  collectGarbage();
  const floorStart = performance.now();
  await floorLoad(floorCrm, rows);
  const floorMs = performance.now() - floorStart;
  await floorCrm.close();

  // The timed run.
  const crm = await storage.open();
  collectGarbage();
  const start = performance.now();
  const result = await importCsv(crm, csvChunks(rows), { mapping: MAPPING });
  const importMs = performance.now() - start;
  if (result.failed > 0 || result.created !== rows) failures.push(`expected ${rows} rows created, got ${result.created} created, ${result.failed} failed`);
  const contacts = await crm.records.count('contacts');
  const companies = await crm.records.count('companies');
  if (contacts !== rows || companies !== Math.ceil(rows / PER_COMPANY)) failures.push(`stored ${contacts} contacts and ${companies} companies`);
  await crm.close();

  // The memory run: the live heap (after a collection) about every 10,000 rows, against the
  // share of the final heap the rows stored by then account for.
  const sampled = await storage.open();
  collectGarbage();
  const base = process.memoryUsage().heapUsed;
  const samples: Array<{ done: number; heap: number }> = [];
  await importCsv(sampled, csvChunks(rows), {
    mapping: MAPPING,
    batchSize: 500,
    onProgress: (done) => {
      if (done % 10_000 !== 0 && done !== rows) return;
      collectGarbage();
      samples.push({ done, heap: process.memoryUsage().heapUsed - base });
    },
  });
  collectGarbage();
  const stored = process.memoryUsage().heapUsed - base;
  await sampled.close();
  const working = Math.max(0, ...samples.map(({ done, heap }) => heap - (stored * done) / rows));
  return { rows, importMs, floorMs, workingMb: working / 1_048_576, failures };
}

/** Prints the phase beside its floor and the targets. */
export function printImport(result: ImportBenchResult, memory: boolean): void {
  const rate = (result.rows / result.importMs) * 1_000;
  const ratio = result.importMs / result.floorMs;
  console.log('');
  console.log(`import: ${result.rows.toLocaleString('en-US')} rows of a contact and its company (1 company a ${PER_COMPANY} contacts), CSV streamed through crmkit/import`);
  console.log(
    `  crmkit  ${Math.round(rate).toLocaleString('en-US')} rows/s (${(result.importMs / 1_000).toFixed(2)} s)${memory ? `; target ≥ ${IMPORT_TARGET_ROWS_PER_S.toLocaleString('en-US')} rows/s  ${rate >= IMPORT_TARGET_ROWS_PER_S ? 'PASS' : 'MISS'}` : ''}`,
  );
  console.log(
    `  floor   createMany + associateMany of the same rows: ${(result.floorMs / 1_000).toFixed(2)} s; ratio ${ratio.toFixed(1)}×${memory ? `; target ≤ ${IMPORT_TARGET_RATIO}×  ${ratio <= IMPORT_TARGET_RATIO ? 'PASS' : 'MISS'}` : ''}`,
  );
  console.log(`  live heap held while importing, beyond the records stored so far: ${result.workingMb.toFixed(1)} MB (at most; sampled every 10,000 rows after a collection)`);
}
