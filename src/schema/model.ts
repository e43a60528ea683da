// The schema as crmkit stores it (documents) and as the engine uses it (compiled models).
// Documents are plain, JSON-serialisable and immutable; a SchemaState holds one version of all
// of them with a compiled ObjectModel per object type, so lookups on the hot path are Map gets.
import { nearest } from '../arguments/options.js';
import { CrmError, culprit, describeValue } from '../errors.js';
import { normaliserFor, type Normaliser, type StringFormat } from './values.js';
import type {
  FieldType,
  ObjectLabels,
  ObjectTypeDefinition,
  PropertyDefinition,
  PropertyGroup,
  PropertyOption,
  PropertyType,
} from '../types.js';
import { CALCULATED_PROPERTY_SPECS, calculatedProperties, STANDARD_OBJECTS } from './catalogue/index.js';
import type { DedupKeySpec, ObjectSpec } from './catalogue/spec.js';
import { pipelineSetOf, withPipelineProperties, type PipelineDoc, type PipelineSet } from './pipelines.js';
import type { SavedDoc, SegmentDoc, ViewDoc } from './saved.js';
import { withCustomPairTypeIds } from './type-ids.js';

// ---------------------------------------------------------------- documents

/** A property as stored. */
export interface PropertyDoc {
  name: string;
  label: string;
  type: PropertyType;
  fieldType: FieldType;
  options?: PropertyOption[];
  unique: boolean;
  readOnly: boolean;
  groupName: string;
  description?: string;
  indexed?: boolean;
  hubspotDefined: boolean;
  archived: boolean;
}

/** A property group as stored: `archived` only once archived (older documents lack it). */
export interface GroupDoc {
  name: string;
  label: string;
  displayOrder: number;
  archived?: boolean;
}

/** An object type as stored: standard ones once changed (renamed, activated, a property added), custom ones always. */
export interface ObjectDoc {
  id: string;
  name: string;
  custom: boolean;
  labels: ObjectLabels;
  categories: string[];
  activity: boolean;
  requiresActivation: boolean;
  active: boolean;
  /** Whether the email/domain dedup key is enforced (`updateObject({ dedup })`). */
  dedup: boolean;
  dedupKey?: DedupKeySpec;
  primaryDisplayProperty?: string;
  requiredProperties: string[];
  requireOneOf?: string[];
  searchableProperties: string[];
  createdDateProperty: string;
  modifiedDateProperty: string;
  defaults?: Record<string, string>;
  groups: GroupDoc[];
  properties: PropertyDoc[];
  associations?: string[];
}

/** A stored association limit: 'many', or the most records one record may hold. */
export type StoredLimit = 'many' | number;

/** A user-defined association label (docs/associations.md "Labels"). */
export interface LabelDoc {
  from: string;
  to: string;
  name: string;
  label: string;
  /** Present on a paired label: the name and display label seen from `to`. */
  inverseName?: string;
  inverseLabel?: string;
  limit: StoredLimit;
  inverseLimit: StoredLimit;
  typeId: number;
  inverseTypeId: number;
}

/** A pair allowed or capped by `defineAssociation`. */
export interface PairDoc {
  from: string;
  to: string;
  limit: StoredLimit;
  inverseLimit: StoredLimit;
}

/**
 * The stored type ids of a pair involving a custom object: `typeId` is `from` → `to` (./type-ids.ts).
 *
 * @example
 * const stored: PairTypeDoc = { from: 'roast_batches', to: 'contacts', typeId: 1000, inverseTypeId: 1001 };
 */
export interface PairTypeDoc {
  from: string;
  to: string;
  typeId: number;
  inverseTypeId: number;
}

/** The metadata document: every changed or custom object type, the custom id counter, association labels and pairs. */
export interface SchemaDoc {
  objects: Record<string, ObjectDoc>;
  nextCustomObjectNumber: number;
  labels?: LabelDoc[];
  pairs?: PairDoc[];
  /** The next stored type id (user-defined labels and custom pairs count up from 1000 and never reuse one). */
  nextLabelTypeId?: number;
  /** The type ids of pairs involving a custom object, allocated once (./type-ids.ts). */
  pairTypes?: PairTypeDoc[];
  /** Each object type's pipelines, once changed (a type absent here has its shipped ones, or none). */
  pipelines?: Record<string, PipelineDoc[]>;
  /** Segments and saved views (./saved.ts), once any was made. */
  segments?: SegmentDoc[];
  views?: ViewDoc[];
  nextSegmentNumber?: number;
  nextViewNumber?: number;
}

