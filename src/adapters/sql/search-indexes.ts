// The expression indexes of indexProperties, once for every SQL database: one per (object type,
// property), on the value as search compares it (search.ts: a string folded, a number as a
// number), leading with the tenant and partial on the type's live records, so the very terms a
// search states (`tenant = ?`, `object_type = '…'`, not archived, the property's expression)
// find it. Indexes are shared by every tenant of the database. Their names are deterministic: a
// prefix per object type (so the ones a type no longer lists can be found and dropped) and a
// hash of the indexed columns (a property whose type changes gets a new index), then the
// property's name for people reading plans. Where the dialect asks for them (PostgreSQL), each
// index on a JSON expression has whole-table statistics on that expression beside it, named
// after it (`crmkit_x_…`), made and dropped with it.
import type { PlanProperty } from 'crmkit/storage';
import type { SearchDialect } from './dialect.js';
import { safeName } from './search.js';

/** FNV-1a, 32 bits, as 8 hex digits: short, stable names (not a security measure). */
function hash(text: string): string {
  let h = 0x811c9dc5;
  for (let at = 0; at < text.length; at++) {
    h ^= text.charCodeAt(at);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/**
 * The prefix of every index crmkit makes for `objectType`'s properties.
 *
 * @example
 * indexPrefix('contacts'); // 'crmkit_s_' + 8 hex digits + '_'
 */
export function indexPrefix(objectType: string): string {
  return `crmkit_s_${hash(objectType)}_`;
}

/**
 * The name of the index on one property of one object type (at most 63 characters, PostgreSQL's
 * limit): the type's prefix, a hash of the indexed columns as this database spells them (so an
 * index whose expression changes, with the property's type or a new release, gets a new name, and
 * the old one is dropped as no longer listed), and the property's name for people reading plans.
 *
 * @example
 * indexName(sqliteSearch, 'contacts', { name: 'email', type: 'string', multiple: false, indexed: true }); // 'crmkit_s_…_…_email'
 */
export function indexName(d: SearchDialect, objectType: string, property: PlanProperty): string {
  const slug = property.name.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  return `${indexPrefix(objectType)}${hash(indexColumns(d, property))}_${slug}`.slice(0, 63);
}

/** The index columns of a property: the row's own column when the dialect reads it for the property ({@link valueOf}), else its JSON expression. */
function indexColumns(d: SearchDialect, property: PlanProperty): string {
  return readFromJson(d, property) ? d.indexColumns(property.name, property.type) : `tenant, ${d.column!(undefined, property.column!)}`;
}

/**
 * What indexProperties runs, given the index names the table has: CREATE INDEX IF NOT EXISTS
 * for each listed property that can be indexed (a single value and a safe name: a multi-valued
 * property's elements have no expression to index), and DROP INDEX for this type's indexes that
 * are no longer listed; with them, the dialect's statistics beside the JSON-expression indexes.
 *
 * @example
 * const { create, drop } = indexStatements(sqliteSearch, 'contacts', properties, existing);
 */
export function indexStatements(d: SearchDialect, objectType: string, properties: readonly PlanProperty[], existing: readonly string[]): { create: string[]; drop: string[] } {
  if (!safeName(objectType)) return { create: [], drop: [] };
  const wanted = new Map<string, PlanProperty>();
  for (const property of properties) if (!property.multiple && safeName(property.name)) wanted.set(indexName(d, objectType, property), property);
  const prefix = indexPrefix(objectType);
  const have = new Set(existing);
  const create = [...wanted]
    .filter(([name]) => !have.has(name))
    .map(([name, property]) => `CREATE INDEX IF NOT EXISTS ${d.quote(name)} ON crmkit_records (${indexColumns(d, property)}) WHERE ${d.indexWhere(objectType)}`);
  const drop = existing.filter((name) => name.startsWith(prefix) && !wanted.has(name)).map((name) => `DROP INDEX IF EXISTS ${d.quote(name)}`);
  if (d.statistics !== undefined) {
    // Beside each index on a JSON expression (a column has statistics of its own), named after it.
    const statistics = new Map<string, string>();
    for (const [name, property] of wanted) if (readFromJson(d, property)) statistics.set(statisticsName(name), d.typed('properties', property.name, property.type));
    for (const [name, expression] of statistics) if (!have.has(name)) create.push(d.statistics.create(name, expression));
    for (const name of existing) if (name.startsWith(statisticsName(prefix)) && !statistics.has(name)) drop.push(d.statistics.drop(name));
  }
  return { create, drop };
}

/** The statistics kept beside the index `index` (SearchDialect.statistics). */
const statisticsName = (index: string): string => `crmkit_x_${index.slice('crmkit_s_'.length)}`;

/** Whether a property is indexed by its JSON expression (not by a column of the row). */
function readFromJson(d: SearchDialect, property: PlanProperty): boolean {
  return property.column === undefined || d.column?.(undefined, property.column) === undefined;
}
