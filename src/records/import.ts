// crm.import: rows of a spreadsheet into records, as HubSpot's import does. A plan, made once
// per batch from the schema, says which columns feed which object type's properties, how a row's
// records are found (record id, else dedup key) and which of them to associate. Each row is a
// step of its batch's transaction that fails alone (TxContext.attempt): all of a row, or none of
// it, and a bad row never stops the good ones. Writes go through the record and association
// services, so every rule, history entry (source IMPORT) and event is as for any call.
import { CrmError, IssueList, isCrmError, type ValidationIssue } from '../errors.js';
import type { TxContext } from '../schema/transaction.js';
import { ID_PROPERTY, type KeySpec, type ObjectModel, type PropertyModel } from '../schema/model.js';
import { activeModel } from '../schema/lookup.js';
import type { SchemaState } from '../schema/model.js';
import { associationModel } from '../associations/model.js';
import { resolveLabels } from '../associations/rules.js';
import { associate, associateMany } from '../associations/service.js';
import { Invalid } from '../schema/values.js';
import type { ImportInput } from '../arguments/import.js';
import type { PropertyInput, PropertyValue } from '../types.js';
import { createRecords, updateRecord } from './service.js';
import { sameValue } from './rules.js';
import { importCell } from './import-values.js';

/** One row as given: column → cell. */
export type ImportRow = { readonly [column: string]: string | number | boolean | null | undefined };

/** One problem of a failed row: its 1-based row number, the column to blame when one is, the code and message. */
export interface ImportRowError {
  row: number;
  column?: string;
  code: string;
  message: string;
}

/** The columns feeding one object type of a row, and how its record is found. */
interface TypePlan {
  readonly model: ObjectModel;
  readonly columns: ReadonlyArray<{ readonly column: string; readonly property: PropertyModel }>;
  /** The column holding the record id (mapped to `<type>.hs_object_id`), when there is one. */
  readonly idColumn: string | undefined;
  /** The column holding the dedup key's main property, when there is one. */
  readonly key: { readonly column: string; readonly spec: KeySpec } | undefined;
}

/** What one import does with each row. */
export interface ImportPlan {
  readonly types: readonly TypePlan[];
  readonly associations: ReadonlyArray<{ readonly from: number; readonly to: number; readonly labels: readonly string[] | undefined }>;
  /** `type.property` → the column it came from, to name a culprit. */
  readonly columnOf: ReadonlyMap<string, string>;
}

/**
 * The plan of an import over `schema`: VALIDATION_ERROR listing every mapping problem (unknown
 * object type or property, a read-only property, an association between types that never
 * associate or that are not mapped, an unknown label) before any row is read.
 *
 * @example
 * const plan = planImport(ctx.schema, parseImportOptions({ mapping: { Email: 'contacts.email' } }));
 */
export function planImport(schema: SchemaState, input: ImportInput): ImportPlan {
  const issues = new IssueList();
  const byType = new Map<string, { model: ObjectModel; columns: Array<{ column: string; property: PropertyModel }>; idColumn?: string }>();
  const columnOf = new Map<string, string>();
  for (const { column, objectType, property: name } of input.columns) {
    const path = ['mapping', column];
    const model = schema.find(objectType);
    if (!model) {
      issues.add({ code: 'INVALID_ARGUMENT', path, message: `mapping.${column}: ${JSON.stringify(objectType)} is not an object type` });
      continue;
    }
    let plan = byType.get(model.name);
    if (!plan) byType.set(model.name, (plan = { model, columns: [] }));
    columnOf.set(`${model.name}.${name}`, column);
    if (name === ID_PROPERTY) {
      plan.idColumn = column;
      continue;
    }
    const property = model.property(name);
    if (!property || property.doc.archived) {
      issues.add({ code: 'PROPERTY_DOESNT_EXIST', path, property: name, message: `mapping.${column}: ${model.name} has no property ${JSON.stringify(name)}` });
    } else if (!property.writable) {
      issues.add({ code: 'READ_ONLY_VALUE', path, property: name, message: `mapping.${column}: ${model.name}.${name} is read-only` });
    } else plan.columns.push({ column, property });
  }
  const types: TypePlan[] = [...byType.values()].map(({ model, columns, idColumn }) => {
    const spec = model.keys[0];
    const keyColumn = spec && columns.find((entry) => entry.property.doc.name === spec.property)?.column;
    return { model, columns, idColumn, key: spec && keyColumn !== undefined ? { column: keyColumn, spec } : undefined };
  });
  const indexOf = (name: string): number => types.findIndex((plan) => plan.model.name === (schema.find(name)?.name ?? name));
  const pairs = input.associations ?? types.slice(1).map((plan) => ({ from: types[0]!.model.name, to: plan.model.name, labels: undefined }));
  const associations: Array<{ from: number; to: number; labels: readonly string[] | undefined }> = [];
  const graph = associationModel(schema);
  pairs.forEach((pair, at) => {
    const path = ['associations', at];
    const from = indexOf(pair.from);
    const to = indexOf(pair.to);
    if (from < 0 || to < 0) {
      issues.add({ code: 'INVALID_ARGUMENT', path, message: `associations[${at}]: ${JSON.stringify(from < 0 ? pair.from : pair.to)} is not an object type the mapping names` });
      return;
    }
    const view = graph.pair(types[from]!.model.name, types[to]!.model.name);
    if (!view || from === to) {
      issues.add({
        code: 'INVALID_ARGUMENT',
        path,
        message: `associations[${at}]: ${types[from]!.model.name} and ${types[to]!.model.name} records never associate${input.associations ? '' : ' (give associations: [] to import them unassociated)'}`,
      });
      return;
    }
    try {
      resolveLabels(view, pair.labels, true);
    } catch (error) {
      if (!isCrmError(error)) throw error;
      issues.add({ code: 'INVALID_LABEL', path, message: `associations[${at}]: ${error.message}` });
      return;
    }
    associations.push({ from, to, labels: pair.labels });
  });
  if (issues.length > 0) throw issues.error('import');
  return { types, associations, columnOf };
}

