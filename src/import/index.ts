// 'crmkit/import': CSV files into crm.import. csv-parse (a well-kept, dependency-free parser; an
// optional peer of this subpath only) reads the text as a stream, with the first line as the
// header, so a file of any size imports in bounded memory: rows flow into crm.import, which
// writes them a batch at a time. Built on the public API only.
import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { CrmError, type Crm, type ImportOptions, type ImportResult, type ImportRow } from 'crmkit';

/**
 * CSV text to import: the whole text, or chunks of it (a Node Readable, `fs.createReadStream`,
 * a web `ReadableStream`'s async iteration, or any iterable of strings or bytes).
 *
 * @example
 * const source: CsvSource = createReadStream('contacts.csv');
 */
export type CsvSource = string | Uint8Array | Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>;

/**
 * How csv-parse reads the file: the options crmkit sets, which a caller may override (a `;`
 * delimiter, say). `columns` is always the header line.
 *
 * @example
 * await importCsv(crm, text, { mapping, csv: { delimiter: ';' } });
 */
export interface CsvOptions {
  delimiter?: string;
  quote?: string;
  escape?: string;
  /** Trim spaces around each cell (default true). */
  trim?: boolean;
}

/** A CSV the parser cannot read (an unclosed quote garbles everything after it): the import stops there, naming the line. */
function csvError(error: unknown): CrmError {
  const facts = error as { code?: unknown; lines?: unknown; message?: unknown };
  const line = typeof facts.lines === 'number' ? facts.lines : undefined;
  const message = `The CSV cannot be read${line !== undefined ? ` at line ${line}` : ''}: ${typeof facts.message === 'string' ? facts.message : String(error)}`;
  return new CrmError('VALIDATION_ERROR', message, { issues: [{ code: 'INVALID_ARGUMENT', property: 'source', message }] });
}

/** The parsed rows of a CSV source, streamed. */
async function* csvRows(source: CsvSource, csv: CsvOptions): AsyncGenerator<ImportRow> {
  // Cells come as arrays and rows are built here from the header: a third faster than the
  // parser's own column objects, and parsing is most of what an import does beyond writing.
  const parser = parse({
    bom: true,
    skip_empty_lines: true,
    // A row with fewer or more cells than the header still reads: missing cells are blank, extra ones unmapped.
    relax_column_count: true,
    trim: csv.trim ?? true,
    ...(csv.delimiter !== undefined ? { delimiter: csv.delimiter } : {}),
    ...(csv.quote !== undefined ? { quote: csv.quote } : {}),
    ...(csv.escape !== undefined ? { escape: csv.escape } : {}),
  });
  const input = typeof source === 'string' || source instanceof Uint8Array ? Readable.from([source]) : Readable.from(source as AsyncIterable<string | Uint8Array>);
  input.on('error', (error) => parser.destroy(error));
  input.pipe(parser);
  try {
    let header: string[] | undefined;
    for await (const cells of parser as AsyncIterable<string[]>) {
      if (header === undefined) {
        header = cells;
        continue;
      }
      const row: Record<string, string> = {};
      const count = Math.min(header.length, cells.length);
      for (let at = 0; at < count; at++) row[header[at]!] = cells[at]!;
      yield row;
    }
  } catch (error) {
    if (error instanceof CrmError) throw error;
    throw csvError(error);
  } finally {
    input.destroy();
  }
}

/**
 * Imports a CSV file through `crm.import`: the header line names the columns that `mapping`
 * maps; the rest is crm.import's (docs/import.md). Rows are numbered from 1 after the header.
 *
 * @example
 * import { createReadStream } from 'node:fs';
 * import { importCsv } from 'crmkit/import';
 * const result = await importCsv(crm, createReadStream('contacts.csv'), { mapping: { Email: 'contacts.email' } });
 */
export function importCsv(crm: Crm, source: CsvSource, options: ImportOptions & { csv?: CsvOptions }): Promise<ImportResult> {
  const { csv, ...importOptions } = (options ?? {}) as ImportOptions & { csv?: CsvOptions };
  const readable =
    typeof source === 'string' ||
    source instanceof Uint8Array ||
    (typeof source === 'object' && source !== null && (Symbol.iterator in source || Symbol.asyncIterator in source));
  if (!readable) {
    const message = 'importCsv expects CSV text, bytes, or an (async) iterable of chunks such as a file stream';
    return Promise.reject(new CrmError('VALIDATION_ERROR', message, { issues: [{ code: 'INVALID_ARGUMENT', property: 'source', message }] }));
  }
  return crm.import(csvRows(source, csv ?? {}), importOptions);
}
