// Batch writes item by item: upsertMany, updateMany, archiveMany, and createMany's per-item mode.
// Each item runs as a step of the call's transaction that fails alone (TxContext.attempt: a
// savepoint, its own clock reading, its follow-up work), in input order, so a later item sees
// what earlier ones wrote (an upsert of a key twice updates the record the first one made).
// Atomic (the default): every item is tried, every problem is gathered into one error, and the
// call fails whole. Per item (`atomic: false`): the answer lists each item's value or error.
import { CrmError, IssueList, isCrmError, type DuplicateConflict, type ValidationIssue } from '../errors.js';
import type { TxContext } from '../schema/transaction.js';
import type { BatchOutcome, CrmRecord, PropertiesInput } from '../types.js';
import type { BatchInput, CreateInput, UpdateItem, UpsertInput } from '../arguments/records.js';
import { archiveRecord, createRecords, updateRecord, upsertRecord } from './service.js';

/** "input 3: " before a message that does not already name its input. */
function prefixed(message: string, index: number): string {
  return message.startsWith('input ') ? message : `input ${index}: ${message}`;
}

/**
 * An item's error placed at its input: `details.index`, the message starting "input <index>: ",
 * and the index on each of its validation issues and dedup conflicts.
 *
 * @example
 * placed(error, 3).details.index; // 3
 */
export function placed(error: CrmError, index: number): CrmError {
  const details = { ...error.details, index } as Record<string, unknown>;
  if (error.code === 'VALIDATION_ERROR') {
    details.issues = error.details.issues.map((issue) => (issue.index === undefined ? { ...issue, index, message: prefixed(issue.message, index) } : issue));
  }
  if (error.code === 'DUPLICATE_RECORD' && error.details.conflicts) {
    details.conflicts = error.details.conflicts.map((conflict) => ({ ...conflict, index }));
  }
  const moved = new CrmError(error.code as 'CONFLICT', prefixed(error.message, index), details as never);
  return moved;
}

/**
 * The one error an atomic batch throws for its failed items: every validation issue of every
 * item (one VALIDATION_ERROR), else every dedup conflict (one DUPLICATE_RECORD), else the first
 * item's error.
 *
 * @example
 * throw gathered('contacts', errors);
 */
export function gathered(objectType: string, errors: ReadonlyArray<{ index: number; error: CrmError }>): CrmError {
  const validation = errors.filter(({ error }) => error.code === 'VALIDATION_ERROR');
  if (validation.length > 0) {
    const issues = new IssueList();
    for (const { error } of validation) for (const issue of (error as CrmError<'VALIDATION_ERROR'>).details.issues) issues.add(issue as ValidationIssue);
    return issues.error(objectType);
  }
  const duplicates = errors.filter(({ error }) => error.code === 'DUPLICATE_RECORD');
  if (duplicates.length > 0) {
    const conflicts: DuplicateConflict[] = duplicates.flatMap(({ error }) => (error as CrmError<'DUPLICATE_RECORD'>).details.conflicts ?? []);
    const existingId = conflicts.find((conflict) => conflict.existingId !== undefined)?.existingId;
    const first = conflicts[0];
    return new CrmError(
      'DUPLICATE_RECORD',
      `${duplicates.length} input${duplicates.length === 1 ? '' : 's'} would duplicate a ${objectType} dedup key${first ? ` (first: input ${first.index}, ${first.property} ${JSON.stringify(first.value)})` : ''}`,
      { objectType, ...(existingId !== undefined ? { existingId } : {}), conflicts },
    );
  }
  return errors[0]!.error;
}

/**
 * Runs `count` items, each a step that fails alone; answers every item's value or error, in
 * input order. A failure that is not a CrmError (a bug, a broken storage) is not an item's: it
 * fails the call. `alone`: each item's commit rules are checked for it.
 *
 * @example
 * const outcome = await eachItem(ctx, pairs.length, true, (index) => associate(ctx, pairs[index]!.from, pairs[index]!.to, undefined, input));
 */