/** What happened to one row. */
export type RowStatus = 'created' | 'updated' | 'skipped';

/** A row's failure, with the object type whose step failed (to find the culprit's column). */
export class RowFailure extends Error {
  constructor(
    readonly error: CrmError,
    readonly objectType: string | undefined,
  ) {
    super(error.message);
  }
}

/** Runs one step of a row, tagging its CrmError with the object type it was about. */
async function step<T>(objectType: string | undefined, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isCrmError(error) && error.code !== 'STORAGE_ERROR') throw new RowFailure(error, objectType);
    throw error;
  }
}

/** A type's values in a row, read from its cells (blank cells say nothing); `undefined` when the row has none for it. */
function valuesOf(plan: TypePlan, row: ImportRow): Record<string, PropertyInput> | undefined {
  let values: Record<string, PropertyInput> | undefined;
  for (const { column, property } of plan.columns) {
    const cell = row[column];
    if (cell === undefined || cell === null || cell === '') continue;
    (values ??= {})[property.doc.name] = importCell(property, cell);
  }
  return values;
}

/** The live or archived record a row names for a type: by record id, else by its dedup key. */
async function existingId(ctx: TxContext, plan: TypePlan, row: ImportRow): Promise<string | undefined> {
  const idCell = plan.idColumn === undefined ? undefined : row[plan.idColumn];
  if (idCell !== undefined && idCell !== null && idCell !== '') {
    const id = String(idCell);
    const [record] = await ctx.tx.getRecords(plan.model.name, [id]);
    if (!record) throw new CrmError('NOT_FOUND', `No ${plan.model.name} record with id ${JSON.stringify(id)}`, { objectType: plan.model.name, id });
    if (record.archived) throw new CrmError('ARCHIVED', `${plan.model.name} record ${JSON.stringify(id)} is archived`, { objectType: plan.model.name, id });
    return id;
  }
  if (!plan.key) return undefined;
  const cell = row[plan.key.column];
  if (cell === undefined || cell === null || cell === '') return undefined;
  const value = plan.model.properties.get(plan.key.spec.property)!.normalise(cell);
  // A key the property refuses finds nothing: the create reports why.
  if (value instanceof Invalid || value === null) return undefined;
  const [holder] = await ctx.tx.lookupKeys(plan.model.name, plan.key.spec.name, [String(value)]);
  return holder;
}

/**
 * Imports one row: each object type's record found and updated (or skipped, or refused, as
 * `onExisting` says) or created, then the row's associations. Throws a RowFailure when the row
 * fails; the caller's step undoes whatever the row wrote.
 */
