// Search plans (crmkit/storage's SearchPlan) compiled to SQL, once for every SQL database: the
// predicate as a WHERE condition with bound parameters, association predicates as correlated
// EXISTS over crmkit_edges and the other end's record, static-list membership as an EXISTS
// probe of crmkit_list_members (or, for a short list, the page read from the list:
// SearchHints.fromList), the sort as ORDER BY (missing values last in either direction, ties
// by id), the keyset position as a condition (never an OFFSET), the page as LIMIT (one row
// more than asked, for `more`) and the total as a COUNT(*). What differs
// between databases (how a stored JSON value is read as each type, folding, tokens, labels,
// parameters) is a SearchDialect's (./dialect.ts); each adapter runs the statements.
//
// The answer must be the reference evaluator's (crmkit/storage's evaluateSearch) in every case.
// Two things make that hold in SQL:
// - `not` is an exact complement. A comparison with a missing value is NULL in SQL, and NOT
//   NULL is NULL, not true, so negation is pushed down to the leaves (De Morgan) and each leaf
//   is written in both polarities: `x = ?` and `(x IS NULL OR x <> ?)`, EXISTS and NOT EXISTS.
//   Under AND and OR alone, a NULL leaf behaves as false, which is what the reference answers.
// - The order is the reference's: text in code-point order (SQLite's BINARY collation on UTF-8
//   is; PostgreSQL is told COLLATE "C"), NULLS LAST in both directions, then the id.
//
// Property names and object types become SQL text (string literals), not parameters: an
// expression index is used only when the query states the very expression it was built on, and
// a partial index only when the query states its predicate. Only names of letters, digits, `_`
// and `-` are written so (safeName); a plan naming anything else is answered by the reference
// evaluator instead (the adapters check `compilable` first).
import type { AssociationPredicate, CompareOp, PlanPosition, PlanProperty, PlanSort, PlanValue, PlanValueType, Predicate, SearchPlan } from 'crmkit/storage';
import type { PlanColumn, SearchDialect } from './dialect.js';
import { recordColumns } from './statements.js';
import { TABLES } from './tables.js';

/** Names written into SQL text: HubSpot's property and object names are all of this form. */
const SAFE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_-]{0,127}$/;

/**
 * Whether a property name or object type may be written into SQL text as a literal.
 *
 * @example
 * safeName('hs_lead_status'); // true
 * safeName("x'; DROP TABLE"); // false
 */
export function safeName(name: string): boolean {
  return SAFE_NAME.test(name);
}

/**
 * Whether every name a plan writes into SQL is a {@link safeName} (else the adapter answers it
 * with the reference evaluator).
 *
 * @example
 * if (!compilable(plan)) return evaluateSearch(tx, plan);
 */
export function compilable(plan: SearchPlan): boolean {
  if (!safeName(plan.objectType)) return false;
  for (const sort of plan.sorts) if (!safeName(sort.property.name)) return false;
  return plan.where === undefined || predicateCompilable(plan.where);
}

/**
 * Whether every name a predicate writes into SQL is a {@link safeName}.
 *
 * @example
 * predicateCompilable({ kind: 'present', property: email }); // true
 */
export function predicateCompilable(predicate: Predicate): boolean {
  switch (predicate.kind) {
    case 'and':
    case 'or':
      return predicate.of.every(predicateCompilable);
    case 'not':
      return predicateCompilable(predicate.of);
    case 'association':
      return safeName(predicate.toType) && (predicate.where === undefined || predicateCompilable(predicate.where));
    case 'member':
      // The list id is a bound parameter, never SQL text: any list compiles.
      return true;
    default:
      return safeName(predicate.property.name);
  }
}

/**
 * The parameters of one statement, in the order their placeholders appear in its text (SQLite
 * binds `?` by position; PostgreSQL's `$n` are numbered from `first`).
 *
 * @example
 * const binder = new Binder(dialect, tenant);
 * const sql = `WHERE r.tenant = ${binder.tenant()} AND r.id = ${binder.text('c1')}`;
 */
export class Binder {
  readonly values: unknown[] = [];

  constructor(
    private readonly dialect: SearchDialect,
    private readonly tenantValue: string,
  ) {}

  /** The tenant's placeholder (PostgreSQL's adapter binds it as $1 itself). */
  tenant(): string {
    return this.dialect.tenantParam(this.values, this.tenantValue);
  }

