// The association phases, run on the store the record phases loaded (bench/workload.ts), the
// same for crmkit and the floor:
//   5. associate contacts↔companies: each contact with 1–3 companies, associateMany in batches
//      of 1,000 pairs; the first company of each contact becomes its primary;
//   6. associate deals: deals (created before the clock starts, with two labels on deals →
//      contacts) each with a decision maker, a champion and a company (the deal's primary);
//   7. list contact→companies, every contact once, out of order;
//   8. list deal→contacts by label (the decision maker), every deal once, out of order;
//   9. setPrimary: contacts with two or more companies switched to their second;
//  10. archive companies: each archive hides the company's associations and gives every contact
//      whose primary it was its longest-associated live company.
// Who is associated with whom is a function of the indexes (bench/data.ts), so the plan and the
// expected outcome are known before the run; after each write phase, untimed list calls check
// the graph holds what it should.
import { batches, companiesOfContact, dealInput, dealParties, permutation, type Sizes } from './data.js';
import type { Done, ListTally, LoadedType, Pair, RecordRef, Subject } from './subject.js';
import { timed } from './timing.js';

export const ASSOCIATION_PHASES = [
  'associate contacts↔companies',
  'associate deals',
  'list contact→companies',
  'list deal→contacts by label',
  'setPrimary',
  'archive companies',
] as const;
export type AssociationPhase = (typeof ASSOCIATION_PHASES)[number];

/** The labels defined on deals → contacts (display labels; their names are derived). */
const DECISION_MAKER = 'Decision maker';
const CHAMPION = 'Champion';

/** What the association phases do, by record index (no ids), and what the graph should hold after. */
export interface AssociationPlan {
  /** Per contact, its companies in association order (the first is its primary). */
  companiesOf: number[][];
  contactPairs: number;
  /** Per deal, its decision maker, champion and company. */
  parties: Array<{ decisionMaker: number; champion: number | undefined; company: number }>;
  dealPairs: number;
  /** Contacts listed, in order. */
  contactLists: number[];
  /** Deals listed, in order. */
  dealLists: number[];
  /** Contacts switched to their second company. */
  owners: number[];
  /** Companies archived, in order. */
  archived: number[];
  /** Per contact, its primary company after the archives (undefined: none left). */
  finalPrimary: Array<number | undefined>;
  /** Contacts whose primary company was archived and that got another. */
  reassigned: number;
}

export function associationPlan(sizes: Sizes): AssociationPlan {
  const companiesOf = Array.from({ length: sizes.contacts }, (_, index) => companiesOfContact(index, sizes.companies));
  const parties = Array.from({ length: sizes.deals }, (_, index) => dealParties(index, sizes.contacts, sizes.companies));
  const spread = permutation(sizes.contacts);
  const dealSpread = permutation(sizes.deals);
  const owners: number[] = [];
  for (let n = 0; n < sizes.contacts && owners.length < sizes.setPrimaries; n++) if (companiesOf[spread(n)]!.length >= 2) owners.push(spread(n));
  const companySpread = permutation(sizes.companies);
  const archived = Array.from({ length: Math.min(sizes.archives, sizes.companies) }, (_, n) => companySpread(n));

  // The primary after setPrimary, then after the archives: a contact whose primary went gets its
  // first live company in association order (each reassignment picks the first live one, and
  // later archives only remove companies, so the first live one at the end is where it lands).
  const primary = companiesOf.map((list) => list[0]);
  for (const owner of owners) primary[owner] = companiesOf[owner]![1];
  const gone = new Set(archived);
  let reassigned = 0;
  const finalPrimary = primary.map((company, index) => {
    if (company === undefined || !gone.has(company)) return company;
    const next = companiesOf[index]!.find((candidate) => !gone.has(candidate));
    if (next !== undefined) reassigned++;
    return next;
  });
  return {
    companiesOf,
    contactPairs: companiesOf.reduce((sum, list) => sum + list.length, 0),
    parties,
    dealPairs: parties.reduce((sum, party) => sum + (party.champion === undefined ? 2 : 3), 0),
    contactLists: Array.from({ length: sizes.contactLists }, (_, n) => spread(n)),
    dealLists: Array.from({ length: sizes.dealLists }, (_, n) => dealSpread(n)),
    owners,
    archived,
    finalPrimary,
    reassigned,
  };
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}

