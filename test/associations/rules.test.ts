// The association graph's label and cap rules (src/associations/rules.ts) as pure functions:
// the stored label lists (sorted, frozen, the common ones shared), which labels a call names and
// what UNKNOWN_LABEL suggests instead, and the caps a new association or label must fit — a cap
// is never exceeded, over any edges and any caps. test/associations/labels.test.ts and
// associate.test.ts show the same rules through the public calls.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { associationModel, PRIMARY, type PairView, type SideLabel } from '../../src/associations/model.js';
import {
  checkCaps,
  countLive,
  labelHint,
  labelSet,
  labelSuggestion,
  limitError,
  needsOtherEdges,
  resolveLabels,
  sameLabels,
} from '../../src/associations/rules.js';
import { CrmError } from '../../src/errors.js';
import { SchemaState, type LabelDoc } from '../../src/schema/model.js';
import type { StoredEdge } from '../../src/storage/types.js';

/** What `run` threw, or `undefined` when it returned. */
function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

/** The CrmError `run` threw (failing the test when it threw anything else, or nothing). */
function crmError(run: () => unknown): CrmError {
  const error = thrown(run);
  expect(error).toBeInstanceOf(CrmError);
  return error as CrmError;
}

// ---------------------------------------------------------------- a real association model

const label = (doc: Partial<LabelDoc> & Pick<LabelDoc, 'from' | 'to' | 'name' | 'label'>): LabelDoc => ({
  limit: 'many',
  inverseLimit: 'many',
  typeId: 1000,
  inverseTypeId: 1001,
  ...doc,
});

/** The standard catalogue with a capped label and a paired label between contacts and deals, and a paired one between contacts. */
const schema = SchemaState.load(0, undefined).withAssociations({
  labels: [
    label({ from: 'contacts', to: 'deals', name: 'decision_maker', label: 'Decision maker', limit: 1, inverseLimit: 2 }),
    label({ from: 'contacts', to: 'deals', name: 'champion', label: 'Champion', inverseName: 'championed_deal', inverseLabel: 'Championed deal' }),
    label({ from: 'contacts', to: 'contacts', name: 'manager', label: 'Manager', inverseName: 'employee', inverseLabel: 'Employee', limit: 1 }),
  ],
  pairs: [],
  nextLabelTypeId: 1004,
});
const model = associationModel(schema);
const pair = (from: string, to: string): PairView => model.pair(from, to)!;

// ---------------------------------------------------------------- labelSet, sameLabels

/** Label names drawn from a few, so that adds and removes meet the labels already there. */
const nameArb = fc.constantFrom('a', 'b', 'c', 'decision_maker', PRIMARY);
const namesArb = fc.array(nameArb, { maxLength: 5 });
/** A stored label list: sorted, no name twice. */
const storedArb = fc.uniqueArray(nameArb, { maxLength: 5 }).map((names) => [...names].sort());

/** What a label list should be after the change, worked out as sets: (labels ∪ add) ∖ remove, sorted. */
function expectedSet(labels: readonly string[], add: readonly string[], remove: readonly string[]): string[] {
  const result: string[] = [];
  for (const name of [...labels, ...add]) if (!remove.includes(name) && !result.includes(name)) result.push(name);
  return result.sort();
}

describe('labelSet', () => {
  it('answers the labels with the added ones in and the removed ones out, sorted, each once, frozen', () => {
    fc.assert(
      fc.property(storedArb, namesArb, namesArb, (labels, add, remove) => {
        const result = labelSet(labels, add, remove);
        expect([...result]).toEqual(expectedSet(labels, add, remove));
        expect(Object.isFrozen(result)).toBe(true);
      }),
    );
  });

  it('shares one frozen list for no labels and one for only the primary label', () => {
    const none = labelSet([], []);
    expect(none).toEqual([]);
    expect(labelSet(['a'], [], ['a'])).toBe(none);
    expect(labelSet(['a', 'b'], ['c'], ['a', 'b', 'c'])).toBe(none);
    const primary = labelSet([], [PRIMARY]);
    expect(primary).toEqual([PRIMARY]);
    expect(labelSet([], [PRIMARY])).toBe(primary);
    expect(Object.isFrozen(none) && Object.isFrozen(primary)).toBe(true);
  });

  it('sorts what it is given', () => {
    expect(labelSet(['decision_maker'], ['champion', 'champion'])).toEqual(['champion', 'decision_maker']);
    expect(labelSet(['b', 'a'], [])).toEqual(['a', 'b']);
  });

  it('adding twice is adding once; removing what was added to labels without it gives the labels back', () => {
    fc.assert(
      fc.property(storedArb, namesArb, namesArb, (labels, add, remove) => {
        const once = labelSet(labels, add, remove);
        expect(labelSet(once, add, remove)).toEqual(once);
        const fresh = add.filter((name) => !labels.includes(name));
        expect(labelSet(labelSet(labels, fresh), [], fresh)).toEqual(labels);
        // The order of the names added does not matter.
        expect(labelSet(labels, [...add].reverse(), remove)).toEqual(once);
      }),
    );
  });

  it('never answers a list that holds a removed name, even when the same call adds it', () => {
    expect(labelSet([], ['a'], ['a'])).toEqual([]);
    expect(labelSet(['a'], ['a', 'b'], ['a'])).toEqual(['b']);
  });
});