  /** A plan value compared as `type` (with the row's own `column`, when the property is read from one). */
  value(value: PlanValue, type: PlanValueType, column?: PlanColumn): string {
    this.values.push(this.dialect.bindValue(value, type));
    return this.dialect.param(this.values.length, type, column);
  }

  /** A text parameter (an id, a pattern, a label). */
  text(value: string): string {
    this.values.push(value);
    return this.dialect.param(this.values.length, 'enumeration');
  }

  /** A whole number (a LIMIT). */
  limit(value: number): string {
    this.values.push(this.dialect.bindLimit(value));
    return this.dialect.limitParam(this.values.length);
  }

  /** A parameter the dialect spells itself (a label list). */
  raw(value: unknown, spell: (n: number) => string): string {
    this.values.push(value);
    return spell(this.values.length);
  }
}

/**
 * An SQL string literal of a safe name (checked by {@link compilable} before compiling).
 *
 * @example
 * literal('contacts'); // "'contacts'"
 */
export const literal = (name: string): string => `'${name}'`;

const NEGATED: Readonly<Record<CompareOp, string>> = { eq: '<>', lt: '>=', lte: '>', gt: '<=', gte: '<' };
const OPERATOR: Readonly<Record<CompareOp, string>> = { eq: '=', lt: '<', lte: '<=', gt: '>', gte: '>=' };
const TRUE = '(1 = 1)';
const FALSE = '(1 = 0)';

/** What a predicate is compiled against: the record's alias and its (literal) object type. */
export interface Scope {
  readonly alias: string;
  readonly objectType: string;
}

/**
 * Compiles predicates of one statement: unique aliases for nested association subqueries
 * (`e1`, `o1`, `j1`, …: a statement's own aliases must not take that form).
 *
 * @example
 * const where = new PredicateCompiler(dialect, binder).compile(plan.where, { alias: 'r', objectType: 'contacts' }, true);
 */
export class PredicateCompiler {
  private aliases = 0;

  constructor(
    private readonly d: SearchDialect,
    private readonly binder: Binder,
  ) {}

  /**
   * `predicate` (`positive`) or its exact complement among live records (`!positive`), as a
   * condition that is true exactly when the reference evaluator says so.
   */
  compile(predicate: Predicate, scope: Scope, positive: boolean): string {
    switch (predicate.kind) {
      case 'and':
      case 'or': {
        // De Morgan: under a negation AND becomes OR over the negated parts, and the reverse.
        const conjunction = (predicate.kind === 'and') === positive;
        if (predicate.of.length === 0) return conjunction ? TRUE : FALSE;
        const parts = predicate.of.map((part) => this.compile(part, scope, positive));
        return parts.length === 1 ? parts[0]! : `(${parts.join(conjunction ? ' AND ' : ' OR ')})`;
      }
      case 'not':
        return this.compile(predicate.of, scope, !positive);
      case 'present': {
        const { property } = predicate;
        const column = property.column === undefined ? undefined : this.d.column?.(scope.alias, property.column);
        const present = column !== undefined ? `(${column} IS NOT NULL)` : this.d.present(`${scope.alias}.properties`, property.name, property.multiple);
        return positive ? present : `NOT ${present}`;
      }
      case 'compare':
        return this.leaf(predicate.property, scope, positive, (x) => `${x} ${OPERATOR[predicate.op]} ${this.binder.value(predicate.value, predicate.property.type, predicate.property.column)}`, (x) =>
          `(${x} IS NULL OR ${x} ${NEGATED[predicate.op]} ${this.binder.value(predicate.value, predicate.property.type, predicate.property.column)})`,
        );
      case 'in': {
        if (predicate.values.length === 0) return positive ? FALSE : TRUE;
        const list = (): string => predicate.values.map((value) => this.binder.value(value, predicate.property.type, predicate.property.column)).join(', ');
        return this.leaf(predicate.property, scope, positive, (x) => `${x} IN (${list()})`, (x) => `(${x} IS NULL OR ${x} NOT IN (${list()}))`);
      }
      case 'tokens': {
        const { property, pattern } = predicate;
        const source = `${scope.alias}.properties`;
        if (!property.multiple) {
          const test = this.d.tokens(this.d.text(source, property.name), pattern, this.binder);
          return positive ? test : `NOT ${test}`;
        }
        const elements = this.d.elements(source, property.name, `j${++this.aliases}`);
        return `${positive ? '' : 'NOT '}EXISTS (SELECT 1 FROM ${elements.from} WHERE ${this.d.tokens(elements.text, pattern, this.binder)})`;
      }
      case 'association':
        return this.association(predicate, scope, positive);
      case 'member': {
        // One probe of the list table by its whole key (tenant, type, list, record: the primary
        // key, or the record index, which ends with the list id); its exact complement is NOT
        // EXISTS, which a missing row makes true, as the reference says.
        const l = `l${++this.aliases}`;
        const test =
          `EXISTS (SELECT 1 FROM ${TABLES.listMembers} AS ${l} WHERE ${l}.tenant = ${this.binder.tenant()} AND ${l}.object_type = ${literal(scope.objectType)}` +
          ` AND ${l}.list_id = ${this.binder.text(predicate.list)} AND ${l}.record_id = ${scope.alias}.id${this.d.fence})`;
        return positive ? test : `NOT ${test}`;
      }
    }
  }

