// Child process of the SQLite durability tests (sqlite-durability.test.ts): writes numbered
// batches of contacts to the file argv[2], batch numbers from argv[4], each batch one
// crm.transaction of two createMany calls of argv[3]/2 contacts, and prints "committed <n>"
// after each commit.
// - Crash mode (argv[5] a batch number): half-way through that batch it prints "inside <n>"
//   and waits there, inside the open transaction, for the parent's SIGKILL.
// - Race mode (argv[5] = 'race', argv[6] = how many batches, argv[7] = when to start, epoch ms):
//   another process writes the same batches at the same time (both pause mid-transaction, so
//   they overlap); a batch the other committed first is refused (DUPLICATE_RECORD, printed
//   "refused <n>"), and the child exits after the last batch.
import { createCrm, isCrmError } from 'crmkit';
import { sqliteStorage } from 'crmkit/sqlite';

const file = process.argv[2]!;
const size = Number(process.argv[3] ?? 100);
const first = Number(process.argv[4] ?? 0);
const race = process.argv[5] === 'race';
const last = race ? first + Number(process.argv[6]) - 1 : Number(process.argv[5] ?? Infinity);
const crm = await createCrm({ storage: sqliteStorage(file, { busyTimeoutMs: 10_000 }) });
const inputs = (batch: number, from: number, to: number) =>
  Array.from({ length: to - from }, (_, at) => ({ email: `b${batch}-${from + at}@crash.test`, firstname: `batch-${batch}` }));
if (race) await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(process.argv[7]) - Date.now())));
for (let batch = first; batch <= last; batch++) {
  try {
    await crm.transaction(async (tx) => {
      await tx.records.createMany('contacts', inputs(batch, 0, size / 2));
      if (race) await new Promise((resolve) => setTimeout(resolve, 3));
      else if (batch === last) {
        process.stdout.write(`inside ${batch}\n`);
        await new Promise((resolve) => setTimeout(resolve, 10_000));
      }
      await tx.records.createMany('contacts', inputs(batch, size / 2, size));
    });
    process.stdout.write(`committed ${batch}\n`);
  } catch (error) {
    if (!race || !isCrmError(error, 'DUPLICATE_RECORD')) throw error;
    process.stdout.write(`refused ${batch}\n`);
  }
}
await crm.close();