describe('sameLabels', () => {
  it('is true exactly when the two lists hold the same names in the same order', () => {
    fc.assert(
      fc.property(namesArb, namesArb, (a, b) => {
        expect(sameLabels(a, b)).toBe(JSON.stringify(a) === JSON.stringify(b));
        expect(sameLabels(a, [...a])).toBe(true);
      }),
    );
  });

  it('compares stored (sorted) lists, so two label sets built in any order compare equal', () => {
    expect(sameLabels(labelSet([], ['b', 'a']), labelSet(['a'], ['b']))).toBe(true);
    expect(sameLabels(['a', 'b'], ['a'])).toBe(false);
    expect(sameLabels([], [])).toBe(true);
  });
});

// ---------------------------------------------------------------- edges and caps

function edge(toId: string, labels: readonly string[], archived = false): StoredEdge {
  return { fromType: 'contacts', fromId: 'c1', toType: 'deals', toId, labels, inverseLabels: labels, createdAt: '2026-01-01T00:00:00.000Z', archived };
}

/** Up to 6 edges to distinct records, each with any of the labels 'a' and 'b', any archived. */
const edgesArb = fc
  .uniqueArray(fc.record({ id: fc.constantFrom('r1', 'r2', 'r3', 'r4', 'r5', 'r6'), labels: fc.subarray(['a', 'b']), archived: fc.boolean() }), {
    selector: (item) => item.id,
    maxLength: 6,
  })
  .map((items) => new Map(items.map((item) => [item.id, edge(item.id, item.labels, item.archived)])));

describe('countLive', () => {
  it('counts the live edges, or the live edges carrying a label', () => {
    const edges = [edge('r1', ['a']), edge('r2', ['a', 'b']), edge('r3', ['a'], true), edge('r4', [])];
    expect(countLive(edges)).toBe(3);
    expect(countLive(edges, 'a')).toBe(2);
    expect(countLive(edges, 'b')).toBe(1);
    expect(countLive(edges, 'c')).toBe(0);
    expect(countLive([])).toBe(0);
  });

  it('a label never counts more edges than all of them, and archiving an edge counts it out', () => {
    fc.assert(
      fc.property(edgesArb, fc.constantFrom('a', 'b'), (edges, name) => {
        const list = [...edges.values()];
        expect(countLive(list, name)).toBeLessThanOrEqual(countLive(list));
        const live = list.find((e) => !e.archived && e.labels.includes(name));
        if (live) expect(countLive(list.map((e) => (e === live ? { ...e, archived: true } : e)), name)).toBe(countLive(list, name) - 1);
      }),
    );
  });
});

describe('limitError', () => {
  it('names the record, the other type, the cap and the label in details and message', () => {
    const error = limitError('contacts', 'c1', 'deals', 1, 'decision_maker');
    expect(error.code).toBe('ASSOCIATION_LIMIT');
    expect(error.details).toEqual({ objectType: 'contacts', id: 'c1', toType: 'deals', limit: 1, label: 'decision_maker' });
    expect(error.message).toBe('contacts "c1" already holds 1 deals record under label "decision_maker", its limit');
  });

  it('leaves the label out of details when the cap is the pair’s', () => {
    const error = limitError('line_items', 'l1', 'deals', 3);
    expect(error.details).toEqual({ objectType: 'line_items', id: 'l1', toType: 'deals', limit: 3 });
    expect('label' in error.details).toBe(false);
    expect(error.message).toBe('line_items "l1" already holds 3 deals records, its limit');
  });
});

/** A cap: one of a few small numbers, or none. */
const capArb = fc.constantFrom(1, 2, 3, Number.POSITIVE_INFINITY);
const docOf = (name: string): LabelDoc => label({ from: 'contacts', to: 'deals', name, label: name });

