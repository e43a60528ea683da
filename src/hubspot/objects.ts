// HubSpot's objects API (`/crm/v3/objects/{type}` and the date-versioned `/crm/objects/<v>/…`)
// as crm calls. Translation only: each route reads the request, makes one public crm call (a
// transaction where two calls must be one) and writes the answer HubSpot's way.
import { CrmError, type AssociationType, type Crm, type CrmRecord, type ObjectTypeDefinition, type PropertiesInput, type PropertyType } from 'crmkit';
import { Hono, type Context } from 'hono';
import { cursorOf, pagingOf, pageLimit, queryBoolean, queryList, readJsonBody, requestError } from './body.js';
import { failureOf, jsonResponse, jsonTextResponse } from './errors.js';
import { resolveObjectType, singularOf } from './object-types.js';
import { toSearchRequest } from './search.js';
import { associatedIds, createAssociationsAt, type AssociatedId, type CreateAssociation } from './association-types.js';
import { batchInputs, idAt, objectAt, optionalString, propertiesAt, stringList } from './shapes.js';
import { historiesOf, type WireHistory } from './history.js';
import { shownProperties, toWireRecord, wireColumns, wireRecordJson, wireRecordsJson, type WireColumns, type WireRecord } from './wire.js';

/**
 * What every route needs: the crm and the handler's options.
 *
 * @example
 * const facade: Facade = { crm, portalId: 1, maxBodyBytes: 10 * 1024 * 1024 };
 */
export interface Facade {
  crm: Crm;
  portalId: number;
  maxBodyBytes: number;
}

/** HubSpot's list page: 10 by default, at most 100. */
const LIST_DEFAULT = 10;
const LIST_MAX = 100;
/** A batch read's inputs when it asks for `propertiesWithHistory` (HubSpot: 50, half the usual 100). */
const MAX_HISTORY_INPUTS = 50;

/**
 * The object type a path segment names: by the crm's own lookup first (name or id), then
 * HubSpot's other spellings (see {@link resolveObjectType}).
 *
 * @example
 * objectTypeOf(crm, 'contact', 1).name; // 'contacts'
 */
export function objectTypeOf(crm: Crm, raw: string, portalId: number): ObjectTypeDefinition {
  try {
    return crm.schema.object(raw);
  } catch (error) {
    if (!(error instanceof CrmError) || error.code !== 'UNKNOWN_OBJECT_TYPE') throw error;
  }
  return resolveObjectType(crm.schema.objects(), raw, portalId);
}

/**
 * Every direction from `type` to a type it may associate with, each as its association types
 * (`crm.associations.types`: the unlabelled type first), in the crm's type order.
 *
 * @example
 * directionsFrom(crm, crm.schema.object('contacts')).map((types) => types[0]!.to); // ['companies', 'deals', …]
 */
export function directionsFrom(crm: Crm, type: ObjectTypeDefinition): AssociationType[][] {
  return crm.schema.objects().flatMap((other) => {
    try {
      return [crm.associations.types(type.name, other.name)];
    } catch (error) {
      if (error instanceof CrmError && error.code === 'ASSOCIATION_NOT_ALLOWED') return []; // a type it never associates with
      throw error;
    }
  });
}

/** A create's associations as the crm's `associations` option. */
function associationOption(made: readonly CreateAssociation[]): Array<{ to: { objectType: string; id: string }; labels: string[] }> {
  return made.map((item) => ({ to: { objectType: item.toType, id: item.id }, labels: item.labels }));
}

/** Which properties records of one type show on the wire, the types of all of them, and the shown ones as the JSON writers take them. */
interface Shape {
  names: string[];
  types: Map<string, PropertyType>;
  columns: WireColumns;
}

/**
 * Shapes per object type definition and requested list. A definition object is one schema
 * version's and never changes, so its shapes are worked out once; held weakly, they go with it.
 */
const shapes = new WeakMap<ObjectTypeDefinition, { types: Map<string, PropertyType>; byRequest: Map<string, Shape> }>();

/** How many requested lists' shapes one definition keeps. */
const SHAPES_PER_TYPE = 64;

