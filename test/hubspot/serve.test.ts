// `crmkit serve` as a child process (src/cli/crmkit.ts through tsx): start-up line, fetch and
// the 13.5.0 SDK against it, reset and snapshot, rate limits, search lag, SQLite, exit codes and
// a prompt exit 0 on SIGTERM. Each test starts its own process on a free port.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@hubspot/api-client';
import { afterEach, describe, expect, it } from 'vitest';
import { runCrmkit, stop, urlOf, type CliProcess } from './cli.js';

const TOKEN = 'serve-token';
const running: CliProcess[] = [];

/** Starts `crmkit serve --port 0 …` and answers it with its URL. */
async function serve(...args: string[]): Promise<{ cli: CliProcess; url: string }> {
  const cli = runCrmkit(['serve', '--port', '0', ...args]);
  running.push(cli);
  return { cli, url: await urlOf(cli) };
}

afterEach(async () => {
  for (const cli of running.splice(0)) if (cli.child.exitCode === null) await stop(cli);
});

const auth = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };

type Snapshot = { records: Record<string, Array<{ id: string; properties: Record<string, unknown> }>> };

async function snapshot(url: string): Promise<Snapshot> {
  const response = await fetch(`${url}/__crmkit/snapshot`, { headers: auth });
  expect(response.status).toBe(200);
  return (await response.json()) as Snapshot;
}

