// How a call runs: the Engine opens one storage transaction per public call (or one for a whole
// crm.transaction), checks the schema version, hands the services a TxContext, and after commit
// installs any new schema and delivers the change events. Services never open transactions.
import { CrmError } from '../errors.js';
import { CURSOR_SECRET_META_KEY, CursorSeal, isCursorSecret, newCursorSecret } from './cursor-seal.js';
import { isThenable } from './awaitable.js';
import { isoTime } from './iso-time.js';
import { openScopeOn, runInScope, type TransactionScope } from './transaction-scope.js';
import type { Storage, StorageTx } from '../storage/types.js';
import type { ChangeObserver, LoggedChange } from './change-log.js';
import type { ChangeEvent, Clock, IdGenerator } from '../types.js';

/** The settings the services read (from createCrm's options). */
export interface EngineOptions {
  ids: IdGenerator;
  clock: Clock;
  history: boolean;
  blockPurgedEmails: boolean;
  uniquePropertyLimit: number;
  labelLimit: number;
  /** Domains never matched by automatic association (undefined: the option is off). */
  autoAssociateByDomain: ReadonlySet<string> | undefined;
  autoAssociateActivities: boolean;
  /** Searches must fit HubSpot's caps (5 groups, 10 filters a group, 25 in all, 200 a page, 10,000 results). */
  strict: boolean;
  /** Deals with line items take `amount` from them (the sum of their net amounts), read-only while they have any. */
  dealAmountFromLineItems: boolean;
  /** Where a change listener's error goes (it never reaches the call or the process). */
  onListenerError: (error: unknown, event: ChangeEvent) => void;
}

/**
 * Where the schema document and its version live in storage metadata. The version is read by
 * every transaction, so it is kept apart from the document.
 */
export const SCHEMA_META_KEY = 'schema';
export const SCHEMA_VERSION_META_KEY = 'schema.version';

/**
 * What the kernel knows of a schema: a version (bumped on every change, compared by every
 * transaction) and the document stored under {@link SCHEMA_META_KEY}. The kernel never reads
 * inside it, so the schema layer sits above the kernel and not the other way round.
 */
export interface VersionedSchema {
  readonly version: number;
  readonly doc: unknown;
}

/** Builds the schema layer's state from a stored version and document (undefined when none is stored). */
export type SchemaLoader<S extends VersionedSchema> = (version: number, doc: unknown) => S;

/** Runs `fn` with a context inside a transaction of the given mode. */
export type Runner<S extends VersionedSchema> = <T>(mode: 'read' | 'write', fn: (ctx: TxContext<S>) => Promise<T>) => Promise<T>;

/**
 * The clock a crm has when none is given: the system's. Read without making a Date.
 *
 * @example
 * if (engine.options.clock === systemClock) Date.now(); // no Date needed
 */
export const systemClock: Clock = () => new Date();

/** A clock's reading in ms since the epoch; NaN for anything but a valid Date. */
function clockReading(at: unknown): number {
  return at instanceof Date ? at.getTime() : Number.NaN;
}

/** What one transaction sees and collects: its storage transaction, its schema, its events. */
export class TxContext<S extends VersionedSchema> {
  /** The schema as this transaction sees it, including its own uncommitted changes. */
  schema: S;
  /** Events to deliver after commit (only collected while someone listens). */
  readonly events: ChangeEvent[] | undefined;
  private time: string | undefined;
  /**
   * Calls inside crm.transaction run one after another, even when the caller starts them
   * together; made by the first such call (most transactions are one crm call and never queue).
   */
  private queue: Promise<unknown> | undefined;
  /** The changes each observer wanted and has not run on yet (in the engine's order of observers). */
  private pending: Map<ChangeObserver<TxContext<S>>, LoggedChange[]> | undefined;

  constructor(
    readonly engine: Engine<S>,
    readonly tx: StorageTx,
    schema: S,
    collectEvents: boolean,
  ) {
    this.schema = schema;
    this.events = collectEvents ? [] : undefined;
  }

