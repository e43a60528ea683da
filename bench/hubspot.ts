// The façade benchmark (issue 14): requests per second through HubSpot's SDK
// (`@hubspot/api-client` 13.5.0) over loopback to `createHubSpotServer(crm)` on the chosen
// storage, beside the floor: the same SDK calls to a bare node:http server answering canned
// bytes (bench/hubspot-floor.ts). Target: crmkit's time ≤ 1.5× the floor's.
//   1. creates: 2,000 (× --scale) `basicApi.create` of a contact with six properties and a
//      distinct email, each answered 201 with the email written back; a fresh crm per round;
//   2. search: 1,000 (× --scale) `searchApi.doSearch`, `lifecyclestage EQ lead` (1,650 of the
//      10,000 contacts loaded by createMany before the clock), lastname ascending, limit 100,
//      four properties; every answer must hold 100 leads in lastname order and the right total.
// Requests go one at a time (one in flight, each awaited, as a sync loop makes them). The floor
// answers the façade's own bytes, captured once before the clock (a create on another crm, the
// same search on the loaded one), so the SDK parses what it parses from crmkit; it reads every
// request body to its end. The same client code drives both, through Node's global agent (keep-
// alive on both sides), so the ratio is the façade's and the crm's cost. A third column, "crm
// direct", makes the same calls on the crm in process (no HTTP), to tell the storage's part from
// the façade's: on SQL storages most of the time is the storage's, which the floor has none of.
// Fairness: one phase at a time (every creates round, then every search round), each phase
// starting with a full GC (no phase pays for the garbage of the load or the phase before) and
// then an unmeasured warm-up as long as four rounds on every side; then rounds (--rounds), each
// crmkit, then the floor, then crm direct, each after 20 unmeasured calls; each side's best round
// is reported. No full GC between rounds, unlike the other phases' rounds: a forced GC throws
// away the JIT's optimized code, and after one both sides ran two to three times slower for the
// next 2,000 requests or more (with --no-opt the curve is flat, so that is what it is), which
// made every round a measure of recompiling, the side with more JavaScript the more so. A server
// does not see a forced GC every 2,000 requests. Phases are not interleaved for the same reason:
// the search's code paths change what V8 learned from the creates' (docs/performance.md).
import { Client } from '@hubspot/api-client';
import { FilterOperatorEnum } from '@hubspot/api-client/lib/codegen/crm/contacts/index.js';
import type { Crm, SearchRequest } from 'crmkit';
import { createHubSpotServer, type HubSpotServer } from 'crmkit/hubspot';
import { batches, contactInput } from './data.js';
import { CREATE_PATH, SEARCH_PATH, startFloorServer, type CannedAnswer } from './hubspot-floor.js';
import type { StorageChoice } from './storages.js';
import { collectGarbage } from './timing.js';

/** The target: crmkit's time at most this many times the floor's. */
export const HUBSPOT_TARGET = 1.5;

const TOKEN = 'bench-token';
const STAGE = 'lead';
const SORT = 'lastname';
const LIMIT = 100;
const SEARCH_PROPERTIES = ['email', 'firstname', 'lastname', 'lifecyclestage'];
/** Unmeasured calls at the start of each round, before the clock (a round's fresh crm, its first records). */
const SETTLE = 20;
/**
 * Each phase's warm-up, in rounds' worth of calls per side: V8 takes thousands of requests to
 * settle. After two rounds' worth, both sides still sped up over the next three rounds (crmkit's
 * creates 4.2k → 5.0k/s, the floor's 6.4k → 7.0k/s), so the default three rounds read little of
 * the plateau; after four, the second and third rounds are on it (docs/performance.md).
 */
const WARM_ROUNDS = 4;

export const HUBSPOT_PHASES = ['creates', 'search'] as const;
export type HubSpotPhase = (typeof HUBSPOT_PHASES)[number];
export const HUBSPOT_SIDES = ['crmkit', 'floor', 'crm direct'] as const;
export type HubSpotSide = (typeof HUBSPOT_SIDES)[number];

