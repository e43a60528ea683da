// The transaction's change log: what each call changed, as records and associations, for the
// work a change sets off inside the same transaction (calculated properties at the end of the
// call, required associations before commit). Services log; observers registered on the engine
// read the changes they want. The kernel knows neither the services nor the observers' rules.
import type { StoredEdge, StoredRecord } from '../storage/types.js';

/** A record in a logged change, as it was written, with its object type's name. */
export interface LoggedRecord {
  readonly model: { readonly name: string };
  readonly record: StoredRecord;
}

/** An association made, removed or relabelled between `a` and `b`. */
export interface AssociationChange {
  readonly kind: 'association';
  readonly action: 'created' | 'removed' | 'relabelled';
  readonly a: LoggedRecord;
  readonly b: LoggedRecord;
}

/** A record created, updated (`changed` names its properties), archived, restored, purged or merged into (`record` is the survivor). */
export interface RecordChange extends LoggedRecord {
  readonly kind: 'record';
  readonly action: 'created' | 'updated' | 'archived' | 'restored' | 'purged' | 'merged';
  readonly changed?: readonly string[];
  /** For archive, restore and purge: the record's associations at the time (a purge deletes them). */
  readonly neighbours?: readonly StoredEdge[];
}

/** One entry of the change log. */
export type LoggedChange = AssociationChange | RecordChange;

/**
 * Work that follows from changes, run inside the transaction: at the end of each call, or once
 * before the commit (after every call of a crm.transaction). `wants` is asked for every change
 * as it is logged, so that a call with nothing for the observer costs nothing more.
 */
export interface ChangeObserver<C> {
  /** Unique among the engine's observers; names the work in errors and traces. */
  readonly name: string;
  readonly when: 'endOfCall' | 'beforeCommit';
  wants(change: LoggedChange, ctx: C): boolean;
  /** Runs with the changes it wanted since its last run, oldest first. */
  run(ctx: C, changes: readonly LoggedChange[]): Promise<void>;
}
