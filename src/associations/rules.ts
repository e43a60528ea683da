// The association graph's rules as pure functions: which labels a call names and whether a new
// association or label fits under its caps (the primary company's rule is ./primary.ts). Each
// takes what storage returned and answers a decision or throws the CrmError that says why not.
import { foldName, nearest } from '../arguments/options.js';
import { CrmError, culprit, describeValue } from '../errors.js';
import type { StoredEdge } from '../storage/types.js';
import { COMPANIES, PRIMARY, type PairView, type SideLabel } from './model.js';

/** What a caller most likely meant by a label name that is none: an internal name, and whether `given` was its display label. */
export interface LabelSuggestion {
  name: string;
  /** `given` is the label's display label (any case, any separators), not a typo of its name. */
  display: boolean;
}

/**
 * The internal name a caller most likely meant by `given`, among `labels` ([internal name,
 * display label] pairs): the label whose display label `given` is (case and separators aside:
 * 'Decision maker', 'decision maker'), else the nearest name or display label.
 *
 * @example
 * labelSuggestion('Decision maker', [['decision_maker', 'Decision maker']]); // { name: 'decision_maker', display: true }
 */
export function labelSuggestion(given: unknown, labels: Iterable<readonly [name: string, display: string | undefined]>): LabelSuggestion | undefined {
  if (typeof given !== 'string') return undefined;
  const list = [...labels];
  const byDisplay = new Map(list.flatMap(([name, display]) => (display === undefined ? [] : [[display, name] as const])));
  const display = nearest(given, byDisplay.keys());
  const exact = display !== undefined && foldName(display) === foldName(given);
  if (exact) return { name: byDisplay.get(display)!, display: true };
  const name = nearest(given, list.map(([candidate]) => candidate));
  if (name !== undefined) return { name, display: false };
  return display !== undefined ? { name: byDisplay.get(display)!, display: true } : undefined;
}

/**
 * The end of an UNKNOWN_LABEL message: the internal name to use instead, if there is one.
 *
 * @example
 * labelHint('Decision maker', { name: 'decision_maker', display: true });
 * // ' ("Decision maker" is a display label: use its internal name, "decision_maker")'
 */
export function labelHint(given: unknown, suggestion: LabelSuggestion | undefined): string {
  if (suggestion === undefined) return '';
  return suggestion.display
    ? ` (${describeValue(given)} is a display label: use its internal name, ${JSON.stringify(suggestion.name)})`
    : ` (did you mean ${JSON.stringify(suggestion.name)}?)`;
}

/** A side's labels as [internal name, display label] pairs (the built-in primary's display label is 'Primary'). */
function sideLabels(view: PairView): Array<readonly [string, string | undefined]> {
  return [...view.labels].map(([name, side]) => [name, side.doc === undefined ? 'Primary' : name === side.doc.inverseName ? side.doc.inverseLabel : side.doc.label] as const);
}

/** The labels a call names from `view.from`'s side; UNKNOWN_LABEL or PRIMARY_NOT_ALLOWED for a name that is not one. */
export function resolveLabels(view: PairView, names: readonly string[] | undefined, writing: boolean): SideLabel[] {
  if (names === undefined) return [];
  const labels: SideLabel[] = [];
  for (const name of names) {
    const label = view.labels.get(name);
    // The built-in primary label is read from a company's side but written only from the other.
    if ((label && label.doc === undefined && writing && view.seesPrimary) || (!label && name === PRIMARY && view.to === COMPANIES)) {
      throw new CrmError('PRIMARY_NOT_ALLOWED', `${view.from} → ${view.to} has no primary label: a record's primary is a company, and a company has no primary ${view.to === COMPANIES ? 'company' : 'record'}`, {
        objectType: view.from,
        toType: view.to,
      });
    }
    if (!label) throw unknownLabel(view, name);
    if (!labels.includes(label)) labels.push(label);
  }
  return labels;
}

/**
 * UNKNOWN_LABEL for a name `view.from`'s side lacks, saying what would be right: the name seen
 * from this side when `name` is the other side's, else the internal name of a display label or
 * of a near miss.
 */
