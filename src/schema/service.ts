// The schema service: each operation takes its arguments parsed by the facade
// (arguments/schema.ts), calls the rules in ./property-rules.ts and ./object-rules.ts, and stores
// the changed object type inside the caller's transaction. Reads are synchronous, from the cached
// schema.
import { savedOn, usersOf } from './saved.js';
import type { GroupInput, GroupPatchInput, LabelsInput, ObjectInput, ObjectPatchInput, PropertyInput, PropertyPatchInput } from '../arguments/schema.js';
import { saveObject, type TxContext } from './transaction.js';
import { CrmError, describeValue, validationError } from '../errors.js';
import type { ObjectTypeDefinition, PropertyDefinition, PropertyGroup } from '../types.js';
import type { ObjectDoc, ObjectModel, SchemaState } from './model.js';
import { activateObject, dedupChange, defineCustomObject, objectDeletionRefusal, renameObject, updateObject } from './object-rules.js';
import { addGroup, addProperty, archiveGroup, archiveProperty, changeGroup, changeProperty, findProperty } from './property-rules.js';

/** Saves a changed object type and announces it; an unchanged one writes nothing. */
async function save(ctx: TxContext, before: ObjectModel, doc: ObjectDoc, change: string): Promise<ObjectModel> {
  if (doc === before.doc) return before;
  await saveObject(ctx, doc);
  ctx.emit({ type: 'schema.changed', objectType: doc.name, change });
  return ctx.schema.object(doc.name);
}

/** The public definition of one property (archived ones included). */
export function propertyOf(model: ObjectModel, name: string): PropertyDefinition {
  const property = findProperty(model.doc, name);
  return model.propertyDefinitions().find((definition) => definition.name === property.name)!;
}

/** IMMUTABLE when a rename or update tries to change an object type's name or id. */
function refuseIdentityChange(model: ObjectModel, patch: { name?: unknown; id?: unknown }): void {
  for (const field of ['name', 'id'] as const) {
    const wanted = patch[field];
    if (wanted !== undefined && wanted !== model.doc[field]) {
      throw new CrmError('IMMUTABLE', `${model.name}: an object type's ${field} never changes (got ${describeValue(wanted)})`, {
        objectType: model.name,
        field,
      });
    }
  }
}

export async function defineObject(ctx: TxContext, input: ObjectInput): Promise<ObjectTypeDefinition> {
  const { doc, nextCustomObjectNumber } = defineCustomObject(ctx.schema, input, ctx.options.uniquePropertyLimit);
  await saveObject(ctx, doc, nextCustomObjectNumber);
  ctx.emit({ type: 'schema.changed', objectType: doc.name, change: 'object.defined' });
  return ctx.schema.object(doc.name).definition;
}

/**
 * Deletes a custom object type that holds no records and no saved filter names: its definition,
 * pipelines, labels and pairs go (src/schema/model.ts `withoutObject`), the storage drops its
 * indexes, and the name is free again; its id (`2-<n>`) and type ids are never reused.
 */
export async function deleteObjectType(ctx: TxContext, objectType: string): Promise<void> {
  const model = ctx.schema.object(objectType);
  const { records } = await ctx.tx.scanRecords(model.name, { limit: 1, archived: true });
  const refusal = objectDeletionRefusal(model.doc, records.length > 0, savedOn(ctx.schema, model.name));
  if (refusal) throw refusal;
  await ctx.saveSchema(ctx.schema.withoutObject(model.name));
  // An empty set drops every index the storage made for the type (the contract's idempotent sync).
  if (ctx.tx.indexProperties) await ctx.tx.indexProperties(model.name, []);
  ctx.afterCommit(() => ctx.engine.unindexedTypes.delete(model.name));
  ctx.emit({ type: 'schema.changed', objectType: model.name, change: 'object.deleted' });
}

export async function renameObjectType(ctx: TxContext, objectType: string, labels: LabelsInput): Promise<ObjectTypeDefinition> {
  const model = ctx.schema.object(objectType);
  refuseIdentityChange(model, labels);
  // A name or id equal to the current one is allowed (and ignored): it changes nothing.
  const { name: _name, id: _id, ...parsed } = labels;
  return (await save(ctx, model, renameObject(model.doc, parsed), 'object.renamed')).definition;
}

/**
 * Changes an object type's labels, required, searchable or display properties, or turns its dedup
 * key on or off. Which way `dedup` went is returned: the records' keys are the records service's
 * to claim or release (records/service.ts `updateObject`).
 */
