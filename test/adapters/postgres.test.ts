// The PostgreSQL adapter on PGlite (PostgreSQL in WASM, one connection): the conformance
// suite, always — npm test needs no server. One PGlite per file (its start-up takes seconds);
// each factory call gets a fresh tenant, which is an empty storage by the adapter's own
// isolation guarantee. The same adapter code runs against a real server in postgres-server.test.ts.
import { PGlite } from '@electric-sql/pglite';
import { afterAll } from 'vitest';
import { postgresStorage } from 'crmkit/postgres';
import { storageConformance } from 'crmkit/testing/conformance';

const db = new PGlite();
let tenants = 0;
afterAll(async () => db.close());

storageConformance('postgres on PGlite', () => postgresStorage({ client: db, tenant: `conformance-${++tenants}` }));