export interface HubSpotSizes {
  creates: number;
  searches: number;
  /** Contacts loaded before the search phase, and how many of them the search matches. */
  contacts: number;
  matching: number;
}

export interface HubSpotResult {
  /** The --storage name. */
  storage: string;
  sizes: HubSpotSizes;
  rounds: number;
  /** Milliseconds per round, per side and phase. */
  ms: Record<HubSpotSide, Record<HubSpotPhase, number[]>>;
  failures: string[];
}

/** The sizes at `scale`: at least a full page of matches however small the scale. */
export function hubspotSizes(scale: number): HubSpotSizes {
  const contacts = Math.max(1_000, Math.round(10_000 * scale));
  let matching = 0;
  for (let at = 0; at < contacts; at++) if (contactInput(at).lifecyclestage === STAGE) matching++;
  return { creates: Math.max(50, Math.round(2_000 * scale)), searches: Math.max(20, Math.round(1_000 * scale)), contacts, matching };
}

/** Create `index`'s properties as the SDK sends them (strings); emails distinct per index and per `batch`. */
function createProperties(batch: string, index: number): Record<string, string> {
  const properties: Record<string, string> = {};
  for (const [name, value] of Object.entries(contactInput(index))) properties[name] = String(value);
  properties.email = `${batch}.${index}@hubspot-bench.test`;
  return properties;
}

const SDK_SEARCH = {
  filterGroups: [{ filters: [{ propertyName: 'lifecyclestage', operator: FilterOperatorEnum.Eq, value: STAGE }] }],
  sorts: [SORT],
  properties: SEARCH_PROPERTIES,
  limit: LIMIT,
  after: '0',
};
const CRM_SEARCH: SearchRequest = {
  filterGroups: [{ filters: [{ propertyName: 'lifecyclestage', operator: 'EQ', value: STAGE }] }],
  sorts: [{ propertyName: SORT, direction: 'ASCENDING' }],
  limit: LIMIT,
};

/** What is wrong with a search answer, or undefined: 100 leads in lastname order, and the total. */
function searchMismatch(total: number, results: ReadonlyArray<{ properties: { [name: string]: unknown } }>, expectedTotal: number): string | undefined {
  if (total !== expectedTotal) return `total ${total}, expected ${expectedTotal}`;
  if (results.length !== LIMIT) return `${results.length} results, expected ${LIMIT}`;
  let previous = '';
  for (const { properties } of results) {
    if (properties.lifecyclestage !== STAGE) return `a result with lifecyclestage ${String(properties.lifecyclestage)}`;
    const lastname = String(properties.lastname);
    if (lastname < previous) return `results out of lastname order (${lastname} after ${previous})`;
    previous = lastname;
  }
  return undefined;
}

/** A failed call as a short message (the SDK throws ApiException with code and body). */
function describe(error: unknown): string {
  const { code, body } = error as { code?: unknown; body?: unknown };
  if (typeof code === 'number') return `HTTP ${code}: ${typeof body === 'string' ? body.slice(0, 200) : JSON.stringify(body)?.slice(0, 200)}`;
  return error instanceof Error ? error.message : String(error);
}

/**
 * Calls `call(count + n)` SETTLE times (unmeasured), then `call(n)` for n below `count`, one
 * awaited at a time; the time of those, and the first thing that went wrong.
 */
async function timeCalls(count: number, call: (n: number) => Promise<string | undefined>): Promise<{ ms: number; wrong: string | undefined }> {
  const guarded = async (n: number): Promise<string | undefined> => {
    try {
      return await call(n);
    } catch (error) {
      return describe(error);
    }
  };
  let wrong: string | undefined;
  for (let n = 0; n < SETTLE; n++) wrong ??= await guarded(count + n);
  const start = performance.now();
  for (let n = 0; n < count; n++) wrong ??= await guarded(n);
  return { ms: performance.now() - start, wrong };
}

/** The SDK pointed at a server, as an application configures it (no limiter, no retries). */
const clientFor = (url: string): Client => new Client({ accessToken: TOKEN, basePath: url });

