// Aggregate plans (crmkit/storage's AggregatePlan) compiled to one SQL statement, once for every
// SQL database. The answer must be the reference evaluator's (crmkit/storage's
// evaluateAggregate): each matching record counted once under each combination of its keys, its
// value summed once per bucket. The statement has two levels:
//
//   SELECT <key 0>, [<key 1>,] count(*), <exact sum of v>         -- one row per bucket
//   FROM (SELECT <group 0>, MIN(<spelling 0>), …, MIN(<v>)        -- one row per record and
//         FROM crmkit_records r <a join per dimension>            --   combination of its keys
//         WHERE <the record is live and matches>
//         GROUP BY r.id, <group 0>, [<group 1>]) AS p
//   GROUP BY p.g0, [p.g1]
//
// The joins may reach one record's key several times (two tags, two companies with one industry,
// a label on two edges); the inner GROUP BY counts it once. Text of `string` properties groups by
// its folded form and shows the least spelling by code point (MIN, in code-point order). A
// dimension's joins:
// - property: none, or the elements of a multi-valued property (LEFT: no value is a NULL key);
// - labels: the record's live edges to live records of the type (an inner join: a record with
//   none is not counted), an unlabelled edge only when no edge of the record carries a label
//   (the record is "unlabelled" only then), and each edge's labels (LEFT: NULL for none);
// - via: the record's live edges under the label to live records holding a value (LEFT: no such
//   association is a NULL key), that record, and its property's value (or elements).
//
// Names are written as literals (only safe ones: aggregateCompilable); values and labels are
// bound parameters, in the order their placeholders appear (the joins', then the WHERE's).
import type { AggregatePlan, PlanBucket, PlanDimension, PlanProperty, PlanValue } from 'crmkit/storage';
import type { SearchDialect } from './dialect.js';
import { Binder, literal, PredicateCompiler, predicateCompilable, safeName, type SearchStatement } from './search.js';
import { TABLES } from './tables.js';

/**
 * Whether every name an aggregate plan writes into SQL is a safe one (else the adapter answers
 * it with the reference evaluator).
 *
 * @example
 * if (!aggregateCompilable(plan)) return evaluateAggregate(tx, plan);
 */
export function aggregateCompilable(plan: AggregatePlan): boolean {
  if (!safeName(plan.objectType) || (plan.sum !== undefined && !safeName(plan.sum.name))) return false;
  for (const dimension of plan.dimensions) {
    if (dimension.kind !== 'property' && !safeName(dimension.toType)) return false;
    if (dimension.kind !== 'labels' && !safeName(dimension.property.name)) return false;
  }
  return plan.where === undefined || predicateCompilable(plan.where);
}

/** A dimension's key in the inner statement: what it groups by, and (for text) the spelling it shows. */
interface KeyColumn {
  readonly group: string;
  readonly spelling?: string;
}

/**
 * Compiles an aggregate plan for `tenant` (see the top of this file). Call
 * {@link aggregateCompilable} first. Its rows are `[key 0, key 1 (NULL with one dimension),
 * count, sum (NULL without one)]`, read by {@link bucketsOfRows}.
 *
 * @example
 * const { sql, params } = compileAggregate(sqliteSearch, plan, 'acme');
 * const buckets = bucketsOfRows(plan, db.prepare(sql).raw().all(...params));
 */
