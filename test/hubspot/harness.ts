// What the façade's test files share: a crm served to HubSpot's SDK over loopback, the SDK's
// failures read back as status and body, and the two ways a bad request is sent (raw fetch to
// the server, a Request to hubspotHandler) with the checks every refusal must pass.
import { Client } from '@hubspot/api-client';
import type { Client as Client14 } from '@hubspot/api-client-14';
import { expect } from 'vitest';
import { createCrm, type Crm, type MemoryStorage } from 'crmkit';
import { createHubSpotServer, type HubSpotServer } from 'crmkit/hubspot';
import { sequentialIds } from 'crmkit/testing';

/** The bearer token the SDK tests' servers require. */
export const TOKEN = 'test-token';

/** A fresh crm (ids '1', '2', …) served on loopback, and the SDK pointed at it. */
export async function startSdk(options: { portalId?: number } = {}): Promise<{ crm: Crm; server: HubSpotServer; hubspot: Client }> {
  const crm = await createCrm({ ids: sequentialIds({ prefix: '' }) });
  const server = await createHubSpotServer(crm, { accessToken: TOKEN, ...options });
  return { crm, server, hubspot: new Client({ accessToken: TOKEN, basePath: server.url }) };
}

/** The running Node's major version: @hubspot/api-client 14 needs 22 or newer, so its tests skip below that. */
export const NODE_MAJOR = Number(process.versions.node.split('.')[0]);

/**
 * As startSdk, with @hubspot/api-client 14.0.1 (installed as @hubspot/api-client-14), and the SDK
 * module itself (its AssociationTypes). Imported here, when a test starts, so older Node never loads it.
 */
export async function startSdk14(options: { portalId?: number } = {}): Promise<{ crm: Crm; server: HubSpotServer; hubspot: Client14; sdk: typeof import('@hubspot/api-client-14') }> {
  const sdk = await import('@hubspot/api-client-14');
  const crm = await createCrm({ ids: sequentialIds({ prefix: '' }) });
  const server = await createHubSpotServer(crm, { accessToken: TOKEN, ...options });
  return { crm, server, hubspot: new sdk.Client({ accessToken: TOKEN, basePath: server.url }), sdk };
}

/** The SDK's ApiException of a failing call: its status and parsed body. */
export async function failure(call: Promise<unknown>): Promise<{ code: number; body: { [key: string]: any } }> {
  try {
    await call;
  } catch (error) {
    const { code, body } = error as { code: number; body: unknown };
    return { code, body: (typeof body === 'string' ? JSON.parse(body) : body) as { [key: string]: any } };
  }
  throw new Error('expected the call to fail');
}

/** Sends one request, one way or the other. */
export type Send = (path: string, init?: RequestInit) => Promise<Response>;

/** The headers of an authorised request, and of one with a JSON body. */
export function headersWith(token: string): { auth: Record<string, string>; json: Record<string, string> } {
  const auth = { authorization: `Bearer ${token}` };
  return { auth, json: { ...auth, 'content-type': 'application/json' } };
}

/** Both ways to send, read when a test runs (the server and handler are made before the tests). */
export function waysOf(served: () => { server: HubSpotServer; handle: (request: Request) => Promise<Response> }): Array<[string, () => Send]> {
  return [
    ['raw fetch to the server', () => (path, init) => fetch(`${served().server.url}${path}`, init)],
    ['hubspotHandler directly', () => (path, init) => served().handle(new Request(`http://crm.test${path}`, init))],
  ];
}

/** Sends, expects `status` and an error envelope without a stack trace, and that `storage` is unchanged; answers the body. */
export async function refusedBy(storage: MemoryStorage, send: Send, path: string, init: RequestInit, status: number): Promise<{ [key: string]: any }> {
  const before = JSON.stringify(storage.snapshot());
  const response = await send(path, init);
  expect(response.status, `${init.method ?? 'GET'} ${path}`).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  const text = await response.text();
  expect(text).not.toMatch(/\n\s+at /);
  const body = JSON.parse(text) as { [key: string]: any };
  expect(body).toMatchObject({ status: 'error', message: expect.any(String), category: expect.any(String), correlationId: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/) });
  expect(JSON.stringify(storage.snapshot())).toBe(before);
  return body;
}