function unknownLabel(view: PairView, name: string): CrmError {
  const facts = { objectType: view.from, toType: view.to, label: culprit(name) };
  for (const side of view.labels.values()) {
    if (side.otherName === name && side.name !== name) {
      return new CrmError(
        'UNKNOWN_LABEL',
        `${view.from} → ${view.to} has no label named ${describeValue(name)}: that is the label's name seen from ${view.to}; from ${view.from} it is ${JSON.stringify(side.name)}`,
        { ...facts, suggestion: side.name },
      );
    }
  }
  const suggestion = labelSuggestion(name, sideLabels(view));
  return new CrmError('UNKNOWN_LABEL', `${view.from} → ${view.to} has no label named ${describeValue(name)}${labelHint(name, suggestion)}`, {
    ...facts,
    ...(suggestion !== undefined ? { suggestion: suggestion.name } : {}),
  });
}

const NO_LABELS: readonly string[] = Object.freeze([]);
const ONLY_PRIMARY: readonly string[] = Object.freeze([PRIMARY]);

/**
 * `labels` with `add` added and `remove` removed, sorted and frozen (the stored form). Most
 * associations carry no label or only the primary one: those share one frozen list each.
 */
export function labelSet(labels: readonly string[], add: readonly string[], remove: readonly string[] = []): readonly string[] {
  if (labels.length === 0 && remove.length === 0 && add.length <= 1) {
    if (add.length === 0) return NO_LABELS;
    if (add[0] === PRIMARY) return ONLY_PRIMARY;
  }
  const set = new Set(labels);
  for (const name of add) set.add(name);
  for (const name of remove) set.delete(name);
  if (set.size === 0) return NO_LABELS;
  return Object.freeze([...set].sort());
}

/** Whether two stored label lists are the same. */
export function sameLabels(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((name, at) => name === b[at]);
}

/** How many live edges carry `name` (all live edges when `name` is undefined). */
export function countLive(edges: Iterable<StoredEdge>, name?: string): number {
  let count = 0;
  for (const edge of edges) if (!edge.archived && (name === undefined || edge.labels.includes(name))) count++;
  return count;
}

/** ASSOCIATION_LIMIT: the record already holds `cap` records of the type (under the label, when given). */
export function limitError(objectType: string, id: string, toType: string, cap: number, label?: string): CrmError {
  const under = label === undefined ? '' : ` under label ${JSON.stringify(label)}`;
  return new CrmError('ASSOCIATION_LIMIT', `${objectType} ${JSON.stringify(id)} already holds ${cap} ${toType} record${cap === 1 ? '' : 's'}${under}, its limit`, {
    objectType,
    id,
    toType,
    limit: cap,
    ...(label === undefined ? {} : { label }),
  });
}

/**
 * Checks that a new association (or new labels on one) fits every cap, from both sides.
 * `from.edges` are the record's edges to the other type, `to.edges` the other record's edges
 * back (only read when a cap on that side is finite). Maps, not iterators: each cap counts anew.
 */
export function checkCaps(
  view: PairView,
  from: { type: string; id: string; edges: ReadonlyMap<string, StoredEdge> },
  to: { type: string; id: string; edges: ReadonlyMap<string, StoredEdge> | undefined },
  isNew: boolean,
  added: readonly SideLabel[],
): void {
  if (isNew) {
    if (Number.isFinite(view.cap) && countLive(from.edges.values()) >= view.cap) throw limitError(from.type, from.id, to.type, view.cap);
    if (Number.isFinite(view.otherCap) && countLive(to.edges!.values()) >= view.otherCap) throw limitError(to.type, to.id, from.type, view.otherCap);
  }
  for (const label of added) {
    if (label.doc === undefined) continue; // the primary label is moved, never refused
    if (Number.isFinite(label.cap) && countLive(from.edges.values(), label.name) >= label.cap) throw limitError(from.type, from.id, to.type, label.cap, label.name);
    if (Number.isFinite(label.otherCap) && countLive(to.edges!.values(), label.otherName) >= label.otherCap) {
      throw limitError(to.type, to.id, from.type, label.otherCap, label.otherName);
    }
  }
}

/** Whether a cap on the other record's side needs its edges read. */
export function needsOtherEdges(view: PairView, isNew: boolean, added: readonly SideLabel[]): boolean {
  return (isNew && Number.isFinite(view.otherCap)) || added.some((label) => label.doc !== undefined && Number.isFinite(label.otherCap));
}
