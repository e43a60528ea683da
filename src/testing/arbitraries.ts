// 'crmkit/testing/arbitraries': fast-check arbitraries of crmkit data, for property-based and
// model-based tests of code built on crmkit. It imports fast-check (an optional peer of this
// subpath only) and 'crmkit', which is why it is not part of 'crmkit/testing': that one loads
// with no fast-check installed. Every arbitrary is read from a CRM's own definitions (custom
// objects, user properties and pipelines included), never from a copy of the catalogue.
import fc from 'fast-check';
import { createCrm, CrmError, normaliseDomain, normaliseEmail, type CreateCrmOptions, type Crm, type CrmTransaction, type Pipeline, type PropertiesInput, type PropertyDefinition, type PropertyInput, type ValidationIssueCode } from 'crmkit';
import { sequentialIds, steppingClock } from './ids-and-clocks.js';
import { seed, type SeedOptions, type SeedResult } from './seed.js';
import { formatOf, LEFT_OUT, refusalArbitrary, valueArbitrary } from './arbitraries-values.js';

export { crmCommands, initialCrmModel, type CrmCommand, type CrmCommandsOptions, type CrmModel, type CrmReal, type ModelCompany, type ModelContact } from './arbitraries-commands.js';

/**
 * What the record arbitraries read: a `Crm`, a fork, or a `crm.transaction`'s `tx`.
 *
 * @example
 * const arbitrary = await recordArbitrary(tx, 'contacts');
 */
export type CrmReader = Pick<CrmTransaction, 'schema' | 'pipelines'>;

/**
 * Options of {@link recordArbitrary} and {@link recordsArbitrary}.
 *
 * @example
 * await recordArbitrary(crm, 'contacts', { properties: ['lifecyclestage'], overrides: { firstname: 'Ana' } });
 */
export interface RecordArbitraryOptions {
  /**
   * The optional properties a record may carry, each present or not (default: every writable
   * one but a line item's `discount` and the additional emails and domains, see
   * docs/testing.md). Required properties, a "one of" group's member, the dedup key (`email`,
   * `domain`) and the pipeline and stage are there whatever this says.
   */
  properties?: readonly string[];
  /** Values laid over every generated record; `undefined` removes a property. */
  overrides?: PropertiesInput;
}

/**
 * Options of {@link recordsArbitrary}: the array's length, and the options of each record.
 *
 * @example
 * await recordsArbitrary(crm, 'companies', { minLength: 1, maxLength: 20 });
 */
export interface RecordsArbitraryOptions extends RecordArbitraryOptions {
  minLength?: number;
  /** Default 10. */
  maxLength?: number;
}

/**
 * One refused value for a negative test: the property, the value, and the issue code crmkit's
 * VALIDATION_ERROR names for it.
 *
 * @example
 * const { property, value, code } = { property: 'email', value: 'ana@', code: 'INVALID_EMAIL' } satisfies InvalidValue;
 */
export interface InvalidValue {
  property: string;
  value: PropertyInput;
  code: ValidationIssueCode;
}

/** A misuse of an arbitrary, reported as crmkit reports every bad argument. */
function badArgument(argument: string, message: string): CrmError<'VALIDATION_ERROR'> {
  return new CrmError('VALIDATION_ERROR', `${argument} ${message}`, { issues: [{ code: 'INVALID_ARGUMENT', property: argument, message: `${argument} ${message}` }] });
}

/** Deals name their pipeline and stage in `pipeline` and `dealstage`, every other type in `hs_pipeline*`. */
const pipelineProperties = (objectType: string): [string, string] => (objectType === 'deals' ? ['pipeline', 'dealstage'] : ['hs_pipeline', 'hs_pipeline_stage']);

/** The live pipelines that have stages; none for a type without pipelines. */
async function livePipelines(crm: CrmReader, objectType: string): Promise<Pipeline[]> {
  try {
    return (await crm.pipelines.list(objectType)).filter((pipeline) => pipeline.stages.length > 0);
  } catch (error) {
    if (error instanceof CrmError && error.code === 'VALIDATION_ERROR') return [];
    throw error;
  }
}

/** What a record of one type needs, read once from the CRM. */
interface Snapshot {
  objectType: string;
  writable: Map<string, PropertyDefinition>;
  required: string[];
  oneOf: string[];
  pipelines: Pipeline[];
}

