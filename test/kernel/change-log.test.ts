// The transaction's change log and its observers (src/kernel/change-log.ts, run by
// src/kernel/context.ts): an observer runs once at the end of each call (or once before commit)
// with the changes it wanted, oldest first; work an observer logs is picked up in the same call;
// a call that fails inside a transaction leaves none of its changes behind, and a transaction
// that fails runs no commit work and writes nothing. The first part builds an Engine on a real
// memory storage with recording observers (a unit test of the kernel); the last test shows the
// same duty through the public API, where the calculated properties are the observer.
import { describe, expect, it } from 'vitest';
import { createCrm, MemoryStorage, type Storage, type StorageTx } from 'crmkit';
import { sequentialIds, steppingClock } from 'crmkit/testing';
import type { ChangeObserver, LoggedChange, RecordChange } from '../../src/kernel/change-log.js';
import { Engine, type EngineOptions, type TxContext, type VersionedSchema } from '../../src/kernel/context.js';
import { MemoryStorage as SourceMemoryStorage } from '../../src/storage/memory.js';

type Context = TxContext<VersionedSchema>;

const options: EngineOptions = {
  ids: sequentialIds(),
  clock: steppingClock(),
  history: true,
  blockPurgedEmails: false,
  uniquePropertyLimit: 10,
  labelLimit: 10,
  autoAssociateByDomain: undefined,
  autoAssociateActivities: false,
      strict: false,
  dealAmountFromLineItems: false,
  onListenerError: () => undefined,
};

