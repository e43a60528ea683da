// Association labels and pair caps: the rules (pure: stored definitions and a request in, the
// new definitions or a CrmError out) and the service calls that store them as schema metadata.
import { allocatableTypeId } from '../schema/catalogue/index.js';
import { savedAcross, usersOf } from '../schema/saved.js';
import { saveAssociations, type TxContext } from '../schema/transaction.js';
import { CrmError, culprit, describeValue, validationError } from '../errors.js';
import type { LabelInputParsed, LabelPatchParsed, PairOptionsParsed } from '../arguments/associations.js';
import { NAME_MAX_LENGTH, nameIssue } from '../schema/names.js';
import type { AssociationDoc, LabelDoc, PairDoc, SchemaState, StoredLimit } from '../schema/model.js';
import type { StoredEdge } from '../storage/types.js';
import type { AssociationType, LabelDefinition } from '../types.js';
import { associationModel, capOf, forbiddenPair, inCatalogue, isBuiltInLabel, labelDefinition, PRIMARY, publicLimit, storedLimit, type AssociationModel } from './model.js';
import { labelHint, labelSuggestion } from './rules.js';

/**
 * 'Decision maker' → 'decision_maker': lowercase, runs of other characters become one `_`, cut
 * to the internal-name length (a 100-character display label still gets a name).
 *
 * @example
 * deriveLabelName('Decision maker'); // 'decision_maker'
 */
export function deriveLabelName(label: string): string {
  return label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+/, '')
    .slice(0, NAME_MAX_LENGTH)
    .replace(/_+$/, '');
}

/**
 * A label's internal name follows the one rule for internal names (schema/names.ts). A name
 * derived from a display label says so, and that `name` can be given instead.
 */
function checkName(name: string, property: string, derivedFrom?: string): void {
  const issue = nameIssue(name, 'label', [property]);
  if (!issue) return;
  const derived = derivedFrom === undefined ? '' : ` (derived from ${describeValue(derivedFrom)}; give the label a name that is)`;
  throw validationError([
    { ...issue, code: issue.code === 'INVALID_NAME' ? 'INVALID_LABEL' : issue.code, property, message: `${issue.message}${derived}` },
  ]);
}

/** The object type names of a pair (UNKNOWN_OBJECT_TYPE) that may associate (ASSOCIATION_NOT_ALLOWED). */
function pairTypes(schema: SchemaState, model: AssociationModel, from: string, to: string): { from: string; to: string } {
  const a = schema.object(from).name;
  const b = schema.object(to).name;
  if (!model.pair(a, b)) {
    throw new CrmError('ASSOCIATION_NOT_ALLOWED', `${a} records cannot be associated with ${b} records, so the pair has no labels`, { objectType: a, toType: b });
  }
  return { from: a, to: b };
}

/** LABEL_EXISTS when any of `texts` equals, ignoring case, a name or display label already in the pair. */
function checkFree(model: AssociationModel, from: string, to: string, texts: readonly string[], except?: LabelDoc): void {
  const taken = new Set<string>();
  if (model.pair(from, to)!.hasPrimary || model.pair(from, to)!.seesPrimary) {
    taken.add(PRIMARY);
  }
  for (const doc of model.labelDocs(from, to)) {
    if (doc === except) continue;
    for (const text of [doc.name, doc.label, doc.inverseName, doc.inverseLabel]) if (text !== undefined) taken.add(text.toLowerCase());
  }
  for (const text of texts) {
    if (taken.has(text.toLowerCase())) {
      throw new CrmError('LABEL_EXISTS', `${from} ↔ ${to} already has a label named or shown as ${JSON.stringify(text)}`, { objectType: from, toType: to, label: text });
    }
  }
}

/**
 * VALIDATION_ERROR when a label's caps, as given, exceed its pair's. A cap left out ('many')
 * never does: under a capped pair it means "as many as the pair allows".
 */
