// HubSpot's properties API (`/crm/v3/properties/{type}`) as crm.schema calls: property
// definitions, their batches, and property groups. Translation only: a name the path gives that
// the type lacks is a 404 here (the crm would call it a bad argument), everything else is the
// crm's answer.
import { CrmError, type Crm, type ObjectTypeDefinition, type PropertyDefinition, type PropertyGroup } from 'crmkit';
import { Hono, type Context } from 'hono';
import { queryBoolean, readJsonBody } from './body.js';
import { jsonResponse } from './errors.js';
import { objectTypeOf, type Facade } from './objects.js';
import { groupInputOf, groupPatchOf, knownKeys, propertyInputOf, propertyPatchOf, toWireGroup, toWireProperty } from './properties-wire.js';
import { batchInputs, objectAt } from './shapes.js';
import { requiredString, optionalBoolean } from './definition-shapes.js';

/**
 * The property `name` of `type`, live (or archived, when `archived`); a 404 (NOT_FOUND) when the
 * type has no such property in that state.
 *
 * @example
 * propertyNamed(crm, crm.schema.object('contacts'), 'email', false).type; // 'string'
 */
export function propertyNamed(crm: Crm, type: ObjectTypeDefinition, name: string, archived: boolean): PropertyDefinition {
  const found = crm.schema.properties(type.name, { archived: true }).find((property) => property.name === name && property.archived === archived);
  if (!found) throw new CrmError('NOT_FOUND', `${type.name} has no ${archived ? 'archived' : 'live'} property named ${JSON.stringify(name)}`, { objectType: type.name, id: name });
  return found;
}

/**
 * The property group `name` of `type`, live; a 404 (NOT_FOUND) otherwise.
 *
 * @example
 * groupNamed(crm, crm.schema.object('contacts'), 'contactinformation').label; // 'Contact information'
 */
export function groupNamed(crm: Crm, type: ObjectTypeDefinition, name: string): PropertyGroup {
  const found = crm.schema.groups(type.name).find((group) => group.name === name);
  if (!found) throw new CrmError('NOT_FOUND', `${type.name} has no live property group named ${JSON.stringify(name)}`, { objectType: type.name, id: name });
  return found;
}

/** A batch's answer in HubSpot's shape; errors make it a 207. */
function batchBody(status: number, results: unknown[], startedAt: string, errors: unknown[] = []): Response {
  const body: { [key: string]: unknown } = { status: 'COMPLETE', results, startedAt, completedAt: new Date().toISOString() };
  if (errors.length > 0) Object.assign(body, { numErrors: errors.length, errors });
  return jsonResponse(errors.length > 0 ? 207 : status, body);
}

/** A batch's `inputs[i].name`. */
function namesOf(body: { [key: string]: unknown }): string[] {
  return batchInputs(body).map((input, index) => {
    knownKeys(input, ['name'], `inputs[${index}]`);
    return requiredString(input.name, `inputs[${index}].name`);
  });
}

/**
 * The properties routes, relative to `/crm/v3/properties`: definitions (list, create, read,
 * update, archive, and the batches) and groups (list, create, read, update, archive).
 *
 * @example
 * app.route('/crm/v3/properties', propertyRoutes(facade));
 */