  /**
   * A comparison of one property's values: on a single value `x op ?` or its complement, which
   * must also hold when the value is missing; on a multi-valued property, whether any element
   * compares (EXISTS) or none does (NOT EXISTS).
   */
  private leaf(property: PlanProperty, scope: Scope, positive: boolean, holds: (x: string) => string, fails: (x: string) => string): string {
    if (!property.multiple) {
      const x = valueOf(this.d, scope.alias, property);
      return positive ? holds(x) : fails(x);
    }
    const elements = this.d.elements(`${scope.alias}.properties`, property.name, `j${++this.aliases}`);
    return `${positive ? '' : 'NOT '}EXISTS (SELECT 1 FROM ${elements.from} WHERE ${holds(elements.typed(property.type))})`;
  }

  /**
   * The record's live edges to live `toType` records (with the id and labels asked for):
   * `any` — one of them matches; `all` — there is one and none fails.
   */
  private association(predicate: AssociationPredicate, scope: Scope, positive: boolean): string {
    const { d, binder } = this;
    const n = ++this.aliases;
    const edge = `e${n}`;
    const other = `o${n}`;
    const otherScope: Scope = { alias: other, objectType: predicate.toType };
    // Each level is a fenced subquery run once per outer row with the outer row's key as a
    // parameter, so its only sensible plan is a probe: the edges by their from-end (primary key
    // or page index), then the other record by its primary key. Written as joins, a planner
    // without statistics (a fresh database: every table looks like one row) chose semi-joins
    // that rescan a whole type per row (92 s for 1,000 contacts on PGlite). The other record's
    // type is stated as `= e.to_type`, a value of the outer row, so no search index (partial on
    // `object_type = '<type>'`) can be proven usable there, and the primary key is the one index
    // left. Written out at each use: its parameters must appear (and be bound) where its text does.
    const edges = (matching?: boolean): string => {
      const conditions = [
        `${edge}.tenant = ${scope.alias}.tenant`,
        `${edge}.from_type = ${literal(scope.objectType)}`,
        `${edge}.from_id = ${scope.alias}.id`,
        `${edge}.to_type = ${literal(predicate.toType)}`,
        d.live(edge),
      ];
      if (predicate.id !== undefined) conditions.push(`${edge}.to_id = ${binder.text(predicate.id)}`);
      if (predicate.labels !== undefined) conditions.push(predicate.labels.length === 0 ? FALSE : d.labels(edge, predicate.labels, binder));
      const nested = matching === undefined || predicate.where === undefined ? '' : ` AND ${this.compile(predicate.where, otherScope, matching)}`;
      conditions.push(
        `EXISTS (SELECT 1 FROM ${TABLES.records} AS ${other} WHERE ${other}.tenant = ${edge}.tenant AND ${other}.object_type = ${edge}.to_type AND ${other}.id = ${edge}.to_id AND ${d.live(other)}${nested}${d.fence})`,
      );
      return `EXISTS (SELECT 1 FROM ${TABLES.edges} AS ${edge} WHERE ${conditions.join(' AND ')}${d.fence})`;
    };
    if (predicate.match === 'any') return positive ? edges(true) : `NOT ${edges(true)}`;
    if (predicate.where === undefined) return positive ? edges() : `NOT ${edges()}`;
    // all: at least one, and none that fails; its complement: none at all, or one that fails.
    return positive ? `(${edges()} AND NOT ${edges(false)})` : `(NOT ${edges()} OR ${edges(false)})`;
  }
}

