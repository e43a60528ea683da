// Search plans (crmkit/storage's SearchPlan) compiled to SQL, once for every SQL database: the
// predicate as a WHERE condition with bound parameters, association predicates as correlated
// EXISTS over crmkit_edges and the other end's record, the sort as ORDER BY (missing values last
// in either direction, ties by id), the keyset position as a condition (never an OFFSET), the
// page as LIMIT (one row more than asked, for `more`) and the total as a COUNT(*). What differs
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
import type { SearchDialect } from './dialect.js';
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

function predicateCompilable(predicate: Predicate): boolean {
  switch (predicate.kind) {
    case 'and':
    case 'or':
      return predicate.of.every(predicateCompilable);
    case 'not':
      return predicateCompilable(predicate.of);
    case 'association':
      return safeName(predicate.toType) && (predicate.where === undefined || predicateCompilable(predicate.where));
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

  /** A plan value compared as `type`. */
  value(value: PlanValue, type: PlanValueType): string {
    this.values.push(this.dialect.bindValue(value, type));
    return this.dialect.param(this.values.length, type);
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

/** An SQL string literal of a safe name (checked by {@link compilable} before compiling). */
const literal = (name: string): string => `'${name}'`;

const NEGATED: Readonly<Record<CompareOp, string>> = { eq: '<>', lt: '>=', lte: '>', gt: '<=', gte: '<' };
const OPERATOR: Readonly<Record<CompareOp, string>> = { eq: '=', lt: '<', lte: '<=', gt: '>', gte: '>=' };
const TRUE = '(1 = 1)';
const FALSE = '(1 = 0)';

/** What a predicate is compiled against: the record's alias and its (literal) object type. */
interface Scope {
  readonly alias: string;
  readonly objectType: string;
}

/** Compiles predicates of one statement: unique aliases for nested association subqueries. */
class PredicateCompiler {
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
        const present = this.d.present(`${scope.alias}.properties`, predicate.property.name, predicate.property.multiple);
        return positive ? present : `NOT ${present}`;
      }
      case 'compare':
        return this.leaf(predicate.property, scope, positive, (x) => `${x} ${OPERATOR[predicate.op]} ${this.binder.value(predicate.value, predicate.property.type)}`, (x) =>
          `(${x} IS NULL OR ${x} ${NEGATED[predicate.op]} ${this.binder.value(predicate.value, predicate.property.type)})`,
        );
      case 'in': {
        if (predicate.values.length === 0) return positive ? FALSE : TRUE;
        const list = (): string => predicate.values.map((value) => this.binder.value(value, predicate.property.type)).join(', ');
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
    }
  }

  /**
   * A comparison of one property's values: on a single value `x op ?` or its complement, which
   * must also hold when the value is missing; on a multi-valued property, whether any element
   * compares (EXISTS) or none does (NOT EXISTS).
   */
  private leaf(property: PlanProperty, scope: Scope, positive: boolean, holds: (x: string) => string, fails: (x: string) => string): string {
    if (!property.multiple) {
      const x = this.d.typed(`${scope.alias}.properties`, property.name, property.type);
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
    // Written out at each use: its parameters must appear (and be bound) where its text does.
    const edges = (): string => {
      const conditions = [
        `${edge}.tenant = ${scope.alias}.tenant`,
        `${edge}.from_type = ${literal(scope.objectType)}`,
        `${edge}.from_id = ${scope.alias}.id`,
        `${edge}.to_type = ${literal(predicate.toType)}`,
        d.live(edge),
        d.live(other),
      ];
      if (predicate.id !== undefined) conditions.push(`${edge}.to_id = ${binder.text(predicate.id)}`);
      if (predicate.labels !== undefined) conditions.push(predicate.labels.length === 0 ? FALSE : d.labels(edge, predicate.labels, binder));
      return `SELECT 1 FROM ${TABLES.edges} AS ${edge} JOIN ${TABLES.records} AS ${other}
        ON ${other}.tenant = ${edge}.tenant AND ${other}.object_type = ${literal(predicate.toType)} AND ${other}.id = ${edge}.to_id
        WHERE ${conditions.join(' AND ')}`;
    };
    const where = predicate.where;
    const some = (matching: boolean): string => `EXISTS (${edges()}${where === undefined ? '' : ` AND ${this.compile(where, otherScope, matching)}`})`;
    const any = (): string => `EXISTS (${edges()})`;
    if (predicate.match === 'any') return positive ? some(true) : `NOT ${some(true)}`;
    if (where === undefined) return positive ? any() : `NOT ${any()}`;
    // all: at least one, and none that fails; its complement: none at all, or one that fails.
    return positive ? `(${any()} AND NOT ${some(false)})` : `(NOT ${any()} OR ${some(false)})`;
  }
}

/**
 * The statements of one plan: the page (`LIMIT limit + 1`) and, when the plan wants a total,
 * the count, each with its parameters in order.
 *
 * @example
 * const { page, count } = compileSearch(sqliteSearch, plan, tenant);
 * db.prepare(page.sql).all(...page.params);
 */
export interface CompiledSearch {
  readonly page: { readonly sql: string; readonly params: readonly unknown[] };
  readonly count?: { readonly sql: string; readonly params: readonly unknown[] };
  /** The page size: `limit` clamped to a whole number from 0 (the page statement reads one more). */
  readonly limit: number;
}

/**
 * Compiles a plan for `tenant` (see the top of this file). Call {@link compilable} first.
 *
 * @example
 * const compiled = compileSearch(postgresSearch, plan, 'acme');
 */
export function compileSearch(d: SearchDialect, plan: SearchPlan, tenant: string, limit: number): CompiledSearch {
  const r = 'r';
  const scope: Scope = { alias: r, objectType: plan.objectType };
  const base = (binder: Binder): string => {
    const conditions = [`${r}.tenant = ${binder.tenant()}`, `${r}.object_type = ${literal(plan.objectType)}`, d.live(r)];
    if (plan.where !== undefined) conditions.push(new PredicateCompiler(d, binder).compile(plan.where, scope, true));
    return conditions.join('\n  AND ');
  };
  const pageBinder = new Binder(d, tenant);
  let where = base(pageBinder);
  if (plan.after !== undefined) where += `\n  AND ${after(d, r, plan.sorts, plan.after, pageBinder)}`;
  const order = [...plan.sorts.map((sort) => `${d.typed(`${r}.properties`, sort.property.name, sort.property.type)} ${sort.direction === 'asc' ? 'ASC' : 'DESC'} NULLS LAST`), `${d.id(r)} ASC`];
  const page = `SELECT ${recordColumns(d.base)} FROM ${TABLES.records} AS ${r}\nWHERE ${where}\nORDER BY ${order.join(', ')}\nLIMIT ${pageBinder.limit(limit + 1)}`;
  if (!plan.total) return { page: { sql: page, params: pageBinder.values }, limit };
  const countBinder = new Binder(d, tenant);
  const count = `SELECT count(*) AS total FROM ${TABLES.records} AS ${r}\nWHERE ${base(countBinder)}`;
  return { page: { sql: page, params: pageBinder.values }, count: { sql: count, params: countBinder.values }, limit };
}

/**
 * The keyset condition: the record comes after `position` in the sorts' order. Per sort key,
 * the record is after (or tied) on it, every earlier key tied; then the id. A missing value
 * comes after every present one in either direction, so after a missing position value only a
 * tie (another missing value) continues.
 */
function after(d: SearchDialect, alias: string, sorts: readonly PlanSort[], position: PlanPosition, binder: Binder): string {
  const typed = (at: number): string => d.typed(`${alias}.properties`, sorts[at]!.property.name, sorts[at]!.property.type);
  const value = (at: number): PlanValue | null => position.values[at] ?? null;
  const tie = (at: number): string => {
    const v = value(at);
    return v === null ? `${typed(at)} IS NULL` : `${typed(at)} = ${binder.value(v, sorts[at]!.property.type)}`;
  };
  const alternatives: string[] = [];
  for (let at = 0; at <= sorts.length; at++) {
    // Nothing comes after a missing value on its own key: only a tie there continues.
    if (at < sorts.length && value(at) === null) continue;
    // Each alternative is written out in full, so its parameters are bound where they appear.
    const ties: string[] = [];
    for (let before = 0; before < at; before++) ties.push(tie(before));
    if (at === sorts.length) {
      alternatives.push([...ties, `${d.id(alias)} > ${binder.text(position.id)}`].join(' AND '));
      continue;
    }
    const x = typed(at);
    const beyond = `(${x} IS NULL OR ${x} ${sorts[at]!.direction === 'asc' ? '>' : '<'} ${binder.value(value(at)!, sorts[at]!.property.type)})`;
    alternatives.push([...ties, beyond].join(' AND '));
  }
  return `(${alternatives.map((alternative) => `(${alternative})`).join(' OR ')})`;
}