function checkWithinPair(model: AssociationModel, doc: Pick<LabelDoc, 'from' | 'to' | 'limit' | 'inverseLimit'>): void {
  const view = model.pair(doc.from, doc.to)!;
  const issues = [];
  if (doc.limit !== 'many' && capOf(doc.limit) > view.cap) {
    issues.push({ code: 'LIMIT_EXCEEDS_PAIR' as const, property: 'limit', message: `limit ${publicLimit(doc.limit)} exceeds the pair's limit ${view.cap}` });
  }
  if (doc.inverseLimit !== 'many' && capOf(doc.inverseLimit) > view.otherCap) {
    issues.push({ code: 'LIMIT_EXCEEDS_PAIR' as const, property: 'inverseLimit', message: `inverseLimit ${publicLimit(doc.inverseLimit)} exceeds the pair's limit ${view.otherCap}` });
  }
  if (issues.length > 0) throw validationError(issues, `${doc.from} → ${doc.to}`);
}

/** The rule of createLabel: the new label's definition and the next type id. */
export function newLabel(schema: SchemaState, parsed: LabelInputParsed, labelLimit: number): { doc: LabelDoc; associations: AssociationDoc } {
  const model = associationModel(schema);
  const { from, to } = pairTypes(schema, model, parsed.from, parsed.to);
  const name = parsed.name ?? deriveLabelName(parsed.label);
  checkName(name, 'name', parsed.name === undefined ? `label ${parsed.label}` : undefined);
  const inverseName = parsed.inverseLabel === undefined ? undefined : deriveLabelName(parsed.inverseLabel);
  if (inverseName !== undefined) checkName(inverseName, 'inverseLabel', `inverseLabel ${parsed.inverseLabel}`);
  const texts = [name, parsed.label, ...(inverseName !== undefined ? [inverseName, parsed.inverseLabel!] : [])];
  checkFree(model, from, to, texts);
  if (inverseName !== undefined && (inverseName === name || parsed.inverseLabel!.toLowerCase() === parsed.label.toLowerCase())) {
    throw new CrmError('LABEL_EXISTS', `A paired label needs two different names (${JSON.stringify(parsed.label)} / ${JSON.stringify(parsed.inverseLabel)})`, {
      objectType: from,
      toType: to,
      label: parsed.inverseLabel!,
    });
  }
  // The built-in labels, like primary, do not count.
  const existing = model.labelDocs(from, to).filter((doc) => !isBuiltInLabel(doc));
  if (existing.length >= labelLimit) {
    throw new CrmError('LABEL_LIMIT', `${from} ↔ ${to} already has ${existing.length} labels, the limit (createCrm's labelLimit)`, {
      objectType: from,
      toType: to,
      limit: labelLimit,
    });
  }
  const current = schema.associationDoc;
  // One id per direction, from the counter custom pairs share, past every reserved range.
  const typeId = allocatableTypeId(current.nextLabelTypeId);
  const inverseTypeId = allocatableTypeId(typeId + 1);
  const doc: LabelDoc = {
    from,
    to,
    name,
    label: parsed.label,
    ...(inverseName !== undefined ? { inverseName, inverseLabel: parsed.inverseLabel! } : {}),
    limit: storedLimit(parsed.limit),
    inverseLimit: storedLimit(parsed.inverseLimit),
    typeId,
    inverseTypeId,
  };
  checkWithinPair(model, doc);
  return { doc, associations: { ...current, labels: [...current.labels, doc], nextLabelTypeId: inverseTypeId + 1 } };
}

/** The stored label a caller names from either side; IMMUTABLE for the built-in primary, UNKNOWN_LABEL when there is none. */
function findLabel(schema: SchemaState, from: string, to: string, name: string): { doc: LabelDoc; model: AssociationModel } {
  const model = associationModel(schema);
  const pair = pairTypes(schema, model, from, to);
  if (name === PRIMARY && (model.pair(pair.from, pair.to)!.hasPrimary || model.pair(pair.from, pair.to)!.seesPrimary)) {
    throw new CrmError('IMMUTABLE', 'The built-in primary label cannot be changed or deleted', { objectType: pair.from, toType: pair.to, label: PRIMARY });
  }
  const docs = model.labelDocs(pair.from, pair.to);
  const doc = docs.find((label) => label.name === name || label.inverseName === name);
  if (doc && isBuiltInLabel(doc)) {
    throw new CrmError('IMMUTABLE', `The built-in label ${name} cannot be changed or deleted`, { objectType: pair.from, toType: pair.to, label: name });
  }
  if (!doc) {
    // A display label, or a near miss, where the internal name goes: say which name it is.
    const suggestion = labelSuggestion(
      name,
      docs.flatMap((label) => [[label.name, label.label] as const, ...(label.inverseName !== undefined ? [[label.inverseName, label.inverseLabel] as const] : [])]),
    );
    throw new CrmError('UNKNOWN_LABEL', `${pair.from} ↔ ${pair.to} has no label named ${describeValue(name)}${labelHint(name, suggestion)}`, {
      objectType: pair.from,
      toType: pair.to,
      label: culprit(name),
      ...(suggestion !== undefined ? { suggestion: suggestion.name } : {}),
    });
  }
  return { doc, model };
}