/** `count` creates through the SDK; each answer must be 201 with `emailOf(n)` written back. Answers the ids. */
async function sdkCreates(client: Client, count: number, batch: string, emailOf: (n: number) => string): Promise<{ ms: number; wrong: string | undefined; ids: string[] }> {
  const inputs = Array.from({ length: count + SETTLE }, (_, n) => ({ properties: createProperties(batch, n), associations: [] }));
  const ids: string[] = [];
  const timed = await timeCalls(count, async (n) => {
    const { httpStatusCode, data } = await client.crm.contacts.basicApi.createWithHttpInfo(inputs[n]!);
    ids.push(data.id);
    if (httpStatusCode !== 201) return `create answered ${httpStatusCode}, expected 201`;
    return data.properties.email === emailOf(n) ? undefined : `create answered email ${data.properties.email}, expected ${emailOf(n)}`;
  });
  return { ...timed, ids };
}

/** `count` searches through the SDK, each answer checked. */
async function sdkSearches(client: Client, count: number, matching: number): Promise<{ ms: number; wrong: string | undefined }> {
  return timeCalls(count, async () => {
    const { httpStatusCode, data } = await client.crm.contacts.searchApi.doSearchWithHttpInfo(SDK_SEARCH);
    if (httpStatusCode !== 200) return `search answered ${httpStatusCode}, expected 200`;
    return searchMismatch(data.total, data.results, matching);
  });
}

/** `count` creates on the crm in process; each must answer its email. */
async function directCreates(crm: Crm, count: number, batch: string): Promise<{ ms: number; wrong: string | undefined }> {
  const inputs = Array.from({ length: count + SETTLE }, (_, n) => createProperties(batch, n));
  return timeCalls(count, async (n) => {
    const record = await crm.records.create('contacts', inputs[n]!);
    return record.properties.email === inputs[n]!.email ? undefined : `create answered email ${String(record.properties.email)}`;
  });
}

/** `count` searches on the crm in process, each answer checked. */
async function directSearches(crm: Crm, count: number, matching: number): Promise<{ ms: number; wrong: string | undefined }> {
  return timeCalls(count, async () => {
    const page = await crm.records.search('contacts', CRM_SEARCH);
    return searchMismatch(page.total, page.results, matching);
  });
}

/** One answer of the façade, its bytes as sent: what the floor will answer. */
async function capture(server: HubSpotServer, path: string, body: unknown): Promise<CannedAnswer> {
  const response = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, contentType: response.headers.get('content-type') ?? 'application/json', body: Buffer.from(await response.arrayBuffer()) };
}

/** A crm on `storage` served by the façade, with the SDK pointed at it. */
async function served(storage: StorageChoice): Promise<{ crm: Crm; server: HubSpotServer; client: Client; close(): Promise<void> }> {
  const crm = await storage.open();
  const server = await createHubSpotServer(crm, { accessToken: TOKEN });
  return {
    crm,
    server,
    client: clientFor(server.url),
    async close() {
      await server.close();
      await crm.close();
    },
  };
}

/**
 * The façade benchmark on `storage` at `scale`, `rounds` rounds after a warm-up.
 *
 * @example
 * printHubSpot(await hubspotBench(STORAGES.memory!, 'memory', 1, 3));
 */