async function snapshot(crm: CrmReader, objectType: string): Promise<Snapshot> {
  if (typeof objectType !== 'string') throw badArgument('objectType', 'must be an object type name such as "contacts"');
  const definition = crm.schema.object(objectType);
  if (!definition.active) throw badArgument('objectType', `${definition.name} must be activated first (crm.schema.activate('${definition.name}'))`);
  const writable = new Map(definition.properties.filter((property) => !property.readOnly && property.fieldType !== 'calculation_equation').map((property) => [property.name, property]));
  const pipelines = await livePipelines(crm, definition.name);
  const [pipelineProperty, stageProperty] = pipelineProperties(definition.name);
  const isPipeline = (name: string): boolean => pipelines.length > 0 && (name === pipelineProperty || name === stageProperty);
  return {
    objectType: definition.name,
    writable,
    required: definition.requiredProperties.filter((name) => writable.has(name) && !isPipeline(name)),
    oneOf: (definition.requireOneOf ?? []).filter((name) => writable.has(name)),
    pipelines,
  };
}

/** The value arbitrary of a property that must have one: an enumeration without options cannot. */
function mustGenerate(snap: Snapshot, name: string): fc.Arbitrary<PropertyInput> {
  const arbitrary = valueArbitrary(snap.objectType, snap.writable.get(name)!);
  if (!arbitrary) throw badArgument('objectType', `${snap.objectType}.${name} needs a value, but it is an enumeration with no options to choose from`);
  return arbitrary;
}

/** `base` with `over` laid on it; `undefined` in `over` removes the property. */
function overlay(base: PropertiesInput, over: PropertiesInput | undefined): PropertiesInput {
  const out: PropertiesInput = {};
  for (const [name, value] of Object.entries(base)) if (value !== undefined) out[name] = value;
  for (const [name, value] of Object.entries(over ?? {})) {
    if (value === undefined) delete out[name];
    else out[name] = value;
  }
  return out;
}

function recordOf(snap: Snapshot, options: RecordArbitraryOptions): fc.Arbitrary<PropertiesInput> {
  const { objectType, writable } = snap;
  const [pipelineProperty, stageProperty] = pipelineProperties(objectType);
  const always = new Set(snap.required);
  // The dedup key a test of contacts or companies almost always needs: emails on contacts,
  // domains on companies, there unless the overrides remove them.
  for (const name of writable.keys()) if (formatOf(objectType, name) === 'email' || formatOf(objectType, name) === 'domain') always.add(name);
  const leftOut = new Set(LEFT_OUT[objectType] ?? []);
  const wanted = options.properties ?? [...writable.keys()].filter((name) => !leftOut.has(name));
  for (const name of options.properties ?? []) {
    if (!writable.has(name)) throw badArgument('properties', `names ${JSON.stringify(name)}, which is not a writable property of ${objectType}`);
  }
  const model: Record<string, fc.Arbitrary<PropertyInput>> = {};
  for (const name of wanted) {
    if (always.has(name) || (snap.pipelines.length > 0 && (name === pipelineProperty || name === stageProperty))) continue;
    const arbitrary = valueArbitrary(objectType, writable.get(name)!);
    if (arbitrary) model[name] = arbitrary;
  }
  const required: Record<string, fc.Arbitrary<PropertyInput>> = {};
  for (const name of always) required[name] = mustGenerate(snap, name);
  const optional = fc.record(model, { requiredKeys: [] });
  // A "one of" group (contacts: email, firstname, lastname) is met by one member chosen to be there.
  const oneOf: fc.Arbitrary<PropertiesInput> =
    snap.oneOf.length === 0 || snap.oneOf.some((name) => always.has(name))
      ? fc.constant({})
      : fc.constantFrom(...snap.oneOf).chain((name) => mustGenerate(snap, name).map((value) => ({ [name]: value })));
  // A live pipeline, then a live stage of that pipeline: the two must agree on every write.
  const stage: fc.Arbitrary<PropertiesInput> =
    snap.pipelines.length === 0
      ? fc.constant({})
      : fc.constantFrom(...snap.pipelines).chain((pipeline) => fc.constantFrom(...pipeline.stages).map((s) => ({ [pipelineProperty]: pipeline.id, [stageProperty]: s.id })));
  return fc
    .tuple(optional, fc.record(required), oneOf, stage)
    .map(([some, needed, one, placed]) => overlay({ ...some, ...needed, ...one, ...placed }, options.overrides));
}