async function importRow(ctx: TxContext, plan: ImportPlan, row: ImportRow, input: ImportInput): Promise<RowStatus> {
  const refs: Array<{ objectType: string; id: string; skipped: boolean } | undefined> = [];
  let created = false;
  let updated = false;
  for (const typePlan of plan.types) {
    const type = typePlan.model.name;
    const values = valuesOf(typePlan, row);
    const found = await step(type, () => existingId(ctx, typePlan, row));
    if (found === undefined) {
      if (values === undefined) {
        refs.push(undefined);
        continue;
      }
      const [record] = await step(type, () => createRecords(ctx, type, [values], { source: input.source, associations: [] }, false));
      refs.push({ objectType: type, id: record!.id, skipped: false });
      created = true;
      continue;
    }
    if (input.onExisting === 'error') {
      throw new RowFailure(
        new CrmError('DUPLICATE_RECORD', `${type} record ${found} already exists (onExisting: 'error')`, { objectType: type, existingId: found }),
        type,
      );
    }
    if (input.onExisting === 'skip' || values === undefined) {
      refs.push({ objectType: type, id: found, skipped: true });
      continue;
    }
    const before = await ctx.tx.getRecords(type, [found]);
    const record = await step(type, () => updateRecord(ctx, type, found, values, { source: input.source }));
    if (record.updatedAt !== before[0]?.updatedAt) updated = true;
    refs.push({ objectType: type, id: found, skipped: false });
  }
  for (const { from, to, labels } of plan.associations) {
    const a = refs[from];
    const b = refs[to];
    if (!a || !b || (a.skipped && b.skipped)) continue;
    await step(undefined, () => associate(ctx, a, b, labels, { source: input.source }));
  }
  return created ? 'created' : updated ? 'updated' : 'skipped';
}

/**
 * The problems of a failed row, each with its column when one is to blame.
 *
 * @example
 * rowErrors(plan, 7, failure); // [{ row: 7, column: 'Email', code: 'INVALID_EMAIL', message: '…' }]
 */
export function rowErrors(plan: ImportPlan, number: number, failure: RowFailure): ImportRowError[] {
  const { error, objectType } = failure;
  const column = (property: string | undefined): string | undefined =>
    objectType === undefined || property === undefined ? undefined : plan.columnOf.get(`${objectType}.${property}`);
  const at = (property: string | undefined, code: string, message: string): ImportRowError => {
    const culprit = column(property);
    return { row: number, ...(culprit !== undefined ? { column: culprit } : {}), code, message };
  };
  if (error.code === 'VALIDATION_ERROR') {
    return error.details.issues.map((issue: ValidationIssue) => at(issue.property, issue.code, issue.message));
  }
  const typePlan = plan.types.find((candidate) => candidate.model.name === objectType);
  if (error.code === 'DUPLICATE_RECORD') return [at(error.details.conflicts?.[0]?.property ?? typePlan?.key?.spec.property, error.code, error.message)];
  if (error.code === 'NOT_FOUND' || error.code === 'ARCHIVED') {
    const culprit = typePlan?.idColumn;
    return [{ row: number, ...(culprit !== undefined ? { column: culprit } : {}), code: error.code, message: error.message }];
  }
  return [{ row: number, code: error.code, message: error.message }];
}

// ---------------------------------------------------------------- the batch fast path

/** Thrown inside the fast path when the batch needs the row-by-row path (its step then rolls back). */
class RowByRow extends Error {}

/** A type's records in a batch: the rows naming one record, in order, and what it will be. */
interface Group {
  readonly rows: number[];
  /** The record's id: existing, or set once created. */
  id: string | undefined;
  readonly existed: boolean;
  /** Raw values to write (created: merged in row order; existing: the changes). */
  write: Record<string, PropertyInput> | undefined;
}

/**
 * The whole batch in one step, the way createMany and associateMany write (one call per type,
 * one for the associations), with the same outcome as row by row when every row is good: a
 * record several rows name is found once and takes their values in row order, and each row's
 * status is what it would have been alone. Answers undefined when a row is not good (or the
 * batch is one the fast path does not take): the step has then written nothing, and the caller
 * goes row by row for each row's own errors.
 */
async function importFast(ctx: TxContext, plan: ImportPlan, rows: ReadonlyArray<{ number: number; row: ImportRow }>, input: ImportInput): Promise<RowStatus[] | undefined> {
  try {
    return await ctx.attempt(() => writeFast(ctx, plan, rows, input), true);
  } catch (error) {
    if (error instanceof RowByRow || (isCrmError(error) && error.code !== 'STORAGE_ERROR')) return undefined;
    throw error;
  }
}