function shapeOf(type: ObjectTypeDefinition, requested: readonly string[] | undefined): Shape {
  let known = shapes.get(type);
  if (known === undefined) {
    known = { types: new Map<string, PropertyType>(type.properties.map((property) => [property.name, property.type])), byRequest: new Map() };
    shapes.set(type, known);
  }
  const key = requested === undefined ? '' : `\u0000${requested.join('\u0000')}`;
  let shape = known.byRequest.get(key);
  if (shape === undefined) {
    if (known.byRequest.size >= SHAPES_PER_TYPE) known.byRequest.clear();
    const names = shownProperties(type.name, requested, new Set(known.types.keys()));
    shape = { names, types: known.types, columns: wireColumns(names, known.types) };
    known.byRequest.set(key, shape);
  }
  return shape;
}

/** How records of one type go on the wire: which properties, and their types. */
function viewOf(type: ObjectTypeDefinition, requested: readonly string[] | undefined): (record: CrmRecord) => WireRecord {
  const { names, types } = shapeOf(type, requested);
  return (record) => toWireRecord(record, names, types);
}

/** The shape of a write's answer: the properties it was given, plus the system ones. */
function writtenShape(type: ObjectTypeDefinition, properties: PropertiesInput): Shape {
  const written = Object.keys(properties);
  // No properties written would mean "the defaults"; a write answers what it wrote, so at least the system ones.
  if (written.length === 0) return shapeOf(type, ['hs_object_id']);
  // Writes in a row mostly name the same properties in the same order (one form, one sync
  // loop): the last write's shape is taken when its names match, without making its key.
  const last = lastWrites.get(type);
  if (last !== undefined && sameNames(last.written, written)) return last.shape;
  const shape = shapeOf(type, written);
  lastWrites.set(type, { written, shape });
  return shape;
}

/** The last write's property names and shape, per object type definition (see {@link writtenShape}). */
const lastWrites = new WeakMap<ObjectTypeDefinition, { written: readonly string[]; shape: Shape }>();

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let at = 0; at < a.length; at++) if (a[at] !== b[at]) return false;
  return true;
}

/** What a write answers, as a wire record (for batches, which add to it). */
function writtenView(type: ObjectTypeDefinition, properties: PropertiesInput): (record: CrmRecord) => WireRecord {
  const { names, types } = writtenShape(type, properties);
  return (record) => toWireRecord(record, names, types);
}

/** What a single write answers, as its JSON text (wire.ts wireRecordJson: the same bytes as the wire record stringified). */
function writtenAnswer(status: number, type: ObjectTypeDefinition, properties: PropertiesInput, record: CrmRecord): Response {
  return jsonTextResponse(status, wireRecordJson(record, writtenShape(type, properties).columns));
}

function notFound(type: ObjectTypeDefinition, id: string, idProperty?: string): CrmError<'NOT_FOUND'> {
  const by = idProperty && idProperty !== 'hs_object_id' ? `${idProperty} ` : 'id ';
  return new CrmError('NOT_FOUND', `No ${type.name} record with ${by}${JSON.stringify(id)}`, { objectType: type.name, id });
}

/** A batch's answer, HubSpot's shape; with errors it is a 207. */
function batchAnswer(results: unknown[], startedAt: string, errors: unknown[] = []): Response {
  const body: { [key: string]: unknown } = { status: 'COMPLETE', results, startedAt, completedAt: new Date().toISOString() };
  if (errors.length > 0) {
    body.numErrors = errors.length;
    body.errors = errors;
  }
  return jsonResponse(errors.length > 0 ? 207 : 200, body);
}

/** One failed item of a per-item batch, as an entry of `errors[]`. */
function batchError(error: unknown, id: string | undefined): { [key: string]: unknown } {
  const { body } = failureOf(error, crypto.randomUUID());
  const entry: { [key: string]: unknown } = { status: 'error', category: body.category, message: body.message };
  if (body.subCategory) entry.subCategory = body.subCategory;
  const context = { ...body.context, ...(id !== undefined ? { ids: [id] } : {}) };
  if (Object.keys(context).length > 0) entry.context = context;
  if (body.errors) entry.errors = body.errors;
  return entry;
}

/**
 * The records' associations to each type `requested` names (`?associations=companies,deals`),
 * by record id, as v3 reads show them: `{ companies: { results: [{ id, type }] } }`, a type with
 * none left out. A type the records never associate with is left out too, as an unknown
 * property is; a name that is no type is 400.
 *
 * @example
 * const byId = await associationsOf(crm, contacts, [contact], ['companies'], 1);
 */