/** The association part of the schema document. */
export type AssociationDoc = Required<Pick<SchemaDoc, 'labels' | 'pairs' | 'nextLabelTypeId'>>;

/** The engine's system properties, read-only on every object type. */
export const ID_PROPERTY = 'hs_object_id';
export const MERGED_IDS_PROPERTY = 'hs_merged_object_ids';

function systemProperties(groupName: string, created: string, modified: string): PropertyDoc[] {
  const system = (name: string, label: string, type: PropertyType, fieldType: FieldType): PropertyDoc => ({
    name,
    label,
    type,
    fieldType,
    unique: false,
    readOnly: true,
    groupName,
    hubspotDefined: true,
    archived: false,
  });
  return [
    system(ID_PROPERTY, 'Record ID', 'string', 'text'),
    system(created, 'Create date', 'datetime', 'date'),
    system(modified, 'Last modified date', 'datetime', 'date'),
    system(MERGED_IDS_PROPERTY, 'Merged record IDs', 'string', 'textarea'),
  ];
}

/** The stored form of a standard object type as the catalogue ships it. */
export function docFromSpec(spec: ObjectSpec): ObjectDoc {
  const defaultGroup = spec.groups[0]!.name;
  const created = 'createdate';
  const modified = spec.modifiedDateProperty ?? 'hs_lastmodifieddate';
  return {
    id: spec.id,
    name: spec.name,
    custom: false,
    labels: { ...spec.labels },
    categories: [...spec.categories],
    activity: spec.activity ?? false,
    requiresActivation: spec.requiresActivation ?? false,
    active: !spec.requiresActivation,
    dedup: spec.dedupKey !== undefined,
    ...(spec.dedupKey ? { dedupKey: { ...spec.dedupKey } } : {}),
    primaryDisplayProperty: spec.primaryDisplayProperty,
    requiredProperties: [...spec.requiredProperties],
    ...(spec.requireOneOf ? { requireOneOf: [...spec.requireOneOf] } : {}),
    searchableProperties: [...(spec.searchableProperties ?? [])],
    createdDateProperty: created,
    modifiedDateProperty: modified,
    ...(spec.defaults ? { defaults: { ...spec.defaults } } : {}),
    groups: spec.groups.map((group, at) => ({ name: group.name, label: group.label, displayOrder: at })),
    properties: [
      ...systemProperties(defaultGroup, created, modified),
      ...[...spec.properties, ...calculatedProperties(spec.name).filter((extra) => !spec.properties.some((own) => own.name === extra.name))].map(
        (property): PropertyDoc => ({
          name: property.name,
          label: property.label,
          type: property.type,
          fieldType: property.fieldType,
          ...(property.options ? { options: property.options.map((option) => ({ ...option })) } : {}),
          unique: false,
          readOnly: property.readOnly ?? false,
          groupName: property.groupName ?? defaultGroup,
          ...(property.description ? { description: property.description } : {}),
          hubspotDefined: true,
          archived: false,
        }),
      ),
    ],
  };
}

/** `hs_last_activity_date`, which the engine keeps on records that take activities (read-only). */
export function lastActivityProperty(groupName: string): PropertyDoc {
  const spec = CALCULATED_PROPERTY_SPECS.hs_last_activity_date;
  return { name: spec.name, label: spec.label, type: spec.type, fieldType: spec.fieldType, unique: false, readOnly: true, groupName, hubspotDefined: true, archived: false };
}

/** The system properties of a custom object type (HubSpot names its create date hs_createdate). */
export function customSystemProperties(groupName: string): PropertyDoc[] {
  return systemProperties(groupName, 'hs_createdate', 'hs_lastmodifieddate');
}

/**
 * A stored standard object type, completed with what a newer catalogue ships and the stored
 * document lacks (new default properties or groups), so upgrading crmkit never hides them; a
 * HubSpot-defined property the catalogue has since made read-only (one the engine now computes,
 * such as a line item's amount) becomes read-only in the stored document too.
 *
 * @example
 * withCatalogueAdditions(storedLineItems, lineItemsSpec).properties.find((property) => property.name === 'amount')?.readOnly; // true
 */
