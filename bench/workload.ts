// The workload, the same for crmkit and the floor: load, duplicates, gets, lookups by email,
// then the association phases on the loaded store (bench/associations.ts). Times each phase,
// measures the heap the loaded store holds, and checks every phase did what it should (a phase
// that did not is a failure, not a slow result).
import { ASSOCIATION_PHASES, runAssociations } from './associations.js';
import { batches, companyInput, contactEmail, contactInput, duplicateInput, permutation, type Sizes } from './data.js';
import type { PropertiesInput } from 'crmkit';
import type { Subject } from './subject.js';
import { collectGarbage, timed } from './timing.js';

export { collectGarbage };

export const RECORD_PHASES = ['createMany contacts', 'createMany companies', 'duplicate create', 'get', 'getBy email'] as const;
export const PHASES = [...RECORD_PHASES, ...ASSOCIATION_PHASES] as const;
export type Phase = (typeof PHASES)[number];

export interface RunResult {
  /** Milliseconds per phase. */
  ms: Record<Phase, number>;
  /** Operations per phase (records for createMany, pairs for associateMany, calls otherwise). */
  ops: Record<Phase, number>;
  /** Heap used after the load (after a full GC, inputs released) minus before the store existed. */
  heapBytes: number;
  /** What went wrong; empty when every phase did what it should. */
  failures: string[];
}

function heapUsed(): number {
  collectGarbage();
  return process.memoryUsage().heapUsed;
}

/** Runs the workload on a subject that `open` makes (after the heap baseline is taken). */
export async function runWorkload(open: () => Promise<Subject>, sizes: Sizes): Promise<RunResult> {
  const ms = {} as Record<Phase, number>;
  const failures: string[] = [];
  const expect = (phase: Phase, got: number, wanted: number, what: string): void => {
    if (got !== wanted) failures.push(`${phase}: ${got} of ${wanted} ${what}`);
  };

  const heapBefore = heapUsed();
  const subject = await open();

  // 1. Load. The inputs are made before the clock starts and released before the heap is read.
  let contactBatches: PropertiesInput[][] | undefined = batches(sizes.contacts, sizes.batchSize, contactInput);
  let companyBatches: PropertiesInput[][] | undefined = batches(sizes.companies, sizes.batchSize, companyInput);
  const contacts = await timed(() => subject.createMany('contacts', contactBatches!));
  ms['createMany contacts'] = contacts.ms;
  expect('createMany contacts', new Set(contacts.value).size, sizes.contacts, 'distinct ids answered');
  const companies = await timed(() => subject.createMany('companies', companyBatches!));
  ms['createMany companies'] = companies.ms;
  expect('createMany companies', new Set(companies.value).size, sizes.companies, 'distinct ids answered');
  contactBatches = companyBatches = undefined;
  const contactIds = contacts.value;
  const companyIds = companies.value;
  const heapBytes = heapUsed() - heapBefore;

  const spread = permutation(sizes.contacts);

  // 2. Duplicates of loaded contacts, the email in another letter case.
  const duplicates = Array.from({ length: sizes.duplicates }, (_, n) => duplicateInput(spread(n), n));
  const refused = await timed(() => subject.createDuplicates(duplicates));
  ms['duplicate create'] = refused.ms;
  expect('duplicate create', refused.value.refused, sizes.duplicates, 'calls refused as DUPLICATE_RECORD');
  for (const wrong of refused.value.wrong) failures.push(`duplicate create: ${wrong}`);

  // 3. Gets by id, out of insertion order.
  const ids = Array.from({ length: sizes.gets }, (_, n) => contactIds[spread(n)]!);
  const got = await timed(() => subject.getAll(ids));
  ms.get = got.ms;
  expect('get', got.value, sizes.gets, 'gets found their record');

  // 4. Lookups by email, out of insertion order.
  const positions = Array.from({ length: sizes.getBys }, (_, n) => spread(n + 1));
  const emails = positions.map(contactEmail);
  const expectedIds = positions.map((at) => contactIds[at]!);
  const found = await timed(() => subject.getAllByEmail(emails, expectedIds));
  ms['getBy email'] = found.ms;
  expect('getBy email', found.value, sizes.getBys, 'lookups found the expected record');

  // 5–10. Associations, on the loaded contacts and companies.
  const associations = await runAssociations(subject, sizes, contactIds, companyIds, failures);
  Object.assign(ms, associations.ms);

  await subject.close();
  const ops: Record<Phase, number> = {
    'createMany contacts': sizes.contacts,
    'createMany companies': sizes.companies,
    'duplicate create': sizes.duplicates,
    get: sizes.gets,
    'getBy email': sizes.getBys,
    ...associations.ops,
  };
  return { ms, ops, heapBytes, failures };
}