/** The rule of updateLabel: display labels and caps change; names and pairing never do. */
export function changedLabel(
  schema: SchemaState,
  from: string,
  to: string,
  name: string,
  parsed: LabelPatchParsed,
): { doc: LabelDoc; associations: AssociationDoc } {
  const { doc, model } = findLabel(schema, from, to, name);
  for (const field of ['name', 'inverseName'] as const) {
    if (parsed[field] !== undefined && parsed[field] !== doc[field]) {
      throw new CrmError('IMMUTABLE', `A label's ${field} never changes (${doc.name})`, { objectType: doc.from, toType: doc.to, label: doc.name, field });
    }
  }
  if (parsed.inverseLabel !== undefined && doc.inverseName === undefined) {
    throw new CrmError('IMMUTABLE', `${doc.name} is not a paired label, and whether a label is paired never changes`, {
      objectType: doc.from,
      toType: doc.to,
      label: doc.name,
      field: 'inverseLabel',
    });
  }
  const next: LabelDoc = {
    ...doc,
    ...(parsed.label !== undefined ? { label: parsed.label } : {}),
    ...(parsed.inverseLabel !== undefined ? { inverseLabel: parsed.inverseLabel } : {}),
    ...(parsed.limit !== undefined ? { limit: storedLimit(parsed.limit) } : {}),
    ...(parsed.inverseLimit !== undefined ? { inverseLimit: storedLimit(parsed.inverseLimit) } : {}),
  };
  const texts = [next.label, ...(next.inverseLabel !== undefined ? [next.inverseLabel] : [])].filter((text, at) => text !== [doc.label, doc.inverseLabel][at]);
  checkFree(model, doc.from, doc.to, texts, doc);
  // The two sides of a paired label stay apart too: neither may take the other's name or label.
  if (next.inverseName !== undefined) {
    const sides = [
      [next.name, next.label],
      [next.inverseName, next.inverseLabel!],
    ].map((side) => side.map((text) => text.toLowerCase()));
    const clash = sides[0]!.find((text) => sides[1]!.includes(text));
    if (clash !== undefined) {
      throw new CrmError('LABEL_EXISTS', `${doc.name}: the two sides of a paired label need different names and display labels (${JSON.stringify(clash)})`, {
        objectType: doc.from,
        toType: doc.to,
        label: clash,
      });
    }
  }
  checkWithinPair(model, next);
  const current = schema.associationDoc;
  return { doc: next, associations: { ...current, labels: current.labels.map((label) => (label === doc ? next : label)) } };
}

/** The rule of defineAssociation: the pair allowed (unless the catalogue forbids it) with these caps. */
export function definedPair(schema: SchemaState, from: string, to: string, parsed: PairOptionsParsed): AssociationDoc {
  const a = schema.object(from).name;
  const b = schema.object(to).name;
  const forbidden = forbiddenPair(a, b);
  if (forbidden) throw new CrmError('ASSOCIATION_NOT_ALLOWED', `${a} and ${b} cannot associate: ${forbidden}`, { objectType: a, toType: b });
  const model = associationModel(schema);
  const rule = model.rule(a, b);
  const forward = rule === undefined || rule.from === a;
  const pair: PairDoc = {
    from: a,
    to: b,
    limit: parsed?.limit !== undefined ? storedLimit(parsed.limit) : ((forward ? rule?.limit : rule?.inverseLimit) ?? 'many'),
    inverseLimit: parsed?.inverseLimit !== undefined ? storedLimit(parsed.inverseLimit) : ((forward ? rule?.inverseLimit : rule?.limit) ?? 'many'),
  };
  // A pair cannot be capped below a label's caps.
  for (const label of model.labelDocs(a, b)) {
    const same = label.from === a;
    const [own, other] = same ? [label.limit, label.inverseLimit] : [label.inverseLimit, label.limit];
    const exceeds = (limit: StoredLimit, cap: StoredLimit): boolean => limit !== 'many' && capOf(limit) > capOf(cap);
    if (exceeds(own, pair.limit) || exceeds(other, pair.inverseLimit)) {
      throw validationError([
        { code: 'LIMIT_EXCEEDS_PAIR', property: 'limit', message: `label ${label.name}'s limits exceed the pair caps asked for; lower the label's first` },
      ]);
    }
  }
  const current = schema.associationDoc;
  const pairs = current.pairs.filter((stored) => !((stored.from === a && stored.to === b) || (stored.from === b && stored.to === a)));
  return { ...current, pairs: [...pairs, pair] };
}