export function propertyRoutes(facade: Facade): Hono {
  const { crm, portalId, maxBodyBytes } = facade;
  const routes = new Hono();
  const typeOf = (c: Context): ObjectTypeDefinition => objectTypeOf(crm, c.req.param('objectType') ?? '', portalId);
  const body = async (c: Context): Promise<unknown> => readJsonBody(c.req.raw, maxBodyBytes);
  const wire = (type: ObjectTypeDefinition) => (property: PropertyDefinition) => toWireProperty(property, crm.schema.object(type.name).primaryDisplayProperty);

  // Groups first: `groups` would otherwise read as a property name.
  routes.get('/:objectType/groups', (c) => {
    const type = typeOf(c);
    return jsonResponse(200, { results: crm.schema.groups(type.name).map(toWireGroup) });
  });

  routes.post('/:objectType/groups', async (c) => {
    const type = typeOf(c);
    const group = await crm.schema.defineGroup(type.name, groupInputOf(await body(c)));
    return jsonResponse(201, toWireGroup(group));
  });

  routes.get('/:objectType/groups/:groupName', (c) => {
    const type = typeOf(c);
    return jsonResponse(200, toWireGroup(groupNamed(crm, type, c.req.param('groupName'))));
  });

  routes.patch('/:objectType/groups/:groupName', async (c) => {
    const type = typeOf(c);
    const patch = groupPatchOf(await body(c));
    groupNamed(crm, type, c.req.param('groupName'));
    return jsonResponse(200, toWireGroup(await crm.schema.updateGroup(type.name, c.req.param('groupName'), patch)));
  });

  routes.delete('/:objectType/groups/:groupName', async (c) => {
    const type = typeOf(c);
    groupNamed(crm, type, c.req.param('groupName'));
    await crm.schema.archiveGroup(type.name, c.req.param('groupName'));
    return new Response(null, { status: 204 });
  });

  routes.get('/:objectType', (c) => {
    const type = typeOf(c);
    // HubSpot's archived=true lists the archived properties only, as its objects lists do.
    const archived = queryBoolean(new URL(c.req.url).searchParams, 'archived', false);
    const properties = crm.schema.properties(type.name, { archived }).filter((property) => property.archived === archived);
    return jsonResponse(200, { results: properties.map(wire(type)) });
  });

  routes.post('/:objectType', async (c) => {
    const type = typeOf(c);
    const property = await crm.schema.defineProperty(type.name, propertyInputOf(await body(c), 'body'));
    return jsonResponse(201, wire(type)(property));
  });

  routes.post('/:objectType/batch/create', async (c) => {
    const startedAt = new Date().toISOString();
    const type = typeOf(c);
    const inputs = batchInputs(objectAt(await body(c), 'body')).map((input, index) => propertyInputOf(input, `inputs[${index}]`));
    // One transaction: the first refused definition undoes the others.
    const created = await crm.transaction(async (tx) => {
      const made: PropertyDefinition[] = [];
      for (const input of inputs) made.push(await tx.schema.defineProperty(type.name, input));
      return made;
    });
    return batchBody(201, created.map(wire(type)), startedAt);
  });

  routes.post('/:objectType/batch/read', async (c) => {
    const startedAt = new Date().toISOString();
    const type = typeOf(c);
    const input = objectAt(await body(c), 'body');
    knownKeys(input, ['inputs', 'archived', 'dataSensitivity'], 'body');
    const archived = optionalBoolean(input.archived, 'archived') ?? false;
    const names = [...new Set(namesOf(input))];
    const all = new Map(crm.schema.properties(type.name, { archived: true }).filter((property) => property.archived === archived).map((property) => [property.name, property]));
    const missing = names.filter((name) => !all.has(name));
    const errors =
      missing.length > 0
        ? [{ status: 'error', category: 'OBJECT_NOT_FOUND', message: `${type.name} has no ${archived ? 'archived' : 'live'} property for ${missing.length} of the names`, context: { names: missing } }]
        : [];
    const found = names.flatMap((name) => (all.has(name) ? [all.get(name)!] : []));
    return batchBody(200, found.map(wire(type)), startedAt, errors);
  });

  routes.post('/:objectType/batch/archive', async (c) => {
    const type = typeOf(c);
    const names = namesOf(objectAt(await body(c), 'body'));
    // As batch archive of records: names the type has no live property for are ignored; a
    // property that cannot be archived refuses the whole batch, in one transaction.
    const live = new Set(crm.schema.properties(type.name).map((property) => property.name));
    await crm.transaction(async (tx) => {
      for (const name of new Set(names)) if (live.has(name)) await tx.schema.archiveProperty(type.name, name);
    });
    return new Response(null, { status: 204 });
  });

  routes.get('/:objectType/:propertyName', (c) => {
    const type = typeOf(c);
    const archived = queryBoolean(new URL(c.req.url).searchParams, 'archived', false);
    return jsonResponse(200, wire(type)(propertyNamed(crm, type, c.req.param('propertyName'), archived)));
  });

  routes.patch('/:objectType/:propertyName', async (c) => {
    const type = typeOf(c);
    const patch = propertyPatchOf(await body(c));
    const name = propertyNamed(crm, type, c.req.param('propertyName'), false).name;
    return jsonResponse(200, wire(type)(await crm.schema.updateProperty(type.name, name, patch)));
  });

  routes.delete('/:objectType/:propertyName', async (c) => {
    const type = typeOf(c);
    const name = propertyNamed(crm, type, c.req.param('propertyName'), false).name;
    await crm.schema.archiveProperty(type.name, name);
    return new Response(null, { status: 204 });
  });

  return routes;
}