/** A pair view between contacts and deals with these caps and labels 'a' (unpaired) and 'b' (paired with 'b_inverse'). */
const capsArb = fc.record({ cap: capArb, otherCap: capArb, aCap: capArb, aOther: capArb, bCap: capArb, bOther: capArb }).map((caps) => {
  const a: SideLabel = { doc: docOf('a'), name: 'a', otherName: 'a', cap: caps.aCap, otherCap: caps.aOther, only: new Set(['a']) };
  const b: SideLabel = { doc: docOf('b'), name: 'b', otherName: 'b_inverse', cap: caps.bCap, otherCap: caps.bOther, only: new Set(['b']) };
  const view: PairView = { from: 'contacts', to: 'deals', cap: caps.cap, otherCap: caps.otherCap, labels: new Map([['a', a], ['b', b]]), hasPrimary: false, seesPrimary: false, docs: [a.doc!, b.doc!] };
  return { view, a, b };
});

/** The other record's edges back: labels seen from its side ('b' is 'b_inverse' there). */
const otherEdgesArb = edgesArb.map((edges) => new Map([...edges].map(([id, e]) => [id, { ...e, labels: e.labels.map((name) => (name === 'b' ? 'b_inverse' : name)) }])));

describe('checkCaps and needsOtherEdges', () => {
  it('never lets a record hold more than a cap allows, and refuses only what would exceed one', () => {
    fc.assert(
      fc.property(capsArb, edgesArb, otherEdgesArb, fc.boolean(), fc.subarray(['a', 'b'] as const), ({ view, a, b }, fromEdges, toEdges, isNew, names) => {
        const added = names.map((name) => (name === 'a' ? a : b));
        const live = (edges: Map<string, StoredEdge>, name?: string): number =>
          [...edges.values()].filter((e) => !e.archived && (name === undefined || e.labels.includes(name))).length;
        // Each cap the new association or label falls under, with what the record holds under it now.
        const caps: Array<{ held: number; cap: number }> = [];
        if (isNew) caps.push({ held: live(fromEdges), cap: view.cap }, { held: live(toEdges), cap: view.otherCap });
        for (const side of added) caps.push({ held: live(fromEdges, side.name), cap: side.cap }, { held: live(toEdges, side.otherName), cap: side.otherCap });
        const error = thrown(() => checkCaps(view, { type: 'contacts', id: 'c1', edges: fromEdges }, { type: 'deals', id: 'd1', edges: toEdges }, isNew, added));
        if (caps.every(({ held, cap }) => held + 1 <= cap)) {
          expect(error).toBeUndefined();
        } else {
          expect(error).toBeInstanceOf(CrmError);
          const refused = error as CrmError<'ASSOCIATION_LIMIT'>;
          expect(refused.code).toBe('ASSOCIATION_LIMIT');
          // The first cap that is full, in the order checked: pair caps, then each label's.
          expect(refused.details.limit).toBe(caps.find(({ held, cap }) => held + 1 > cap)!.cap);
        }
      }),
    );
  });

  it('reads the other record’s edges only when needsOtherEdges says so', () => {
    fc.assert(
      fc.property(capsArb, edgesArb, fc.boolean(), fc.subarray(['a', 'b'] as const), ({ view, a, b }, fromEdges, isNew, names) => {
        const added = names.map((name) => (name === 'a' ? a : b));
        const needed = needsOtherEdges(view, isNew, added);
        expect(needed).toBe((isNew && Number.isFinite(view.otherCap)) || added.some((side) => Number.isFinite(side.otherCap)));
        if (needed) return;
        // Without the other record's edges, the check still answers (a refusal or nothing), never a TypeError.
        const error = thrown(() => checkCaps(view, { type: 'contacts', id: 'c1', edges: fromEdges }, { type: 'deals', id: 'd1', edges: undefined }, isNew, added));
        expect(error === undefined || error instanceof CrmError).toBe(true);
      }),
    );
  });

  it('refuses a second decision maker for a contact, and a third contact as a deal’s decision maker', () => {
    const view = pair('contacts', 'deals');
    const decisionMaker = view.labels.get('decision_maker')!;
    const none = new Map<string, StoredEdge>();
    const one = new Map([['d1', edge('d1', ['decision_maker'])]]);
    const two = new Map([
      ['c2', edge('c2', ['decision_maker'])],
      ['c3', edge('c3', ['decision_maker'])],
    ]);
    expect(thrown(() => checkCaps(view, { type: 'contacts', id: 'c1', edges: none }, { type: 'deals', id: 'd2', edges: none }, true, [decisionMaker]))).toBeUndefined();
    expect(crmError(() => checkCaps(view, { type: 'contacts', id: 'c1', edges: one }, { type: 'deals', id: 'd2', edges: none }, true, [decisionMaker])).details).toEqual({
      objectType: 'contacts',
      id: 'c1',
      toType: 'deals',
      limit: 1,
      label: 'decision_maker',
    });
    // From the deal's side, the label's inverse cap (2) applies to the deal.
    expect(crmError(() => checkCaps(view, { type: 'contacts', id: 'c1', edges: none }, { type: 'deals', id: 'd2', edges: two }, false, [decisionMaker])).details).toMatchObject({
      objectType: 'deals',
      id: 'd2',
      toType: 'contacts',
      limit: 2,
    });
    // An archived association holds no place under the cap.
    const archived = new Map([['d1', edge('d1', ['decision_maker'], true)]]);
    expect(thrown(() => checkCaps(view, { type: 'contacts', id: 'c1', edges: archived }, { type: 'deals', id: 'd2', edges: none }, true, [decisionMaker]))).toBeUndefined();
  });

  it('never refuses the primary label: it moves to the new company instead', () => {
    const view = pair('contacts', 'companies');
    const primary = view.labels.get(PRIMARY)!;
    const held = new Map([['k1', { ...edge('k1', [PRIMARY]), toType: 'companies' }]]);
    expect(thrown(() => checkCaps(view, { type: 'contacts', id: 'c1', edges: held }, { type: 'companies', id: 'k2', edges: new Map() }, true, [primary]))).toBeUndefined();
    expect(needsOtherEdges(view, false, [primary])).toBe(false);
  });
});

