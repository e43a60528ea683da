// HubSpot's association limits API (`/crm/v4/associations/definitions/configurations/…`) as crm
// calls. A "configuration" is the most records one record may hold under one association type of
// a direction: the unlabelled type's is the pair's limit (`crm.schema.defineAssociation`), a
// label's is the label's limit seen from that side (`crm.associations.updateLabel`). Every rule
// (a label's limit within its pair's, built-in labels unchangeable, 1–10,000) is the crm's.
import type { AssociationLimit, AssociationType, CrmTransaction } from 'crmkit';
import { Hono, type Context } from 'hono';
import { readJsonBody, requestError } from './body.js';
import { jsonResponse } from './errors.js';
import { directionsFrom, objectTypeOf, type Facade } from './objects.js';
import { batchInputs, objectAt } from './shapes.js';

/**
 * One type's limit as HubSpot's answers show it. Only types with a limit are listed: a type
 * without one (`'many'`) holds as many records as the pair allows.
 *
 * @example
 * const champion: WireConfiguration = { category: 'USER_DEFINED', typeId: 1001, label: 'Champion', userEnforcedMaxToObjectIds: 1 };
 */
export interface WireConfiguration {
  category: 'HUBSPOT_DEFINED' | 'USER_DEFINED';
  typeId: number;
  label?: string;
  userEnforcedMaxToObjectIds: number;
}

/** A limit as a number of records; `undefined` for no limit. */
function maxOf(limit: AssociationLimit): number | undefined {
  if (limit === 'many') return undefined;
  return limit === 'one' ? 1 : limit;
}

/**
 * The configurations of one direction's types: those with a limit, in the order of
 * `crm.associations.types` (the unlabelled type first).
 *
 * @example
 * configurationsOf(crm.associations.types('contacts', 'companies')); // [{ category: 'HUBSPOT_DEFINED', typeId: 1, label: 'Primary', userEnforcedMaxToObjectIds: 1 }]
 */
export function configurationsOf(types: readonly AssociationType[]): WireConfiguration[] {
  return types.flatMap((type) => {
    const max = maxOf(type.limit);
    if (max === undefined) return [];
    const configuration: WireConfiguration = { category: type.category, typeId: type.typeId, userEnforcedMaxToObjectIds: max };
    if (type.label !== null) configuration.label = type.label;
    return [configuration];
  });
}

/** One input of a batch: the type it names (found in the direction, else 400 naming the field). */
function typeAt(input: { [key: string]: unknown }, field: string, types: readonly AssociationType[]): AssociationType {
  const { category, typeId } = input;
  if (typeof typeId !== 'number' || !Number.isSafeInteger(typeId)) throw requestError(`${field}.typeId`, `${field}.typeId must be an integer`);
  if (typeof category !== 'string') throw requestError(`${field}.category`, `${field}.category must be a string`);
  const type = types.find((candidate) => candidate.typeId === typeId);
  if (!type || type.category !== category) {
    throw requestError(`${field}.typeId`, `${field}.typeId: ${typeId} is no ${category} association type of ${types[0]?.from ?? '?'} → ${types[0]?.to ?? '?'}`);
  }
  return type;
}

/** `maxToObjectIds`: a whole number (the crm checks its range), else 400 naming the field. */
function maxAt(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw requestError(field, `${field} must be an integer`);
  return value;
}

/**
 * Sets one type's limit (`'many'` lifts it) through the crm: the pair's limit for the unlabelled
 * type, else the label's from the type's own side.
 */
async function setLimit(tx: CrmTransaction, type: AssociationType, limit: AssociationLimit): Promise<void> {
  if (type.name === null) {
    await tx.schema.defineAssociation(type.from, type.to, { limit });
    return;
  }
  const definition = tx.associations.labels(type.from, type.to).find((candidate) => candidate.typeId === type.typeId || candidate.inverseTypeId === type.typeId)!;
  // The type is the label's own side when its id is the label's (an unpaired label on a same-type pair has one id for both).
  const ownSide = definition.typeId === type.typeId && (definition.from === type.from || definition.inverseName === undefined);
  await tx.associations.updateLabel(definition.from, definition.to, definition.name, ownSide ? { limit } : { inverseLimit: limit });
}


/**
 * The association limits routes, relative to an associations base (`/crm/v4/associations`):
 * every direction's configurations (GET `definitions/configurations/all`), one direction's (GET
 * `…/{from}/{to}`), and batch create (201), update (200) and purge (204), each one transaction.
 *
 * @example
 * app.route('/crm/v4/associations', configurationRoutes(facade));
 */
export function configurationRoutes(facade: Facade): Hono {
  const { crm, portalId, maxBodyBytes } = facade;
  const routes = new Hono();
  const BASE = '/definitions/configurations';
  const directionOf = (c: Context): AssociationType[] => {
    const from = objectTypeOf(crm, c.req.param('fromType') ?? '', portalId);
    const to = objectTypeOf(crm, c.req.param('toType') ?? '', portalId);
    return crm.associations.types(from.name, to.name);
  };
  const inputsOf = async (c: Context): Promise<Array<{ [key: string]: unknown }>> => batchInputs(objectAt(await readJsonBody(c.req.raw, maxBodyBytes), 'body'));

  routes.get(`${BASE}/all`, () => jsonResponse(200, { results: crm.schema.objects().flatMap((type) => directionsFrom(crm, type).flatMap(configurationsOf)) }));

  routes.get(`${BASE}/:fromType/:toType`, (c) => jsonResponse(200, { results: configurationsOf(directionOf(c)) }));

  // Create and update both set the limit (HubSpot's create names a type without one, its update
  // one with one; a local store has no reason to refuse either order).
  const setLimits = (status: number) => async (c: Context) => {
    const startedAt = new Date().toISOString();
    const types = directionOf(c);
    const asked = (await inputsOf(c)).map((input, index) => ({ type: typeAt(input, `inputs[${index}]`, types), max: maxAt(input.maxToObjectIds, `inputs[${index}].maxToObjectIds`) }));
    await crm.transaction(async (tx) => {
      for (const { type, max } of asked) await setLimit(tx, type, max === 1 ? 'one' : max);
    });
    const after = crm.associations.types(types[0]!.from, types[0]!.to);
    const results = asked.map(({ type }) => {
      const now = after.find((candidate) => candidate.typeId === type.typeId)!;
      return { category: now.category, typeId: now.typeId, userEnforcedMaxToObjectIds: maxOf(now.limit) };
    });
    return jsonResponse(status, { status: 'COMPLETE', results, startedAt, completedAt: new Date().toISOString() });
  };
  routes.post(`${BASE}/:fromType/:toType/batch/create`, setLimits(201));
  routes.post(`${BASE}/:fromType/:toType/batch/update`, setLimits(200));

  routes.post(`${BASE}/:fromType/:toType/batch/purge`, async (c) => {
    const types = directionOf(c);
    const asked = (await inputsOf(c)).map((input, index) => typeAt(input, `inputs[${index}]`, types));
    await crm.transaction(async (tx) => {
      for (const type of asked) await setLimit(tx, type, 'many');
    });
    return new Response(null, { status: 204 });
  });

  return routes;
}