export async function associationsOf(
  crm: Crm,
  type: ObjectTypeDefinition,
  records: readonly CrmRecord[],
  requested: readonly string[],
  portalId: number,
): Promise<Map<string, { [toType: string]: { results: AssociatedId[] } }>> {
  const byId = new Map<string, { [toType: string]: { results: AssociatedId[] } }>();
  if (records.length === 0) return byId;
  for (const raw of new Set(requested)) {
    const to = objectTypeOf(crm, raw, portalId);
    let types;
    try {
      types = crm.associations.types(type.name, to.name);
    } catch (error) {
      if (error instanceof CrmError && error.code === 'ASSOCIATION_NOT_ALLOWED') continue;
      throw error;
    }
    const lists = await crm.associations.listMany([...records], to.name);
    for (const record of records) {
      const items = lists.get(record.id) ?? [];
      if (items.length === 0) continue;
      const results = items.flatMap((item) => associatedIds(types, singularOf(type.name), singularOf(to.name), item));
      byId.set(record.id, { ...byId.get(record.id), [to.name]: { results } });
    }
  }
  return byId;
}

/** What a read may ask for beyond the properties: associations to other types, and properties' history. */
interface ReadExtras {
  associations?: readonly string[] | undefined;
  propertiesWithHistory?: readonly string[] | undefined;
}

/** Records on the wire with their associations and histories, when the read asked for any. */
async function withExtras(
  crm: Crm,
  type: ObjectTypeDefinition,
  records: readonly CrmRecord[],
  view: (record: CrmRecord) => WireRecord,
  extras: ReadExtras,
  portalId: number,
): Promise<Array<WireRecord & { associations?: { [toType: string]: { results: AssociatedId[] } }; propertiesWithHistory?: WireHistory }>> {
  const wantsAssociations = extras.associations !== undefined && extras.associations.length > 0;
  const wantsHistory = extras.propertiesWithHistory !== undefined && extras.propertiesWithHistory.length > 0;
  if (!wantsAssociations && !wantsHistory) return records.map(view);
  const associations = wantsAssociations ? await associationsOf(crm, type, records, extras.associations!, portalId) : undefined;
  const histories = wantsHistory ? await historiesOf(crm, type, records, extras.propertiesWithHistory) : undefined;
  return records.map((record) => {
    const shown: WireRecord & { associations?: { [toType: string]: { results: AssociatedId[] } }; propertiesWithHistory?: WireHistory } = view(record);
    const history = histories?.get(record.id);
    if (history) shown.propertiesWithHistory = history;
    const associated = associations?.get(record.id);
    if (associated) shown.associations = associated;
    return shown;
  });
}

/** Types HubSpot's API reads but never writes: their records come from the crm itself (a seed, a fixture). */
const READ_ONLY_TYPES = new Set(['feedback_submissions']);

/**
 * The object type of a write: 400 for a type HubSpot's API only reads.
 *
 * @example
 * writable(crm.schema.object('feedback_submissions')); // throws VALIDATION_ERROR
 */
export function writable(type: ObjectTypeDefinition): ObjectTypeDefinition {
  if (READ_ONLY_TYPES.has(type.name)) {
    throw requestError('objectType', `${type.name} are read-only through HubSpot's API; make them with the crm (crm.records.create)`);
  }
  return type;
}

/** Whether a create's `associations` names any (the SDK sends `[]` when there are none). */
function hasItems(value: unknown): boolean {
  return !(value === undefined || value === null || (Array.isArray(value) && value.length === 0));
}

/**
 * The objects routes, relative to a base (`/crm/v3/objects`): list, create, read, update,
 * archive, the batches, search, merge and GDPR delete.
 *
 * @example
 * app.route('/crm/v3/objects', objectRoutes(facade));
 */