  get options(): EngineOptions {
    return this.engine.options;
  }

  /** The time of the current call, read from the clock once per call (ISO-8601 UTC). */
  now(): string {
    if (this.time === undefined) {
      const { clock } = this.engine.options;
      const ms = clock === systemClock ? Date.now() : clockReading(clock());
      if (Number.isNaN(ms)) {
        throw new CrmError('VALIDATION_ERROR', 'The clock returned something other than a valid Date', {
          issues: [{ code: 'INVALID_ARGUMENT', property: 'clock', message: 'clock must return a valid Date' }],
        });
      }
      this.time = isoTime(ms);
    }
    return this.time;
  }

  /** Logs a change for the observers that want it (./change-log.ts); they run at the end of the call or before commit. */
  log(change: LoggedChange): void {
    for (const observer of this.engine.observers) {
      if (!observer.wants(change, this)) continue;
      this.pending ??= new Map();
      const changes = this.pending.get(observer);
      if (changes) changes.push(change);
      else this.pending.set(observer, [change]);
    }
  }

  /** Whether end-of-call work is queued (records written so far may still change in this call). */
  get hasCallWork(): boolean {
    if (this.pending === undefined) return false;
    for (const observer of this.pending.keys()) if (observer.when === 'endOfCall') return true;
    return false;
  }

  /** Whether end-of-call or commit work is queued. */
  get hasDeferredWork(): boolean {
    return this.pending !== undefined && this.pending.size > 0;
  }

  /** Runs the observers queued for `when`, each with its changes; answers whether any ran. */
  private async runObservers(when: ChangeObserver<unknown>['when']): Promise<boolean> {
    let ran = false;
    for (const observer of this.engine.observers) {
      if (observer.when !== when) continue;
      const changes = this.pending?.get(observer);
      if (!changes) continue;
      this.pending!.delete(observer);
      if (this.pending!.size === 0) this.pending = undefined;
      await observer.run(this, changes);
      ran = true;
    }
    return ran;
  }

  /** Runs the end-of-call work (which may log changes that queue more). */
  async finishCall(): Promise<void> {
    while (await this.runObservers('endOfCall'));
  }

  /** Runs the end-of-call work and then the commit checks. */
  async finishTransaction(): Promise<void> {
    await this.finishCall();
    while (await this.runObservers('beforeCommit')) await this.finishCall();
  }

  emit(event: ChangeEvent): void {
    this.events?.push(event);
  }

  /** Work to do once this transaction has committed (never when it rolls back). */
  afterCommit(work: () => void): void {
    (this.committedWork ??= []).push(work);
  }

  /** What {@link afterCommit} queued, for the engine to run after the commit. */
  committedWork: Array<() => void> | undefined;

  /** Stores a changed schema and makes it this transaction's (other transactions see it after commit). */
  async saveSchema(next: S): Promise<void> {
    await this.tx.putMeta(SCHEMA_META_KEY, next.doc);
    await this.tx.putMeta(SCHEMA_VERSION_META_KEY, next.version);
    this.schema = next;
  }