async function writeFast(ctx: TxContext, plan: ImportPlan, rows: ReadonlyArray<{ number: number; row: ImportRow }>, input: ImportInput): Promise<RowStatus[]> {
  const status: RowStatus[] = rows.map(() => 'skipped');
  const created = rows.map(() => false);
  const updated = rows.map(() => false);
  // Per type, per row: the record's id and whether the row skipped it (as importRow says).
  const refs: Array<Array<{ objectType: string; id: string; skipped: boolean } | undefined>> = [];
  for (const typePlan of plan.types) {
    const type = typePlan.model.name;
    const groups: Group[] = [];
    // Rows name a record by id or by dedup key: two maps, so no lookup builds a string.
    const byId = new Map<string, Group>();
    const byKey = new Map<string, Group>();
    const groupOf: Array<Group | undefined> = [];
    const values: Array<Record<string, PropertyInput> | undefined> = [];
    const keyProperty = typePlan.key ? typePlan.model.properties.get(typePlan.key.spec.property)! : undefined;
    for (let at = 0; at < rows.length; at++) {
      const row = rows[at]!.row;
      const rowValues = valuesOf(typePlan, row);
      values.push(rowValues);
      const idCell = typePlan.idColumn === undefined ? undefined : row[typePlan.idColumn];
      let group: Group | undefined;
      let named: { map: Map<string, Group>; value: string } | undefined;
      if (idCell !== undefined && idCell !== null && idCell !== '') named = { map: byId, value: String(idCell) };
      else if (keyProperty) {
        const cell = row[typePlan.key!.column];
        if (cell !== undefined && cell !== null && cell !== '') {
          const key = keyProperty.normalise(cell);
          if (key instanceof Invalid || key === null) throw new RowByRow();
          named = { map: byKey, value: String(key) };
        }
      }
      if (named === undefined && rowValues === undefined) {
        groupOf.push(undefined);
        continue;
      }
      if (named !== undefined) group = named.map.get(named.value);
      if (!group) {
        group = { rows: [], id: undefined, existed: false, write: undefined };
        groups.push(group);
        if (named !== undefined) named.map.set(named.value, group);
      }
      group.rows.push(at);
      groupOf.push(group);
    }
    // Which groups name existing records: keys looked up in one call, ids read in one.
    if (byKey.size > 0) {
      const keys = [...byKey.keys()];
      const holders = await ctx.tx.lookupKeys(type, typePlan.key!.spec.name, keys);
      keys.forEach((key, at) => {
        const group = byKey.get(key)!;
        group.id = holders[at];
        (group as { existed: boolean }).existed = group.id !== undefined;
      });
    }
    if (byId.size > 0) {
      const found = await ctx.tx.getRecords(type, [...byId.keys()]);
      if (found.some((record) => !record || record.archived)) throw new RowByRow();
      for (const record of found) {
        const group = byId.get(record!.id)!;
        group.id = record!.id;
        (group as { existed: boolean }).existed = true;
      }
    }
    const existing = new Map((await ctx.tx.getRecords(type, groups.filter((group) => group.existed).map((group) => group.id!))).map((record) => [record!.id, record!]));
    // Row by row in order, as importRow would: who creates, who updates, who skips.
    for (const group of groups) {
      const current: Record<string, PropertyValue | undefined> = group.existed ? { ...existing.get(group.id!)!.properties } : {};
      let first = !group.existed;
      for (const at of group.rows) {
        const rowValues = values[at];
        if (group.existed || !first) {
          if (input.onExisting === 'error') throw new RowByRow();
          if (input.onExisting === 'skip' || rowValues === undefined) continue;
        }
        if (rowValues === undefined) throw new RowByRow(); // an id with nothing to write and no record: NOT_FOUND's to say
        if (first && group.rows.length === 1) {
          // Most records are named by one row: nothing to compare, the create judges the values.
          group.write = rowValues;
          created[at] = true;
          first = false;
          continue;
        }
        let changed = false;
        for (const name of Object.keys(rowValues)) {
          const normalised = typePlan.model.properties.get(name)!.normalise(rowValues[name]);
          if (normalised instanceof Invalid) throw new RowByRow();
          if (!sameValue(current[name], normalised)) {
            changed = true;
            current[name] = normalised;
            (group.write ??= {})[name] = rowValues[name]!;
          }
        }
        if (first) created[at] = true;
        else if (changed) updated[at] = true;
        first = false;
      }
    }
    const toCreate = groups.filter((group) => !group.existed);
    if (toCreate.length > 0) {
      const made = await createRecords(ctx, type, toCreate.map((group) => group.write ?? {}), { source: input.source, associations: [] }, true);
      toCreate.forEach((group, at) => (group.id = made[at]!.id));
    }
    for (const group of groups) {
      if (group.existed && group.write) await updateRecord(ctx, type, group.id!, group.write, { source: input.source });
    }
    refs.push(
      groupOf.map((group, at) => {
        if (!group) return undefined;
        const foundHere = group.existed || group.rows[0] !== at;
        return { objectType: type, id: group.id!, skipped: foundHere && (input.onExisting === 'skip' || values[at] === undefined) };
      }),
    );
  }
  const pairs: Array<{ from: { objectType: string; id: string }; to: { objectType: string; id: string }; labels: readonly string[] | undefined }> = [];
  for (let at = 0; at < rows.length; at++) {
    for (const { from, to, labels } of plan.associations) {
      const a = refs[from]![at];
      const b = refs[to]![at];
      if (!a || !b || (a.skipped && b.skipped)) continue;
      pairs.push({ from: a, to: b, labels });
    }
  }
  if (pairs.length > 0) await associateMany(ctx, pairs, { source: input.source });
  for (let at = 0; at < rows.length; at++) status[at] = created[at] ? 'created' : updated[at] ? 'updated' : 'skipped';
  return status;
}