/** A logged record change: `action` on record `id` of `type`. */
function change(action: RecordChange['action'], id: string, type = 'contacts'): RecordChange {
  return {
    kind: 'record',
    action,
    model: { name: type },
    record: { id, objectType: type, properties: {}, createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z', archived: false },
  };
}

/** What an observer was run with: the ids of the changes in each run. */
interface Recorder extends ChangeObserver<Context> {
  readonly runs: string[][];
}

/** An observer that wants the changes `wants` accepts and records each run; `then` is extra work it does in its run. */
function recorder(name: string, when: ChangeObserver<Context>['when'], wants: (change: LoggedChange) => boolean, then?: (ctx: Context) => Promise<void> | void): Recorder {
  const runs: string[][] = [];
  return {
    name,
    when,
    runs,
    wants: (logged) => wants(logged),
    async run(ctx, changes) {
      runs.push(changes.map((logged) => (logged.kind === 'record' ? `${logged.action} ${logged.record.id}` : logged.action)));
      await then?.(ctx);
    },
  };
}

const created = (logged: LoggedChange): boolean => logged.kind === 'record' && logged.action === 'created';
const anything = (): boolean => true;

function engine(observers: Recorder[]): { engine: Engine<VersionedSchema>; storage: SourceMemoryStorage } {
  const storage = new SourceMemoryStorage();
  return { engine: new Engine(storage, options, (version, doc) => ({ version, doc }), observers), storage };
}

const stored = (storage: SourceMemoryStorage, key: string): Promise<unknown> => storage.transaction('read', async (tx) => tx.getMeta(key));

describe('observers of one call', () => {
  it('run once at the end of the call, with only the changes they wanted, oldest first', async () => {
    const counts = recorder('counts', 'endOfCall', created);
    const checks = recorder('checks', 'beforeCommit', anything);
    const { engine: run } = engine([counts, checks]);
    await run.run('write', async (ctx) => {
      ctx.log(change('created', 'c1'));
      ctx.log(change('updated', 'c1'));
      ctx.log(change('created', 'c2'));
      // Nothing has run yet: the work waits for the end of the call.
      expect(counts.runs).toEqual([]);
      expect(ctx.hasCallWork).toBe(true);
    });
    expect(counts.runs).toEqual([['created c1', 'created c2']]);
    expect(checks.runs).toEqual([['created c1', 'updated c1', 'created c2']]);
  });

  it('an observer that wants none of the changes never runs, and the call has no work queued', async () => {
    const counts = recorder('counts', 'endOfCall', () => false);
    const { engine: run } = engine([counts]);
    const queued = await run.run('write', async (ctx) => {
      ctx.log(change('created', 'c1'));
      return [ctx.hasCallWork, ctx.hasDeferredWork];
    });
    expect(queued).toEqual([false, false]);
    expect(counts.runs).toEqual([]);
  });

  it('changes an observer logs in its run are run in the same call by the observers that want them', async () => {
    // "recount" answers each creation with an update, as the calculated properties write theirs.
    const recount = recorder('recount', 'endOfCall', created, (ctx) => ctx.log(change('updated', 'k1', 'companies')));
    const audit = recorder('audit', 'endOfCall', (logged) => logged.kind === 'record' && logged.action === 'updated');
    // The audit comes first in the engine's order, so it runs on a second pass over the observers.
    const { engine: run } = engine([audit, recount]);
    await run.run('write', async (ctx) => {
      ctx.log(change('created', 'c1'));
      await ctx.finishCall();
      expect(ctx.hasCallWork).toBe(false);
    });
    expect(recount.runs).toEqual([['created c1']]);
    expect(audit.runs).toEqual([['updated k1']]);
  });

  it('an observer that throws fails the call, and nothing the call wrote is kept', async () => {
    const failure = new Error('observer failed');
    const broken = recorder('broken', 'endOfCall', anything, () => {
      throw failure;
    });
    const { engine: run, storage } = engine([broken]);
    await expect(
      run.run('write', async (ctx) => {
        await ctx.tx.putMeta('written', true);
        ctx.log(change('created', 'c1'));
      }),
    ).rejects.toBe(failure);
    expect(await stored(storage, 'written')).toBeUndefined();
  });
});

describe('observers of a crm.transaction', () => {
  it('end-of-call work runs after each call; commit work once, after the last, with every call’s changes', async () => {
    const counts = recorder('counts', 'endOfCall', created);
    const checks = recorder('checks', 'beforeCommit', created);
    const { engine: run } = engine([counts, checks]);
    await run.transaction(async (ctx) => {
      await ctx.call(async (call) => call.log(change('created', 'c1')));
      expect(checks.runs).toEqual([]);
      await ctx.call(async (call) => call.log(change('created', 'c2')));
    });
    expect(counts.runs).toEqual([['created c1'], ['created c2']]);
    expect(checks.runs).toEqual([['created c1', 'created c2']]);
  });

  it('a call that fails leaves none of its changes behind: not for the next call, not for the commit', async () => {
    const counts = recorder('counts', 'endOfCall', created);
    const checks = recorder('checks', 'beforeCommit', created);
    const { engine: run, storage } = engine([counts, checks]);
    const failure = new Error('call failed');
    await run.transaction(async (ctx) => {
      await ctx.call(async (call) => call.log(change('created', 'c1')));
      const caught = await ctx
        .call(async (call) => {
          await call.tx.putMeta('failed call', true);
          call.log(change('created', 'c2'));
          call.log(change('created', 'c3'));
          throw failure;
        })
        .catch((error: unknown) => error);
      expect(caught).toBe(failure);
      await ctx.call(async (call) => call.log(change('created', 'c4')));
    });
    expect(counts.runs).toEqual([['created c1'], ['created c4']]);
    expect(checks.runs).toEqual([['created c1', 'created c4']]);
    expect(await stored(storage, 'failed call')).toBeUndefined();
  });

  it('a transaction that throws runs no commit work and keeps nothing', async () => {
    const checks = recorder('checks', 'beforeCommit', anything);
    const { engine: run, storage } = engine([checks]);
    await expect(
      run.transaction(async (ctx) => {
        await ctx.call(async (call) => {
          await call.tx.putMeta('written', true);
          call.log(change('created', 'c1'));
        });
        throw new Error('no');
      }),
    ).rejects.toThrow('no');
    expect(checks.runs).toEqual([]);
    expect(await stored(storage, 'written')).toBeUndefined();
  });
});

// ---------------------------------------------------------------- through the public API

/**
 * The memory storage with one fault to inject: once armed, the next lookup of a company by
 * domain fails, as a storage error would in the middle of a call.
 */
function failingDomainLookup(): { storage: Storage; arm: () => void } {
  const inner = new MemoryStorage();
  let armed = false;
  const wrap = (tx: StorageTx): StorageTx =>
    new Proxy(tx, {
      get(target, key, receiver) {
        if (key === 'lookupKeys') {
          return (objectType: string, name: string, values: readonly string[]) => {
            if (armed && objectType === 'companies' && name === 'domain') {
              armed = false;
              throw new Error('storage failed mid-call');
            }
            return target.lookupKeys(objectType, name, values);
          };
        }
        const value: unknown = Reflect.get(target, key, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  return {
    storage: { transaction: (mode, fn) => inner.transaction(mode, (tx) => fn(wrap(tx))), close: () => inner.close() },
    arm: () => {
      armed = true;
    },
  };
}

describe('a failed call inside crm.transaction, seen in the calculated properties', () => {
  it('leaves no count behind: the company counts the contacts that were really associated', async () => {
    const { storage, arm } = failingDomainLookup();
    const crm = await createCrm({ storage, ids: sequentialIds(), clock: steppingClock(), autoAssociateByDomain: true });
    const acme = await crm.records.create('companies', { name: 'Acme', domain: 'acme.com' });
    await crm.transaction(async (tx) => {
      arm();
      // The contact is associated with Acme (a change the count follows), then the lookup by its
      // email's domain fails: the whole call is undone, its association change included.
      const failed = await tx.records.create('contacts', { email: 'ana@roasters.com' }, { associations: [{ to: acme }] }).catch((error: unknown) => error);
      expect(failed).toBeInstanceOf(Error);
      await tx.records.create('contacts', { firstname: 'Bo' }, { associations: [{ to: acme }] });
    });
    const after = await crm.records.get('companies', acme.id);
    expect(after?.properties.num_associated_contacts).toBe(1);
    expect((await crm.associations.list(acme, 'contacts')).total).toBe(1);
    expect(await crm.records.getBy('contacts', 'email', 'ana@roasters.com')).toBeUndefined();
  });
});