  /**
   * Runs one call of a crm.transaction: after the calls before it, with its own clock reading,
   * and undone by itself (storage savepoint, schema, events) if it fails.
   */
  call<T>(fn: (ctx: TxContext<S>) => Promise<T>): Promise<T> {
    const run = (): Promise<T> => this.attempt(fn);
    const result = this.queue === undefined ? run() : this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  /**
   * Runs `fn` as a step of this transaction that fails alone: with its own clock reading, its
   * end-of-call work done, and, if it throws, undone by itself (storage savepoint, schema,
   * events, the changes it logged) while what came before stays. A crm.transaction's calls and
   * a per-item batch's items are such steps. `alone`: the commit checks (a quote's deal) run for
   * the step too, so that an item breaking one fails by itself rather than the whole batch.
   */
  async attempt<T>(fn: (ctx: TxContext<S>) => Promise<T>, alone = false): Promise<T> {
    const schema = this.schema;
    const eventCount = this.events?.length ?? 0;
    const queued = this.pending && new Map([...this.pending].map(([observer, changes]) => [observer, changes.length]));
    this.time = undefined;
    try {
      return await this.tx.savepoint(async () => {
        const result = await fn(this);
        await (alone ? this.finishTransaction() : this.finishCall());
        return result;
      });
    } catch (error) {
      this.schema = schema;
      if (this.events) this.events.length = eventCount;
      this.forgetChangesSince(queued);
      throw error;
    }
  }

  /** Drops the changes a failed call logged: its work must not run (`queued`: the lengths before the call). */
  private forgetChangesSince(queued: ReadonlyMap<ChangeObserver<TxContext<S>>, number> | undefined): void {
    if (!this.pending) return;
    for (const [observer, changes] of this.pending) {
      const kept = queued?.get(observer) ?? 0;
      if (kept === 0) this.pending.delete(observer);
      else changes.length = kept;
    }
    if (this.pending.size === 0) this.pending = undefined;
  }

  /** Resolves when every call started so far has finished. */
  async settled(): Promise<void> {
    await this.queue;
  }
}

/** The call's result once its deferred work is done (no extra await when there is none). */
function finished<T, S extends VersionedSchema>(context: TxContext<S>, result: Promise<T>): Promise<T> {
  return result.then((value) => (context.hasDeferredWork ? context.finishTransaction().then(() => value) : value));
}

/** One Crm's engine: its storage, options, cached schema and listeners. */
export class Engine<S extends VersionedSchema> {
  /** The latest committed schema this process knows (synchronous reads answer from it). */
  schema: S;
  readonly listeners = new Set<(event: ChangeEvent) => void>();
  /**
   * Object types whose storage indexes wait for the type's first record (schema/indexes.ts): a
   * storage that keeps indexes pays for each on every write, of every type.
   */
  readonly unindexedTypes = new Set<string>();
  /** Seals the cursors this CRM hands out, with the storage's secret (set by {@link start}). */
  cursors!: CursorSeal;

  constructor(
    readonly storage: Storage,
    readonly options: EngineOptions,
    private readonly loadSchemaState: SchemaLoader<S>,
    /** The work changes set off (calculated properties, required associations), in the order it runs. */
    readonly observers: ReadonlyArray<ChangeObserver<TxContext<S>>> = [],
  ) {
    this.schema = loadSchemaState(0, undefined);
  }

  /** Runs `fn` as one transaction: all of it commits, or nothing does. */
  readonly run: Runner<S> = async (mode, fn) => {
    this.assertOutsideTransaction();
    let context: TxContext<S> | undefined;
    const result = await this.storage.transaction(mode, (tx) => {
      const schema = this.currentSchema(tx);
      // The common case (schema unchanged, storage answering synchronously) costs no extra await.
      if (!isThenable(schema)) {
        context = new TxContext(this, tx, schema, this.listeners.size > 0);
        return finished(context, fn(context));
      }
      return schema.then((current) => {
        context = new TxContext(this, tx, current, this.listeners.size > 0);
        return finished(context, fn(context));
      });
    });
    this.committed(context!);
    return result;
  };

  /** Runs `fn` with one context for several calls (crm.transaction): one commit for all. */
  async transaction<T>(fn: (ctx: TxContext<S>) => Promise<T>): Promise<T> {
    if (typeof fn !== 'function') {
      throw new CrmError('VALIDATION_ERROR', 'crm.transaction expects an async function', {
        issues: [{ code: 'INVALID_ARGUMENT', message: 'crm.transaction expects an async function' }],
      });
    }
    this.assertOutsideTransaction();
    let context: TxContext<S> | undefined;
    const scope: TransactionScope = { storage: this.storage, open: true };
    try {
      const result = await this.storage.transaction('write', async (tx) => {
        context = new TxContext(this, tx, await this.currentSchema(tx), this.listeners.size > 0);
        const ctx = context;
        const value = await runInScope(scope, () => fn(ctx));
        await context.settled();
        await context.finishTransaction();
        return value;
      });
      this.committed(context!);
      return result;
    } finally {
      scope.open = false;
    }
  }

