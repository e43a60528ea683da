// The transaction context as the services see it: the kernel's, holding this schema. Schema
// changes are saved through here, so the kernel never needs to know what a schema contains.
import type { TxContext as KernelContext, Runner as KernelRunner } from '../kernel/context.js';
import type { AssociationDoc, ObjectDoc, SchemaState } from './model.js';
import { indexedProperties, indexesChanged } from './indexes.js';

/** One transaction: its storage transaction, its schema (with its own changes), its events. */
export type TxContext = KernelContext<SchemaState>;

/** Runs a service function as one transaction. */
export type Runner = KernelRunner<SchemaState>;

/**
 * Stores a changed or new object type and makes it this transaction's schema; tells the storage
 * when the properties to index changed.
 */
export async function saveObject(ctx: TxContext, doc: ObjectDoc, nextCustomObjectNumber?: number): Promise<void> {
  const before = ctx.schema.find(doc.name);
  await ctx.saveSchema(ctx.schema.withObject(doc, nextCustomObjectNumber));
  const after = ctx.schema.find(doc.name);
  if (ctx.tx.indexProperties && after !== undefined && indexesChanged(before, after)) {
    await ctx.tx.indexProperties(after.name, indexedProperties(after));
    ctx.afterCommit(() => ctx.engine.unindexedTypes.delete(after.name));
  }
}

/** Stores changed association definitions (labels, pairs) and makes them this transaction's schema. */
export async function saveAssociations(ctx: TxContext, doc: AssociationDoc): Promise<void> {
  await ctx.saveSchema(ctx.schema.withAssociations(doc));
}
