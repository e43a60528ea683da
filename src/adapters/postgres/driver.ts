// The adapter's only view of a database: a "driver" that lends out one connection (a Session)
// at a time for a transaction. Two implementations: a node-postgres Pool (a pooled client per
// transaction, so transactions run in parallel and the database arbitrates) and a single
// connection such as PGlite (transactions queued one after another in this process, because
// BEGIN on a shared connection would mix two transactions into one).
import type { Pool, PoolClient } from 'pg';

/** One row as the driver answers it: column name → value (jsonb already parsed). */
export type Row = Record<string, unknown>;

/** One connection, held for the length of a transaction. */
export interface Session {
  /** Runs one parameterised statement and answers its rows. */
  query(text: string, params?: readonly unknown[]): Promise<Row[]>;
  /** Gives the connection back; `broken` destroys it instead (it may be mid-transaction or dead). */
  release(broken?: Error): void;
}

/** Lends out sessions. */
export interface Driver {
  acquire(): Promise<Session>;
  /** Ends what the driver itself opened (a pool it made); a pool or client handed in is the caller's. */
  close(): Promise<void>;
}

/**
 * Anything that runs a parameterised query on ONE connection and answers `{ rows }`: a PGlite
 * instance, a connected `pg.Client`, or a test double.
 *
 * @example
 * const client: PostgresQueryable = new PGlite();
 */
export interface PostgresQueryable {
  query(text: string, params?: any[]): Promise<{ rows: any[] }>;
}

/**
 * A FIFO lock. Transactions on one single-connection client must not interleave, whichever
 * storage (tenant) runs them, so the lock belongs to the client (see `singleLocks`).
 */
class Mutex {
  private tail: Promise<void> = Promise.resolve();

  lock(): Promise<() => void> {
    let unlock!: () => void;
    const held = new Promise<void>((resolve) => (unlock = resolve));
    const ready = this.tail.then(() => unlock);
    this.tail = this.tail.then(() => held);
    return ready;
  }
}

const singleLocks = new WeakMap<object, Mutex>();

/**
 * A driver over one connection: each session holds the connection's lock until released.
 *
 * @example
 * const driver = singleConnectionDriver(new PGlite());
 */
export function singleConnectionDriver(client: PostgresQueryable): Driver {
  let mutex = singleLocks.get(client);
  if (!mutex) singleLocks.set(client, (mutex = new Mutex()));
  const lock = mutex;
  return {
    async acquire(): Promise<Session> {
      const unlock = await lock.lock();
      let released = false;
      return {
        async query(text, params) {
          const result = await client.query(text, params ? [...params] : []);
          return result.rows as Row[];
        },
        release() {
          if (released) return;
          released = true;
          unlock();
        },
      };
    },
    async close() {},
  };
}

/**
 * A driver over a node-postgres pool: every session is its own pooled client.
 *
 * @example
 * const driver = poolDriver(new pg.Pool({ connectionString }), true);
 */
export function poolDriver(pool: Pool, owned: boolean): Driver {
  return {
    async acquire(): Promise<Session> {
      const client: PoolClient = await pool.connect();
      // A checked-out client whose connection dies between statements emits 'error'; without a
      // listener that would crash the process. The failure surfaces on the next query anyway.
      const onError = (): void => {};
      client.on('error', onError);
      let released = false;
      return {
        async query(text, params) {
          const result = await client.query(text, params ? [...params] : []);
          return result.rows as Row[];
        },
        release(broken) {
          if (released) return;
          released = true;
          client.off('error', onError);
          client.release(broken ?? false);
        },
      };
    },
    async close() {
      if (owned) await pool.end();
    },
  };
}