/** One statement and its parameters, in the order their placeholders appear. */
export interface SearchStatement {
  readonly sql: string;
  readonly params: readonly unknown[];
}

/**
 * One statement of a page: its rows come after those of the parts before it. The LIMIT is its
 * last parameter, so `params(rows)` asks for at most `rows` rows.
 */
export interface PagePart {
  readonly sql: string;
  params(rows: number): unknown[];
  /** Its rows end with `page_total`, the plan's total (a statement that returns no row tells none). */
  readonly counts?: boolean;
}

/**
 * The statements of one plan: the page's parts, run in order until `limit + 1` rows are read
 * (the one more tells `more`), and, when the plan wants a total, the count.
 *
 * @example
 * const { parts, count } = compileSearch(sqliteSearch, plan, tenant, 100);
 * db.prepare(parts[0].sql).all(...parts[0].params(101));
 */
export interface CompiledSearch {
  readonly parts: readonly PagePart[];
  readonly count?: SearchStatement;
  /** The page size: `limit` clamped to a whole number from 0 (the parts read one more). */
  readonly limit: number;
}

/** One key of a page's order: its expression on the record and how it orders (`DESC`, `ASC NULLS LAST`). */
interface OrderKey {
  readonly key: string;
  readonly order: string;
}

/**
 * How the adapter wants the page statement steered to the index it chose, whatever the
 * database's statistics say (a new database has none): SQLite names the index; PostgreSQL, which
 * takes no hints, is written so that only that index fits.
 */
export interface SearchHints {
  /** Text between `crmkit_records AS r` and WHERE in the page parts (`INDEXED BY …`), or ''. */
  readonly walk?: string;
  /** Order by the first sort key written so no index gives its order: the filter's index is to be read, and its matches sorted. */
  readonly unorderedSort?: boolean;
  /**
   * Read the page from the static list of the plan's {@link listConjunct}: its members along the
   * list table's primary key, each record probed by its key, and the matches sorted (`walk`
   * does not apply). The count reads the list too.
   */
  readonly fromList?: boolean;
}

/** A `member` predicate. */
type MemberPredicate = Extract<Predicate, { kind: 'member' }>;

/**
 * The first `member` predicate among the parts of a plan's `where` that must all hold: the
 * static list a page may be read from (its members are a superset of the matches).
 *
 * @example
 * listConjunct({ objectType: 'contacts', where: { kind: 'and', of: [eq, { kind: 'member', list: '7' }] }, sorts: [], limit: 10, total: false }); // { kind: 'member', list: '7' }
 */
export function listConjunct(plan: SearchPlan): MemberPredicate | undefined {
  return conjuncts(plan.where).find((part): part is MemberPredicate => part.kind === 'member');
}

/**
 * How many members the static list `list` of `objectType` has, counting no further than `cap`:
 * a range of the list table's primary key, no record read. The adapters ask it to choose
 * between reading a page from the list ({@link SearchHints.fromList}) and walking an index of
 * the records, probing each one's membership.
 *
 * @example
 * const probe = compileListProbe(sqliteSearch, 'contacts', '7', tenant, 1010);
 */
export function compileListProbe(d: SearchDialect, objectType: string, list: string, tenant: string, cap: number): SearchStatement {
  const binder = new Binder(d, tenant);
  const range = `tenant = ${binder.tenant()} AND object_type = ${literal(objectType)} AND list_id = ${binder.text(list)}`;
  return { sql: `SELECT count(*) AS total FROM (SELECT 1 FROM ${TABLES.listMembers} WHERE ${range} LIMIT ${binder.limit(cap)}) AS probe`, params: binder.values };
}

/**
 * Matches per page row below which an EQ/IN's own index is read (and its matches sorted) rather
 * than the sort's index walked: walking reads about limit × (records ÷ matches) rows, reading the
 * matches reads the matches.
 */
export const FEW_MATCHES_PER_ROW = 10;