/** Runs the association phases on a subject holding `contactIds` and `companyIds` (in index order). */
export async function runAssociations(
  subject: Subject,
  sizes: Sizes,
  contactIds: readonly string[],
  companyIds: readonly string[],
  failures: string[],
): Promise<{ ms: Record<AssociationPhase, number>; ops: Record<AssociationPhase, number> }> {
  const ms = {} as Record<AssociationPhase, number>;
  const ops = {} as Record<AssociationPhase, number>;
  const expect = (phase: AssociationPhase, got: number, wanted: number, what: string): void => {
    if (got !== wanted) failures.push(`${phase}: ${got} of ${wanted} ${what}`);
  };
  const expectDone = (phase: AssociationPhase, done: Done, wanted: number, what: string): void => {
    expect(phase, done.done, wanted, what);
    for (const wrong of done.wrong) failures.push(`${phase}: ${wrong}`);
  };
  /** Each field of the tally that is given must have the number: [wanted, what it counts]. */
  const expectTally = (phase: AssociationPhase, tally: ListTally, wanted: Partial<Record<keyof ListTally, [number, string]>>): void => {
    for (const [key, [number, what]] of Object.entries(wanted) as Array<[keyof ListTally, [number, string]]>) expect(phase, tally[key], number, what);
  };

  const plan = associationPlan(sizes);
  const refs = (objectType: LoadedType, ids: readonly string[]): RecordRef[] => ids.map((id) => ({ objectType, id }));
  const contacts = refs('contacts', contactIds);
  const companies = refs('companies', companyIds);
  const companyId = (index: number | undefined): string | undefined => (index === undefined ? undefined : companyIds[index]);

  // 5. Contacts with companies. Checked from the companies' side (untimed): every association
  // once, and one primary per contact.
  let phase: AssociationPhase = 'associate contacts↔companies';
  const contactPairs: Pair[] = [];
  plan.companiesOf.forEach((list, index) => {
    for (const company of list) contactPairs.push({ from: contacts[index]!, to: companies[company]! });
  });
  const linked = await timed(() => subject.associateMany(chunks(contactPairs, sizes.pairBatchSize)));
  ms[phase] = linked.ms;
  ops[phase] = plan.contactPairs;
  expectDone(phase, linked.value, plan.contactPairs, 'pairs associated');
  expect(phase, (await subject.listAll(companies, 'contacts', undefined)).items, plan.contactPairs, 'associations listed from the companies');
  expect(phase, (await subject.listAll(companies, 'contacts', 'primary')).items, contacts.length, 'primaries listed from the companies (one per contact)');

  // 6. Deals: labels and deals made before the clock starts.
  phase = 'associate deals';
  const decisionMaker = await subject.createLabel('deals', 'contacts', DECISION_MAKER);
  const champion = await subject.createLabel('deals', 'contacts', CHAMPION);
  const dealIds = await subject.createMany('deals', batches(sizes.deals, sizes.batchSize, dealInput));
  expect(phase, new Set(dealIds).size, sizes.deals, 'deals created (before the clock)');
  const deals = refs('deals', dealIds);
  const dealPairs: Pair[] = [];
  plan.parties.forEach((party, index) => {
    dealPairs.push({ from: deals[index]!, to: contacts[party.decisionMaker]!, labels: [decisionMaker] });
    if (party.champion !== undefined) dealPairs.push({ from: deals[index]!, to: contacts[party.champion]!, labels: [champion] });
    dealPairs.push({ from: deals[index]!, to: companies[party.company]! });
  });
  const dealt = await timed(() => subject.associateMany(chunks(dealPairs, sizes.pairBatchSize)));
  ms[phase] = dealt.ms;
  ops[phase] = plan.dealPairs;
  expectDone(phase, dealt.value, plan.dealPairs, 'pairs associated');
  expect(phase, (await subject.listAll(deals, 'contacts', undefined)).items, plan.dealPairs - deals.length, 'deal–contact associations listed');
  expect(phase, (await subject.listAll(deals, 'contacts', champion)).items, plan.parties.filter((party) => party.champion !== undefined).length, 'champions listed');
  const dealCompanies = await subject.listAll(deals, 'companies', 'primary', plan.parties.map((party) => companyIds[party.company]));
  expectTally(phase, dealCompanies, {
    items: [deals.length, 'deals with a primary company'],
    firstAsExpected: [deals.length, "deals whose primary is the deal's company"],
  });

  // 7. Each contact's companies: the first associated is first and primary, and the only primary.
  phase = 'list contact→companies';
  const listedContacts = plan.contactLists.map((index) => contacts[index]!);
  const firstCompanies = plan.contactLists.map((index) => companyId(plan.companiesOf[index]![0]));
  const contactTally = await timed(() => subject.listAll(listedContacts, 'companies', undefined, firstCompanies));
  ms[phase] = contactTally.ms;
  ops[phase] = listedContacts.length;
  const calls = listedContacts.length;
  expectTally(phase, contactTally.value, {
    items: [plan.contactLists.reduce((sum, index) => sum + plan.companiesOf[index]!.length, 0), 'associations listed'],
    firstAsExpected: [calls, 'lists starting with the first company associated'],
    firstPrimary: [calls, 'lists starting with the primary company'],
    primaries: [calls, 'companies marked primary (one per list)'],
  });

  // 8. Each deal's decision maker, by label.
  phase = 'list deal→contacts by label';
  const listedDeals = plan.dealLists.map((index) => deals[index]!);
  const decisionMakers = plan.dealLists.map((index) => contactIds[plan.parties[index]!.decisionMaker]);
  const dealTally = await timed(() => subject.listAll(listedDeals, 'contacts', decisionMaker, decisionMakers));
  ms[phase] = dealTally.ms;
  ops[phase] = listedDeals.length;
  expectTally(phase, dealTally.value, {
    items: [listedDeals.length, 'decision makers listed (one per deal)'],
    firstAsExpected: [listedDeals.length, 'lists naming the expected decision maker'],
    primaries: [0, 'contacts marked primary'],
  });

  // 9. Contacts with two or more companies switch to their second.
  phase = 'setPrimary';
  const owners = plan.owners.map((index) => contacts[index]!);
  const seconds = plan.owners.map((index) => companies[plan.companiesOf[index]![1]!]!);
  const switched = await timed(() => subject.setPrimaries(owners, seconds));
  ms[phase] = switched.ms;
  ops[phase] = owners.length;
  expectDone(phase, switched.value, owners.length, 'setPrimary calls resolved');
  expectTally(phase, await subject.listAll(owners, 'companies', 'primary', seconds.map((company) => company.id)), {
    items: [owners.length, 'contacts with one primary company'],
    firstAsExpected: [owners.length, 'contacts whose primary is now their second company'],
  });

  // 10. Archive companies. Then every contact's primary is the expected live company (none when
  // all its companies went), archived companies list nothing, and deals whose company went have none.
  phase = 'archive companies';
  const archivedIds = plan.archived.map((index) => companyIds[index]!);
  const archived = await timed(() => subject.archiveAll('companies', archivedIds));
  ms[phase] = archived.ms;
  ops[phase] = archivedIds.length;
  expectDone(phase, archived.value, archivedIds.length, 'archive calls resolved');
  const withPrimary = plan.finalPrimary.filter((company) => company !== undefined).length;
  expectTally(phase, await subject.listAll(contacts, 'companies', 'primary', plan.finalPrimary.map(companyId)), {
    items: [withPrimary, 'contacts with a live primary company'],
    firstAsExpected: [contacts.length, 'contacts with the expected primary (the longest-associated live company; none when all went)'],
  });
  expect(phase, (await subject.listAll(refs('companies', archivedIds), 'contacts', undefined)).items, 0, 'associations listed by archived companies');
  const gone = new Set(plan.archived);
  expect(phase, (await subject.listAll(deals, 'companies', 'primary')).items, plan.parties.filter((party) => !gone.has(party.company)).length, 'deals with a live primary company');

  return { ms, ops };
}
