// HubSpot's schemas API (`/crm-object-schemas/v3/schemas`: custom object types) and object
// library (`/crm/v3/object-library/enablement`: which activatable types are on) as crm.schema
// calls. The shapes are pure functions (unit-tested in test/hubspot/definitions-wire.test.ts).
import { CrmError, type Crm, type ObjectTypeDefinition, type ObjectTypeInput, type ObjectTypePatch } from 'crmkit';
import { Hono, type Context } from 'hono';
import { queryBoolean, readJsonBody, requestError } from './body.js';
import { optionalArray, requiredString } from './definition-shapes.js';
import { jsonResponse } from './errors.js';
import { directionsFrom, objectTypeOf, type Facade } from './objects.js';
import { resolveObjectType, singularOf } from './object-types.js';
import { knownKeys, propertyInputOf, toWireProperty, type WireProperty } from './properties-wire.js';
import { objectAt, optionalString, stringList } from './shapes.js';

/**
 * A custom object type as HubSpot's schemas API answers it.
 *
 * @example
 * const schema: WireSchema = toWireSchema(crm.schema.object('roast_batches'), crm.schema.properties('roast_batches'), 1);
 */
export interface WireSchema {
  id: string;
  objectTypeId: string;
  fullyQualifiedName: string;
  name: string;
  labels: { singular: string; plural: string };
  primaryDisplayProperty?: string;
  requiredProperties: string[];
  searchableProperties: string[];
  secondaryDisplayProperties: string[];
  properties: WireProperty[];
  associations: WireSchemaAssociation[];
  archived: boolean;
}

/**
 * One pair a custom type may associate in, as the schemas API shows it: `id` is the unlabelled
 * association's type id from the custom type's side (what DELETE `…/associations/{id}` takes),
 * `name` `<from singular>_to_<to singular>`.
 *
 * @example
 * const pair: WireSchemaAssociation = { id: '1000', fromObjectTypeId: '2-1', toObjectTypeId: '0-1', name: 'car_to_contact' };
 */
export interface WireSchemaAssociation {
  id: string;
  fromObjectTypeId: string;
  toObjectTypeId: string;
  name: string;
}

/**
 * Every pair `type` may associate in, from its side, in the crm's type order.
 *
 * @example
 * schemaAssociationsOf(crm, crm.schema.object('cars')).map((pair) => pair.toObjectTypeId); // ['0-1', '0-3']
 */
export function schemaAssociationsOf(crm: Crm, type: ObjectTypeDefinition): WireSchemaAssociation[] {
  return directionsFrom(crm, type).map(([unlabelled]) => ({
    id: String(unlabelled!.typeId),
    fromObjectTypeId: type.id,
    toObjectTypeId: crm.schema.object(unlabelled!.to).id,
    name: `${singularOf(type.name)}_to_${singularOf(unlabelled!.to)}`,
  }));
}

/**
 * A custom type on the wire: `id` is the `<n>` of its `2-<n>`, `fullyQualifiedName`
 * `p<portalId>_<name>`; `associations` are the pairs it may associate in
 * ({@link schemaAssociationsOf}).
 *
 * @example
 * toWireSchema(type, properties, 1, schemaAssociationsOf(crm, type)).fullyQualifiedName; // 'p1_roast_batches'
 */
export function toWireSchema(
  type: ObjectTypeDefinition,
  properties: ReadonlyArray<Parameters<typeof toWireProperty>[0]>,
  portalId: number,
  associations: readonly WireSchemaAssociation[] = [],
): WireSchema {
  return {
    id: type.id.replace(/^2-/, ''),
    objectTypeId: type.id,
    fullyQualifiedName: `p${portalId}_${type.name}`,
    name: type.name,
    labels: { singular: type.labels.singular, plural: type.labels.plural },
    ...(type.primaryDisplayProperty !== undefined ? { primaryDisplayProperty: type.primaryDisplayProperty } : {}),
    requiredProperties: [...type.requiredProperties],
    searchableProperties: [...type.searchableProperties],
    secondaryDisplayProperties: [],
    properties: properties.map((property) => toWireProperty(property, type.primaryDisplayProperty)),
    associations: [...associations],
    archived: false,
  };
}

/** HubSpot's labels object: both needed on create; on update, the missing one stays as it is. */
function labelsOf(value: unknown, field: string, current?: { singular: string; plural: string }): { singular: string; plural: string } {
  const labels = objectAt(value, field);
  knownKeys(labels, ['singular', 'plural'], field);
  const singular = current && labels.singular === undefined ? current.singular : requiredString(labels.singular, `${field}.singular`);
  const plural = current && labels.plural === undefined ? current.plural : requiredString(labels.plural, `${field}.plural`);
  return { singular, plural };
}

/** Display fields of HubSpot's schema bodies that crmkit does not keep: shape-checked, then dropped (docs/hubspot.md). */
function displayOnly(body: { [key: string]: unknown }): void {
  optionalString(body.description, 'description');
  stringList(body.secondaryDisplayProperties, 'secondaryDisplayProperties');
}