export async function eachItem<T>(ctx: TxContext, count: number, alone: boolean, item: (index: number) => Promise<T>): Promise<BatchOutcome<T>> {
  const outcome: BatchOutcome<T> = { results: [], errors: [] };
  for (let index = 0; index < count; index++) {
    try {
      outcome.results.push({ index, value: await ctx.attempt(() => item(index), alone) });
    } catch (error) {
      if (!isCrmError(error) || error.code === 'STORAGE_ERROR') throw error;
      outcome.errors.push({ index, error: placed(error, index) });
    }
  }
  return outcome;
}

/**
 * A batch's answer in its mode: per item, the outcome; atomic, the values in input order, or
 * the gathered error (the caller's transaction then rolls back whole).
 */
async function inMode<T>(ctx: TxContext, objectType: string, count: number, atomic: boolean, item: (index: number) => Promise<T>): Promise<T[] | BatchOutcome<T>> {
  // Per item, a commit rule (a quote's deal) is checked for each item, so that it fails alone.
  const outcome = await eachItem(ctx, count, !atomic, item);
  if (!atomic) return outcome;
  if (outcome.errors.length > 0) throw gathered(objectType, outcome.errors);
  return outcome.results.map((result) => result.value);
}

/**
 * createMany with `atomic: false`: each input created, or refused, on its own.
 *
 * @example
 * const { results, errors } = await createEach(ctx, 'contacts', inputs, options);
 */
export async function createEach(ctx: TxContext, objectType: string, inputs: readonly PropertiesInput[], options: CreateInput): Promise<BatchOutcome<CrmRecord>> {
  return eachItem(ctx, inputs.length, true, async (index) => (await createRecords(ctx, objectType, [inputs[index]!], options, false))[0]!);
}

/**
 * upsertMany: each input updates the live record its identifying property names, or creates one.
 *
 * @example
 * await upsertMany(ctx, 'contacts', [{ email: 'a@b.com', firstname: 'Ana' }], { source, idProperty: undefined, atomic: true });
 */
export function upsertMany(
  ctx: TxContext,
  objectType: string,
  inputs: readonly PropertiesInput[],
  options: BatchInput<UpsertInput>,
): Promise<Array<{ record: CrmRecord; created: boolean }> | BatchOutcome<{ record: CrmRecord; created: boolean }>> {
  return inMode(ctx, objectType, inputs.length, options.atomic, (index) => upsertRecord(ctx, objectType, inputs[index]!, options));
}

/**
 * updateMany: each item's patch applied to its live record (NOT_FOUND, ARCHIVED as update says).
 *
 * @example
 * await updateMany(ctx, 'contacts', [{ id: 'c1', properties: { firstname: 'Ana' } }], { source, atomic: true });
 */
export function updateMany(ctx: TxContext, objectType: string, updates: readonly UpdateItem[], options: BatchInput): Promise<CrmRecord[] | BatchOutcome<CrmRecord>> {
  return inMode(ctx, objectType, updates.length, options.atomic, (index) => updateRecord(ctx, objectType, updates[index]!.id, updates[index]!.properties, options));
}

/**
 * archiveMany: each record archived (an unknown id is NOT_FOUND; an archived one stays as it is,
 * as archive says); per item, each value is the id.
 *
 * @example
 * await archiveMany(ctx, 'contacts', ['c1', 'c2'], { source, atomic: true });
 */
export async function archiveMany(ctx: TxContext, objectType: string, ids: readonly string[], options: BatchInput): Promise<void | BatchOutcome<string>> {
  const answer = await inMode(ctx, objectType, ids.length, options.atomic, async (index) => {
    await archiveRecord(ctx, objectType, ids[index]!, options);
    return ids[index]!;
  });
  return Array.isArray(answer) ? undefined : answer;
}