// ---------------------------------------------------------------- naming labels

describe('resolveLabels', () => {
  // The labels' shape (an array of strings) is checked where the public arguments are parsed
  // (src/arguments/); the rule judges the names.
  it('answers the labels a call names from its side, each once', () => {
    const view = pair('contacts', 'deals');
    expect(resolveLabels(view, undefined, true)).toEqual([]);
    expect(resolveLabels(view, ['decision_maker', 'champion', 'decision_maker'], true).map((side) => side.name)).toEqual(['decision_maker', 'champion']);
    // A paired label has its own name from the other side.
    expect(resolveLabels(pair('deals', 'contacts'), ['championed_deal'], true).map((side) => [side.name, side.otherName])).toEqual([['championed_deal', 'champion']]);
  });

  it('UNKNOWN_LABEL suggests the internal name of a display label, or of a near miss', () => {
    const view = pair('contacts', 'deals');
    const display = crmError(() => resolveLabels(view, ['Decision maker'], true));
    expect(display.code).toBe('UNKNOWN_LABEL');
    expect(display.details).toEqual({ objectType: 'contacts', toType: 'deals', label: 'Decision maker', suggestion: 'decision_maker' });
    expect(display.message).toContain('"Decision maker" is a display label: use its internal name, "decision_maker"');
    const typo = crmError(() => resolveLabels(view, ['decison_maker'], true));
    expect(typo.details).toMatchObject({ label: 'decison_maker', suggestion: 'decision_maker' });
    expect(typo.message).toContain('(did you mean "decision_maker"?)');
    const nothing = crmError(() => resolveLabels(view, ['invoice_approver'], true));
    expect(nothing.details).toEqual({ objectType: 'contacts', toType: 'deals', label: 'invoice_approver' });
  });

  it('UNKNOWN_LABEL for the other side’s name of a paired label names this side’s', () => {
    const error = crmError(() => resolveLabels(pair('deals', 'contacts'), ['champion'], true));
    expect(error.code).toBe('UNKNOWN_LABEL');
    expect(error.details).toMatchObject({ objectType: 'deals', toType: 'contacts', label: 'champion', suggestion: 'championed_deal' });
    expect(error.message).toContain("that is the label's name seen from contacts; from deals it is \"championed_deal\"");
  });

  it('a paired label between records of one type: either name, from either record, each with its own cap', () => {
    const view = pair('contacts', 'contacts');
    const [manager] = resolveLabels(view, ['manager'], true);
    const [employee] = resolveLabels(view, ['employee'], true);
    expect([manager!.name, manager!.otherName, manager!.cap]).toEqual(['manager', 'employee', 1]);
    expect([employee!.name, employee!.otherName, employee!.otherCap]).toEqual(['employee', 'manager', 1]);
  });

  it('the built-in primary label’s display label is "Primary"', () => {
    const error = crmError(() => resolveLabels(pair('deals', 'companies'), ['Primery'], true));
    expect(error.code).toBe('UNKNOWN_LABEL');
    expect(error.details).toMatchObject({ suggestion: PRIMARY });
    expect(crmError(() => resolveLabels(pair('deals', 'companies'), ['Primary'], true)).message).toContain('is a display label: use its internal name, "primary"');
  });

  it('the primary label: written only towards a company, read from a company’s side too', () => {
    expect(resolveLabels(pair('contacts', 'companies'), [PRIMARY], true).map((side) => side.name)).toEqual([PRIMARY]);
    expect(resolveLabels(pair('companies', 'contacts'), [PRIMARY], false).map((side) => side.name)).toEqual([PRIMARY]);
    const written = crmError(() => resolveLabels(pair('companies', 'contacts'), [PRIMARY], true));
    expect(written.code).toBe('PRIMARY_NOT_ALLOWED');
    expect(written.details).toEqual({ objectType: 'companies', toType: 'contacts' });
    // A company has no primary company.
    expect(crmError(() => resolveLabels(pair('companies', 'companies'), [PRIMARY], false)).code).toBe('PRIMARY_NOT_ALLOWED');
    // Between contacts and deals there is no primary at all.
    expect(crmError(() => resolveLabels(pair('contacts', 'deals'), [PRIMARY], true)).code).toBe('UNKNOWN_LABEL');
  });
});