export async function updateObjectType(
  ctx: TxContext,
  objectType: string,
  patch: ObjectPatchInput,
): Promise<{ model: ObjectModel; dedup: 'on' | 'off' | undefined }> {
  const model = ctx.schema.object(objectType);
  refuseIdentityChange(model, patch);
  // A name or id equal to the current one is allowed (and ignored): it changes nothing.
  const { name: _name, id: _id, ...parsed } = patch;
  const dedup = dedupChange(model.doc, parsed);
  return { model: await save(ctx, model, updateObject(model.doc, parsed), 'object.updated'), dedup };
}

export async function activate(ctx: TxContext, objectType: string): Promise<void> {
  const model = ctx.schema.object(objectType);
  await save(ctx, model, activateObject(model.doc), 'object.activated');
}

export async function defineProperty(ctx: TxContext, objectType: string, parsed: PropertyInput): Promise<PropertyDefinition> {
  const model = ctx.schema.object(objectType);
  const updated = await save(ctx, model, addProperty(model.doc, parsed, ctx.options.uniquePropertyLimit), 'property.defined');
  return propertyOf(updated, parsed.name);
}

export async function updateProperty(ctx: TxContext, objectType: string, name: string, patch: PropertyPatchInput): Promise<PropertyDefinition> {
  const model = ctx.schema.object(objectType);
  const kind = model.pipelines?.kind;
  // The pipeline and stage properties' options are the live pipelines and stages: stored options would be ignored.
  if (kind && patch.options !== undefined && (name === kind.pipelineProperty || name === kind.stageProperty)) {
    throw new CrmError('IMMUTABLE', `${model.name}.${name}: its options are the object type's ${name === kind.pipelineProperty ? 'pipelines' : 'pipeline stages'}; change them with crm.pipelines`, {
      objectType: model.name,
      property: name,
      field: 'options',
    });
  }
  const updated = await save(ctx, model, changeProperty(model.doc, name, patch), 'property.updated');
  return propertyOf(updated, name);
}

export async function archivePropertyOf(ctx: TxContext, objectType: string, name: string): Promise<void> {
  const model = ctx.schema.object(objectType);
  const archived = archiveProperty(model.doc, name);
  // A saved filter naming the property would stop working: it stays in use while one does.
  const users = usersOf(ctx.schema, (uses) => uses.properties.some((used) => used.objectType === model.name && used.name === name));
  if (archived !== model.doc && (users.segments.length > 0 || users.views.length > 0)) {
    const names = [...users.segments.map((id) => `segment ${id}`), ...users.views.map((id) => `view ${id}`)];
    throw validationError(
      [{ code: 'PROPERTY_IN_USE', property: name, segments: users.segments, views: users.views, message: `${model.name}.${name} is named by ${names.join(', ')}; change or delete ${names.length === 1 ? 'it' : 'them'} first` }],
      model.name,
    );
  }
  await save(ctx, model, archived, 'property.archived');
}

export async function defineGroup(ctx: TxContext, objectType: string, parsed: GroupInput): Promise<PropertyGroup> {
  const model = ctx.schema.object(objectType);
  const updated = await save(ctx, model, addGroup(model.doc, parsed), 'group.defined');
  return updated.definition.groups.find((group) => group.name === parsed.name)!;
}

export async function updateGroup(ctx: TxContext, objectType: string, name: string, patch: GroupPatchInput): Promise<PropertyGroup> {
  const model = ctx.schema.object(objectType);
  const updated = await save(ctx, model, changeGroup(model.doc, name, patch), 'group.updated');
  return updated.definition.groups.find((group) => group.name === name)!;
}

export async function archiveGroupOf(ctx: TxContext, objectType: string, name: string): Promise<void> {
  const model = ctx.schema.object(objectType);
  await save(ctx, model, archiveGroup(model.doc, name), 'group.archived');
}

/** An object type's property groups; archived ones only when asked for. */
export function listGroups(schema: SchemaState, objectType: string, archived: boolean): PropertyGroup[] {
  const groups = schema.object(objectType).groupDefinitions();
  return archived ? groups : groups.filter((group) => !group.archived);
}

/** Every property of an object type; archived ones only when asked for. */
export function listProperties(schema: SchemaState, objectType: string, archived: boolean): PropertyDefinition[] {
  const definitions = schema.object(objectType).propertyDefinitions();
  return archived ? definitions : definitions.filter((property) => !property.archived);
}
