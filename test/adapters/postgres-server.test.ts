// The PostgreSQL adapter on a real server (CRMKIT_PG_URL, e.g. from .ci/postgres.sh): the
// conformance suite and the engine tests again, then what PGlite's single connection cannot
// show: several pools racing (two app servers on one database), serialization retries, lost
// connections and concurrent migrations (and, in their own files: plans and locks, four
// processes writing at once, connections lost around COMMIT). Without CRMKIT_PG_URL these are
// skipped, and say so.
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createCrm, isCrmError, type Crm, type CrmError, type StoredRecord } from 'crmkit';
import { postgresStorage, SCHEMA_VERSION, type PostgresStorage } from 'crmkit/postgres';
import { storageConformance } from 'crmkit/testing/conformance';
import { codeOf, describeEngineOnPostgres, freshTenant } from './postgres-shared.js';

const URL = process.env.CRMKIT_PG_URL;
const pools: pg.Pool[] = [];
/** A pool of its own: a separate set of connections, as another app server would have. */
const newPool = (config: pg.PoolConfig = {}): pg.Pool => {
  const pool = new pg.Pool({ connectionString: URL, max: 10, ...config });
  pool.on('error', () => {});
  pools.push(pool);
  return pool;
};
afterAll(async () => {
  await Promise.all(pools.map((pool) => pool.end().catch(() => {})));
});

describe.skipIf(!URL)('postgres server: conformance and engine tests (needs CRMKIT_PG_URL; run .ci/postgres.sh)', () => {
  // Collected (not run) without a server too, so no pool is made then.
  const shared = URL ? newPool() : undefined;
  storageConformance('postgres server', () => postgresStorage({ pool: shared!, tenant: freshTenant('conformance') }));
  describeEngineOnPostgres('server', (tenant) => postgresStorage({ pool: shared!, tenant }));
});

