// The reference evaluator's rules (src/storage/evaluate.ts), which every storage's search must
// follow: text order by code point, the total order of positions with missing values last,
// word tokens and `*` patterns, matching (missing values never compare, `not` is the exact
// complement, association any/all), and pages that partition a result. Properties for the rules
// that must hold over all inputs, examples for the cases people read.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compareText,
  comparePositions,
  compareValues,
  evaluateSearch,
  foldCase,
  matches,
  memoryStorage,
  pageOf,
  positionOf,
  tokenMatches,
  tokensOf,
  type PlanGraph,
  type PlanPosition,
  type PlanProperty,
  type PlanSort,
  type PlanValue,
  type SearchPlan,
  type StoredEdge,
  type StoredRecord,
} from 'crmkit/storage';

/** `npm run fuzz` multiplies the runs (CRMKIT_FUZZ_SCALE); `npm test` keeps them quick. */
const FUZZ_SCALE = Number(process.env.CRMKIT_FUZZ_SCALE ?? 1);

const AT = '2026-01-01T00:00:00.000Z';

const prop = (name: string, type: PlanProperty['type'], multiple = false): PlanProperty => ({ name, type, multiple, indexed: false });
const name = prop('name', 'string');
const amount = prop('amount', 'number');
const stage = prop('stage', 'enumeration');
const tags = prop('tags', 'enumeration', true);
const active = prop('active', 'bool');
const closedate = prop('closedate', 'date');

function record(id: string, properties: Record<string, unknown> = {}, objectType = 'contacts', archived = false): StoredRecord {
  return { id, objectType, properties: properties as StoredRecord['properties'], createdAt: AT, updatedAt: AT, archived, ...(archived ? { archivedAt: AT } : {}) };
}

function edge(fromType: string, fromId: string, toType: string, toId: string, labels: string[] = [], archived = false): StoredEdge {
  return { fromType, fromId, toType, toId, labels, inverseLabels: [], createdAt: AT, archived };
}

/** A graph over a few records and one-directional edges (enough for matching from `fromType`). */
function graphOf(records: StoredRecord[], edges: StoredEdge[], lists: Record<string, string[]> = {}): PlanGraph {
  return {
    edges: (objectType, id, toType) => edges.filter((one) => one.fromType === objectType && one.fromId === id && one.toType === toType),
    record: (objectType, id) => records.find((one) => one.objectType === objectType && one.id === id && !one.archived),
    inList: (list, _objectType, id) => lists[list]?.includes(id) ?? false,
  };
}

const sign = (n: number): number => (n < 0 ? -1 : n > 0 ? 1 : 0);

/** Code-point order, the definition compareText must agree with. */
function byCodePoints(a: string, b: string): number {
  const x = Array.from(a, (char) => char.codePointAt(0)!);
  const y = Array.from(b, (char) => char.codePointAt(0)!);
  for (let at = 0; at < Math.min(x.length, y.length); at++) if (x[at] !== y[at]) return x[at]! < y[at]! ? -1 : 1;
  return sign(x.length - y.length);
}

/** Well-formed text, often sharing prefixes, around the edges of UTF-16: BMP letters, the top of the BMP, astral characters. */
const text = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 6 }),
  fc.string({ unit: fc.constantFrom('a', 'A', 'é', 'ß', '\ue000', '\uffff', '\u{10000}', '\u{1F600}', '\ud7ff'), maxLength: 5 }),
);

describe('compareText', () => {
  it('orders text by code point (the order of UTF-8 bytes), not by UTF-16 unit', () => {
    fc.assert(
      fc.property(text, text, (a, b) => {
        expect(sign(compareText(a, b))).toBe(byCodePoints(a, b));
      }),
      { numRuns: 1_000 * FUZZ_SCALE },
    );
  });

  it('examples: an astral character sorts after the top of the BMP, upper case before lower case, a prefix first', () => {
    expect(compareText('\uffff', '\u{10000}')).toBe(-1);
    expect('\uffff' < '\u{10000}').toBe(false); // what `<` says, and why compareText exists
    expect(compareText('B', 'a')).toBe(-1);
    expect(compareText('ab', 'abc')).toBe(-1);
    expect(compareText('é', 'é')).toBe(0);
  });
});

