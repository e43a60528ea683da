// The association schema compiled for use: which object pairs may associate, their caps, and
// every label as seen from each side. Built once per schema version from the catalogue's table,
// the custom objects' `associations` and the stored labels and pairs (SchemaDoc).
import {
  ACTIVITY_TYPES,
  ASSOCIATION_RULES,
  BUILT_IN_LABELS,
  EXCLUSIVE_PARENTS,
  generatedPrimaryTypeIds,
  generatedTypeId,
  PRIMARY_TYPE_IDS,
  REQUIRED_ASSOCIATIONS,
  UNLABELLED_TYPE_IDS,
} from '../schema/catalogue/index.js';
import type { LabelDoc, SchemaState, StoredLimit } from '../schema/model.js';
import { pairTypeKey } from '../schema/type-ids.js';
import type { AssociationLimit, AssociationType, LabelDefinition } from '../types.js';

export const COMPANIES = 'companies';
export const CONTACTS = 'contacts';
export const PRIMARY = 'primary';

export { ACTIVITY_TYPES };

/** The built-in labels besides primary, as label documents (frozen; never stored). */
const BUILT_IN_DOCS: readonly LabelDoc[] = BUILT_IN_LABELS.map((spec) => Object.freeze({ ...spec }));
const BUILT_IN = new Set<LabelDoc>(BUILT_IN_DOCS);

/**
 * Whether a label is one the catalogue ships (a company's parent and child, a quote's signer):
 * such a label cannot be changed or deleted and does not count against the label limit.
 *
 * @example
 * isBuiltInLabel(model.labelDocs('companies', 'companies')[0]!); // true
 */
export function isBuiltInLabel(doc: LabelDoc): boolean {
  return BUILT_IN.has(doc);
}

/** 'one' → 1, 'many' → no cap. */
export function capOf(limit: StoredLimit): number {
  return limit === 'many' ? Number.POSITIVE_INFINITY : limit;
}

/** A limit as the public API shows it ('one' rather than 1). */
export function publicLimit(limit: StoredLimit): AssociationLimit {
  return limit === 1 ? 'one' : limit;
}

/** A side's cap as the public API shows it: no cap is 'many', 1 is 'one'. */
function limitOfCap(cap: number): AssociationLimit {
  if (cap === Number.POSITIVE_INFINITY) return 'many';
  return cap === 1 ? 'one' : cap;
}

/** A label as one side sees it. */
export interface SideLabel {
  /** The definition; `undefined` for the built-in primary label. */
  readonly doc: LabelDoc | undefined;
  /** Its name from this side, and from the other side. */
  readonly name: string;
  readonly otherName: string;
  /** How many records one record of this side may hold under it, and one of the other side. */
  readonly cap: number;
  readonly otherCap: number;
  /** A set holding just `name`, for label filters. */
  readonly only: ReadonlySet<string>;
}

/** An object pair seen from `from`: allowed, with its caps and labels. */
export interface PairView {
  readonly from: string;
  readonly to: string;
  /** How many `to` records one `from` record may hold, and the other way round. */
  readonly cap: number;
  readonly otherCap: number;
  /** Labels by their name from `from` (the built-in primary included where the pair has it). */
  readonly labels: ReadonlyMap<string, SideLabel>;
  /** `from` → companies with `from` not companies: the pair has the primary-company label. */
  readonly hasPrimary: boolean;
  /** companies → X where X → companies has the primary label (readable here, never writable). */
  readonly seesPrimary: boolean;
  /** The user-defined labels of the pair, both directions' definitions, in creation order. */
  readonly docs: readonly LabelDoc[];
}