export function objectRoutes(facade: Facade): Hono {
  const { crm, portalId, maxBodyBytes } = facade;
  const routes = new Hono();
  const typeOf = (c: Context): ObjectTypeDefinition => objectTypeOf(crm, c.req.param('objectType') ?? '', portalId);
  const writableTypeOf = (c: Context): ObjectTypeDefinition => writable(typeOf(c));
  const body = async (c: Context): Promise<{ [key: string]: unknown }> => objectAt(await readJsonBody(c.req.raw, maxBodyBytes), 'body');
  const now = (): string => new Date().toISOString();

  routes.get('/:objectType', async (c) => {
    const type = typeOf(c);
    const params = new URL(c.req.url).searchParams;
    const limit = pageLimit(params.get('limit'), 'limit', LIST_DEFAULT, LIST_MAX);
    const after = cursorOf(params.get('after'), 'after');
    const archived = queryBoolean(params, 'archived', false);
    const view = viewOf(type, queryList(params, 'properties'));
    const extras = { associations: queryList(params, 'associations'), propertiesWithHistory: queryList(params, 'propertiesWithHistory') };
    if (!archived) {
      const page = await crm.records.list(type.name, { limit, ...(after ? { after } : {}) });
      const results = await withExtras(crm, type, page.results, view, extras, portalId);
      return jsonResponse(200, { results, ...(page.paging?.next ? { paging: pagingOf(c.req.raw, page.paging.next.after) } : {}) });
    }
    // HubSpot's archived=true lists archived records only; the crm's list gives live and
    // archived together. Each crm page asks for exactly as many as are still missing, so a page
    // never holds more archived records than fit, and its cursor is where the next page starts.
    const results: CrmRecord[] = [];
    let cursor = after;
    let next: string | undefined;
    do {
      const page = await crm.records.list(type.name, { limit: limit - results.length, archived: true, ...(cursor ? { after: cursor } : {}) });
      results.push(...page.results.filter((record) => record.archived));
      next = page.paging?.next?.after;
      cursor = next;
    } while (next !== undefined && results.length < limit);
    const shown = await withExtras(crm, type, results, view, extras, portalId);
    return jsonResponse(200, { results: shown, ...(next ? { paging: pagingOf(c.req.raw, next) } : {}) });
  });

  routes.post('/:objectType', async (c) => {
    const type = writableTypeOf(c);
    const input = await body(c);
    const properties = propertiesAt(input.properties, 'properties');
    const made = hasItems(input.associations) ? createAssociationsAt(input.associations, 'associations', directionsFrom(crm, type)) : [];
    // Made with the record, in its transaction (a quote's deal, a contact's first company as primary).
    // No options at all without associations: the crm then has none to check.
    const record = await crm.records.create(type.name, properties, made.length > 0 ? { associations: associationOption(made) } : undefined);
    return writtenAnswer(201, type, properties, record);
  });

  routes.post('/:objectType/batch/create', async (c) => {
    const startedAt = now();
    const type = writableTypeOf(c);
    let directions: ReturnType<typeof directionsFrom> | undefined;
    const made: CreateAssociation[][] = [];
    const inputs = batchInputs(await body(c)).map((input, index) => {
      const properties = propertiesAt(input.properties, `inputs[${index}].properties`);
      made.push(hasItems(input.associations) ? createAssociationsAt(input.associations, `inputs[${index}].associations`, (directions ??= directionsFrom(crm, type))) : []);
      return properties;
    });
    // One atomic call: a duplicate or bad value anywhere refuses the whole batch, naming every
    // culprit. Each input's own associations follow in the same transaction (createMany's option
    // gives every record one list), so the required ones (a quote's deal) are checked at commit.
    const records = made.some((list) => list.length > 0)
      ? await crm.transaction(async (tx) => {
          const created = await tx.records.createMany(type.name, inputs);
          const pairs = created.flatMap((record, index) => associationOption(made[index]!).map((item) => ({ from: record, to: item.to, labels: item.labels })));
          await tx.associations.associateMany(pairs);
          return created;
        })
      : await crm.records.createMany(type.name, inputs);
    const answer = batchAnswer(
      records.map((record, index) => writtenView(type, inputs[index]!)(record)),
      startedAt,
    );
    return new Response(answer.body, { status: 201, headers: answer.headers });
  });

  routes.post('/:objectType/batch/read', async (c) => {
    const startedAt = now();
    const type = typeOf(c);
    const input = await body(c);
    const propertiesWithHistory = stringList(input.propertiesWithHistory, 'propertiesWithHistory');
    const inputs = batchInputs(input);
    // HubSpot halves the batch when histories are asked for: each record costs a read per property.
    if (propertiesWithHistory && propertiesWithHistory.length > 0 && inputs.length > MAX_HISTORY_INPUTS) {
      throw requestError('inputs', `inputs may hold at most ${MAX_HISTORY_INPUTS} items when propertiesWithHistory names any, got ${inputs.length}`);
    }
    const ids = [...new Set(inputs.map((item, index) => idAt(item.id, `inputs[${index}].id`)))];
    const view = viewOf(type, stringList(input.properties, 'properties'));
    const idProperty = optionalString(input.idProperty, 'idProperty');
    const archived = queryBoolean(new URL(c.req.url).searchParams, 'archived', false);
    let found: CrmRecord[] = [];
    const missing: string[] = [];
    if ((idProperty && idProperty !== 'hs_object_id') || archived) {
      for (const id of ids) {
        const record = idProperty && idProperty !== 'hs_object_id' ? await crm.records.getBy(type.name, idProperty, id) : await crm.records.get(type.name, id, { archived: true });
        if (record && record.archived === archived) found.push(record);
        else missing.push(id);
      }
    } else {
      const answer = await crm.records.getMany(type.name, ids);
      found = answer.results;
      missing.push(...answer.missing);
    }
    const errors =
      missing.length > 0
        ? [{ status: 'error', category: 'OBJECT_NOT_FOUND', message: `No ${archived ? 'archived' : 'live'} ${type.name} record for ${missing.length} of the ids`, context: { ids: missing } }]
        : [];
    return batchAnswer(await withExtras(crm, type, found, view, { propertiesWithHistory }, portalId), startedAt, errors);
  });

  routes.post('/:objectType/batch/update', async (c) => {
    const startedAt = now();
    const type = writableTypeOf(c);
    const items = batchInputs(await body(c)).map((item, index) => ({
      id: idAt(item.id, `inputs[${index}].id`),
      idProperty: optionalString(item.idProperty, `inputs[${index}].idProperty`),
      properties: propertiesAt(item.properties, `inputs[${index}].properties`),
    }));
    const errors: unknown[] = [];
    const updates: Array<{ id: string; properties: PropertiesInput; asked: string }> = [];
    for (const item of items) {
      if (item.idProperty && item.idProperty !== 'hs_object_id') {
        // An id given by another unique property is looked up first; one not found fails alone.
        const record = await crm.records.getBy(type.name, item.idProperty, item.id).catch((error: unknown) => error);
        if (record instanceof Error) errors.push(batchError(record, item.id));
        else if (record === undefined) errors.push(batchError(notFound(type, item.id, item.idProperty), item.id));
        else updates.push({ id: (record as CrmRecord).id, properties: item.properties, asked: item.id });
      } else {
        updates.push({ id: item.id, properties: item.properties, asked: item.id });
      }
    }
    // Per item (the crm's atomic: false): one bad update does not stop the others.
    const outcome = await crm.records.updateMany(
      type.name,
      updates.map(({ id, properties }) => ({ id, properties })),
      { atomic: false },
    );
    const results = outcome.results.map(({ index, value }) => writtenView(type, updates[index]!.properties)(value));
    for (const { index, error } of outcome.errors) errors.push(batchError(error, updates[index]!.asked));
    return batchAnswer(results, startedAt, errors);
  });

  routes.post('/:objectType/batch/upsert', async (c) => {
    const startedAt = now();
    const type = writableTypeOf(c);
    const items = batchInputs(await body(c)).map((item, index) => ({
      id: idAt(item.id, `inputs[${index}].id`),
      idProperty: optionalString(item.idProperty, `inputs[${index}].idProperty`) ?? 'hs_object_id',
      properties: propertiesAt(item.properties, `inputs[${index}].properties`),
    }));
    const idProperty = items[0]?.idProperty ?? 'hs_object_id';
    const other = items.findIndex((item) => item.idProperty !== idProperty);
    if (other >= 0) throw requestError(`inputs[${other}].idProperty`, `inputs[${other}].idProperty: every input of one upsert must use the same idProperty (${idProperty})`);
    // The id travels as the idProperty's value; a computed key defines a data property, even for '__proto__'.
    const inputs = items.map((item) => ({ ...item.properties, [idProperty]: item.id }));
    const upserted = await crm.records.upsertMany(type.name, inputs, { idProperty });
    const results = upserted.map(({ record, created }, index) => ({ ...writtenView(type, inputs[index]!)(record), new: created }));
    return batchAnswer(results, startedAt);
  });

  routes.post('/:objectType/batch/archive', async (c) => {
    const type = writableTypeOf(c);
    const ids = batchInputs(await body(c)).map((item, index) => idAt(item.id, `inputs[${index}].id`));
    // HubSpot ignores ids it does not know; one transaction finds the live ones and archives them.
    // A merged id reads as its survivor: only records asked for by their own id are archived.
    const asked = new Set(ids);
    await crm.transaction(async (tx) => {
      const { results } = await tx.records.getMany(type.name, [...asked]);
      const live = [...new Set(results.map((record) => record.id).filter((id) => asked.has(id)))];
      if (live.length > 0) await tx.records.archiveMany(type.name, live);
    });
    return new Response(null, { status: 204 });
  });

  routes.post('/:objectType/search', async (c) => {
    const type = typeOf(c);
    const { request, properties } = toSearchRequest(await readJsonBody(c.req.raw, maxBodyBytes));
    const page = await crm.records.search(type.name, request);
    const { columns } = shapeOf(type, properties);
    const after = page.paging?.next?.after;
    // The page's text written directly (wire.ts wireRecordsJson): the same bytes as the objects stringified.
    const paging = after ? `,"paging":${JSON.stringify({ next: { after } })}` : '';
    return jsonTextResponse(200, `{"total":${page.total},"results":${wireRecordsJson(page.results, columns)}${paging}}`);
  });

  routes.post('/:objectType/merge', async (c) => {
    const type = writableTypeOf(c);
    const input = await body(c);
    const primary = idAt(input.primaryObjectId, 'primaryObjectId');
    const merged = idAt(input.objectIdToMerge, 'objectIdToMerge');
    const survivor = await crm.records.merge(type.name, primary, merged);
    return jsonResponse(200, viewOf(type, undefined)(survivor));
  });

  routes.post('/:objectType/gdpr-delete', async (c) => {
    const type = typeOf(c);
    // HubSpot offers GDPR deletion for contacts only.
    if (type.name !== 'contacts') return c.notFound();
    const input = await body(c);
    const id = idAt(input.objectId, 'objectId');
    const idProperty = optionalString(input.idProperty, 'idProperty');
    await crm.transaction(async (tx) => {
      const record =
        idProperty && idProperty !== 'hs_object_id' ? await tx.records.getBy(type.name, idProperty, id) : await tx.records.get(type.name, id, { archived: true });
      // A merged id reads as its survivor; only a record asked for by its own id is purged.
      if (!record || ((!idProperty || idProperty === 'hs_object_id') && record.id !== id)) throw notFound(type, id, idProperty);
      await tx.records.purge(type.name, record.id);
    });
    return new Response(null, { status: 204 });
  });

  routes.get('/:objectType/:id', async (c) => {
    const type = typeOf(c);
    const id = c.req.param('id');
    const params = new URL(c.req.url).searchParams;
    const idProperty = params.get('idProperty') || undefined;
    const archived = queryBoolean(params, 'archived', false);
    const record =
      idProperty && idProperty !== 'hs_object_id' ? await crm.records.getBy(type.name, idProperty, id) : await crm.records.get(type.name, id, { archived });
    if (!record) throw notFound(type, id, idProperty);
    const extras = { associations: queryList(params, 'associations'), propertiesWithHistory: queryList(params, 'propertiesWithHistory') };
    const [shown] = await withExtras(crm, type, [record], viewOf(type, queryList(params, 'properties')), extras, portalId);
    return jsonResponse(200, shown);
  });

  routes.patch('/:objectType/:id', async (c) => {
    const type = writableTypeOf(c);
    const raw = c.req.param('id');
    const idProperty = new URL(c.req.url).searchParams.get('idProperty') || undefined;
    const properties = propertiesAt((await body(c)).properties, 'properties');
    let id = raw;
    if (idProperty && idProperty !== 'hs_object_id') {
      const found = await crm.records.getBy(type.name, idProperty, raw);
      if (!found) throw notFound(type, raw, idProperty);
      id = found.id;
    }
    const record = await crm.records.update(type.name, id, properties);
    return writtenAnswer(200, type, properties, record);
  });

  routes.delete('/:objectType/:id', async (c) => {
    const type = writableTypeOf(c);
    await crm.records.archive(type.name, c.req.param('id'));
    return new Response(null, { status: 204 });
  });

  return routes;
}
