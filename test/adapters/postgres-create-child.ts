// Child process of the concurrency test (postgres-concurrency.test.ts): one app server. It opens
// its own pool on CRMKIT_PG_URL (10 connections, pg's default), waits until the start time,
// then creates `count` contacts with distinct emails `<prefix>-<n>@load.test` on `tenant`,
// keeping `inFlight` calls running at once, and prints one JSON line: how many calls it made,
// every failure (code and message), and how many whole-transaction retries the storage made.
//
// argv: tenant prefix count inFlight startAt(epoch ms)
import { createCrm, isCrmError } from 'crmkit';
import { postgresStorage } from 'crmkit/postgres';

const [tenant, prefix, countArg, inFlightArg, startArg] = process.argv.slice(2);
const count = Number(countArg);
const inFlight = Number(inFlightArg);
const storage = postgresStorage({ connectionString: process.env.CRMKIT_PG_URL!, tenant: tenant!, poolOptions: { max: 10 } });
const crm = await createCrm({ storage });
await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(startArg) - Date.now())));

const failures: Array<{ code: string; message: string }> = [];
let next = 0;
const worker = async (): Promise<void> => {
  while (next < count) {
    const n = next++;
    try {
      await crm.records.create('contacts', { email: `${prefix}-${n}@load.test` });
    } catch (error) {
      failures.push({ code: isCrmError(error) ? error.code : 'THROWN', message: error instanceof Error ? error.message : String(error) });
    }
  }
};
const started = Date.now();
await Promise.all(Array.from({ length: inFlight }, worker));
process.stdout.write(`${JSON.stringify({ calls: count, failures, retries: storage.stats.retries, ms: Date.now() - started })}\n`);
await crm.close();
