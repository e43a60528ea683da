// The handler's opt-in test features without a process: the rate limiter's bookkeeping, the
// search lag over the handler, reset and snapshot with `testing`, and parseServeArgs.
import { describe, expect, it } from 'vitest';
import { createCrm, type Crm } from 'crmkit';
import { hubspotHandler, parseServeArgs, UsageError } from 'crmkit/hubspot';
import { sequentialIds, steppingClock } from 'crmkit/testing';
import { createRateLimiter } from '../../src/hubspot/rate-limit.js';

const json = { 'content-type': 'application/json' };
const request = (path: string, init: RequestInit = {}) => new Request(`http://localhost${path}`, init);

describe('the rate limiter', () => {
  it('counts a rolling interval: the budget comes back as old requests leave the window', () => {
    const limiter = createRateLimiter({ max: 2, intervalMs: 1_000 }, () => 'id');
    expect(limiter.take(false, 0).refusal).toBeUndefined();
    expect(limiter.take(false, 500).headers['X-HubSpot-RateLimit-Remaining']).toBe('0');
    expect(limiter.take(false, 999).refusal).toMatchObject({ policyName: 'TEN_SECONDLY_ROLLING', errorType: 'RATE_LIMIT', correlationId: 'id' });
    // The request at 0 has left the window at 1000; refused ones used no budget.
    const after = limiter.take(false, 1_000);
    expect(after.refusal).toBeUndefined();
    expect(after.headers['X-HubSpot-RateLimit-Remaining']).toBe('0');
    expect(limiter.take(false, 1_499).refusal).toBeDefined();
    expect(limiter.take(false, 1_500).refusal).toBeUndefined();
  });

  it('search: its own per-second budget, and only the daily headers', () => {
    const limiter = createRateLimiter({ searchPerSecond: 1 });
    const first = limiter.take(true, 0);
    expect(Object.keys(first.headers)).toEqual(['X-HubSpot-RateLimit-Daily', 'X-HubSpot-RateLimit-Daily-Remaining']);
    expect(limiter.take(true, 10).refusal).toMatchObject({ policyName: 'SECONDLY', message: 'You have reached your secondly limit.' });
    expect(limiter.take(false, 20).refusal).toBeUndefined();
    expect(limiter.take(true, 1_000).refusal).toBeUndefined();
  });

  it('a secondly budget beside the interval\'s: 10 a second with HubSpot\'s defaults, and its headers', () => {
    const limiter = createRateLimiter({}, () => 'id');
    for (let at = 0; at < 10; at++) expect(limiter.take(false, at).refusal).toBeUndefined();
    const eleventh = limiter.take(false, 10);
    expect(eleventh.refusal).toMatchObject({ policyName: 'SECONDLY', message: 'You have reached your secondly limit.' });
    expect(eleventh.headers).toMatchObject({ 'X-HubSpot-RateLimit-Secondly': '10', 'X-HubSpot-RateLimit-Secondly-Remaining': '0', 'X-HubSpot-RateLimit-Remaining': '90' });
    // A second later the secondly budget is back; the ten-second one still counts the ten.
    expect(limiter.take(false, 1_010).headers).toMatchObject({ 'X-HubSpot-RateLimit-Secondly-Remaining': '9', 'X-HubSpot-RateLimit-Remaining': '89' });
    // Given explicitly, it binds alone.
    const tight = createRateLimiter({ max: 50, perSecond: 2 });
    tight.take(false, 0);
    tight.take(false, 1);
    expect(tight.take(false, 2).refusal).toMatchObject({ policyName: 'SECONDLY' });
  });

  it('a daily budget, renewed on the next UTC day', () => {
    const limiter = createRateLimiter({ daily: 1 });
    const day = Date.parse('2026-12-05T23:59:59Z');
    expect(limiter.take(false, day).refusal).toBeUndefined();
    expect(limiter.take(false, day + 1).refusal).toMatchObject({ policyName: 'DAILY' });
    expect(limiter.take(false, day + 20_000).refusal).toBeUndefined();
  });

  it('refuses budgets that are not whole numbers of at least 1 when the handler is made', async () => {
    const crm = await createCrm();
    expect(() => hubspotHandler(crm, { rateLimit: { max: 0 } })).toThrow(/rateLimit.max must be a whole number/);
    expect(() => hubspotHandler(crm, { searchLagMs: -1 })).toThrow(/searchLagMs/);
  });
});

describe('the search lag over the handler', () => {
  it('hides created and updated records from search (and its total) until the lag has passed; list and reads see them', async () => {
    const crm = await createCrm({ ids: sequentialIds({ prefix: '' }) });
    const old = await crm.records.create('contacts', { email: 'old@example.com', firstname: 'Ann' });
    const handle = hubspotHandler(crm, { searchLagMs: 200 });
    const search = async () => {
      const response = await handle(request('/crm/v3/objects/contacts/search', { method: 'POST', headers: json, body: JSON.stringify({ filterGroups: [{ filters: [{ propertyName: 'firstname', operator: 'EQ', value: 'Ann' }] }] }) }));
      const body = (await response.json()) as { total: number; results: Array<{ id: string }> };
      return { total: body.total, ids: body.results.map((result) => result.id) };
    };
    // Written before the handler was made: already indexed.
    expect(await search()).toEqual({ total: 1, ids: [old.id] });
    const fresh = await crm.records.create('contacts', { email: 'new@example.com', firstname: 'Ann' });
    await crm.records.update('contacts', old.id, { lastname: 'Lee' });
    expect(await search()).toEqual({ total: 0, ids: [] });
    const listed = (await (await handle(request('/crm/v3/objects/contacts'))).json()) as { results: unknown[] };
    expect(listed.results).toHaveLength(2);
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(await search()).toEqual({ total: 2, ids: [old.id, fresh.id] });
  });
});