export function compileAggregate(d: SearchDialect, plan: AggregatePlan, tenant: string): SearchStatement {
  const binder = new Binder(d, tenant);
  const r = 'r';
  const type = literal(plan.objectType);
  const joins: string[] = [];
  /** The live edges from the record to `toType` records, as conditions on the edge `edge`. */
  const edgesFrom = (edge: string, toType: string): string[] => [
    `${edge}.tenant = ${r}.tenant`,
    `${edge}.from_type = ${type}`,
    `${edge}.from_id = ${r}.id`,
    `${edge}.to_type = ${literal(toType)}`,
    d.live(edge),
  ];
  /** The edge's other record is live (and meets `also`). */
  const otherLive = (edge: string, other: string, also = ''): string =>
    `EXISTS (SELECT 1 FROM ${TABLES.records} AS ${other} WHERE ${other}.tenant = ${edge}.tenant AND ${other}.object_type = ${edge}.to_type AND ${other}.id = ${edge}.to_id AND ${d.live(other)}${also}${d.fence})`;
  /** A property's key on the JSON column `source`, joining its elements when it holds several. */
  const valueKey = (source: string, property: PlanProperty, elementsAlias: string): KeyColumn => {
    if (!property.multiple) {
      const group = d.typed(source, property.name, property.type);
      return property.type === 'string' ? { group, spelling: d.codePoint(d.text(source, property.name)) } : { group };
    }
    const elements = d.elements(source, property.name, elementsAlias);
    joins.push(`LEFT JOIN ${elements.from} ON 1 = 1`);
    const group = elements.typed(property.type);
    return property.type === 'string' ? { group, spelling: d.codePoint(elements.text) } : { group };
  };
  const keyOf = (dimension: PlanDimension, at: number): KeyColumn => {
    // Aliases of their own: the predicate compiler's are e1, o1, j1, ….
    const [edge, other, values, elements] = [`ae${at}`, `ao${at}`, `av${at}`, `aj${at}`];
    switch (dimension.kind) {
      case 'property':
        return valueKey(`${r}.properties`, dimension.property, elements);
      case 'labels': {
        const [others, otherEnd, labels] = [`af${at}`, `afo${at}`, `al${at}`];
        const labelledOthers = `EXISTS (SELECT 1 FROM ${TABLES.edges} AS ${others} WHERE ${[...edgesFrom(others, dimension.toType), d.labelled(others), otherLive(others, otherEnd)].join(' AND ')}${d.fence})`;
        joins.push(d.probeJoin(TABLES.edges, edge, [...edgesFrom(edge, dimension.toType), otherLive(edge, other), `(${d.labelled(edge)} OR NOT ${labelledOthers})`].join(' AND ')));
        const each = d.labelElements(edge, labels);
        joins.push(`LEFT JOIN ${each.from} ON 1 = 1`);
        return { group: each.text };
      }
      case 'via': {
        const { property } = dimension;
        const holds = ` AND ${d.present(`${other}.properties`, property.name, property.multiple)}`;
        joins.push(d.leftProbeJoin(TABLES.edges, edge, [...edgesFrom(edge, dimension.toType), d.labels(edge, [dimension.label], binder), otherLive(edge, other, holds)].join(' AND ')));
        joins.push(d.leftProbeJoin(TABLES.records, values, `${values}.tenant = ${edge}.tenant AND ${values}.object_type = ${edge}.to_type AND ${values}.id = ${edge}.to_id`));
        return valueKey(`${values}.properties`, property, elements);
      }
    }
  };
  const keys = plan.dimensions.map(keyOf);
  // The WHERE after the joins: its placeholders come after theirs in the text.
  const conditions = [`${r}.tenant = ${binder.tenant()}`, `${r}.object_type = ${type}`, d.live(r)];
  if (plan.where !== undefined) conditions.push(new PredicateCompiler(d, binder).compile(plan.where, { alias: r, objectType: plan.objectType }, true));
  const inner: string[] = [];
  const outer: string[] = [];
  keys.forEach((key, at) => {
    inner.push(`${key.group} AS g${at}`);
    if (key.spelling !== undefined) inner.push(`MIN(${key.spelling}) AS s${at}`);
    outer.push(`${key.spelling !== undefined ? `MIN(p.s${at})` : `p.g${at}`} AS agg_k${at}`);
  });
  if (keys.length === 1) outer.push('NULL AS agg_k1');
  outer.push('count(*) AS agg_n');
  if (plan.sum !== undefined) {
    inner.push(`MIN(${d.summand(`${r}.properties`, plan.sum.name)}) AS v`);
    outer.push(`${d.sum('p.v')} AS agg_s`);
  } else outer.push('NULL AS agg_s');
  const sql =
    `SELECT ${outer.join(', ')} FROM (` +
    `\n  SELECT ${inner.join(', ')}` +
    `\n  FROM ${TABLES.records} AS ${r}${joins.map((join) => `\n  ${join}`).join('')}` +
    `\n  WHERE ${conditions.join('\n    AND ')}` +
    `\n  GROUP BY ${[`${r}.id`, ...keys.map((key) => key.group)].join(', ')}` +
    `\n) AS p\nGROUP BY ${keys.map((_, at) => `p.g${at}`).join(', ')}`;
  return { sql, params: binder.values };
}

/** A key as the database answered it, in the plan's value (booleans as SQLite's 1/0, numbers as text or number). */
function keyValue(dimension: PlanDimension, value: unknown): PlanValue | null {
  if (value === null || value === undefined) return null;
  if (dimension.kind === 'labels') return String(value);
  switch (dimension.property.type) {
    case 'bool':
      return value === true || value === 1 || value === 1n || value === '1' || value === 't' || value === 'true';
    case 'number':
      return Number(value);
    default:
      return String(value);
  }
}

/**
 * The buckets of an aggregate statement's rows (`[key 0, key 1, count, sum]`, as
 * {@link compileAggregate} selects them), in the plan's values.
 *
 * @example
 * bucketsOfRows(plan, [['closedwon', null, 2, '1500']]); // [{ keys: ['closedwon'], count: 2, sum: 1500 }]
 */
export function bucketsOfRows(plan: AggregatePlan, rows: readonly (readonly unknown[])[]): PlanBucket[] {
  return rows.map((row) => ({
    keys: plan.dimensions.map((dimension, at) => keyValue(dimension, row[at])),
    count: Number(row[2]),
    ...(plan.sum !== undefined ? { sum: row[3] === null || row[3] === undefined ? 0 : Number(row[3]) } : {}),
  }));
}