export function withCatalogueAdditions(doc: ObjectDoc, spec: ObjectSpec): ObjectDoc {
  const shipped = docFromSpec(spec);
  const haveProperties = new Set(doc.properties.map((property) => property.name));
  const haveGroups = new Set(doc.groups.map((group) => group.name));
  const newProperties = shipped.properties.filter((property) => !haveProperties.has(property.name));
  const newGroups = shipped.groups.filter((group) => !haveGroups.has(group.name));
  const readOnly = new Set(shipped.properties.filter((property) => property.readOnly).map((property) => property.name));
  const madeReadOnly = doc.properties.some((property) => property.hubspotDefined && !property.readOnly && readOnly.has(property.name));
  if (newProperties.length === 0 && newGroups.length === 0 && !madeReadOnly) return doc;
  const kept = madeReadOnly
    ? doc.properties.map((property) => (property.hubspotDefined && !property.readOnly && readOnly.has(property.name) ? { ...property, readOnly: true } : property))
    : doc.properties;
  return { ...doc, groups: [...doc.groups, ...newGroups], properties: [...kept, ...newProperties] };
}

// ---------------------------------------------------------------- compiled models

/** One dedup key of an object type: a namespace of unique values fed by one or more properties. */
export interface KeySpec {
  /** The namespace ('email', 'domain', or a unique property's name). */
  name: string;
  /** The single-valued property holding it. */
  property: string;
  /** A `;`-separated list property feeding the same namespace (additional emails and domains). */
  listProperty?: string;
}

/** A property ready for the hot path. */
export interface PropertyModel {
  readonly doc: PropertyDoc;
  readonly normalise: Normaliser;
  /** Callers may write it (not read-only, not calculated, not archived). */
  readonly writable: boolean;
}

function stringFormat(doc: ObjectDoc, property: string): StringFormat {
  const key = doc.dedupKey;
  if (!key) return 'plain';
  if (property === key.property) return key.format;
  if (property === key.listProperty) return key.format === 'email' ? 'email_list' : 'domain_list';
  return 'plain';
}

/** Freezes a stored document all the way down: documents are shared by every Crm in the process. */
function deepFreeze(value: unknown): void {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const child of Object.values(value)) deepFreeze(child);
}

/** The property's public definition. */
function propertyDefinition(doc: PropertyDoc, required: boolean): PropertyDefinition {
  const options = doc.options ? { options: Object.freeze(doc.options.map((option) => Object.freeze({ ...option }))) } : {};
  return Object.freeze({ ...doc, ...options, required });
}

/** An object type compiled for use: property lookups, normalisers, dedup keys, its public definition. */
export class ObjectModel {
  readonly properties = new Map<string, PropertyModel>();
  /** The dedup keys enforced now (the email/domain key only while `dedup` is on). */
  readonly keys: KeySpec[] = [];
  /** Every namespace the object's records may hold keys in, enforced or not (to release them all). */
  readonly allKeys: KeySpec[] = [];
  /** The properties that feed an enforced key (a write to any other cannot change the record's keys). */
  readonly keyProperties = new Set<string>();
  /** Whether any property is archived (records then hide its values). */
  readonly hasArchivedProperties: boolean;
  private publicDefinition?: ObjectTypeDefinition;
  /** The object type as the engine uses it: with its pipelines' properties, when it has pipelines. */
  readonly doc: ObjectDoc;
  /** Its pipelines, compiled; `undefined` for a type that has none (contacts, companies, …). */
  readonly pipelines: PipelineSet | undefined;

  constructor(stored: ObjectDoc, pipelines: readonly PipelineDoc[] | undefined = undefined) {
    this.pipelines = pipelineSetOf(stored, pipelines);
    const doc = this.pipelines ? withPipelineProperties(stored, this.pipelines) : stored;
    this.doc = doc;
    deepFreeze(stored);
    deepFreeze(doc);
    if (pipelines) deepFreeze(pipelines);
    this.hasArchivedProperties = doc.properties.some((property) => property.archived);
    for (const property of doc.properties) {
      this.properties.set(property.name, {
        doc: property,
        normalise: normaliserFor({
          type: property.type,
          multiple: property.fieldType === 'checkbox',
          options: property.options,
          format: stringFormat(doc, property.name),
        }),
        writable: !property.readOnly && !property.archived && property.fieldType !== 'calculation_equation',
      });
    }
    if (doc.dedupKey) {
      const key: KeySpec = { name: doc.dedupKey.property, property: doc.dedupKey.property, listProperty: doc.dedupKey.listProperty };
      this.allKeys.push(key);
      if (doc.dedup) this.keys.push(key);
    }
    for (const property of doc.properties) {
      if (property.unique) {
        const key: KeySpec = { name: property.name, property: property.name };
        this.allKeys.push(key);
        this.keys.push(key);
      }
    }
    for (const key of this.keys) {
      this.keyProperties.add(key.property);
      if (key.listProperty) this.keyProperties.add(key.listProperty);
    }
  }