describe('crmkit serve', () => {
  it('prints a start-up line, serves the seed to fetch and the SDK, resets to it, and exits 0 promptly on SIGTERM', async () => {
    const { cli, url } = await serve('--seed', '42', '--token', TOKEN);
    expect(cli.stdout()).toMatch(/^crmkit serve: HubSpot API at http:\/\/127\.0\.0\.1:\d+ \(storage: memory; seed 42 \(5 companies, 20 contacts, 8 deals, 4 tickets\); bearer token required\)\n/);

    // The token is required, as with the handler's accessToken.
    expect((await fetch(`${url}/crm/v3/objects/contacts`)).status).toBe(401);
    expect((await fetch(`${url}/__crmkit/snapshot`)).status).toBe(401);

    const seeded = await snapshot(url);
    expect(seeded.records.contacts).toHaveLength(20);
    expect(seeded.records.companies).toHaveLength(5);
    // Deterministic: numeric sequential ids, the stepping clock's times.
    expect(seeded.records.companies![0]!.id).toBe('1');

    const hubspot = new Client({ accessToken: TOKEN, basePath: url });
    const created = await hubspot.crm.contacts.basicApi.createWithHttpInfo({ properties: { email: 'new@example.com' }, associations: [] });
    expect(created.httpStatusCode).toBe(201);
    await hubspot.crm.contacts.basicApi.archive(seeded.records.contacts![0]!.id);
    const changed = await snapshot(url);
    expect(changed.records.contacts).toHaveLength(21);

    const reset = await fetch(`${url}/__crmkit/reset`, { method: 'POST', headers: auth });
    expect(reset.status).toBe(204);
    expect(await snapshot(url)).toEqual(seeded);
    // The reset crm continues the seed's ids: the same create gets the same id again.
    const again = await hubspot.crm.contacts.basicApi.create({ properties: { email: 'new@example.com' }, associations: [] });
    expect(again.id).toBe(created.data.id);

    const { code, ms } = await stop(cli);
    expect(code).toBe(0);
    expect(ms).toBeLessThan(3_000);
    expect(cli.stdout()).toContain('crmkit serve: SIGTERM, stopping\ncrmkit serve: stopped\n');
    expect(cli.stderr()).toBe('');
  });

  it('stops on SIGINT too, with keep-alive clients connected', async () => {
    const { cli, url } = await serve();
    const hubspot = new Client({ basePath: url });
    await hubspot.crm.contacts.basicApi.getPage(1);
    const started = Date.now();
    cli.child.kill('SIGINT');
    expect(await cli.exited).toBe(0);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('rate limits: the headers on every answer, 429 with HubSpot body past the budget, and the SDK sees the 429', async () => {
    const { url } = await serve('--rate-limit-max', '3');
    const first = await fetch(`${url}/crm/v3/objects/contacts`);
    expect(first.status).toBe(200);
    const limits: Record<string, string> = {};
    first.headers.forEach((value, name) => {
      if (name.startsWith('x-hubspot')) limits[name] = value;
    });
    expect(limits).toEqual({
      'x-hubspot-ratelimit-daily': '250000',
      'x-hubspot-ratelimit-daily-remaining': '249999',
      'x-hubspot-ratelimit-interval-milliseconds': '10000',
      'x-hubspot-ratelimit-max': '3',
      'x-hubspot-ratelimit-remaining': '2',
      'x-hubspot-ratelimit-secondly': '3',
      'x-hubspot-ratelimit-secondly-remaining': '2',
    });
    await fetch(`${url}/crm/v3/objects/contacts`);
    await fetch(`${url}/crm/v3/objects/contacts`);
    const refused = await fetch(`${url}/crm/v3/objects/contacts`);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('x-hubspot-ratelimit-remaining')).toBe('0');
    const body = (await refused.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status: 'error', errorType: 'RATE_LIMIT', policyName: 'TEN_SECONDLY_ROLLING', category: 'RATE_LIMITS', message: 'You have reached your ten_secondly_rolling limit.' });
    expect(body.correlationId).toMatch(/^[0-9a-f-]{36}$/);

    const hubspot = new Client({ basePath: url });
    const error = (await hubspot.crm.contacts.basicApi.getPage(1).catch((caught: unknown) => caught)) as { code?: number };
    expect(error.code).toBe(429);

    // The test endpoints are outside the budget, and a reset gives it back.
    expect((await fetch(`${url}/__crmkit/reset`, { method: 'POST' })).status).toBe(204);
    expect((await fetch(`${url}/crm/v3/objects/contacts`)).status).toBe(200);
  });

  it('search lag: a write is missing from search until the lag has passed', async () => {
    const { cli, url } = await serve('--search-lag', '400');
    expect(cli.stdout()).toContain('search lag 400 ms');
    const hubspot = new Client({ basePath: url });
    const contact = await hubspot.crm.contacts.basicApi.create({ properties: { email: 'lag@example.com' }, associations: [] });
    const request = { filterGroups: [{ filters: [{ propertyName: 'email', operator: 'EQ' as never, value: 'lag@example.com' }] }] };
    const soon = await hubspot.crm.contacts.searchApi.doSearch(request);
    expect(soon.total).toBe(0);
    expect(soon.results).toEqual([]);
    // Reads by id are not searches: they see the write at once, as HubSpot's do.
    expect((await hubspot.crm.contacts.basicApi.getById(contact.id)).id).toBe(contact.id);
    await new Promise((resolve) => setTimeout(resolve, 450));
    const later = await hubspot.crm.contacts.searchApi.doSearch(request);
    expect(later.total).toBe(1);
    expect(later.results.map((result) => result.id)).toEqual([contact.id]);
  });

  it('on SQLite: keeps records across runs, seeds only an empty database, and resets the file to its state at start', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crmkit-serve-'));
    try {
      const file = join(dir, 'crm.sqlite');
      const first = await serve('--db', file, '--seed', '7', '--seed-counts', 'companies=2,contacts=3');
      expect(first.cli.stdout()).toContain(`storage: SQLite ${file}; seed 7 (2 companies, 3 contacts)`);
      const seeded = (await snapshot(first.url)).records;
      const created = await fetch(`${first.url}/crm/v3/objects/contacts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ properties: { email: 'new@x.com' } }) });
      expect(created.status).toBe(201);
      const seededId = seeded.contacts![0]!.id;
      expect((await fetch(`${first.url}/crm/v3/objects/contacts/${seededId}`, { method: 'DELETE' })).status).toBe(204);
      expect((await snapshot(first.url)).records.contacts).toHaveLength(4);
      // Reset puts the file back as it was at start: the same records, ids and all; twice at once is fine.
      const resets = await Promise.all([1, 2].map(() => fetch(`${first.url}/__crmkit/reset`, { method: 'POST' })));
      expect(resets.map((reset) => reset.status)).toEqual([204, 204]);
      expect((await snapshot(first.url)).records).toEqual(seeded);
      expect((await fetch(`${first.url}/crm/v3/objects/contacts/${seededId}`)).status).toBe(200);
      expect((await stop(first.cli)).code).toBe(0);

      // The file holds what the last run left: its state after the reset.
      const second = await serve('--db', file, '--seed', '7', '--seed-counts', 'companies=2,contacts=3');
      expect(second.cli.stdout()).toContain('seed 7 skipped (the database already holds companies)');
      expect((await snapshot(second.url)).records).toEqual(seeded);
    } finally {
      for (const cli of running.splice(0)) if (cli.child.exitCode === null) await stop(cli);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('bad arguments: a message and exit code 2; --help: the usage and 0', async () => {
    // In parallel: each is a process start. parseServeArgs's own tests cover every refusal.
    const cases = [['serve', '--prot', '1'], ['serve', '--port', 'x'], ['serv'], [], ['serve', '--db', 'a', '--postgres', 'postgres://x']].map((args) => ({ args, cli: runCrmkit(args) }));
    const help = runCrmkit(['--help']);
    for (const { args, cli } of cases) {
      expect(await cli.exited, args.join(' ')).toBe(2);
      expect(cli.stderr()).toMatch(/^crmkit: .+\nRun crmkit --help for the options\.\n$/);
    }
    expect(await help.exited).toBe(0);
    expect(help.stdout()).toContain('Usage: crmkit serve [options]');
  });

  it('a port in use: a message and exit code 1', async () => {
    const { url } = await serve();
    const cli = runCrmkit(['serve', '--port', new URL(url).port]);
    expect(await cli.exited).toBe(1);
    expect(cli.stderr()).toMatch(/^crmkit serve: could not start: .*EADDRINUSE/);
  });
});