  /**
   * Refuses a call made on `crm` from inside a crm.transaction callback on the same storage: it
   * would wait for the transaction that waits for it (memory, SQLite) or escape it (PostgreSQL).
   * Known where the runtime has AsyncLocalStorage (kernel/transaction-scope.ts).
   */
  assertOutsideTransaction(): void {
    if (openScopeOn(this.storage) === undefined) return;
    throw new CrmError(
      'VALIDATION_ERROR',
      'A call on crm inside crm.transaction(async (tx) => …): use tx (tx.records, tx.associations, tx.schema) for every call in the callback',
      { issues: [{ code: 'CRM_IN_TRANSACTION', message: 'inside crm.transaction, call tx.records / tx.associations / tx.schema, not crm' }] },
    );
  }

  /**
   * Loads what a new Crm needs from its storage, in one read: the schema, and the cursor secret,
   * made (in a write) only the first time a storage or tenant is used.
   */
  async start(): Promise<void> {
    const read = (tx: StorageTx): Promise<unknown> => Promise.resolve(tx.getMeta(CURSOR_SECRET_META_KEY));
    let secret = await this.storage.transaction('read', async (tx) => {
      this.schema = await this.loadSchema(tx);
      return read(tx);
    });
    if (!isCursorSecret(secret)) {
      secret = await this.storage.transaction('write', async (tx) => {
        const current = await read(tx);
        if (isCursorSecret(current)) return current;
        const made = newCursorSecret();
        await tx.putMeta(CURSOR_SECRET_META_KEY, made);
        return made;
      });
    }
    this.cursors = new CursorSeal(secret as string);
  }

  /** Re-reads the stored schema, whatever the cached version says. */
  async refresh(): Promise<void> {
    this.assertOutsideTransaction();
    await this.storage.transaction('read', async (tx) => {
      this.schema = await this.loadSchema(tx);
    });
  }

  /** The schema as stored now: the cache when its version is current, else reloaded. */
  private currentSchema(tx: StorageTx): S | Promise<S> {
    const stored = tx.getMeta(SCHEMA_VERSION_META_KEY);
    if (!isThenable(stored)) return this.schemaAt(tx, stored);
    return Promise.resolve(stored).then((version) => this.schemaAt(tx, version));
  }

  private schemaAt(tx: StorageTx, stored: unknown): S | Promise<S> {
    const version = (stored as number | undefined) ?? 0;
    if (version === this.schema.version) return this.schema;
    return this.loadSchema(tx, version).then((fresh) => {
      if (fresh.version > this.schema.version) this.schema = fresh;
      return fresh;
    });
  }

  private async loadSchema(tx: StorageTx, knownVersion?: number): Promise<S> {
    const version = knownVersion ?? (((await tx.getMeta(SCHEMA_VERSION_META_KEY)) as number | undefined) ?? 0);
    return this.loadSchemaState(version, await tx.getMeta(SCHEMA_META_KEY));
  }

  private reportListenerError(error: unknown, event: ChangeEvent): void {
    try {
      this.options.onListenerError(error, event);
    } catch {
      // A reporter that throws has nowhere left to report to; the commit stands regardless.
    }
  }

  /** After commit: install the transaction's schema and deliver its events. */
  committed(context: TxContext<S>): void {
    if (context.schema.version > this.schema.version) this.schema = context.schema;
    for (const work of context.committedWork ?? []) work();
    if (!context.events || context.events.length === 0) return;
    for (const event of context.events) {
      for (const listener of [...this.listeners]) {
        try {
          listener(event);
        } catch (error) {
          // The change is committed whatever a listener does: its error goes to the
          // onListenerError channel, never to the call that made the change, nor to the process
          // as an uncaught exception (which would crash a server).
          this.reportListenerError(error, event);
        }
      }
    }
  }
}