describe('compareValues', () => {
  it('orders numbers numerically, booleans false first, dates and datetimes as their text (which is time order)', () => {
    expect(compareValues(9, 10)).toBe(-1);
    expect(compareValues(-2.5, -10)).toBe(1);
    expect(compareValues(false, true)).toBe(-1);
    expect(compareValues('2025-12-31', '2026-01-01')).toBe(-1);
    expect(compareValues('2026-01-01T09:30:00.000Z', '2026-01-01T10:00:00.000Z')).toBe(-1);
    expect(compareValues('a10', 'a9')).toBe(-1); // text stays text
  });
});

describe('comparePositions', () => {
  const sortsArb = fc.uniqueArray(
    fc.record({ property: fc.constantFrom(name, amount, active, closedate), direction: fc.constantFrom('asc' as const, 'desc' as const) }),
    { maxLength: 3, selector: (sort) => sort.property.name },
  );
  const valueOf = (property: PlanProperty): fc.Arbitrary<PlanValue | null> => {
    const present: fc.Arbitrary<PlanValue> =
      property.type === 'number'
        ? fc.integer({ min: -3, max: 3 })
        : property.type === 'bool'
          ? fc.boolean()
          : property.type === 'date'
            ? fc.constantFrom('2025-12-31', '2026-01-01', '2026-01-02')
            : fc.constantFrom('a', 'b', 'é', '\u{1F600}');
    return fc.option(present, { nil: null, freq: 3 });
  };
  const positionArb = (sorts: readonly PlanSort[]): fc.Arbitrary<PlanPosition> =>
    fc.record({ values: fc.tuple(...sorts.map((sort) => valueOf(sort.property))) as fc.Arbitrary<(PlanValue | null)[]>, id: fc.constantFrom('a', 'b', 'B', '\uffff', '\u{10000}') });
  const case3 = sortsArb.chain((sorts) => fc.tuple(fc.constant(sorts), positionArb(sorts), positionArb(sorts), positionArb(sorts)));

  it('is a total order: reflexive, antisymmetric, transitive, 0 only for the same values and id', () => {
    fc.assert(
      fc.property(case3, ([sorts, a, b, c]) => {
        expect(comparePositions(a, a, sorts)).toBe(0);
        expect(sign(comparePositions(a, b, sorts)) + sign(comparePositions(b, a, sorts))).toBe(0);
        if (comparePositions(a, b, sorts) <= 0 && comparePositions(b, c, sorts) <= 0) expect(comparePositions(a, c, sorts)).toBeLessThanOrEqual(0);
        if (comparePositions(a, b, sorts) === 0) expect(b).toEqual(a);
      }),
      { numRuns: 2_000 * FUZZ_SCALE },
    );
  });

  it('puts a missing value after any present one, in either direction', () => {
    fc.assert(
      fc.property(
        sortsArb.filter((sorts) => sorts.length > 0).chain((sorts) => fc.tuple(fc.constant(sorts), positionArb(sorts), positionArb(sorts))),
        ([sorts, a, b]) => {
          const missing = { ...a, values: [null, ...a.values.slice(1)] };
          const present = b.values[0] === null ? undefined : b;
          if (present) expect(comparePositions(present, missing, sorts)).toBeLessThan(0);
        },
      ),
      { numRuns: 1_000 * FUZZ_SCALE },
    );
  });

  it('examples: descending by amount, missing last, ties by id in code-point order', () => {
    const sorts: PlanSort[] = [{ property: amount, direction: 'desc' }];
    const records = [record('b', { amount: 9 }), record('c'), record('\u{10000}', { amount: 10 }), record('\uffff', { amount: 10 })];
    const ordered = [...records].sort((x, y) => comparePositions(positionOf(x, sorts), positionOf(y, sorts), sorts));
    expect(ordered.map((one) => one.id)).toEqual(['\uffff', '\u{10000}', 'b', 'c']);
  });
});