/**
 * The conditions of a plan that an index on their property may answer (an EQ or IN on a
 * single-valued, indexed property, among the parts that must all hold): the candidates an
 * adapter probes to choose between a filter's index and the sort's.
 *
 * @example
 * indexedConditions(plan); // [{ kind: 'compare', op: 'eq', property: bench_segment, … }]
 */
export function indexedConditions(plan: SearchPlan): ReadonlyArray<Extract<Predicate, { kind: 'compare' | 'in' }>> {
  const found: Array<Extract<Predicate, { kind: 'compare' | 'in' }>> = [];
  for (const part of conjuncts(plan.where)) {
    if (!((part.kind === 'compare' && part.op === 'eq') || part.kind === 'in')) continue;
    if (part.property.indexed && !part.property.multiple) found.push(part);
  }
  return found;
}

/** A value written so that no index on it fits (PostgreSQL matches index expressions by their text), with the same value, type and collation. */
const unindexable = (x: string): string => `COALESCE(${x}, ${x})`;

/**
 * Compiles a plan for `tenant` (see the top of this file). Call {@link compilable} first.
 *
 * A page sorted by an indexed key is split on it: the records that have a value, in the
 * database's own order for that direction (which is its index order, so a keyset position is an
 * index range), then the records without one (missing values come last in both directions). A
 * part whose rows cannot follow the position is left out. A page sorted otherwise is one
 * statement.
 *
 * @example
 * const compiled = compileSearch(postgresSearch, plan, 'acme', 100);
 */