/**
 * An ObjectSchemaEgg body as the crm's custom object input. `associatedObjects` may name types
 * any way a path may (`CONTACT`, `contacts`, `0-1`, `p1_cars`); `resolve` turns each into a name.
 *
 * @example
 * schemaInputOf({ name: 'cars', labels: { singular: 'Car', plural: 'Cars' }, requiredProperties: ['vin'], properties: [{ name: 'vin', label: 'VIN', type: 'string', fieldType: 'text' }], associatedObjects: ['CONTACT'] }, (raw) => 'contacts');
 */
export function schemaInputOf(value: unknown, resolve: (raw: string) => string): ObjectTypeInput {
  const body = objectAt(value, 'body');
  knownKeys(body, ['name', 'labels', 'description', 'primaryDisplayProperty', 'secondaryDisplayProperties', 'requiredProperties', 'searchableProperties', 'properties', 'associatedObjects'], 'body');
  displayOnly(body);
  const primaryDisplayProperty = optionalString(body.primaryDisplayProperty, 'primaryDisplayProperty');
  const searchableProperties = stringList(body.searchableProperties, 'searchableProperties');
  const associatedObjects = stringList(body.associatedObjects, 'associatedObjects') ?? [];
  const properties = optionalArray(body.properties, 'properties', propertyInputOf);
  if (properties === undefined) throw requestError('properties', 'properties must be an array of property definitions');
  return {
    name: requiredString(body.name, 'name'),
    labels: labelsOf(body.labels, 'labels'),
    ...(primaryDisplayProperty !== undefined ? { primaryDisplayProperty } : {}),
    requiredProperties: stringList(body.requiredProperties, 'requiredProperties') ?? [],
    ...(searchableProperties !== undefined ? { searchableProperties } : {}),
    properties,
    associations: associatedObjects.map(resolve),
  };
}

/**
 * An ObjectTypeDefinitionPatch body as the crm's object patch (`labels` merged over `current`).
 *
 * @example
 * schemaPatchOf({ labels: { plural: 'Autos' } }, { singular: 'Car', plural: 'Cars' }); // { labels: { singular: 'Car', plural: 'Autos' } }
 */
export function schemaPatchOf(value: unknown, current: { singular: string; plural: string }): ObjectTypePatch {
  const body = objectAt(value, 'body');
  knownKeys(body, ['labels', 'description', 'clearDescription', 'primaryDisplayProperty', 'secondaryDisplayProperties', 'requiredProperties', 'searchableProperties', 'restorable'], 'body');
  displayOnly(body);
  const patch: ObjectTypePatch = {};
  if (body.labels !== undefined && body.labels !== null) patch.labels = labelsOf(body.labels, 'labels', current);
  const primaryDisplayProperty = optionalString(body.primaryDisplayProperty, 'primaryDisplayProperty');
  const requiredProperties = stringList(body.requiredProperties, 'requiredProperties');
  const searchableProperties = stringList(body.searchableProperties, 'searchableProperties');
  if (primaryDisplayProperty !== undefined) patch.primaryDisplayProperty = primaryDisplayProperty;
  if (requiredProperties !== undefined) patch.requiredProperties = requiredProperties;
  if (searchableProperties !== undefined) patch.searchableProperties = searchableProperties;
  return patch;
}

/**
 * Which object types the object library reports: those that must be activated before use, by
 * id, each with whether it is on.
 *
 * @example
 * enablementOf(crm.schema.objects()); // { '0-162': false, '0-410': false, … }
 */
export function enablementOf(objects: readonly ObjectTypeDefinition[]): { [objectTypeId: string]: boolean } {
  const enablement: { [objectTypeId: string]: boolean } = {};
  for (const type of objects) if (type.requiresActivation) enablement[type.id] = type.active;
  return enablement;
}

/**
 * The custom type a schemas path names (its name, `2-<n>`, `<n>` or `p<portalId>_<name>`), else
 * a 404: the schemas API knows custom types only.
 *
 * @example
 * customTypeOf(crm, 'p1_cars', 1).id; // '2-1'
 */
export function customTypeOf(crm: Crm, raw: string, portalId: number): ObjectTypeDefinition {
  const objects = crm.schema.objects();
  let found: ObjectTypeDefinition | undefined;
  try {
    found = resolveObjectType(objects, /^\d+$/.test(raw) ? `2-${raw}` : raw, portalId);
  } catch (error) {
    if (!(error instanceof CrmError)) throw error;
  }
  if (!found || !found.custom) throw new CrmError('NOT_FOUND', `No custom object schema ${JSON.stringify(raw)}`, { objectType: raw.slice(0, 200), id: raw.slice(0, 200) });
  return found;
}

/**
 * The schemas routes, relative to `/crm-object-schemas/v3/schemas`: list, create, read, update
 * and delete (`crm.schema.deleteObject`: only once the type holds no records).
 *
 * @example
 * app.route('/crm-object-schemas/v3/schemas', schemaRoutes(facade));
 */