describe('reset and snapshot (testing: true)', () => {
  async function seeded(): Promise<Crm> {
    const crm = await createCrm({ ids: sequentialIds({ prefix: '' }), clock: steppingClock() });
    await crm.records.create('companies', { name: 'Orange', domain: 'orange.com' });
    return crm;
  }

  it('are not served without the option', async () => {
    const handle = hubspotHandler(await seeded());
    expect((await handle(request('/__crmkit/reset', { method: 'POST' }))).status).toBe(404);
    expect((await handle(request('/__crmkit/snapshot'))).status).toBe(404);
  });

  it('snapshot lists every record per type (archived ones too); reset serves a fresh fork of the state at creation', async () => {
    const crm = await seeded();
    const handle = hubspotHandler(crm, { testing: true, prefix: '/hubspot' });
    const snapshot = async () => (await (await handle(request('/hubspot/__crmkit/snapshot'))).json()) as { records: Record<string, Array<{ id: string; archived: boolean }>> };
    const before = await snapshot();
    expect(Object.keys(before.records)).toEqual(['companies']);

    const created = await handle(request('/hubspot/crm/v3/objects/contacts', { method: 'POST', headers: json, body: JSON.stringify({ properties: { email: 'a@b.com' } }) }));
    expect(created.status).toBe(201);
    await handle(request('/hubspot/crm/v3/objects/companies/1', { method: 'DELETE' }));
    const during = await snapshot();
    expect(during.records.contacts).toHaveLength(1);
    expect(during.records.companies![0]!.archived).toBe(true);

    expect((await handle(request('/hubspot/__crmkit/reset', { method: 'POST' }))).status).toBe(204);
    expect(await snapshot()).toEqual(before);
    // Twice in a row: each reset starts from the same state, not from the last fork.
    await handle(request('/hubspot/crm/v3/objects/contacts', { method: 'POST', headers: json, body: JSON.stringify({ properties: { email: 'c@d.com' } }) }));
    await handle(request('/hubspot/__crmkit/reset', { method: 'POST' }));
    expect(await snapshot()).toEqual(before);
    // The crm the handler was given is not rolled back, and after a reset it is no longer served
    // (the handler serves a fork): it holds the first contact only.
    expect(await crm.records.count('contacts')).toBe(1);
  });

  it('reset: 501 with the envelope when off, or when the storage cannot fork', async () => {
    const off = hubspotHandler(await seeded(), { testing: { reset: false } });
    const refused = await off(request('/__crmkit/reset', { method: 'POST' }));
    expect(refused.status).toBe(501);
    expect(await refused.json()).toMatchObject({ status: 'error', category: 'NOT_IMPLEMENTED', correlationId: expect.any(String) });
    expect((await off(request('/__crmkit/snapshot'))).status).toBe(200);

    const crm = await seeded();
    const noFork = Object.create(crm, { fork: { value: () => Promise.reject(new Error('This storage cannot fork')) } }) as Crm;
    const handle = hubspotHandler(noFork, { testing: true });
    const answer = await handle(request('/__crmkit/reset', { method: 'POST' }));
    expect(answer.status).toBe(501);
    expect(((await answer.json()) as { message: string }).message).toContain('This storage cannot fork');
  });

  it('need the token when the handler has one', async () => {
    const handle = hubspotHandler(await seeded(), { testing: true, accessToken: 't' });
    expect((await handle(request('/__crmkit/snapshot'))).status).toBe(401);
    expect((await handle(request('/__crmkit/snapshot', { headers: { authorization: 'Bearer t' } }))).status).toBe(200);
  });
});

describe('parseServeArgs', () => {
  it('reads every option', () => {
    expect(
      parseServeArgs(['serve', '-p', '0', '--host', '::1', '--db', 'crm.sqlite', '--seed', 'abc', '--seed-counts', 'contacts=3, companies=1', '--token', 'T', '--rate-limit', '--search-lag', '250']),
    ).toEqual({
      command: 'serve',
      options: { port: 0, host: '::1', storage: { kind: 'sqlite', file: 'crm.sqlite' }, seed: 'abc', seedCounts: { contacts: 3, companies: 1 }, token: 'T', rateLimit: true, searchLagMs: 250 },
    });
    expect(parseServeArgs(['serve', '--postgres', 'postgres://u:p@h/db', '--rate-limit-max', '7'])).toEqual({
      command: 'serve',
      options: { storage: { kind: 'postgres', url: 'postgres://u:p@h/db' }, rateLimit: { max: 7 } },
    });
    expect(parseServeArgs(['serve'])).toEqual({ command: 'serve', options: {} });
    expect(parseServeArgs(['-h'])).toEqual({ command: 'help' });
  });

  it.each([
    [['serve', '--port', '65536'], /--port must be a whole number from 0 to 65535/],
    [['serve', '--port', '1.5'], /--port/],
    [['serve', '--port'], /argument missing/],
    [['serve', '--search-lag', '-1'], /search-lag|argument missing/],
    [['serve', '--seed-counts', 'contacts=1'], /--seed-counts needs --seed/],
    [['serve', '--seed', '1', '--seed-counts', 'contacts'], /type=count pairs/],
    [['serve', '--postgres', 'mysql://x'], /postgres:\/\//],
    [['serve', '--token', 'a b'], /--token/],
    [['serve', 'extra'], /Unexpected argument "extra"/],
    [['start'], /Unknown command "start"/],
    [[], /Missing command/],
  ])('%j is a UsageError', (args, message) => {
    expect(() => parseServeArgs(args)).toThrow(UsageError);
    expect(() => parseServeArgs(args)).toThrow(message);
  });
});