export function compileSearch(d: SearchDialect, plan: SearchPlan, tenant: string, limit: number, hints: SearchHints = {}): CompiledSearch {
  const r = 'r';
  const scope: Scope = { alias: r, objectType: plan.objectType };
  const type = literal(plan.objectType);
  const member = listConjunct(plan);
  const viaList = hints.fromList === true && member !== undefined;
  const walk = hints.walk && !viaList ? ` ${hints.walk}` : '';
  /**
   * The rows a statement reads and the conditions they must meet: the type's live records
   * matching the plan (along the index `walked` names, for a page), or, `fromList`, the members
   * of the list of `member` (a range of its primary key), each record probed by its key
   * (PostgreSQL: a fenced lateral probe, so no statistics make it a join that scans the
   * records), and the plan's other conditions.
   */
  const source = (binder: Binder, fromList: boolean, walked = ''): { from: string; where: string } => {
    if (!fromList || member === undefined) {
      const conditions = [`${r}.tenant = ${binder.tenant()}`, `${r}.object_type = ${type}`, d.live(r)];
      if (plan.where !== undefined) conditions.push(new PredicateCompiler(d, binder).compile(plan.where, scope, true));
      return { from: `${TABLES.records} AS ${r}${walked}`, where: conditions.join('\n  AND ') };
    }
    const lm = 'lm';
    const conditions = [`${lm}.tenant = ${binder.tenant()}`, `${lm}.object_type = ${type}`, `${lm}.list_id = ${binder.text(member.list)}`, `${r}.object_type = ${type}`, d.live(r)];
    // The list's own condition holds for every row read; the others are tested as usual.
    const rest = conjuncts(plan.where).filter((part) => part !== member);
    if (rest.length > 0) conditions.push(new PredicateCompiler(d, binder).compile({ kind: 'and', of: rest }, scope, true));
    const probe = `${r}.tenant = ${lm}.tenant AND ${r}.object_type = ${lm}.object_type AND ${r}.id = ${lm}.record_id`;
    return { from: `${TABLES.listMembers} AS ${lm} ${d.probeJoin(TABLES.records, r, probe)}`, where: conditions.join('\n  AND ') };
  };
  const onRecord = keysOf(d, r, plan.sorts);
  const direction = (at: number): string => (plan.sorts[at]!.direction === 'asc' ? 'ASC' : 'DESC');
  const restOrder = (keys: SortKeys, from: number): OrderKey[] => [
    ...plan.sorts.slice(from).map((_, at) => ({ key: keys.value(from + at), order: `${direction(from + at)} NULLS LAST` })),
    { key: keys.id, order: 'ASC' },
  ];
  /**
   * One statement of the page: the live matches, `extra` (on the keys the statement orders by)
   * after them, in `order`, at most LIMIT. `counted`: the matches are numbered as they are read
   * (a window count over every match, taken before the position and the LIMIT apply), so each
   * row also carries the plan's total as `page_total`: a page that must read and sort all its
   * matches anyway then answers its total without a COUNT reading them again.
   */
  const part = (extra: (binder: Binder, keys: SortKeys) => string | undefined, order: (keys: SortKeys) => readonly OrderKey[], counted = false): PagePart => {
    const binder = new Binder(d, tenant);
    const conditions: string[] = [];
    const read = source(binder, viaList, walk);
    let from = read.from;
    let alias = r;
    let keys = onRecord;
    if (counted) {
      // With late rows only the keys are kept for the sort (SQLite copies what a subquery
      // holds); otherwise the whole row, read once.
      const m = 'm';
      const kept = d.lateRows ? [`${r}.id`, `${r}.seq`, ...plan.sorts.map((_, at) => `${onRecord.value(at)} AS page_k${at}`)] : [`${r}.*`];
      from = `(SELECT ${kept.join(', ')}, count(*) OVER () AS page_total FROM ${from}\nWHERE ${read.where}) AS ${m}`;
      alias = m;
      keys = d.lateRows ? { value: (at) => `${m}.page_k${at}`, id: d.id(m) } : keysOf(d, m, plan.sorts);
    } else {
      conditions.push(read.where);
    }
    const more = extra(binder, keys);
    if (more !== undefined) conditions.push(more);
    const where = conditions.length === 0 ? '' : `\nWHERE ${conditions.join('\n  AND ')}`;
    const ordered = order(keys);
    const orderBy = ordered.map((sort, at) => `${at === 0 && hints.unorderedSort ? unindexable(sort.key) : sort.key} ${sort.order}`).join(', ');
    const total = counted ? `, ${alias}.page_total` : '';
    if (!d.lateRows) {
      const sql = `SELECT ${recordColumns(d.base, alias)}${total} FROM ${from}${where}\nORDER BY ${orderBy}\nLIMIT ${binder.limit(0)}`;
      const values = binder.values;
      return { sql, params: (rows) => [...values.slice(0, -1), d.bindLimit(rows)], ...(counted ? { counts: true } : {}) };
    }
    const pageKeys = ordered.map((sort, at) => `${sort.key} AS page_k${at}`).join(', ');
    const page = `SELECT ${alias}.id AS page_id, ${alias}.seq AS page_seq, ${pageKeys}${total} FROM ${from}${where}\nORDER BY ${orderBy}\nLIMIT ${binder.limit(0)}`;
    const limitAt = binder.values.length - 1;
    // Each row by its whole key, probed per page row (so PostgreSQL looks it up by primary key
    // whatever its statistics say: with none, it had scanned the tenant once per row), and by
    // seq, SQLite's rowid.
    const probe = `t.tenant = ${binder.tenant()} AND t.object_type = ${literal(plan.objectType)} AND t.id = p.page_id AND t.seq = p.page_seq`;
    const sql =
      `SELECT ${recordColumns(d.base, 't')}${counted ? ', p.page_total' : ''} FROM (${page}) AS p` +
      `\n${d.probeJoin(TABLES.records, 't', probe)}` +
      `\nORDER BY ${ordered.map((sort, at) => `p.page_k${at} ${sort.order}`).join(', ')}`;
    const values = binder.values;
    return {
      sql,
      params: (rows) => {
        const bound = values.slice();
        bound[limitAt] = d.bindLimit(rows);
        return bound;
      },
      ...(counted ? { counts: true } : {}),
    };
  };
  const parts: PagePart[] = [];
  const leading = plan.sorts[0]?.property;
  if (leading === undefined) {
    parts.push(part((binder, keys) => (plan.after === undefined ? undefined : `${keys.id} > ${binder.text(plan.after.id)}`), (keys) => [{ key: keys.id, order: 'ASC' }]));
  } else if (!leading.indexed || leading.multiple) {
    // No index gives this order: one statement sorts the matches, missing values last (and,
    // reading them all anyway, counts them). Split in two, the first part's presence test
    // computed the sort value of every record read (a JavaScript call per record on SQLite, ICU
    // folding on PostgreSQL), not of the matches.
    parts.push(part((binder, keys) => (plan.after === undefined ? undefined : after(keys, plan.sorts, plan.after, 0, binder)), (keys) => restOrder(keys, 0), plan.total));
  } else {
    const first = plan.after === undefined ? undefined : (plan.after.values[0] ?? null);
    // The records with a value, unless the position is among those without one. No NULLS
    // clause: each database's default for the direction is its index order (SQLite: missing
    // values smallest; PostgreSQL: largest), and none of these rows is missing it.
    if (first !== null) {
      parts.push(
        part(
          (binder, keys) =>
            first === undefined ? `${keys.value(0)} IS NOT NULL` : resumeOn(keys.value(0), plan.sorts[0]!, first, (b) => after(keys, plan.sorts, plan.after!, 1, b), binder),
          (keys) => [{ key: keys.value(0), order: direction(0) }, ...restOrder(keys, 1)],
        ),
      );
    }
    // Then the records without one: all of them after a present position value, else those
    // after the position on the other keys. None lack a value read from a column of the row
    // (id, created_at: NOT NULL), and looking cost the last page a scan.
    if (leading.column === undefined || first === null) {
      parts.push(
        part(
          (binder, keys) => `${keys.value(0)} IS NULL${first === null ? ` AND ${after(keys, plan.sorts, plan.after!, 1, binder)}` : ''}`,
          (keys) => restOrder(keys, 1),
        ),
      );
    }
  }
  if (!plan.total) return { parts, limit };
  const countBinder = new Binder(d, tenant);
  const reverse = reverseCount(d, plan, countBinder);
  // A count reads every match in no order: from the list whenever the page does, or no
  // indexed filter may narrow the records instead (the list's members, probed, cost no more
  // than the type's records, probed for membership).
  const counted = reverse === undefined ? source(countBinder, viaList || (member !== undefined && indexedConditions(plan).length === 0)) : undefined;
  const count = reverse ?? `SELECT count(*) AS total FROM ${counted!.from}\nWHERE ${counted!.where}`;
  return { parts, count: { sql: count, params: countBinder.values }, limit };
}

