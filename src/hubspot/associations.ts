// HubSpot's associations API v4 as crm calls: one record's associations
// (`/crm/v4/objects/{t}/{id}/associations/…`), the batches and the labels
// (`/crm/v4/associations/{from}/{to}/…`, also under `/crm/associations/v4/…` and the
// date-versioned `/crm/associations/2026-03/…`). Translation only: type ids become label names
// through `crm.associations.types` (./association-types.ts), and every rule (pairs, caps, the
// primary company, labels in use) is the crm's.
import { CrmError, type AssociationType, type ObjectTypeDefinition, type RecordLike } from 'crmkit';
import { Hono, type Context } from 'hono';
import { cursorOf, pagingOf, pageLimit, readJsonBody, requestError } from './body.js';
import { failureOf, jsonResponse } from './errors.js';
import { labelsOfSpecs, typeSpecsAt, typesOfAssociation, wireType, type WireAssociationType } from './association-types.js';
import { objectTypeOf, type Facade } from './objects.js';
import { batchInputs, idAt, objectAt } from './shapes.js';

/** HubSpot's page of one record's associations: 500 by default and at most. */
const LIST_MAX = 500;

/** An answer without a body. */
function noContent(): Response {
  return new Response(null, { status: 204 });
}

/** A record reference for the crm. */
function ref(type: ObjectTypeDefinition, id: string): RecordLike {
  return { objectType: type.name, id };
}

/** `{ id }` in a batch input (`from`, `to`): the id as a string, else 400 naming the field. */
function idOf(value: unknown, field: string): string {
  return idAt(objectAt(value, field).id, `${field}.id`);
}

/** The unlabelled type of a direction (every pair that may associate has one: it is listed first). */
function unlabelled(types: readonly AssociationType[]): AssociationType {
  return types[0]!;
}

/** A batch's answer, HubSpot's shape: `status` 200/201 without errors, 207 with them. */
function batchAnswer(status: number, results: unknown[], startedAt: string, errors: unknown[] = []): Response {
  const body: { [key: string]: unknown } = { status: 'COMPLETE', results, startedAt, completedAt: new Date().toISOString() };
  if (errors.length === 0) return jsonResponse(status, body);
  return jsonResponse(207, { ...body, numErrors: errors.length, errors });
}

/** One failed input of a per-input batch, as an entry of `errors[]`. */
function batchError(error: unknown, context: { [key: string]: string[] }): { [key: string]: unknown } {
  const { body } = failureOf(error, crypto.randomUUID());
  return {
    status: 'error',
    category: body.category,
    message: body.message,
    ...(body.subCategory ? { subCategory: body.subCategory } : {}),
    context: { ...body.context, ...context },
  };
}

/**
 * The two object types of a pair's path, and the direction's types (`crm.associations.types`):
 * ASSOCIATION_NOT_ALLOWED (400) when the two never associate.
 */
function pairOf(facade: Facade, c: Context, fromParam: string, toParam: string): { from: ObjectTypeDefinition; to: ObjectTypeDefinition; types: AssociationType[] } {
  const from = objectTypeOf(facade.crm, c.req.param(fromParam) ?? '', facade.portalId);
  const to = objectTypeOf(facade.crm, c.req.param(toParam) ?? '', facade.portalId);
  return { from, to, types: facade.crm.associations.types(from.name, to.name) };
}

/** One association as a page lists it: the other record's id and the types it carries, seen from the lister. */
function associatedObject(types: readonly AssociationType[], item: { id: string; labels: string[] }): { toObjectId: string; associationTypes: WireAssociationType[] } {
  return { toObjectId: item.id, associationTypes: typesOfAssociation(types, item.labels) };
}

/** The default association's two directions, as `associate/default` answers them. */
function defaultResults(fromId: string, toId: string, forward: AssociationType, backward: AssociationType): unknown[] {
  const spec = (type: AssociationType): { associationCategory: string; associationTypeId: number } => ({ associationCategory: type.category, associationTypeId: type.typeId });
  return [
    { from: { id: fromId }, to: { id: toId }, associationSpec: spec(forward) },
    { from: { id: toId }, to: { id: fromId }, associationSpec: spec(backward) },
  ];
}