// ---------------------------------------------------------------- service

/** How many associations (archived records' included) carry the label: counted by the storage, or over a scan of the pair's edges. */
async function usage(ctx: TxContext, doc: LabelDoc): Promise<number> {
  const count = ctx.tx.countEdges ? await ctx.tx.countEdges(doc.from, doc.to, doc.name) : await countByScan(ctx, doc);
  // On a same-type pair both directions hold the label; an unpaired label sits on both.
  return doc.from === doc.to && doc.inverseName === undefined ? count / 2 : count;
}

/** The edges from `from` to `to` records that `counts` (every one when not given), over a scan of the pair's edges. */
async function countEdgesByScan(ctx: TxContext, from: string, to: string, counts?: (edge: StoredEdge) => boolean): Promise<number> {
  let count = 0;
  let after: string | undefined;
  do {
    const page = await ctx.tx.scanEdges(from, to, { limit: 1_000, ...(after !== undefined ? { after } : {}) });
    if (counts === undefined) count += page.edges.length;
    else for (const edge of page.edges) if (counts(edge)) count++;
    after = page.after;
  } while (after !== undefined);
  return count;
}

/** The label's edges counted over a scan of the pair's, for a storage that cannot count them. */
function countByScan(ctx: TxContext, doc: LabelDoc): Promise<number> {
  return countEdgesByScan(ctx, doc.from, doc.to, (edge) => edge.labels.includes(doc.name));
}

export async function createLabel(ctx: TxContext, input: LabelInputParsed): Promise<LabelDefinition> {
  const { doc, associations } = newLabel(ctx.schema, input, ctx.options.labelLimit);
  await saveAssociations(ctx, associations);
  ctx.emit({ type: 'schema.changed', objectType: doc.from, change: 'label.created' });
  return labelDefinition(doc);
}

export async function updateLabel(ctx: TxContext, from: string, to: string, name: string, patch: LabelPatchParsed): Promise<LabelDefinition> {
  const { doc, associations } = changedLabel(ctx.schema, from, to, name, patch);
  await saveAssociations(ctx, associations);
  ctx.emit({ type: 'schema.changed', objectType: doc.from, change: 'label.updated' });
  return labelDefinition(doc);
}

/** The saved filters (segments, views) naming the label, from either side of its pair. */
function savedUsers(schema: SchemaState, doc: LabelDoc): { segments: string[]; views: string[] } {
  return usersOf(schema, (uses) =>
    uses.labels.some(
      (used) =>
        (used.from === doc.from && used.to === doc.to && used.name === doc.name) ||
        (used.from === doc.to && used.to === doc.from && used.name === (doc.inverseName ?? doc.name)),
    ),
  );
}

export async function deleteLabel(ctx: TxContext, from: string, to: string, name: string): Promise<void> {
  const { doc } = findLabel(ctx.schema, from, to, name);
  const count = await usage(ctx, doc);
  const saved = savedUsers(ctx.schema, doc);
  if (count > 0 || saved.segments.length > 0 || saved.views.length > 0) {
    const users = [
      ...(count > 0 ? [`${count} association${count === 1 ? '' : 's'} carry it`] : []),
      ...saved.segments.map((id) => `segment ${id} names it`),
      ...saved.views.map((id) => `view ${id} names it`),
    ];
    throw new CrmError('LABEL_IN_USE', `Label ${doc.name} is in use: ${users.join(', ')}; remove it from them first`, {
      objectType: doc.from,
      toType: doc.to,
      label: doc.name,
      associations: count,
      count,
      segments: saved.segments,
      views: saved.views,
    });
  }
  const current = ctx.schema.associationDoc;
  await saveAssociations(ctx, { ...current, labels: current.labels.filter((label) => label !== doc) });
  ctx.emit({ type: 'schema.changed', objectType: doc.from, change: 'label.deleted' });
}