/**
 * A key's keyset condition when the position holds `value` on it: at or beyond it (a range on
 * the key, which an index on it can seek), and strictly beyond or after on the later keys.
 */
function resumeOn(x: string, sort: PlanSort, value: PlanValue, later: (binder: Binder) => string, binder: Binder): string {
  const [atOrBeyond, beyond] = sort.direction === 'asc' ? ['>=', '>'] : ['<=', '<'];
  const from = `${x} ${atOrBeyond} ${binder.value(value, sort.property.type, sort.property.column)}`;
  const strictly = `${x} ${beyond} ${binder.value(value, sort.property.type, sort.property.column)}`;
  return `${from} AND (${strictly} OR ${later(binder)})`;
}

/**
 * A single-valued property of the row `alias` as the dialect compares it: the row's own column
 * when the plan says the property stands for one and the dialect reads it (`PlanProperty.column`),
 * else the JSON property.
 *
 * @example
 * valueOf(sqliteSearch, 'r', createdate); // 'r.created_at'
 */
export function valueOf(d: SearchDialect, alias: string, property: PlanProperty): string {
  const column = property.column === undefined ? undefined : d.column?.(alias, property.column);
  return column ?? d.typed(`${alias}.properties`, property.name, property.type);
}

/** How a keyset condition reads a page's sort keys: each key's expression, and the id's. */
interface SortKeys {
  value(at: number): string;
  readonly id: string;
}

/** The sort keys as expressions on the record `alias`. */
const keysOf = (d: SearchDialect, alias: string, sorts: readonly PlanSort[]): SortKeys => ({ value: (at) => valueOf(d, alias, sorts[at]!.property), id: d.id(alias) });

/**
 * The keyset condition from sort key `from` on: the record comes after `position` on these keys
 * (then the id). Per key with a value: beyond it, or tied and after on the rest, or missing
 * (missing values come after every present one in either direction); with a missing value only
 * another missing value ties, and nothing is beyond.
 */
function after(keys: SortKeys, sorts: readonly PlanSort[], position: PlanPosition, from: number, binder: Binder): string {
  if (from === sorts.length) return `${keys.id} > ${binder.text(position.id)}`;
  const x = keys.value(from);
  const value = position.values[from] ?? null;
  if (value === null) return `(${x} IS NULL AND ${after(keys, sorts, position, from + 1, binder)})`;
  return `((${resumeOn(x, sorts[from]!, value, (b) => after(keys, sorts, position, from + 1, b), binder)}) OR ${x} IS NULL)`;
}