describe('labelSuggestion and labelHint', () => {
  const labels: Array<readonly [string, string | undefined]> = [
    ['decision_maker', 'Decision maker'],
    ['budget_holder', 'Holds the budget'],
    [PRIMARY, undefined],
  ];

  it('names the label whose display label was given, whatever its case and separators', () => {
    for (const given of ['Decision maker', 'decision maker', 'DECISION-MAKER', 'Holds the budget', 'holds_the_budget']) {
      const suggestion = labelSuggestion(given, labels);
      expect(suggestion?.display, given).toBe(true);
      expect(suggestion?.name).toBe(given.toLowerCase().startsWith('holds') ? 'budget_holder' : 'decision_maker');
    }
  });

  it('names the nearest internal name for a typo, else nothing', () => {
    expect(labelSuggestion('budget_holdr', labels)).toEqual({ name: 'budget_holder', display: false });
    expect(labelSuggestion('primry', labels)).toEqual({ name: PRIMARY, display: false });
    expect(labelSuggestion('invoice_approver', labels)).toBeUndefined();
    expect(labelSuggestion(42, labels)).toBeUndefined();
    expect(labelSuggestion('decision_maker', [])).toBeUndefined();
  });

  it('a near miss of a display label suggests that label, marked as a display label', () => {
    expect(labelSuggestion('Holds the budgit', labels)).toEqual({ name: 'budget_holder', display: true });
  });

  it('any suggestion is one of the labels, and a display label’s suggestion has that display label', () => {
    const labelsArb = fc.uniqueArray(fc.tuple(fc.stringMatching(/^[a-z]{1,8}(_[a-z]{1,8})?$/), fc.option(fc.stringMatching(/^[A-Z][a-z]{0,8}( [a-z]{1,8})?$/), { nil: undefined })), {
      selector: ([name]) => name,
      minLength: 1,
      maxLength: 5,
    });
    fc.assert(
      fc.property(labelsArb, fc.string({ maxLength: 12 }), (list, given) => {
        const suggestion = labelSuggestion(given, list);
        if (suggestion === undefined) return;
        const chosen = list.find(([name]) => name === suggestion.name);
        expect(chosen).toBeDefined();
        if (suggestion.display) expect(chosen![1]).toBeDefined();
      }),
    );
    fc.assert(
      fc.property(labelsArb, (list) => {
        const display = list.find(([, shown]) => shown !== undefined)?.[1];
        if (display === undefined) return;
        // The display label itself, upper-cased, still finds a label shown that way (case and spaces aside).
        const folded = (text: string): string => text.toLowerCase().replaceAll(' ', '');
        const suggestion = labelSuggestion(display.toUpperCase(), list);
        expect(suggestion?.display).toBe(true);
        expect(folded(list.find(([candidate]) => candidate === suggestion!.name)![1]!)).toBe(folded(display));
      }),
    );
  });

  it('labelHint ends the UNKNOWN_LABEL message with what to use instead', () => {
    expect(labelHint('Decision maker', { name: 'decision_maker', display: true })).toBe(' ("Decision maker" is a display label: use its internal name, "decision_maker")');
    expect(labelHint('decison_maker', { name: 'decision_maker', display: false })).toBe(' (did you mean "decision_maker"?)');
    expect(labelHint('anything', undefined)).toBe('');
    expect(labelHint('x'.repeat(100), { name: 'decision_maker', display: true })).toContain('a string of 100 characters');
  });
});