describe('tokensOf and tokenMatches', () => {
  const alphabet = fc.constantFrom('a', 'B', 'é', 'Σ', 'ß', 'Ä', '1', ' ', '-', '@', '.', '_', '%', '’');
  const textArb = fc.string({ unit: alphabet, maxLength: 12 });
  const patternArb = fc.string({ unit: alphabet, minLength: 1, maxLength: 4 });

  it('a value matches each of its own tokens, a prefix of each with `*`, and `*`', () => {
    fc.assert(
      fc.property(textArb, (value) => {
        expect(tokenMatches(value, '*')).toBe(true);
        for (const token of tokensOf(value)) {
          expect(tokenMatches(value, token)).toBe(true);
          expect(tokenMatches(value, `${token.slice(0, 1)}*`)).toBe(true);
        }
      }),
      { numRuns: 1_000 * FUZZ_SCALE },
    );
  });

  it('a pattern without `*` matches exactly when it is one of the tokens or the whole folded value', () => {
    fc.assert(
      fc.property(textArb, patternArb, (value, pattern) => {
        expect(tokenMatches(value, pattern)).toBe(tokensOf(value).includes(pattern) || foldCase(value) === pattern);
      }),
      { numRuns: 2_000 * FUZZ_SCALE },
    );
  });

  it('examples: words are runs of letters and digits, folded; `*` stands for any run of characters', () => {
    expect(tokensOf('Ann-Marie O’Neil <ann@acme.com>')).toEqual(['ann', 'marie', 'o', 'neil', 'ann', 'acme', 'com']);
    expect(tokensOf('Straße 5, ÉCOLE')).toEqual(['straße', '5', 'école']);
    expect(foldCase('ÄRGER')).toBe('ärger');
    expect(tokenMatches('Acme Corp', 'corp')).toBe(true);
    expect(tokenMatches('Acme Corp', 'acm')).toBe(false);
    expect(tokenMatches('ACME', 'ac*')).toBe(true);
    expect(tokenMatches('ann@acme.com', '*@acme.com')).toBe(true);
    expect(tokenMatches('ann@acme.org', '*@acme.com')).toBe(false);
    // Characters that mean something to LIKE or to regular expressions mean themselves.
    expect(tokenMatches('snake_case', 'snake_case')).toBe(true);
    expect(tokenMatches('snakeXcase', 'snake_case')).toBe(false);
    expect(tokenMatches('100% sure', '100%*')).toBe(true);
    expect(tokenMatches('1000 sure', '100%*')).toBe(false);
    expect(tokenMatches('a.b', 'a?b')).toBe(false);
  });
});

describe('matches', () => {
  const contacts = [
    record('c1', { name: 'Ann', amount: 10, stage: 'lead', tags: ['red', 'blue'], active: true }),
    record('c2', { name: 'bob', amount: 9 }),
    record('c3', {}),
  ];
  const graph = graphOf(contacts, []);
  const ids = (predicate: Parameters<typeof matches>[2], from = contacts, over = graph): string[] => from.filter((one) => matches(over, one, predicate)).map((one) => one.id);

  it('missing values never compare; not is the exact complement, so NEQ matches records without a value', () => {
    expect(ids({ kind: 'compare', property: amount, op: 'lt', value: 10 })).toEqual(['c2']);
    expect(ids({ kind: 'compare', property: amount, op: 'gte', value: 10 })).toEqual(['c1']);
    expect(ids({ kind: 'not', of: { kind: 'compare', property: amount, op: 'eq', value: 10 } })).toEqual(['c2', 'c3']);
    expect(ids({ kind: 'present', property: amount })).toEqual(['c1', 'c2']);
  });

  it('string values compare folded (plans carry folded values); enumerations exactly; a multi-valued property by any value', () => {
    expect(ids({ kind: 'compare', property: name, op: 'eq', value: 'ann' })).toEqual(['c1']);
    expect(ids({ kind: 'compare', property: name, op: 'gt', value: 'b' })).toEqual(['c2']);
    expect(ids({ kind: 'compare', property: stage, op: 'eq', value: 'Lead' })).toEqual([]);
    expect(ids({ kind: 'in', property: tags, values: ['green', 'blue'] })).toEqual(['c1']);
    expect(ids({ kind: 'compare', property: active, op: 'eq', value: true })).toEqual(['c1']);
  });

  it('an empty and is true, an empty or false', () => {
    expect(ids({ kind: 'and', of: [] })).toEqual(['c1', 'c2', 'c3']);
    expect(ids({ kind: 'or', of: [] })).toEqual([]);
  });

  it('association any/all follows live edges to live records, by label and id; all needs at least one', () => {
    const companies = [
      record('co1', { name: 'Acme' }, 'companies'),
      record('co2', { name: 'Beta' }, 'companies'),
      record('co3', { name: 'Acme' }, 'companies', true),
    ];
    const people = [record('p1'), record('p2'), record('p3'), record('p4')];
    const over = graphOf(
      [...people, ...companies],
      [
        edge('contacts', 'p1', 'companies', 'co1', ['primary']),
        edge('contacts', 'p1', 'companies', 'co2'),
        edge('contacts', 'p2', 'companies', 'co1'),
        edge('contacts', 'p3', 'companies', 'co3', ['primary'], true), // to an archived company: not followed
        edge('contacts', 'p4', 'companies', 'co2', [], true), // an archived edge: not followed
      ],
    );
    const acme = { kind: 'compare', property: name, op: 'eq', value: 'acme' } as const;
    const check = (predicate: Parameters<typeof matches>[2]): string[] => ids(predicate, people, over);
    expect(check({ kind: 'association', toType: 'companies', match: 'any', where: acme })).toEqual(['p1', 'p2']);
    expect(check({ kind: 'association', toType: 'companies', match: 'all', where: acme })).toEqual(['p2']);
    expect(check({ kind: 'association', toType: 'companies', match: 'all' })).toEqual(['p1', 'p2']);
    expect(check({ kind: 'association', toType: 'companies', match: 'any', labels: ['primary'] })).toEqual(['p1']);
    expect(check({ kind: 'association', toType: 'companies', match: 'any', id: 'co2' })).toEqual(['p1']);
    expect(check({ kind: 'not', of: { kind: 'association', toType: 'companies', match: 'any' } })).toEqual(['p3', 'p4']);
  });
});