/**
 * An arbitrary of records of `objectType` that `crm.records.create` accepts, read from the
 * type's property definitions (custom objects and properties included): only writable
 * properties; every required property, a member of a "one of" group, and for contacts and
 * companies an `email` / `domain` in stored form; a live pipeline and one of its live stages
 * for a type with pipelines. It is async because pipelines are read with `crm.pipelines.list`:
 * the arbitrary is a snapshot of the CRM's definitions at the call, so take it after defining
 * what your test defines. Dedup keys are not checked against records already in the CRM: use
 * a fresh CRM or a fork per run (or {@link recordsArbitrary} for several at once).
 *
 * @example
 * import fc from 'fast-check';
 * import { createCrm } from 'crmkit';
 * import { recordArbitrary } from 'crmkit/testing/arbitraries';
 *
 * const crm = await createCrm();
 * const deals = await recordArbitrary(crm, 'deals');
 * await fc.assert(fc.asyncProperty(deals, async (properties) => {
 *   const deal = await (await crm.fork()).records.create('deals', properties);
 *   return typeof deal.properties.hs_is_closed === 'boolean';
 * }));
 */
export async function recordArbitrary(crm: CrmReader, objectType: string, options: RecordArbitraryOptions = {}): Promise<fc.Arbitrary<PropertiesInput>> {
  return recordOf(await snapshot(crm, objectType), options);
}

/** The dedup-key values of one record, as crmkit compares them (overrides may hold any spelling). */
function keysOf(snap: Snapshot, record: PropertiesInput): string[] {
  const keys: string[] = [];
  for (const [name, value] of Object.entries(record)) {
    const definition = snap.writable.get(name);
    if (value === undefined || value === null || !definition) continue;
    const format = formatOf(snap.objectType, name);
    // Emails and their list share one namespace, as do domains and theirs.
    if (format !== 'plain') {
      const normalise = format.startsWith('email') ? normaliseEmail : normaliseDomain;
      for (const item of String(value).split(';')) keys.push(`${format.startsWith('email') ? 'email' : 'domain'}\u0000${normalise(item) ?? item}`);
    }
    else if (definition.unique) keys.push(`${name}\u0000${String(value)}`);
  }
  return keys;
}

/**
 * An arbitrary of arrays of records of `objectType` (see {@link recordArbitrary}) whose dedup
 * keys — emails, domains, unique properties — differ from record to record, so one
 * `crm.records.createMany` creates them all.
 *
 * @example
 * const companies = await recordsArbitrary(crm, 'companies', { minLength: 1, maxLength: 20 });
 * await fc.assert(fc.asyncProperty(companies, async (inputs) => {
 *   const created = await (await crm.fork()).records.createMany('companies', inputs);
 *   return created.length === inputs.length;
 * }));
 */
export async function recordsArbitrary(crm: CrmReader, objectType: string, options: RecordsArbitraryOptions = {}): Promise<fc.Arbitrary<PropertiesInput[]>> {
  const { minLength = 0, maxLength = Math.max(10, minLength), ...recordOptions } = options;
  if (!Number.isInteger(minLength) || minLength < 0 || !Number.isInteger(maxLength) || maxLength < minLength) {
    throw badArgument('options', `minLength and maxLength must be whole numbers with 0 <= minLength <= maxLength, got ${minLength} and ${maxLength}`);
  }
  const snap = await snapshot(crm, objectType);
  const record = recordOf(snap, recordOptions).map((properties) => ({ properties, keys: keysOf(snap, properties) }));
  return fc
    .uniqueArray(record, { minLength, maxLength, comparator: (a, b) => a.keys.some((key) => b.keys.includes(key)) })
    .map((records) => records.map((entry) => entry.properties));
}

/**
 * An arbitrary of values that a property of `objectType` refuses, for negative tests: which
 * property, the value, and the issue code of the `VALIDATION_ERROR` crmkit answers
 * (`INVALID_EMAIL`, `INVALID_DOMAIN`, `INVALID_NUMBER`, `INVALID_BOOLEAN`, `INVALID_DATE`,
 * `INVALID_OPTION`, `INVALID_STRING`, `TOO_LONG`, `OUT_OF_RANGE` for a negative price). Only
 * writable properties are chosen (a read-only one is `READ_ONLY_VALUE` whatever its value), and
 * of a pipeline's two properties only the stage (a bad pipeline also makes the stage wrong).
 * Laid over a valid record, it is the only problem: creating that record fails with that code.
 *
 * @example
 * const valid = await recordArbitrary(crm, 'contacts');
 * const invalid = await invalidValueArbitrary(crm, 'contacts');
 * await fc.assert(fc.asyncProperty(valid, invalid, async (record, { property, value, code }) => {
 *   const error = await crm.records.create('contacts', { ...record, [property]: value }).catch((e) => e);
 *   return isCrmError(error, 'VALIDATION_ERROR') && error.details.issues[0]!.code === code;
 * }));
 */