export async function hubspotBench(storage: StorageChoice, storageName: string, scale: number, rounds: number): Promise<HubSpotResult> {
  const sizes = hubspotSizes(scale);
  const failures: string[] = [];
  const ms: HubSpotResult['ms'] = { crmkit: { creates: [], search: [] }, floor: { creates: [], search: [] }, 'crm direct': { creates: [], search: [] } };
  const note = (label: string, wrong: string | undefined): void => {
    if (wrong !== undefined) failures.push(`${label}: ${wrong}`);
  };

  // The search's crm, loaded once (the search writes nothing), served for every round.
  const searched = await served(storage);
  const warm = await served(storage);
  let floor: Awaited<ReturnType<typeof startFloorServer>> | undefined;
  try {
    for (const batch of batches(sizes.contacts, 1_000, contactInput)) await searched.crm.records.createMany('contacts', batch);

    // The floor's bytes: a create of the same shape (on the warm-up crm), and the same search.
    const cannedCreate = await capture(warm.server, CREATE_PATH, { properties: createProperties('capture', 0), associations: [] });
    const cannedSearch = await capture(searched.server, SEARCH_PATH, SDK_SEARCH);
    note('capture', cannedCreate.status === 201 ? undefined : `the façade answered the create ${cannedCreate.status}`);
    note('capture', cannedSearch.status === 200 ? undefined : `the façade answered the search ${cannedSearch.status}`);
    const cannedEmail = (JSON.parse(cannedCreate.body.toString('utf8')) as { properties?: { email?: string } }).properties?.email ?? '';
    floor = await startFloorServer({ create: cannedCreate, search: cannedSearch });
    const floorClient = clientFor(floor.url);

    // Creates, every round of them: a fresh crm per round for crmkit and for crm direct.
    collectGarbage();
    note('warm-up crmkit creates', (await sdkCreates(warm.client, sizes.creates * WARM_ROUNDS, 'warm', (n) => `warm.${n}@hubspot-bench.test`)).wrong);
    note('warm-up floor creates', (await sdkCreates(floorClient, sizes.creates * WARM_ROUNDS, 'warm', () => cannedEmail)).wrong);
    note('warm-up crm direct creates', (await directCreates(warm.crm, sizes.creates * WARM_ROUNDS, 'direct-warm')).wrong);
    for (let round = 1; round <= rounds; round++) {
      const fresh = await served(storage);
      try {
        const made = await sdkCreates(fresh.client, sizes.creates, `r${round}`, (n) => `r${round}.${n}@hubspot-bench.test`);
        ms.crmkit.creates.push(made.ms);
        note(`round ${round} crmkit creates`, made.wrong);
        const stored = await fresh.crm.records.count('contacts');
        if (new Set(made.ids).size !== sizes.creates + SETTLE || stored !== sizes.creates + SETTLE) {
          failures.push(`round ${round} crmkit creates: ${new Set(made.ids).size} distinct ids answered and ${stored} contacts stored, expected ${sizes.creates + SETTLE}`);
        }
      } finally {
        await fresh.close();
      }
      const floorMade = await sdkCreates(floorClient, sizes.creates, `r${round}`, () => cannedEmail);
      ms.floor.creates.push(floorMade.ms);
      note(`round ${round} floor creates`, floorMade.wrong);
      const direct = await storage.open();
      try {
        const made = await directCreates(direct, sizes.creates, `r${round}`);
        ms['crm direct'].creates.push(made.ms);
        note(`round ${round} crm direct creates`, made.wrong);
      } finally {
        await direct.close();
      }
    }

    // Search, every round of it, on the loaded crm.
    collectGarbage();
    note('warm-up crmkit search', (await sdkSearches(searched.client, sizes.searches * WARM_ROUNDS, sizes.matching)).wrong);
    note('warm-up floor search', (await sdkSearches(floorClient, sizes.searches * WARM_ROUNDS, sizes.matching)).wrong);
    note('warm-up crm direct search', (await directSearches(searched.crm, sizes.searches * WARM_ROUNDS, sizes.matching)).wrong);
    for (let round = 1; round <= rounds; round++) {
      const found = await sdkSearches(searched.client, sizes.searches, sizes.matching);
      ms.crmkit.search.push(found.ms);
      note(`round ${round} crmkit search`, found.wrong);
      const floorFound = await sdkSearches(floorClient, sizes.searches, sizes.matching);
      ms.floor.search.push(floorFound.ms);
      note(`round ${round} floor search`, floorFound.wrong);
      const directFound = await directSearches(searched.crm, sizes.searches, sizes.matching);
      ms['crm direct'].search.push(directFound.ms);
      note(`round ${round} crm direct search`, directFound.wrong);
    }
    // Every floor request was read to its end: none without a body.
    if (floor.served.bodyBytes < floor.served.requests) failures.push(`floor: ${floor.served.requests} requests but ${floor.served.bodyBytes} body bytes read`);
  } finally {
    await floor?.close();
    await warm.close();
    await searched.close();
  }
  return { storage: storageName, sizes, rounds, ms, failures };
}