const record = (id: string): StoredRecord =>
  Object.freeze({ id, objectType: 'contacts', properties: { hs_object_id: id }, createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z', archived: false });

describe.skipIf(!URL)('postgres server: several connections (needs CRMKIT_PG_URL; run .ci/postgres.sh)', () => {
  /** Two Crm instances on one tenant, each with its own pool: two app servers. */
  const twoServers = async (labelLimit?: number): Promise<{ crms: [Crm, Crm]; storages: [PostgresStorage, PostgresStorage] }> => {
    const tenant = freshTenant('race');
    const storages: [PostgresStorage, PostgresStorage] = [
      postgresStorage({ pool: newPool(), tenant, maxAttempts: 50 }),
      postgresStorage({ pool: newPool(), tenant, maxAttempts: 50 }),
    ];
    const options = labelLimit === undefined ? {} : { labelLimit };
    return { crms: [await createCrm({ storage: storages[0], ...options }), await createCrm({ storage: storages[1], ...options })], storages };
  };

  it('50 concurrent creates of one email from two instances: exactly one wins, the others are DUPLICATE_RECORD', async () => {
    const { crms, storages } = await twoServers();
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, at) => crms[at % 2]!.records.create('contacts', { email: 'race@x.com', firstname: `n${at}` })),
    );
    const won = results.filter((result) => result.status === 'fulfilled');
    const lost = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost.map((result) => (isCrmError(result.reason) ? result.reason.code : String(result.reason)))).toEqual(Array(49).fill('DUPLICATE_RECORD'));
    expect((await crms[1].records.list('contacts')).results).toHaveLength(1);
    // The losers saw the key only after retrying their transaction.
    expect(storages[0].stats.retries + storages[1].stats.retries).toBeGreaterThan(0);
  });

  it('concurrent setPrimary on one contact from two instances leaves exactly one primary company', async () => {
    const { crms } = await twoServers();
    const contact = await crms[0].records.create('contacts', { email: 'p@x.com' });
    const companies = await crms[0].records.createMany('companies', Array.from({ length: 6 }, (_, at) => ({ domain: `c${at}.com` })));
    for (const company of companies) await crms[0].associations.associate(contact, company);
    for (let round = 0; round < 3; round++) {
      await Promise.all(companies.map((company, at) => crms[at % 2]!.associations.setPrimary(contact, company)));
      const { results } = await crms[1].associations.list(contact, 'companies');
      expect(results.filter((item) => item.primary)).toHaveLength(1);
      const primaries = await Promise.all(companies.map(async (company) => (await crms[0].associations.list(company, 'contacts')).results[0]!));
      expect(primaries.filter((item) => item.primary)).toHaveLength(1);
    }
  });

  it('the label over the limit, created from two instances at once: exactly one gets it, the other LABEL_LIMIT', async () => {
    const { crms } = await twoServers(4);
    // Fill the pair to its limit, then free exactly one slot.
    let made = 0;
    for (;;) {
      const code = await codeOf(crms[0].associations.createLabel({ from: 'contacts', to: 'deals', label: `L${made}`, name: `l${made}` })).catch(() => 'OK');
      if (code === 'LABEL_LIMIT') break;
      expect(code).toBe('OK');
      made++;
    }
    expect(made).toBeGreaterThan(0);
    await crms[0].associations.deleteLabel('contacts', 'deals', 'l0');
    for (let round = 0; round < 3; round++) {
      const results = await Promise.allSettled(
        [0, 1].map((side) => crms[side]!.associations.createLabel({ from: 'contacts', to: 'deals', label: `R${round}-${side}`, name: `r${round}_${side}` })),
      );
      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
      const refused = results.find((result): result is PromiseRejectedResult => result.status === 'rejected')!;
      expect(isCrmError(refused.reason, 'LABEL_LIMIT')).toBe(true);
      await crms[1].records.list('contacts', { limit: 1 });
      const custom = crms[1].associations.labels('contacts', 'deals').filter((label) => /^[lr]/.test(label.name));
      expect(custom).toHaveLength(made);
      // Free a slot again for the next round.
      await crms[0].associations.deleteLabel('contacts', 'deals', results[0]!.status === 'fulfilled' ? `r${round}_0` : `r${round}_1`);
    }
  });

  /** S1's transaction reads meta 'k', lets S2 change it (committed), then writes it: a serialization failure. */
  const conflicting = (one: PostgresStorage, two: PostgresStorage, interfere: (attempt: number) => boolean) => {
    let attempt = 0;
    return one.transaction('write', async (tx) => {
      attempt++;
      const seen = (await tx.getMeta('k')) as number;
      if (interfere(attempt)) await two.transaction('write', async (other) => other.putMeta('k', seen + 100));
      await tx.putMeta('k', seen + 1);
      return attempt;
    });
  };

  it('retries a transaction that hit a serialization failure, and counts the retry', async () => {
    const tenant = freshTenant('retry');
    const retried: unknown[] = [];
    const one = postgresStorage({ pool: newPool(), tenant, onRetry: (_attempt, error) => retried.push(error) });
    const two = postgresStorage({ pool: newPool(), tenant });
    await one.transaction('write', async (tx) => tx.putMeta('k', 0));
    const attempts = await conflicting(one, two, (attempt) => attempt === 1);
    expect(attempts).toBe(2);
    expect(one.stats.retries).toBe(1);
    expect((retried[0] as { code: string }).code).toBe('40001');
    // The retry saw S2's write: 0 + 100, then + 1.
    expect(await two.transaction('read', async (tx) => tx.getMeta('k'))).toBe(101);
  });

  it('a serialization failure that exhausts the retries is a STORAGE_ERROR with the cause, and writes nothing', async () => {
    const tenant = freshTenant('exhaust');
    const one = postgresStorage({ pool: newPool(), tenant, maxAttempts: 3, retryDelayMs: 1 });
    const two = postgresStorage({ pool: newPool(), tenant });
    await one.transaction('write', async (tx) => tx.putMeta('k', 0));
    const error = await conflicting(one, two, () => true).catch((caught: unknown) => caught);
    expect(isCrmError(error, 'STORAGE_ERROR')).toBe(true);
    expect(((error as Error).cause as { code: string }).code).toBe('40001');
    expect((error as CrmError<'STORAGE_ERROR'>).details.outcome).toBe('rolled_back');
    expect(one.stats.retries).toBe(2);
    // Only S2's three writes remain.
    expect(await two.transaction('read', async (tx) => tx.getMeta('k'))).toBe(300);
  });

  it('a connection terminated mid-transaction (pg_terminate_backend) is a STORAGE_ERROR, and nothing of the call remains', async () => {
    const tenant = freshTenant('terminate');
    const name = `crmkit-victim-${process.pid}-${Date.now()}`;
    const victim = newPool({ application_name: name });
    const admin = newPool();
    const storage = postgresStorage({ pool: victim, tenant });
    const crm = await createCrm({ storage });
    const error = await crm
      .transaction(async (tx) => {
        await tx.records.create('contacts', { email: 'half@x.com' });
        await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [name]);
        await tx.records.create('contacts', { email: 'other-half@x.com' });
      })
      .catch((caught: unknown) => caught);
    expect(isCrmError(error, 'STORAGE_ERROR')).toBe(true);
    expect((error as CrmError<'STORAGE_ERROR'>).details.outcome).toBe('rolled_back');
    const check = await createCrm({ storage: postgresStorage({ pool: admin, tenant }) });
    expect((await check.records.list('contacts')).results).toEqual([]);
    // The pool replaces the dead connection: the storage works again.
    await crm.records.create('contacts', { email: 'after@x.com' });
    expect((await check.records.list('contacts')).results).toHaveLength(1);
  });

  it('a pool that was ended, or a server that is not there, is a STORAGE_ERROR', async () => {
    const pool = newPool();
    const crm = await createCrm({ storage: postgresStorage({ pool, tenant: freshTenant('ended') }) });
    await pool.end();
    expect(await codeOf(crm.records.create('contacts', { email: 'x@x.com' }))).toBe('STORAGE_ERROR');
    const nowhere = postgresStorage({ connectionString: 'postgres://nobody@127.0.0.1:1/none', poolOptions: { connectionTimeoutMillis: 2_000 } });
    expect(await codeOf(createCrm({ storage: nowhere }))).toBe('STORAGE_ERROR');
    await nowhere.close();
  });

  it('a storage made from a connection string owns its pool and ends it on close', async () => {
    const storage = postgresStorage({ connectionString: URL!, tenant: freshTenant('owned') });
    await storage.transaction('write', async (tx) => tx.insertRecords([record('a')]));
    await storage.close();
    expect(await codeOf(storage.transaction('read', async (tx) => tx.getRecords('contacts', ['a'])))).toBe('STORAGE_ERROR');
  });

  it('runs on one connected pg.Client as a single connection (transactions queued)', async () => {
    const client = new pg.Client({ connectionString: URL });
    await client.connect();
    try {
      const storage = postgresStorage({ client, tenant: freshTenant('client') });
      const crm = await createCrm({ storage });
      const results = await Promise.allSettled(Array.from({ length: 5 }, () => crm.records.create('contacts', { email: 'one@x.com' })));
      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
      expect(storage.stats.retries).toBe(0);
    } finally {
      await client.end();
    }
  });

  it('leaves VACUUM and ANALYZE to the server, whose autovacuum runs, unless told to maintain its tables', async () => {
    const contacts = (from: number) => Array.from({ length: 2100 }, (_, n) => ({ email: `v${from + n}@x.com` }));
    const left = postgresStorage({ pool: newPool({ max: 1 }), tenant: freshTenant('vacuum') });
    await (await createCrm({ storage: left })).records.createMany('contacts', contacts(0));
    expect(left.stats.maintenance).toBe(0);
    const own = postgresStorage({ pool: newPool({ max: 1 }), tenant: freshTenant('vacuum'), maintenance: true });
    await (await createCrm({ storage: own })).records.createMany('contacts', contacts(0));
    expect(own.stats.maintenance).toBe(1);
    // The table was analysed: it has statistics (reltuples counts every tenant's rows).
    const [row] = (await newPool({ max: 1 }).query(`SELECT reltuples::float8 AS rows FROM pg_class WHERE oid = 'crmkit_records'::regclass`)).rows;
    expect(row.rows).toBeGreaterThanOrEqual(2100);
  });

  it('two processes migrating an empty database at once: both start, the schema is made once', async () => {
    const admin = newPool();
    const database = `crmkit_migrate_${process.pid}_${Date.now()}`;
    await admin.query(`CREATE DATABASE ${database}`);
    try {
      const url = new globalThis.URL(URL!);
      url.pathname = `/${database}`;
      const starters = Array.from({ length: 4 }, () => newPool({ connectionString: url.toString(), max: 2 }));
      await Promise.all(starters.map(async (pool, at) => createCrm({ storage: postgresStorage({ pool, tenant: `t${at}` }) })));
      const { rows } = await starters[0]!.query('SELECT version FROM crmkit_schema');
      expect(rows).toEqual([{ version: SCHEMA_VERSION }]);
      await Promise.all(starters.map((pool) => pool.end()));
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    }
  });
});