  get name(): string {
    return this.doc.name;
  }

  /** The property, archived ones included; `undefined` when unknown. */
  property(name: string): PropertyModel | undefined {
    return this.properties.get(name);
  }

  /** The public, frozen definition (built once per schema version). */
  get definition(): ObjectTypeDefinition {
    if (!this.publicDefinition) this.publicDefinition = this.buildDefinition();
    return this.publicDefinition;
  }

  /** Every property definition, archived ones included. */
  propertyDefinitions(): PropertyDefinition[] {
    const required = new Set(this.doc.requiredProperties);
    return this.doc.properties.map((property) => propertyDefinition(property, required.has(property.name)));
  }

  /** Every property group, archived ones included, frozen. */
  groupDefinitions(): PropertyGroup[] {
    return this.doc.groups.map((group) => Object.freeze({ name: group.name, label: group.label, displayOrder: group.displayOrder, archived: group.archived === true }));
  }

  private buildDefinition(): ObjectTypeDefinition {
    const { doc } = this;
    const dedupKeys = [ID_PROPERTY];
    for (const key of this.keys) {
      dedupKeys.push(key.property);
      if (key.listProperty) dedupKeys.push(key.listProperty);
    }
    const definition: ObjectTypeDefinition = {
      id: doc.id,
      name: doc.name,
      labels: Object.freeze({ ...doc.labels }),
      categories: Object.freeze([...doc.categories]),
      dedupKeys: Object.freeze(dedupKeys),
      ...(doc.requireOneOf ? { requireOneOf: Object.freeze([...doc.requireOneOf]) } : {}),
      ...(doc.primaryDisplayProperty ? { primaryDisplayProperty: doc.primaryDisplayProperty } : {}),
      requiredProperties: Object.freeze([...doc.requiredProperties]),
      searchableProperties: Object.freeze([...doc.searchableProperties]),
      properties: Object.freeze(this.propertyDefinitions().filter((property) => !property.archived)),
      groups: Object.freeze(this.groupDefinitions().filter((group) => !group.archived)),
      ...(doc.associations ? { associations: Object.freeze([...doc.associations]) } : {}),
      requiresActivation: doc.requiresActivation,
      active: doc.active,
      custom: doc.custom,
    };
    return Object.freeze(definition);
  }
}

// ---------------------------------------------------------------- one version of the schema

const STANDARD_SPECS = new Map(STANDARD_OBJECTS.map((spec) => [spec.name, spec]));
let catalogueModels: Map<string, ObjectModel> | undefined;

/** The catalogue's models, compiled once per process (they are immutable). */
function standardModels(): Map<string, ObjectModel> {
  if (!catalogueModels) {
    catalogueModels = new Map(STANDARD_OBJECTS.map((spec) => [spec.name, new ObjectModel(docFromSpec(spec))]));
  }
  return catalogueModels;
}

/**
 * UNKNOWN_OBJECT_TYPE saying what was wrong and what would be right: what a type argument takes
 * when it got no string (and, for a record, that the record went where its objectType goes), or
 * the type a near miss meant ('contact', 'Companies'). `names` maps names and display labels to
 * type names.
 */
function unknownObjectType(given: unknown, names: ReadonlyMap<string, string>): CrmError {
  const expected = "an object type name like 'contacts' or id like '0-1'";
  if (typeof given !== 'string') {
    const record = given as { objectType?: unknown; id?: unknown } | null;
    const recordType = typeof record === 'object' && record !== null && typeof record.objectType === 'string' && record.objectType.length <= 100 ? record.objectType : undefined;
    if (recordType !== undefined) {
      const suggestion = names.get(recordType) ?? recordType;
      return new CrmError(
        'UNKNOWN_OBJECT_TYPE',
        `Expected ${expected}, got a ${recordType} record: a record was passed where its objectType goes (pass ${JSON.stringify(suggestion)}, or record.objectType)`,
        { objectType: culprit(given), suggestion },
      );
    }
    return new CrmError('UNKNOWN_OBJECT_TYPE', `Expected ${expected}, got ${describeValue(given)}`, { objectType: culprit(given) });
  }
  const match = nearest(given, names.keys());
  const suggestion = match === undefined ? undefined : names.get(match);
  return new CrmError(
    'UNKNOWN_OBJECT_TYPE',
    `Unknown object type ${describeValue(given)}${suggestion !== undefined ? ` (did you mean ${JSON.stringify(suggestion)}?)` : ` (expected ${expected})`}`,
    { objectType: culprit(given), ...(suggestion !== undefined ? { suggestion } : {}) },
  );
}