/** The running totals of an import. */
export interface ImportTally {
  created: number;
  updated: number;
  skipped: number;
  failed: number;
  errors: ImportRowError[];
  /** The failed rows as given, with their numbers, for the error CSV. */
  failedRows: Array<{ number: number; row: ImportRow }>;
}

/**
 * Imports one batch of rows in the caller's transaction, each row alone; adds to `tally`.
 *
 * @example
 * await engine.run('write', (ctx) => importBatch(ctx, input, rows, tally));
 */
export async function importBatch(ctx: TxContext, input: ImportInput, rows: ReadonlyArray<{ number: number; row: ImportRow }>, tally: ImportTally): Promise<void> {
  const plan = planImport(ctx.schema, input);
  for (const type of plan.types) activeModel(ctx, type.model.name);
  const fast = await importFast(ctx, plan, rows, input);
  if (fast) {
    for (const status of fast) tally[status]++;
    return;
  }
  const statuses: RowStatus[] = [];
  const failures: Array<{ number: number; row: ImportRow; errors: ImportRowError[] }> = [];
  for (const { number, row } of rows) {
    try {
      // A row is alone: its commit rules (a lead's contact) are checked for it.
      statuses.push(await ctx.attempt(() => importRow(ctx, plan, row, input), true));
    } catch (error) {
      // A commit rule's refusal (a lead without its contact) comes from the step itself, untagged.
      const failure = error instanceof RowFailure ? error : isCrmError(error) && error.code !== 'STORAGE_ERROR' ? new RowFailure(error, undefined) : undefined;
      if (!failure) throw error;
      failures.push({ number, row, errors: rowErrors(plan, number, failure) });
    }
  }
  // Counted once the batch's work is done: a batch that fails whole (a storage error) counts nothing.
  for (const status of statuses) tally[status]++;
  for (const failure of failures) {
    tally.failed++;
    tally.errors.push(...failure.errors);
    tally.failedRows.push({ number: failure.number, row: failure.row });
  }
}

/** A CSV field: quoted when it holds a comma, a quote or a line break (quotes doubled), as RFC 4180 says. */
function csvField(value: unknown): string {
  const text = value === undefined || value === null ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The failed rows as a CSV to fix and import again: their own columns (in the order first seen),
 * then the row number, the column to blame, the code and the message of each row's first problem.
 *
 * @example
 * errorCsvOf(tally); // 'Email,Company,Import row,Import error column,Import error code,Import error message\r\nbad,Acme,3,Email,INVALID_EMAIL,…'
 */
export function errorCsvOf(tally: Pick<ImportTally, 'errors' | 'failedRows'>): string {
  const columns: string[] = [];
  const seen = new Set<string>();
  for (const { row } of tally.failedRows) {
    for (const column of Object.keys(row)) if (!seen.has(column)) seen.add(column), columns.push(column);
  }
  const firstError = new Map<number, ImportRowError>();
  for (const error of tally.errors) if (!firstError.has(error.row)) firstError.set(error.row, error);
  const lines = [[...columns, 'Import row', 'Import error column', 'Import error code', 'Import error message'].map(csvField).join(',')];
  for (const { number, row } of tally.failedRows) {
    const error = firstError.get(number);
    lines.push([...columns.map((column) => row[column]), number, error?.column, error?.code, error?.message].map(csvField).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}
