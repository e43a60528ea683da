// Which properties storage should index, and how a plan names a property: the schema's side of
// the search seam (storage/plan.ts). Storage knows no schema, so every plan carries each
// property's value type, and the schema tells a storage what to index through
// `StorageTx.indexProperties` whenever an object type's set changes.
import type { PlanProperty, PlanValueType } from '../storage/plan.js';
import { ID_PROPERTY, type ObjectModel, type PropertyModel } from './model.js';
import type { TxContext } from './transaction.js';

/** The value types plans compare, by the schema's property type. */
const VALUE_TYPES: Readonly<Record<string, PlanValueType>> = {
  string: 'string',
  phone_number: 'string',
  enumeration: 'enumeration',
  number: 'number',
  bool: 'bool',
  date: 'date',
  datetime: 'datetime',
};

/**
 * Whether a text property's stored values are already case-folded, so that storage may compare
 * them exactly once a filter's value is folded too: the email and domain properties of a dedup
 * key (normalised on every write, whether the key is enforced or not).
 *
 * @example
 * storedFolded(contacts, 'email'); // true
 */
export function storedFolded(model: ObjectModel, name: string): boolean {
  const key = model.doc.dedupKey;
  return key !== undefined && (name === key.property || name === key.listProperty);
}

/**
 * A property of `model` as a plan names it, with the index hint: `indexed` properties, unique
 * ones, the dedup key and the system properties (id, create and modified dates). Text compares
 * case-insensitively (`string`) except where folding would change nothing or be wrong: record
 * ids compare exactly, and emails and domains are stored folded (plan type `enumeration`: exact,
 * which lets a SQL index on them use no folding function; the query layer folds their filter values).
 *
 * @example
 * planProperty(contacts, contacts.property('firstname')!); // { name: 'firstname', type: 'string', multiple: false, indexed: false }
 * planProperty(contacts, contacts.property('email')!);     // { name: 'email', type: 'enumeration', multiple: false, indexed: true }
 */
export function planProperty(model: ObjectModel, property: PropertyModel): PlanProperty {
  const { doc } = property;
  const system = doc.name === ID_PROPERTY || doc.name === model.doc.createdDateProperty || doc.name === model.doc.modifiedDateProperty;
  const exactText = doc.name === ID_PROPERTY || storedFolded(model, doc.name);
  return {
    name: doc.name,
    type: exactText ? 'enumeration' : (VALUE_TYPES[doc.type] ?? 'string'),
    multiple: doc.fieldType === 'checkbox',
    // The dedup key's own property, not its list (additional emails are one ';'-joined text).
    indexed: doc.indexed === true || doc.unique || system || doc.name === model.doc.dedupKey?.property,
    // Records are created with hs_object_id set to their id and the create date to their
    // createdAt, and none of them ever changes.
    ...(doc.name === ID_PROPERTY ? { column: 'id' as const } : {}),
    ...(doc.name === model.doc.createdDateProperty ? { column: 'createdAt' as const } : {}),
  };
}

/**
 * The live properties of `model` a storage that keeps indexes (`StorageTx.indexProperties`)
 * should index, in definition order: the dedup key, unique and `indexed` properties, and the
 * create date (the default sort). Not the id (storage finds records by id already) nor the
 * modified date (every write moves it): on SQLite an index on each for every object type made
 * record writes twice as slow. Plans still mark them indexed, for the memory storage, which
 * builds an index only when a search asks.
 *
 * @example
 * indexedProperties(contacts).map((property) => property.name); // ['createdate', 'email', …]
 */
export function indexedProperties(model: ObjectModel): PlanProperty[] {
  const found: PlanProperty[] = [];
  for (const property of model.properties.values()) {
    const { name } = property.doc;
    if (property.doc.archived || name === ID_PROPERTY || name === model.doc.modifiedDateProperty) continue;
    const planned = planProperty(model, property);
    if (planned.indexed) found.push(planned);
  }
  return found;
}

/** A comparable summary of {@link indexedProperties} (empty for no model). */
function signature(model: ObjectModel | undefined): string {
  return model === undefined ? '' : indexedProperties(model).map((property) => `${property.name}:${property.type}:${property.multiple}`).join(',');
}

/**
 * Whether an object type's indexed properties differ between two versions of it (a type
 * defined, a property added, archived, or indexed).
 *
 * @example
 * if (indexesChanged(before, after)) await tx.indexProperties?.(after.name, indexedProperties(after));
 */
export function indexesChanged(before: ObjectModel | undefined, after: ObjectModel): boolean {
  return signature(before) !== signature(after);
}

/**
 * Makes the storage index an object type's properties before its first record is written, when
 * the type's indexes were left for then (see {@link syncIndexes}); forgotten once the write commits.
 * Undefined, not a promise, when there is nothing to do (every write but a type's first): the
 * caller then has nothing to wait for.
 *
 * @example
 * const indexing = indexBeforeFirstRecord(ctx, model); // in createRecords, before insertRecords
 * if (indexing) await indexing;
 */
export function indexBeforeFirstRecord(ctx: TxContext, model: ObjectModel): Promise<void> | undefined {
  const waiting = ctx.engine.unindexedTypes;
  if (!waiting.has(model.name) || !ctx.tx.indexProperties) return undefined;
  return indexFirst(ctx, model, waiting);
}

async function indexFirst(ctx: TxContext, model: ObjectModel, waiting: Set<string>): Promise<void> {
  await ctx.tx.indexProperties!(model.name, indexedProperties(model));
  ctx.afterCommit(() => waiting.delete(model.name));
}

/**
 * Tells a storage that keeps indexes (`StorageTx.indexProperties`) what each object type wants
 * indexed, once per start: a database made by an older crmkit, or by a process that defined a
 * property while this one was down, gets its indexes. A type that holds no record in this tenant
 * gets its indexes with its first record ({@link indexBeforeFirstRecord}) instead: SQLite checks
 * every partial index on every row written, so indexes for 30 empty object types made every
 * write 15% slower.
 *
 * @example
 * await syncIndexes(ctx); // in one write transaction at start
 */
export async function syncIndexes(ctx: TxContext): Promise<void> {
  if (!ctx.tx.indexProperties) return;
  for (const model of ctx.schema.models()) {
    const { records } = await ctx.tx.scanRecords(model.name, { limit: 1, archived: true });
    if (records.length === 0) ctx.engine.unindexedTypes.add(model.name);
    else await ctx.tx.indexProperties(model.name, indexedProperties(model));
  }
}