/** Orders object types as people expect: standard ids numerically (0-1, 0-2, …, 0-410), then custom ones. */
function compareIds(a: string, b: string): number {
  const [ap, an] = a.split('-').map(Number) as [number, number];
  const [bp, bn] = b.split('-').map(Number) as [number, number];
  return ap - bp || an - bn;
}

/**
 * One version of the whole schema: the stored document and a compiled model per object type.
 * Immutable; a change makes a new state (`withObject`).
 */
export class SchemaState {
  private readonly byName: Map<string, ObjectModel>;
  private readonly byId: Map<string, ObjectModel>;

  readonly doc: SchemaDoc;

  private constructor(
    readonly version: number,
    doc: SchemaDoc,
    models: Map<string, ObjectModel>,
  ) {
    // Every version holds its custom pairs' type ids; the next write stores any it allocated.
    this.doc = withCustomPairTypeIds(doc);
    this.byName = models;
    this.byId = new Map([...models.values()].map((model) => [model.doc.id, model]));
  }

  /** The schema stored at `version` (the catalogue alone when nothing is stored). */
  static load(version: number, stored: SchemaDoc | undefined): SchemaState {
    const doc: SchemaDoc = stored ?? { objects: {}, nextCustomObjectNumber: 1 };
    const models = new Map(standardModels());
    for (const [name, objectDoc] of Object.entries(doc.objects)) {
      const spec = STANDARD_SPECS.get(name);
      models.set(name, new ObjectModel(spec ? withCatalogueAdditions(objectDoc, spec) : objectDoc, doc.pipelines?.[name]));
    }
    for (const [name, pipelines] of Object.entries(doc.pipelines ?? {})) {
      const spec = STANDARD_SPECS.get(name);
      if (spec && !Object.hasOwn(doc.objects, name)) models.set(name, new ObjectModel(docFromSpec(spec), pipelines));
    }
    return new SchemaState(version, doc, models);
  }

  /** A new version with `objectDoc` stored (added or replaced); other models are shared. */
  withObject(objectDoc: ObjectDoc, nextCustomObjectNumber = this.doc.nextCustomObjectNumber): SchemaState {
    const doc: SchemaDoc = {
      ...this.doc,
      objects: { ...this.doc.objects, [objectDoc.name]: objectDoc },
      nextCustomObjectNumber,
    };
    const models = new Map(this.byName);
    models.set(objectDoc.name, new ObjectModel(objectDoc, this.doc.pipelines?.[objectDoc.name]));
    return new SchemaState(this.version + 1, doc, models);
  }

  /**
   * A new version without the object type `name`: its definition and pipelines, the labels,
   * pairs and pair type ids involving it, and other custom types' mentions of it (their
   * `associations`). Ids are never reused: the custom and type id counters stay where they are.
   */
  withoutObject(name: string): SchemaState {
    const involves = (pair: { from: string; to: string }): boolean => pair.from === name || pair.to === name;
    const doc: SchemaDoc = { ...this.doc, objects: Object.fromEntries(Object.entries(this.doc.objects).filter(([other]) => other !== name)) };
    if (doc.pairTypes) doc.pairTypes = doc.pairTypes.filter((pair) => !involves(pair));
    if (doc.pipelines && Object.hasOwn(doc.pipelines, name)) doc.pipelines = Object.fromEntries(Object.entries(doc.pipelines).filter(([type]) => type !== name));
    return this.withoutAssociations(doc, involves, (_from, to) => to === name, [name]);
  }

  /**
   * A new version in which records of `a` and `b` no longer may associate: the pair's caps and
   * labels go, and each custom type's mention of the other. The pair's type ids stay stored, so
   * allowing it again gives it the same ids.
   */
  withoutPair(a: string, b: string): SchemaState {
    const isPair = (pair: { from: string; to: string }): boolean => (pair.from === a && pair.to === b) || (pair.from === b && pair.to === a);
    return this.withoutAssociations({ ...this.doc }, isPair, (from, to) => isPair({ from, to }), []);
  }