/**
 * The total of a plan whose whole filter is one `any` association, walked from the other side
 * (as the memory storage does): the other type's records that match the nested filter, their
 * live edges to this type (labels seen from this side are the edge's inverse labels), each
 * searched record probed by its key; distinct ids counted. It reads the matching other records
 * and their edges instead of every searched record and its edges: for a filter on companies
 * (fewer, and a nested filter) that is a fraction of the work. Undefined for any other plan.
 */
function reverseCount(d: SearchDialect, plan: SearchPlan, binder: Binder): string | undefined {
  let where = plan.where;
  while (where !== undefined && (where.kind === 'and' || where.kind === 'or') && where.of.length === 1) where = where.of[0];
  if (where?.kind !== 'association' || where.match !== 'any') return undefined;
  const o = 'o';
  const e = 'e';
  const r = 'r';
  // The edges' parameters come first in the text (SQLite binds by position).
  const edge = [`${e}.tenant = ${o}.tenant`, `${e}.from_type = ${literal(where.toType)}`, `${e}.from_id = ${o}.id`, `${e}.to_type = ${literal(plan.objectType)}`, d.live(e)];
  if (where.labels !== undefined) edge.push(where.labels.length === 0 ? FALSE : d.labels(e, where.labels, binder, 'inverse_labels'));
  const outer = [`${o}.tenant = ${binder.tenant()}`, `${o}.object_type = ${literal(where.toType)}`, d.live(o)];
  if (where.id !== undefined) outer.push(`${o}.id = ${binder.text(where.id)}`);
  if (where.where !== undefined) outer.push(new PredicateCompiler(d, binder).compile(where.where, { alias: o, objectType: where.toType }, true));
  return `SELECT count(DISTINCT ${e}.to_id) AS total FROM ${TABLES.records} AS ${o}
  ${d.probeJoin(TABLES.edges, e, edge.join(' AND '))}
WHERE ${outer.join('\n  AND ')}
  AND EXISTS (SELECT 1 FROM ${TABLES.records} AS ${r} WHERE ${r}.tenant = ${e}.tenant AND ${r}.object_type = ${e}.to_type AND ${r}.id = ${e}.to_id AND ${d.live(r)}${d.fence})`;
}

/**
 * How many live records of `objectType` match `where`, counting no further than `cap` (all of
 * them without one), read through the index `walk` names where the database takes one (a covered
 * count of an indexed EQ/IN: no record is read). The adapters ask it to choose between an index
 * on the filter and one on the sort ({@link FEW_MATCHES_PER_ROW}).
 *
 * @example
 * const probe = compileCountProbe(sqliteSearch, 'contacts', eq, tenant, 'INDEXED BY crmkit_s_…', 1010);
 */
export function compileCountProbe(d: SearchDialect, objectType: string, where: Predicate, tenant: string, walk: string, cap?: number): SearchStatement {
  const binder = new Binder(d, tenant);
  const r = 'r';
  const conditions = [`${r}.tenant = ${binder.tenant()}`, `${r}.object_type = ${literal(objectType)}`, d.live(r), new PredicateCompiler(d, binder).compile(where, { alias: r, objectType }, true)];
  const from = `${TABLES.records} AS ${r} ${walk} WHERE ${conditions.join(' AND ')}`;
  const sql = cap === undefined ? `SELECT count(*) AS total FROM ${from}` : `SELECT count(*) AS total FROM (SELECT 1 FROM ${from} LIMIT ${binder.limit(cap)}) AS probe`;
  return { sql, params: binder.values };
}

/**
 * The parts of a plan's `where` that must all hold (the `and` at its top, a lone part of a
 * one-part `or` or `and` unwrapped), for an adapter looking for an indexed condition.
 *
 * @example
 * conjuncts({ kind: 'and', of: [eq, lt] }); // [eq, lt]
 */
export function conjuncts(where: Predicate | undefined): readonly Predicate[] {
  if (where === undefined) return [];
  if ((where.kind === 'and' || where.kind === 'or') && where.of.length === 1) return conjuncts(where.of[0]);
  if (where.kind === 'and') return where.of.flatMap((part) => conjuncts(part));
  return [where];
}