export async function labelUsage(ctx: TxContext, from: string, to: string, name: string): Promise<{ associations: number; segments: string[]; views: string[] }> {
  const { doc } = findLabel(ctx.schema, from, to, name);
  return { associations: await usage(ctx, doc), ...savedUsers(ctx.schema, doc) };
}

/** The association types of the direction `from` → `to`, with their ids (model.ts `types`). */
export function typesOf(schema: SchemaState, from: string, to: string): AssociationType[] {
  const model = associationModel(schema);
  const pair = pairTypes(schema, model, from, to);
  return model.types(pair.from, pair.to);
}

/** The pair's labels, the same whichever way round it is asked. */
export function labelsOf(schema: SchemaState, from: string, to: string): LabelDefinition[] {
  const model = associationModel(schema);
  const pair = pairTypes(schema, model, from, to);
  return model.definitions(pair.from, pair.to);
}

/**
 * Why records of `a` and `b` may not stop associating, or `undefined` when they may: a pair the
 * catalogue allows stays (IMMUTABLE), and a pair associations still join or saved filters cross
 * stays in use (ASSOCIATION_IN_USE).
 *
 * @example
 * pairRemovalRefusal('roast_batches', 'contacts', false, 0, { segments: [], views: [] }); // undefined
 */
export function pairRemovalRefusal(a: string, b: string, catalogued: boolean, associations: number, saved: { segments: string[]; views: string[] }): CrmError | undefined {
  if (catalogued) return new CrmError('IMMUTABLE', `${a} ↔ ${b} is a pair of the catalogue: it cannot be removed`, { objectType: a, toType: b });
  if (associations === 0 && saved.segments.length === 0 && saved.views.length === 0) return undefined;
  const reasons = [
    ...(associations > 0 ? [`${associations} association${associations === 1 ? '' : 's'} (archived records' included) still join it: remove them first`] : []),
    ...saved.segments.map((id) => `segment ${id} filters across it`),
    ...saved.views.map((id) => `view ${id} filters across it`),
  ];
  return new CrmError('ASSOCIATION_IN_USE', `${a} ↔ ${b} cannot be removed: ${reasons.join('; ')}`, { objectType: a, toType: b, associations, ...saved });
}

/** How many associations join records of `a` and `b` (archived records' included), over a scan of the pair's edges. */
async function pairUsage(ctx: TxContext, a: string, b: string): Promise<number> {
  const count = await countEdgesByScan(ctx, a, b);
  // On a same-type pair each association is stored from both of its records.
  return a === b ? count / 2 : count;
}

/**
 * Stops records of two types associating: the pair a custom type's `associations` or
 * `defineAssociation` allowed goes, with its caps and labels. Refused for a catalogue pair and
 * while associations or saved filters use it (see {@link pairRemovalRefusal}).
 */
export async function removeAssociation(ctx: TxContext, from: string, to: string): Promise<void> {
  const a = ctx.schema.object(from).name;
  const b = ctx.schema.object(to).name;
  if (!associationModel(ctx.schema).rule(a, b)) throw new CrmError('ASSOCIATION_NOT_ALLOWED', `${a} and ${b} do not associate: there is no pair to remove`, { objectType: a, toType: b });
  const catalogued = inCatalogue(a, b);
  const refusal = pairRemovalRefusal(a, b, catalogued, catalogued ? 0 : await pairUsage(ctx, a, b), savedAcross(ctx.schema, a, b));
  if (refusal) throw refusal;
  await ctx.saveSchema(ctx.schema.withoutPair(a, b));
  ctx.emit({ type: 'schema.changed', objectType: a, change: 'association.removed' });
}

export async function defineAssociation(ctx: TxContext, from: string, to: string, options: PairOptionsParsed): Promise<void> {
  await saveAssociations(ctx, definedPair(ctx.schema, from, to, options));
  ctx.emit({ type: 'schema.changed', objectType: ctx.schema.object(from).name, change: 'association.defined' });
}