export function schemaRoutes(facade: Facade): Hono {
  const { crm, portalId, maxBodyBytes } = facade;
  const routes = new Hono();
  const body = async (c: Context): Promise<unknown> => readJsonBody(c.req.raw, maxBodyBytes);
  const wire = (type: ObjectTypeDefinition): WireSchema => toWireSchema(type, crm.schema.properties(type.name), portalId, schemaAssociationsOf(crm, type));
  const typeOf = (c: Context): ObjectTypeDefinition => customTypeOf(crm, c.req.param('objectType') ?? '', portalId);

  routes.get('/', (c) => {
    // A deleted object type is gone (its name free again), so the archived list is empty.
    const archived = queryBoolean(new URL(c.req.url).searchParams, 'archived', false);
    return jsonResponse(200, { results: archived ? [] : crm.schema.objects().filter((type) => type.custom).map(wire) });
  });

  routes.post('/', async (c) => {
    const input = schemaInputOf(await body(c), (raw) => objectTypeOf(crm, raw, portalId).name);
    return jsonResponse(201, wire(await crm.schema.defineObject(input)));
  });

  routes.get('/:objectType', (c) => jsonResponse(200, wire(typeOf(c))));

  routes.patch('/:objectType', async (c) => {
    const type = typeOf(c);
    const patch = schemaPatchOf(await body(c), type.labels);
    return jsonResponse(200, wire(await crm.schema.updateObject(type.name, patch)));
  });

  routes.delete('/:objectType', async (c) => {
    const type = typeOf(c);
    // HubSpot soft-deletes first and hard-deletes with `archived=true`; the crm deletes at once,
    // so both answer 204 alike (the flag is still checked as a boolean). Records left, archived
    // ones included, or a saved filter naming the type: 409 OBJECT_IN_USE.
    queryBoolean(new URL(c.req.url).searchParams, 'archived', false);
    await crm.schema.deleteObject(type.name);
    return new Response(null, { status: 204 });
  });

  routes.post('/:objectType/associations', async (c) => {
    const type = typeOf(c);
    const input = objectAt(await body(c), 'body');
    knownKeys(input, ['fromObjectTypeId', 'toObjectTypeId', 'name'], 'body');
    // `name` is HubSpot's label for the definition; the crm names pairs itself (schemaAssociationsOf).
    optionalString(input.name, 'name');
    const from = objectTypeOf(crm, requiredString(input.fromObjectTypeId, 'fromObjectTypeId'), portalId);
    const to = objectTypeOf(crm, requiredString(input.toObjectTypeId, 'toObjectTypeId'), portalId);
    if (from.name !== type.name && to.name !== type.name) {
      throw requestError('fromObjectTypeId', `fromObjectTypeId or toObjectTypeId must be ${type.id}, the schema's own type`);
    }
    await crm.schema.defineAssociation(from.name, to.name);
    const [own, other] = from.name === type.name ? [from, to] : [to, from];
    const created = schemaAssociationsOf(crm, own).find((pair) => pair.toObjectTypeId === other.id)!;
    return jsonResponse(201, { ...created, createdAt: new Date().toISOString(), updatedAt: new Date().toISOString() });
  });

  routes.delete('/:objectType/associations/:associationIdentifier', async (c) => {
    const type = typeOf(c);
    const raw = c.req.param('associationIdentifier');
    // The pair's unlabelled type id from either side names it.
    const other = directionsFrom(crm, type)
      .map(([unlabelled]) => unlabelled!.to)
      .find((to) => [crm.associations.types(type.name, to)[0]!, crm.associations.types(to, type.name)[0]!].some((unlabelled) => String(unlabelled.typeId) === raw));
    if (!other) throw new CrmError('NOT_FOUND', `${type.name} has no association definition ${JSON.stringify(raw)}`, { objectType: type.name, id: raw.slice(0, 200) });
    await crm.schema.removeAssociation(type.name, other);
    return new Response(null, { status: 204 });
  });

  return routes;
}

/**
 * The object library routes, relative to `/crm/v3/object-library/enablement`: every activatable
 * type's state, or one type's. `crm.schema.activate(type)` turns one on.
 *
 * @example
 * app.route('/crm/v3/object-library/enablement', objectLibraryRoutes(facade));
 */
export function objectLibraryRoutes(facade: Facade): Hono {
  const { crm, portalId } = facade;
  const routes = new Hono();
  routes.get('/', () => jsonResponse(200, { enablementByObjectTypeId: enablementOf(crm.schema.objects()) }));
  routes.get('/:objectTypeId', (c) => {
    const raw = c.req.param('objectTypeId');
    let type: ObjectTypeDefinition;
    try {
      type = objectTypeOf(crm, raw, portalId);
    } catch (error) {
      if (error instanceof CrmError && error.code === 'UNKNOWN_OBJECT_TYPE') throw new CrmError('NOT_FOUND', `No object type ${JSON.stringify(raw)}`, { objectType: raw.slice(0, 200), id: raw.slice(0, 200) });
      throw error;
    }
    // A type that needs no activation is always on.
    return jsonResponse(200, { enablement: type.active });
  });
  return routes;
}