/** What a labelled write answers: the pair, and the display labels the request named. */
function labelsBetween(from: ObjectTypeDefinition, fromId: string, to: ObjectTypeDefinition, toId: string, types: readonly AssociationType[], labels: readonly string[]): { [key: string]: unknown } {
  const shown = labels.map((name) => types.find((type) => type.name === name)!.label!);
  return { fromObjectTypeId: from.id, fromObjectId: fromId, toObjectTypeId: to.id, toObjectId: toId, labels: shown };
}

/**
 * One record's associations, relative to an objects base (`/crm/v4/objects`): make the default
 * association (PUT `default/{toT}/{toId}`, 200), make it with labels (PUT `{toT}/{toId}` with
 * the types, 201), remove it (DELETE, 204), list them (GET `{toT}`, 200).
 *
 * @example
 * app.route('/crm/v4/objects', recordAssociationRoutes(facade));
 */
export function recordAssociationRoutes(facade: Facade): Hono {
  const { crm, maxBodyBytes } = facade;
  const routes = new Hono();

  routes.put('/:fromType/:fromId/associations/default/:toType/:toId', async (c) => {
    const startedAt = new Date().toISOString();
    const { from, to, types } = pairOf(facade, c, 'fromType', 'toType');
    const fromId = c.req.param('fromId');
    const toId = c.req.param('toId');
    // A first company becomes primary: the crm's rule, whichever call makes the association.
    await crm.associations.associate(ref(from, fromId), ref(to, toId));
    const backward = crm.associations.types(to.name, from.name);
    return batchAnswer(200, defaultResults(fromId, toId, unlabelled(types), unlabelled(backward)), startedAt);
  });

  routes.put('/:fromType/:fromId/associations/:toType/:toId', async (c) => {
    const { from, to, types } = pairOf(facade, c, 'fromType', 'toType');
    const fromId = c.req.param('fromId');
    const toId = c.req.param('toId');
    const labels = labelsOfSpecs(types, typeSpecsAt(await readJsonBody(c.req.raw, maxBodyBytes), 'body'), 'body');
    await crm.associations.associate(ref(from, fromId), ref(to, toId), labels);
    return jsonResponse(201, labelsBetween(from, fromId, to, toId, types, labels));
  });

  routes.delete('/:fromType/:fromId/associations/:toType/:toId', async (c) => {
    const { from, to } = pairOf(facade, c, 'fromType', 'toType');
    await crm.associations.remove(ref(from, c.req.param('fromId')), ref(to, c.req.param('toId')));
    return noContent();
  });

  routes.get('/:fromType/:fromId/associations/:toType', async (c) => {
    const { from, to, types } = pairOf(facade, c, 'fromType', 'toType');
    const params = new URL(c.req.url).searchParams;
    const limit = pageLimit(params.get('limit'), 'limit', LIST_MAX, LIST_MAX);
    const after = cursorOf(params.get('after'), 'after');
    const page = await crm.associations.list(ref(from, c.req.param('fromId')), to.name, { limit, ...(after ? { after } : {}) });
    const next = page.paging?.next?.after;
    return jsonResponse(200, { results: page.results.map((item) => associatedObject(types, item)), ...(next ? { paging: pagingOf(c.req.raw, next) } : {}) });
  });

  return routes;
}

/**
 * The pair routes, relative to an associations base (`/crm/v4/associations`): the batches
 * (`batch/create` 201 / 207, `batch/associate/default` 200, `batch/read` 200 / 207,
 * `batch/archive` and `batch/labels/archive` 204) and the labels (GET 200, POST 200, PUT 204,
 * DELETE `labels/{typeId}` 204).
 *
 * @example
 * app.route('/crm/v4/associations', associationRoutes(facade));
 */