describe('pageOf', () => {
  const recordsArb = fc
    .uniqueArray(fc.constantFrom('a', 'b', 'B', 'c', 'é', '\uffff', '\u{10000}', '1', '10', '9'), { maxLength: 10 })
    .chain((ids) =>
      fc.tuple(...ids.map((id) => fc.record({ amount: fc.integer({ min: 0, max: 3 }), name: fc.constantFrom('x', 'Y', 'z') }, { requiredKeys: [] }).map((properties) => record(id, properties)))),
    );
  const sortsArb = fc.uniqueArray(fc.record({ property: fc.constantFrom(amount, name), direction: fc.constantFrom('asc' as const, 'desc' as const) }), {
    maxLength: 2,
    selector: (sort) => sort.property.name,
  });

  it('pages resumed from the last record of each partition the sorted matches: each once, in order, the total on every page', () => {
    fc.assert(
      fc.property(recordsArb, sortsArb, fc.integer({ min: 1, max: 4 }), (records, sorts, limit) => {
        const plan: SearchPlan = { objectType: 'contacts', sorts, limit, total: true };
        const sorted = [...records].sort((x, y) => comparePositions(positionOf(x, sorts), positionOf(y, sorts), sorts));
        const seen: StoredRecord[] = [];
        let after: PlanPosition | undefined;
        for (;;) {
          const page = pageOf({ ...plan, ...(after ? { after } : {}) }, records);
          expect(page.total).toBe(records.length);
          expect(page.records.length).toBeLessThanOrEqual(limit);
          seen.push(...page.records);
          if (!page.more) break;
          expect(page.records).toHaveLength(limit);
          after = positionOf(page.records[limit - 1]!, sorts);
        }
        expect(seen).toEqual(sorted);
      }),
      { numRuns: 1_000 * FUZZ_SCALE },
    );
  });

  it('a limit of 0 answers no records, whether more match, and the total', () => {
    expect(pageOf({ objectType: 'contacts', sorts: [], limit: 0, total: true }, [record('a')])).toEqual({ records: [], more: true, total: 1 });
    expect(pageOf({ objectType: 'contacts', sorts: [], limit: 0, total: false }, [])).toEqual({ records: [], more: false });
  });
});

describe('evaluateSearch', () => {
  it('answers from a storage’s primitives: live records only, sorted with missing values last, ties by id', async () => {
    const storage = memoryStorage();
    await storage.transaction('write', async (tx) => {
      await tx.insertRecords([
        record('d', { amount: 5 }),
        record('a', { amount: 5 }),
        record('b'),
        record('c', { amount: 7 }),
        record('e', { amount: 9 }, 'contacts', true),
        record('x', { amount: 1 }, 'companies'),
      ]);
    });
    const plan: SearchPlan = { objectType: 'contacts', sorts: [{ property: amount, direction: 'desc' }], limit: 3, total: true };
    const page = await storage.transaction('read', async (tx) => evaluateSearch(tx, plan));
    expect(page.records.map((one) => one.id)).toEqual(['c', 'a', 'd']);
    expect(page).toMatchObject({ more: true, total: 4 });
    const rest = await storage.transaction('read', async (tx) => evaluateSearch(tx, { ...plan, after: positionOf(page.records[2]!, plan.sorts) }));
    expect(rest).toEqual({ records: [record('b')], more: false, total: 4 });
  });
});