  /**
   * `doc` without the labels and pairs `drops`, and without each custom type's mention of a type
   * `unmentions(type, mentioned)` names (those types' models recompiled); `removed` are models to
   * leave out.
   */
  private withoutAssociations(doc: SchemaDoc, drops: (pair: { from: string; to: string }) => boolean, unmentions: (from: string, to: string) => boolean, removed: readonly string[]): SchemaState {
    if (doc.labels) doc.labels = doc.labels.filter((label) => !drops(label));
    if (doc.pairs) doc.pairs = doc.pairs.filter((pair) => !drops(pair));
    const models = new Map(this.byName);
    for (const name of removed) models.delete(name);
    const objects: Record<string, ObjectDoc> = { ...doc.objects };
    for (const [name, objectDoc] of Object.entries(objects)) {
      const kept = objectDoc.associations?.filter((to) => !unmentions(name, to));
      if (kept === undefined || kept.length === objectDoc.associations!.length) continue;
      objects[name] = { ...objectDoc, associations: kept };
      models.set(name, new ObjectModel(objects[name], doc.pipelines?.[name]));
    }
    return new SchemaState(this.version + 1, { ...doc, objects }, models);
  }

  /** A new version with `pipelines` as the object type's pipelines (its model recompiled; others shared). */
  withPipelines(objectType: string, pipelines: PipelineDoc[]): SchemaState {
    const model = this.object(objectType);
    const doc: SchemaDoc = { ...this.doc, pipelines: { ...this.doc.pipelines, [model.name]: pipelines } };
    const models = new Map(this.byName);
    const stored = this.doc.objects[model.name];
    const spec = STANDARD_SPECS.get(model.name);
    const base = stored === undefined ? docFromSpec(spec!) : spec ? withCatalogueAdditions(stored, spec) : stored;
    models.set(model.name, new ObjectModel(base, pipelines));
    return new SchemaState(this.version + 1, doc, models);
  }

  /** The association definitions (labels, pairs, the type id counter). */
  get associationDoc(): AssociationDoc {
    return { labels: this.doc.labels ?? [], pairs: this.doc.pairs ?? [], nextLabelTypeId: this.doc.nextLabelTypeId ?? 1000 };
  }

  /** A new version with these association definitions; object models are shared. */
  withAssociations(associations: AssociationDoc): SchemaState {
    deepFreeze(associations);
    return new SchemaState(this.version + 1, { ...this.doc, ...associations }, this.byName);
  }

  /** The segments and saved views (./saved.ts). */
  get savedDoc(): SavedDoc {
    const { segments = [], views = [], nextSegmentNumber = 1, nextViewNumber = 1 } = this.doc;
    return { segments, views, nextSegmentNumber, nextViewNumber };
  }

  /** A segment by id, or `undefined`. */
  segment(id: string): SegmentDoc | undefined {
    return this.doc.segments?.find((doc) => doc.id === id);
  }

  /** A new version with these segments and views; object models are shared. */
  withSaved(saved: SavedDoc): SchemaState {
    deepFreeze(saved);
    return new SchemaState(this.version + 1, { ...this.doc, ...(saved as { segments: SegmentDoc[]; views: ViewDoc[]; nextSegmentNumber: number; nextViewNumber: number }) }, this.byName);
  }

  /** The model by name or id; UNKNOWN_OBJECT_TYPE, saying what would be right, when there is none. */
  object(nameOrId: string): ObjectModel {
    const model = this.find(nameOrId);
    if (!model) throw unknownObjectType(nameOrId, this.typeNames());
    return model;
  }

  private names: Map<string, string> | undefined;

  /** Every name, id and display label (singular and plural) that means an object type, to its name. */
  private typeNames(): Map<string, string> {
    if (!this.names) {
      const names = new Map<string, string>();
      for (const model of this.byName.values()) names.set(model.name, model.name);
      for (const model of this.byName.values()) {
        for (const text of [model.doc.labels.singular, model.doc.labels.plural]) if (!names.has(text)) names.set(text, model.name);
      }
      this.names = names;
    }
    return this.names;
  }

  /** The model by name or id, or `undefined`. */
  find(nameOrId: string): ObjectModel | undefined {
    if (typeof nameOrId !== 'string') return undefined;
    return this.byName.get(nameOrId) ?? this.byId.get(nameOrId);
  }

  /** Every object type, standard ones by id, then custom ones by id. */
  models(): ObjectModel[] {
    return [...this.byName.values()].sort((a, b) => compareIds(a.doc.id, b.doc.id));
  }
}