export function associationRoutes(facade: Facade): Hono {
  const { crm, maxBodyBytes } = facade;
  const routes = new Hono();
  const body = async (c: Context): Promise<{ [key: string]: unknown }> => objectAt(await readJsonBody(c.req.raw, maxBodyBytes), 'body');
  const now = (): string => new Date().toISOString();

  routes.post('/:fromType/:toType/batch/create', async (c) => {
    const startedAt = now();
    const { from, to, types } = pairOf(facade, c, 'fromType', 'toType');
    const items = batchInputs(await body(c)).map((input, index) => {
      const field = `inputs[${index}]`;
      return { fromId: idOf(input.from, `${field}.from`), toId: idOf(input.to, `${field}.to`), labels: labelsOfSpecs(types, typeSpecsAt(input.types, `${field}.types`), `${field}.types`) };
    });
    // Per input, as HubSpot's 207: one refused pair does not stop the others.
    const outcome = await crm.associations.associateMany(
      items.map((item) => ({ from: ref(from, item.fromId), to: ref(to, item.toId), labels: item.labels })),
      { atomic: false },
    );
    const results = outcome.results.map(({ index }) => labelsBetween(from, items[index]!.fromId, to, items[index]!.toId, types, items[index]!.labels));
    const errors = outcome.errors.map(({ index, error }) => batchError(error, { fromId: [items[index]!.fromId], toId: [items[index]!.toId] }));
    return batchAnswer(201, results, startedAt, errors);
  });

  routes.post('/:fromType/:toType/batch/associate/default', async (c) => {
    const startedAt = now();
    const { from, to, types } = pairOf(facade, c, 'fromType', 'toType');
    const items = batchInputs(await body(c)).map((input, index) => ({ fromId: idOf(input.from, `inputs[${index}].from`), toId: idOf(input.to, `inputs[${index}].to`) }));
    // One atomic call: the SDK takes only a 200 here, so a refusal refuses every pair.
    await crm.associations.associateMany(items.map((item) => ({ from: ref(from, item.fromId), to: ref(to, item.toId) })));
    const backward = unlabelled(crm.associations.types(to.name, from.name));
    return batchAnswer(200, items.flatMap((item) => defaultResults(item.fromId, item.toId, unlabelled(types), backward)), startedAt);
  });

  routes.post('/:fromType/:toType/batch/read', async (c) => {
    const startedAt = now();
    const { from, to, types } = pairOf(facade, c, 'fromType', 'toType');
    const items = batchInputs(await body(c)).map((input, index) => {
      const after = input.after;
      if (after !== undefined && after !== null && typeof after !== 'string') throw requestError(`inputs[${index}].after`, `inputs[${index}].after must be a string cursor`);
      return { id: idAt(input.id, `inputs[${index}].id`), after: cursorOf(after, `inputs[${index}].after`) };
    });
    const results: unknown[] = [];
    const errors: unknown[] = [];
    // Per input: an unknown record is an error beside the others' results (207).
    for (const item of items) {
      try {
        const page = await crm.associations.list(ref(from, item.id), to.name, { limit: LIST_MAX, ...(item.after ? { after: item.after } : {}) });
        const next = page.paging?.next?.after;
        results.push({ from: { id: item.id }, to: page.results.map((entry) => associatedObject(types, entry)), ...(next ? { paging: { next: { after: next } } } : {}) });
      } catch (error) {
        if (!(error instanceof CrmError)) throw error;
        errors.push(batchError(error, { ids: [item.id] }));
      }
    }
    return batchAnswer(200, results, startedAt, errors);
  });

  routes.post('/:fromType/:toType/batch/archive', async (c) => {
    const { from, to } = pairOf(facade, c, 'fromType', 'toType');
    const pairs = batchInputs(await body(c)).flatMap((input, index) => {
      const fromId = idOf(input.from, `inputs[${index}].from`);
      if (!Array.isArray(input.to)) throw requestError(`inputs[${index}].to`, `inputs[${index}].to must be an array of { id }`);
      return input.to.map((item, at) => ({ from: ref(from, fromId), to: ref(to, idOf(item, `inputs[${index}].to[${at}]`)) }));
    });
    // One atomic call; pairs that are not associated change nothing.
    if (pairs.length > 0) await crm.associations.removeMany(pairs);
    return noContent();
  });

  routes.post('/:fromType/:toType/batch/labels/archive', async (c) => {
    const { from, to, types } = pairOf(facade, c, 'fromType', 'toType');
    const items = batchInputs(await body(c)).map((input, index) => {
      const field = `inputs[${index}]`;
      const specs = typeSpecsAt(input.types, `${field}.types`);
      const labels = labelsOfSpecs(types, specs, `${field}.types`);
      // Archiving the unlabelled type archives the association itself, labels and all.
      const whole = specs.some((spec) => spec.associationTypeId === unlabelled(types).typeId);
      return { fromId: idOf(input.from, `${field}.from`), toId: idOf(input.to, `${field}.to`), labels, whole };
    });
    await crm.transaction(async (tx) => {
      for (const item of items) {
        if (item.whole) await tx.associations.remove(ref(from, item.fromId), ref(to, item.toId));
        else if (item.labels.length > 0) await tx.associations.unlabel(ref(from, item.fromId), ref(to, item.toId), item.labels);
      }
    });
    return noContent();
  });

  routes.get('/:fromType/:toType/labels', (c) => {
    const { types } = pairOf(facade, c, 'fromType', 'toType');
    return jsonResponse(200, { results: types.map(wireType) });
  });

  routes.post('/:fromType/:toType/labels', async (c) => {
    const { from, to } = pairOf(facade, c, 'fromType', 'toType');
    const input = await body(c);
    const label = stringAt(input.label, 'label');
    const name = stringAt(input.name, 'name');
    const inverseLabel = input.inverseLabel === undefined || input.inverseLabel === null ? undefined : stringAt(input.inverseLabel, 'inverseLabel');
    const created = await crm.associations.createLabel({ from: from.name, to: to.name, label, name, ...(inverseLabel !== undefined ? { inverseLabel } : {}) });
    // Both directions' new types: the label's from `from`, and its inverse's (or the same label's) from `to`.
    return jsonResponse(200, {
      results: [
        { category: 'USER_DEFINED', typeId: created.typeId, label: created.label },
        { category: 'USER_DEFINED', typeId: created.inverseTypeId, label: created.inverseLabel ?? created.label },
      ],
    });
  });

  routes.put('/:fromType/:toType/labels', async (c) => {
    const { from, to, types } = pairOf(facade, c, 'fromType', 'toType');
    const input = await body(c);
    const typeId = input.associationTypeId;
    if (typeof typeId !== 'number' || !Number.isSafeInteger(typeId)) throw requestError('associationTypeId', 'associationTypeId must be an integer');
    const label = stringAt(input.label, 'label');
    const inverseLabel = input.inverseLabel === undefined || input.inverseLabel === null ? undefined : stringAt(input.inverseLabel, 'inverseLabel');
    const type = types.find((candidate) => candidate.typeId === typeId && candidate.name !== null);
    if (!type) throw requestError('associationTypeId', `associationTypeId: ${typeId} is not a label of ${from.name} → ${to.name}`);
    // The label the id names is changed from its own side: `label` is that side's display label.
    const definition = crm.associations.labels(from.name, to.name).find((candidate) => candidate.typeId === typeId || candidate.inverseTypeId === typeId)!;
    const ownSide = definition.typeId === typeId || definition.inverseName === undefined;
    const patch = ownSide
      ? { label, ...(inverseLabel !== undefined ? { inverseLabel } : {}) }
      : { inverseLabel: label, ...(inverseLabel !== undefined ? { label: inverseLabel } : {}) };
    await crm.associations.updateLabel(definition.from, definition.to, definition.name, patch);
    return noContent();
  });

  routes.delete('/:fromType/:toType/labels/:typeId', async (c) => {
    const { from, to, types } = pairOf(facade, c, 'fromType', 'toType');
    const raw = c.req.param('typeId');
    const type = /^\d+$/.test(raw) ? types.find((candidate) => candidate.typeId === Number(raw) && candidate.name !== null) : undefined;
    // An id in the path that names no label: 404, as any unknown id in a path.
    if (!type) throw new CrmError('NOT_FOUND', `${from.name} → ${to.name} has no label with type id ${JSON.stringify(raw)}`, { objectType: from.name, id: raw });
    await crm.associations.deleteLabel(from.name, to.name, type.name!);
    return noContent();
  });

  return routes;
}

/** A required string field, else 400 naming it. */
function stringAt(value: unknown, field: string): string {
  if (typeof value !== 'string') throw requestError(field, `${field} must be a string`);
  return value;
}