const count = (n: number): string => n.toLocaleString('en-US');
const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const thousands = (n: number): string => `${(n / 1000).toFixed(n < 10_000 ? 1 : 0)}k`;
const micros = (ms: number): string => `${Math.round(ms * 1000)} µs`;

/** Prints the table: each side's best round as requests/s, the time ratio crmkit ÷ floor, PASS/MISS. */
export function printHubSpot(result: HubSpotResult): boolean {
  const { sizes, ms } = result;
  const calls: Record<HubSpotPhase, number> = { creates: sizes.creates, search: sizes.searches };
  const best = (side: HubSpotSide, phase: HubSpotPhase): number => Math.min(...ms[side][phase]);
  const rate = (phase: HubSpotPhase, time: number): number => calls[phase] / (time / 1000);
  console.log('');
  console.log(`HubSpot façade (issue 14): @hubspot/api-client 13.5.0 over loopback to createHubSpotServer(crm), one request in flight; best of ${result.rounds} round(s)`);
  console.log(`  creates  ${count(sizes.creates)} basicApi.create, a contact with 6 properties and a distinct email, answered 201; a fresh crm per round`);
  console.log(
    `  search   ${count(sizes.searches)} searchApi.doSearch: lifecyclestage EQ ${STAGE} (${count(sizes.matching)} of ${count(sizes.contacts)} contacts, ` +
      `loaded by createMany before the clock), ${SORT} ascending, limit ${LIMIT}, ${SEARCH_PROPERTIES.length} properties; every answer checked`,
  );
  let allPass = true;
  const rows: string[][] = [['phase', 'calls', 'crmkit', 'floor', 'ratio', 'target', '', 'crm direct', 'per round: crmkit / floor']];
  for (const phase of HUBSPOT_PHASES) {
    const ratio = best('crmkit', phase) / best('floor', phase);
    const pass = ratio <= HUBSPOT_TARGET;
    allPass &&= pass;
    rows.push([
      phase,
      count(calls[phase]),
      `${int(rate(phase, best('crmkit', phase)))} req/s`,
      `${int(rate(phase, best('floor', phase)))} req/s`,
      `${ratio.toFixed(2)}×`,
      `≤ ${HUBSPOT_TARGET}×`,
      pass ? 'PASS' : 'MISS',
      `${int(rate(phase, best('crm direct', phase)))} calls/s`,
      ms.crmkit[phase].map((time) => thousands(rate(phase, time))).join(' ') + ' / ' + ms.floor[phase].map((time) => thousands(rate(phase, time))).join(' '),
    ]);
  }
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const numeric = [false, true, true, true, true, false, false, true, false];
  for (const row of rows) console.log(`  ${row.map((cell, column) => (numeric[column] ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!))).join('  ').trimEnd()}`);
  console.log('  ratio = crmkit time / floor time, best round of each; floor = bench/hubspot-floor.ts: a bare node:http server answering the');
  console.log("          façade's own bytes (captured before the clock), reading every request body to its end; the same SDK client code drives both;");
  console.log('  crm direct = the same calls on the crm in process, no HTTP. Per request (best rounds), crmkit = floor + crm call + the façade:');
  for (const phase of HUBSPOT_PHASES) {
    const per = (side: HubSpotSide): number => best(side, phase) / calls[phase];
    const facade = per('crmkit') - per('floor') - per('crm direct');
    console.log(`    ${phase.padEnd(7)}  ${micros(per('crmkit'))} = ${micros(per('floor'))} + ${micros(per('crm direct'))} + ${micros(facade)}`);
  }
  if (result.storage !== 'memory') {
    console.log(`  on ${result.storage} most of crmkit's time is the storage's own (crm direct), which the floor has none of: the ratio is the`);
    console.log("  storage's as much as the façade's; the façade's own part is the last term above");
  }
  return allPass;
}