function pairKey(a: string, b: string): string {
  return a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`;
}

/** Pairs the catalogue forbids outright: `defineAssociation` cannot add them either. */
export function forbiddenPair(a: string, b: string): string | undefined {
  if (a === 'products' || b === 'products') return 'products are never associated directly: associate a line item';
  for (const [one, other] of [
    [a, b],
    [b, a],
  ] as const) {
    const exclusive = EXCLUSIVE_PARENTS.find((rule) => rule.objectType === one);
    if (exclusive && !exclusive.parents.includes(other)) return `a ${one} record associates only with its parent (${exclusive.parents.join(', ')})`;
    if (one === 'campaigns' && ACTIVITY_TYPES.has(other) && !['calls', 'emails', 'meetings'].includes(other)) {
      return 'campaigns associate with calls, emails and meetings only among activities';
    }
  }
  return undefined;
}

/** The primary label's type ids for `objectType` → companies: HubSpot's, else generated from the object id. */
function primaryTypeIds(objectType: string, objectId: string): readonly [number, number] {
  return PRIMARY_TYPE_IDS[objectType] ?? generatedPrimaryTypeIds(objectId);
}

interface PairRule {
  from: string;
  to: string;
  limit: StoredLimit;
  inverseLimit: StoredLimit;
}

function storedLimit(limit: AssociationLimit | undefined): StoredLimit {
  if (limit === undefined || limit === 'many') return 'many';
  return limit === 'one' ? 1 : limit;
}

/**
 * Whether the catalogue's own table allows the pair (either order): such a pair stays allowed
 * whatever the schema defines.
 *
 * @example
 * inCatalogue('contacts', 'companies'); // true
 */
export function inCatalogue(a: string, b: string): boolean {
  const key = pairKey(a, b);
  return ASSOCIATION_RULES.some((rule) => pairKey(rule.from, rule.to) === key);
}

/** The association schema of one schema version. */
export class AssociationModel {
  private readonly rules = new Map<string, PairRule>();
  private readonly labelsByPair = new Map<string, LabelDoc[]>();
  /** Each direction's association types, compiled on first use. */
  private readonly typesByDirection = new Map<string, readonly AssociationType[]>();
  /** Compiled views by `from`, then `to` (null: the pair may not associate). */
  private readonly views = new Map<string, Map<string, PairView | null>>();
  /** object type → the types of which it must hold at least one. */
  readonly required: ReadonlyMap<string, readonly string[]>;
  /** object type → its exclusive parent types (a line item has one parent). */
  readonly exclusiveParents: ReadonlyMap<string, ReadonlySet<string>>;

  constructor(private readonly schema: SchemaState) {
    const add = (rule: PairRule): void => {
      this.rules.set(pairKey(rule.from, rule.to), rule);
    };
    for (const rule of ASSOCIATION_RULES) {
      add({ from: rule.from, to: rule.to, limit: storedLimit(rule.limit), inverseLimit: storedLimit(rule.inverseLimit) });
    }
    for (const model of schema.models()) {
      if (!model.doc.custom) continue;
      for (const other of model.doc.associations ?? []) {
        const target = schema.find(other);
        if (target) add({ from: model.name, to: target.name, limit: 'many', inverseLimit: 'many' });
      }
    }
    const { labels, pairs } = schema.associationDoc;
    for (const pair of pairs) add(pair);
    // The built-in labels first (they list first), on the pairs that may associate.
    for (const label of [...BUILT_IN_DOCS.filter((doc) => this.rules.has(pairKey(doc.from, doc.to))), ...labels]) {
      const key = pairKey(label.from, label.to);
      const list = this.labelsByPair.get(key);
      if (list) list.push(label);
      else this.labelsByPair.set(key, [label]);
    }
    this.required = new Map(REQUIRED_ASSOCIATIONS.map((rule) => [rule.objectType, rule.anyOf]));
    this.exclusiveParents = new Map(EXCLUSIVE_PARENTS.map((rule) => [rule.objectType, new Set(rule.parents)]));
  }

  /** The pair seen from `from`, or `undefined` when records of the two types may not associate. */
  pair(from: string, to: string): PairView | undefined {
    let fromViews = this.views.get(from);
    if (!fromViews) this.views.set(from, (fromViews = new Map()));
    let view = fromViews.get(to);
    if (view === undefined) {
      view = this.buildView(from, to) ?? null;
      fromViews.set(to, view);
    }
    return view ?? undefined;
  }

  /** The stored rule of the pair (for defineAssociation), if any. */
  rule(a: string, b: string): PairRule | undefined {
    return this.rules.get(pairKey(a, b));
  }

  /** The user-defined labels of the pair (either order). */
  labelDocs(a: string, b: string): readonly LabelDoc[] {
    return this.labelsByPair.get(pairKey(a, b)) ?? [];
  }

  /** The pair's label definitions as `labels(from, to)` shows them. */
  definitions(from: string, to: string): LabelDefinition[] {
    const view = this.pair(from, to);
    if (!view) return [];
    const result: LabelDefinition[] = [];
    const primarySide = view.hasPrimary ? from : view.seesPrimary ? to : undefined;
    if (primarySide !== undefined) {
      const [typeId, inverseTypeId] = primaryTypeIds(primarySide, this.schema.object(primarySide).doc.id);
      result.push(
        Object.freeze({
          from: primarySide,
          to: COMPANIES,
          name: PRIMARY,
          label: 'Primary',
          limit: 'one',
          inverseLimit: 'many',
          typeId,
          inverseTypeId,
          hubspotDefined: true,
        }),
      );
    }
    for (const doc of view.docs) result.push(labelDefinition(doc));
    return result;
  }

  /** The id of the unlabelled association `from` → `to` (a pair that may associate). */
  unlabelledTypeId(from: string, to: string): number {
    const defined = UNLABELLED_TYPE_IDS.get(`${from}|${to}`);
    if (defined !== undefined) return defined;
    const key = pairTypeKey(from, to);
    const stored = this.schema.doc.pairTypes?.find((pair) => pairTypeKey(pair.from, pair.to) === key);
    if (stored) return stored.from === from ? stored.typeId : stored.inverseTypeId;
    const generated = generatedTypeId(this.schema.object(from).doc.id, this.schema.object(to).doc.id);
    // Every custom pair has stored ids (schema/type-ids.ts) and every standard one a generated id.
    if (generated === undefined) throw new Error(`crmkit: no association type id for ${from} → ${to}`);
    return generated;
  }

  /**
   * The association types of the direction `from` → `to`: the unlabelled one, then the built-in
   * labels (primary first), then the user's, each with its id; `[]` for a pair that may not
   * associate.
   */
  types(from: string, to: string): AssociationType[] {
    // Compiled once per direction and schema version: integrations ask on every request.
    const key = `${from}\u0000${to}`;
    const cached = this.typesByDirection.get(key);
    if (cached) return [...cached];
    const view = this.pair(from, to);
    if (!view) return [];
    const types: AssociationType[] = [
      Object.freeze({ from, to, typeId: this.unlabelledTypeId(from, to), category: 'HUBSPOT_DEFINED', name: null, label: null, limit: limitOfCap(view.cap) }),
    ];
    const limitOf = (name: string): AssociationLimit => limitOfCap(view.labels.get(name)?.cap ?? Number.POSITIVE_INFINITY);
    for (const definition of this.definitions(from, to)) {
      const category = definition.hubspotDefined ? 'HUBSPOT_DEFINED' : 'USER_DEFINED';
      const forward = definition.from === from;
      // On a same-type pair both sides of a paired label are types of the one direction.
      if (forward || from === to) types.push(Object.freeze({ from, to, typeId: definition.typeId, category, name: definition.name, label: definition.label, limit: limitOf(definition.name) }));
      if (!forward || (from === to && definition.inverseName !== undefined)) {
        types.push(
          Object.freeze({
            from,
            to,
            typeId: definition.inverseTypeId,
            category,
            name: definition.inverseName ?? definition.name,
            label: definition.inverseLabel ?? definition.label,
            limit: limitOf(definition.inverseName ?? definition.name),
          }),
        );
      }
    }
    this.typesByDirection.set(key, Object.freeze(types));
    return [...types];
  }

  private buildView(from: string, to: string): PairView | undefined {
    const rule = this.rules.get(pairKey(from, to));
    if (!rule) return undefined;
    // Same-type pairs are symmetric: the caller's first record is the rule's `from` side.
    const forward = rule.from === from;
    const labels = new Map<string, SideLabel>();
    const hasPrimary = to === COMPANIES && from !== COMPANIES;
    const seesPrimary = from === COMPANIES && to !== COMPANIES;
    const only = new Set([PRIMARY]);
    if (hasPrimary) labels.set(PRIMARY, { doc: undefined, name: PRIMARY, otherName: PRIMARY, cap: 1, otherCap: Number.POSITIVE_INFINITY, only });
    if (seesPrimary) labels.set(PRIMARY, { doc: undefined, name: PRIMARY, otherName: PRIMARY, cap: Number.POSITIVE_INFINITY, otherCap: 1, only });
    const docs = this.labelsByPair.get(pairKey(from, to)) ?? [];
    for (const doc of docs) {
      const fromSide = doc.from === from;
      const inverseName = doc.inverseName ?? doc.name;
      // The name the defining side uses, as seen from `from`, then the other side's name.
      const forwardLabel: SideLabel = fromSide
        ? { doc, name: doc.name, otherName: inverseName, cap: capOf(doc.limit), otherCap: capOf(doc.inverseLimit), only: new Set([doc.name]) }
        : { doc, name: inverseName, otherName: doc.name, cap: capOf(doc.inverseLimit), otherCap: capOf(doc.limit), only: new Set([inverseName]) };
      labels.set(forwardLabel.name, forwardLabel);
      // On a same-type pair both names are names from either record's side.
      if (doc.from === doc.to && doc.inverseName !== undefined) {
        labels.set(doc.inverseName, { doc, name: doc.inverseName, otherName: doc.name, cap: capOf(doc.inverseLimit), otherCap: capOf(doc.limit), only: new Set([doc.inverseName]) });
      }
    }
    return {
      from,
      to,
      cap: capOf(forward ? rule.limit : rule.inverseLimit),
      otherCap: capOf(forward ? rule.inverseLimit : rule.limit),
      labels,
      hasPrimary,
      seesPrimary,
      docs,
    };
  }
}

/** A stored label's public definition. */
export function labelDefinition(doc: LabelDoc): LabelDefinition {
  return Object.freeze({
    from: doc.from,
    to: doc.to,
    name: doc.name,
    label: doc.label,
    ...(doc.inverseName !== undefined ? { inverseName: doc.inverseName, inverseLabel: doc.inverseLabel! } : {}),
    limit: publicLimit(doc.limit),
    inverseLimit: publicLimit(doc.inverseLimit),
    typeId: doc.typeId,
    inverseTypeId: doc.inverseTypeId,
    hubspotDefined: isBuiltInLabel(doc),
  });
}

const compiled = new WeakMap<SchemaState, AssociationModel>();

/** The association model of a schema version (compiled once, on first use). */
export function associationModel(schema: SchemaState): AssociationModel {
  let model = compiled.get(schema);
  if (!model) {
    model = new AssociationModel(schema);
    compiled.set(schema, model);
  }
  return model;
}

export { storedLimit };