export async function invalidValueArbitrary(crm: CrmReader, objectType: string, options: { properties?: readonly string[] } = {}): Promise<fc.Arbitrary<InvalidValue>> {
  const snap = await snapshot(crm, objectType);
  const [pipelineProperty] = pipelineProperties(snap.objectType);
  const names = options.properties ?? [...snap.writable.keys()].filter((name) => !(snap.pipelines.length > 0 && name === pipelineProperty));
  const choices: Array<fc.Arbitrary<InvalidValue>> = [];
  for (const name of names) {
    const definition = snap.writable.get(name);
    if (!definition) throw badArgument('properties', `names ${JSON.stringify(name)}, which is not a writable property of ${snap.objectType}`);
    const refusal = refusalArbitrary(snap.objectType, definition);
    if (refusal) choices.push(refusal.map(({ value, code }) => ({ property: name, value, code })));
  }
  if (choices.length === 0) throw badArgument('objectType', `${snap.objectType} has no writable property with a value to refuse`);
  return fc.oneof(...choices);
}

/**
 * Options of {@link seedOptionsArbitrary}.
 *
 * @example
 * seedOptionsArbitrary({ max: 5, types: ['companies', 'contacts'] });
 */
export interface SeedOptionsArbitraryOptions {
  /** The largest count of each type (default 10): a property runs many seeds, keep them small. */
  max?: number;
  /** The types counted (default companies, contacts, deals, tickets, notes, tasks). */
  types?: readonly string[];
}

const SEEDED = ['companies', 'contacts', 'deals', 'tickets', 'notes', 'tasks'];

/**
 * An arbitrary of `seed()` options: a small count of each type and a seed (a number or a
 * string), for properties that must hold for any seeded CRM. It is an arbitrary of options,
 * not of CRMs: fast-check shrinks options well and prints them readably, and
 * {@link seededCrm} makes the CRM inside the property, where awaiting is natural.
 *
 * @example
 * await fc.assert(fc.asyncProperty(seedOptionsArbitrary({ max: 5 }), async (options) => {
 *   const { crm, data } = await seededCrm(options);
 *   return (await crm.records.count('contacts')) === data.contacts.length;
 * }), { numRuns: 20 });
 */
export function seedOptionsArbitrary(options: SeedOptionsArbitraryOptions = {}): fc.Arbitrary<SeedOptions> {
  const { max = 10, types = SEEDED } = options;
  if (!Number.isInteger(max) || max < 0) throw badArgument('max', `must be a whole number from 0, got ${String(max)}`);
  const counts: Record<string, fc.Arbitrary<number>> = {};
  for (const type of types) counts[type] = fc.integer({ min: 0, max });
  return fc
    .tuple(fc.record(counts), fc.oneof(fc.integer(), fc.string({ minLength: 1, maxLength: 12 })))
    .map(([chosen, value]) => {
      const out: SeedOptions = { seed: value };
      for (const [type, count] of Object.entries(chosen)) out[type] = count;
      return out;
    });
}

/**
 * A new CRM seeded with `options`: `createCrm(createOptions)`, then `seed`. Ids and times are
 * deterministic unless `createOptions` says otherwise (`sequentialIds()`, `steppingClock()`),
 * so a counterexample fast-check prints replays with the same ids.
 *
 * @example
 * const { crm, data } = await seededCrm({ companies: 2, contacts: 5, seed: 1 });
 * data.contacts[0]!.id; // 'id-3': the two companies came first
 */
export async function seededCrm(options: SeedOptions, createOptions: CreateCrmOptions = {}): Promise<{ crm: Crm; data: SeedResult }> {
  const crm = await createCrm({ ids: sequentialIds(), clock: steppingClock(), ...createOptions });
  return { crm, data: await seed(crm, options) };
}
