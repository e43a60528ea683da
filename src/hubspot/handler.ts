// The web-standard handler: Hono routes HubSpot's paths to the objects and associations routes,
// checks the bearer token, and turns every failure into HubSpot's error envelope, so no request
// can end in a stack trace or an unhandled rejection.
import type { Crm } from 'crmkit';
import { Hono } from 'hono';
import type { FacadeRequest } from './body.js';
import { failureResponse, HttpRefusal, jsonResponse, standardResponse } from './errors.js';
import { configurationRoutes } from './association-configurations.js';
import { associationRoutes, recordAssociationRoutes } from './associations.js';
import { objectRoutes, objectTypeOf } from './objects.js';
import { pipelineRoutes } from './pipelines.js';
import { propertyRoutes } from './properties.js';
import { KeptMatchRouter } from './router.js';
import { createRateLimiter, type RateLimitOptions } from './rate-limit.js';
import { objectLibraryRoutes, schemaRoutes } from './schemas.js';
import { createSearchLag } from './search-lag.js';
import { snapshotOf, type TestingOptions } from './test-endpoints.js';

/**
 * Options of {@link hubspotHandler}.
 *
 * @example
 * const options: HubSpotHandlerOptions = { accessToken: 'test-token', prefix: '/hubspot' };
 */
export interface HubSpotHandlerOptions {
  /** When set, every request must carry `Authorization: Bearer <accessToken>` (else 401). */
  accessToken?: string;
  /** The largest request body read, in bytes (default 10 MiB); a bigger one is 413. */
  maxBodyBytes?: number;
  /** A mount path to strip (`/hubspot` serves `/hubspot/crm/v3/objects/contacts`). */
  prefix?: string;
  /** The portal id in custom objects' fully qualified names (`p<portalId>_<name>`); default 1. */
  portalId?: number;
  /**
   * Serves `POST /__crmkit/reset` (back to the crm as it was when the handler was made) and
   * `GET /__crmkit/snapshot` (every record, per type) for test suites (default off; `crmkit
   * serve` turns it on). See docs/hubspot.md "Reset and snapshot".
   */
  testing?: boolean | TestingOptions;
  /**
   * HubSpot's rate limits and their `X-HubSpot-RateLimit-*` headers, with a 429 past the budget
   * (default off; `true` for HubSpot's default budgets). See docs/hubspot.md "Rate limits".
   */
  rateLimit?: boolean | RateLimitOptions;
  /**
   * Search answers leave out records written less than this many ms ago, as HubSpot's lagging
   * index does (default 0: search reads its own writes). See docs/hubspot.md "Search lag".
   */
  searchLagMs?: number;
}

/** HubSpot's objects API under each of its path styles: v3, and the date-versioned releases. */
const OBJECT_BASES = ['/crm/v3/objects', '/crm/objects/2026-03', '/crm/objects/2026-09'];

/** One record's associations: v4, and the date-versioned objects paths that carry them. */
const RECORD_ASSOCIATION_BASES = ['/crm/v4/objects', '/crm/objects/2026-03', '/crm/objects/2026-09'];

/** The associations batches and labels: v4 in both spellings HubSpot documents, and the dated releases. */
const ASSOCIATION_BASES = ['/crm/v4/associations', '/crm/associations/v4', '/crm/associations/2026-03', '/crm/associations/2026-09'];

const DEFAULT_MAX_BODY = 10 * 1024 * 1024;

/** A prefix as a path: one leading slash, no trailing one; '' for none. */
function normalisePrefix(prefix: string | undefined): string {
  if (prefix === undefined) return '';
  const trimmed = prefix.replace(/^\/+|\/+$/g, '');
  return trimmed === '' ? '' : `/${trimmed}`;
}

/** Whether a request carries `token` as its bearer token; the header every client writes is made once, not per request. */
function bearerCheck(token: string): (request: FacadeRequest) => boolean {
  const expected = `Bearer ${token}`;
  return (request) => {
    const header = request.headers.get('authorization');
    if (header === expected) return true; // as every client writes it; the rule below decides the rest
    const match = header ? /^Bearer\s+(.+)$/i.exec(header.trim()) : null;
    return match !== null && match[1] === token;
  };
}

/** The search endpoint's path (after the prefix), with the object type as its group. */
const SEARCH_PATH = /^\/crm\/(?:v3\/objects|objects\/\d{4}-\d{2})\/([^/]+)\/search\/?$/;

/** The endpoints for test suites; outside HubSpot's paths. */
const TESTING_BASE = '/__crmkit';

/** The routes' entry: a request in, its answer out. */
type Routes = (request: FacadeRequest) => Response | Promise<Response>;

/**
 * HubSpot's routes over one crm; rebuilt when a reset swaps the crm (each route holds its crm).
 * Hono reads a request's method and URL, and the routes read it as a FacadeRequest only (their
 * `c.req.raw` goes to readJsonBody and pagingOf), so the request createHubSpotServer makes
 * from Node's message, which has what a FacadeRequest has and no more, routes like a Request.
 */
function routesOver(crm: Crm, facade: { portalId: number; maxBodyBytes: number }, prefix: string): Routes {
  const root = new Hono({ router: new KeptMatchRouter() });
  root.onError((error) => failureResponse(error));
  root.notFound((c) => failureResponse(new HttpRefusal(404, 'OBJECT_NOT_FOUND', `No route for ${c.req.method} ${new URL(c.req.url).pathname}`)));
  const app = prefix ? root.basePath(prefix) : root;
  const context = { crm, ...facade };
  const objects = objectRoutes(context);
  for (const base of OBJECT_BASES) app.route(base, objects);
  app.route('/crm/v3/properties', propertyRoutes(context));
  app.route('/crm-object-schemas/v3/schemas', schemaRoutes(context));
  app.route('/crm/v3/pipelines', pipelineRoutes(context));
  app.route('/crm/v3/object-library/enablement', objectLibraryRoutes(context));
  const recordAssociations = recordAssociationRoutes(context);
  for (const base of RECORD_ASSOCIATION_BASES) app.route(base, recordAssociations);
  // Limits first: their paths (`definitions/configurations/…`) are longer than any pair's route.
  const configurations = configurationRoutes(context);
  for (const base of ASSOCIATION_BASES) app.route(base, configurations);
  const associations = associationRoutes(context);
  for (const base of ASSOCIATION_BASES) app.route(base, associations);
  return (request) => root.fetch(request as Request);
}

/** A copy of a response that may take headers (a Response's own may be immutable). */
function withHeaders(response: Response, headers: Record<string, string>): Response {
  const copy = new Response(response.body, response);
  for (const [name, value] of Object.entries(headers)) copy.headers.set(name, value);
  return copy;
}

/**
 * HubSpot's CRM REST API over `crm`, as a web-standard handler: give it a `Request`, get a
 * `Response`. Use it in any framework, in msw, or hand it the SDK's requests directly; the
 * server of {@link createHubSpotServer} wraps it.
 *
 * @example
 * const crm = await createCrm();
 * const handle = hubspotHandler(crm, { accessToken: 'test-token' });
 * const response = await handle(new Request('http://localhost/crm/v3/objects/contacts', {
 *   method: 'POST',
 *   headers: { authorization: 'Bearer test-token', 'content-type': 'application/json' },
 *   body: JSON.stringify({ properties: { email: 'ann@example.com' } }),
 * }));
 * response.status; // 201
 *
 * @example
 * // For a test suite: reset and snapshot, HubSpot's rate limits, a one-second search lag.
 * const handle = hubspotHandler(crm, { testing: true, rateLimit: { max: 10 }, searchLagMs: 1_000 });
 * await handle(new Request('http://localhost/__crmkit/reset', { method: 'POST' })); // 204
 */
export function hubspotHandler(crm: Crm, options: HubSpotHandlerOptions = {}): (request: Request) => Promise<Response> {
  const handle = facadeHandler(crm, options);
  return async (request) => standardResponse(await handle(request));
}

/**
 * {@link hubspotHandler} as createHubSpotServer uses it: JSON answers come as lazy-bodied
 * Responses whose text the server writes to the socket itself ({@link jsonTextOf}), which
 * saves making and reading a body stream per answer. Not for other hosts (see
 * {@link standardResponse}).
 *
 * @example
 * const handle = facadeHandler(crm, { accessToken: 'test-token' });
 */
export function facadeHandler(crm: Crm, options: HubSpotHandlerOptions = {}): (request: FacadeRequest) => Promise<Response> {
  const { accessToken, maxBodyBytes = DEFAULT_MAX_BODY, portalId = 1 } = options;
  const prefix = normalisePrefix(options.prefix);
  const facade = { portalId, maxBodyBytes };
  const testing = options.testing ? (options.testing === true ? {} : options.testing) : undefined;
  const limiter = options.rateLimit ? createRateLimiter(options.rateLimit === true ? {} : options.rateLimit) : undefined;
  const lag = options.searchLagMs ? createSearchLag(options.searchLagMs) : undefined;
  const authorised = accessToken === undefined ? undefined : bearerCheck(accessToken);

  // A reset swaps the served crm, so the crm and the routes built over it are variables, read
  // per request; requests in flight during a reset finish on the crm they started on.
  let served = crm;
  let routes = routesOver(served, facade, prefix);
  lag?.follow(served);
  // The state to reset to is the crm's now: a fork taken at once (a later write must not reach
  // it). A storage that cannot fork (PostgreSQL) rejects; reset then answers 501 saying why.
  const resetWith = testing && typeof testing.reset === 'function' ? testing.reset : undefined;
  const origin = testing && testing.reset !== false && !resetWith ? crm.fork() : undefined;
  origin?.catch(() => undefined); // answered on the first reset, never an unhandled rejection

  const reset = async (): Promise<Response> => {
    if (resetWith) {
      served = await resetWith();
    } else {
      if (!origin) throw new HttpRefusal(501, 'NOT_IMPLEMENTED', 'Reset is off for this server: it serves storage that crmkit does not roll back (restart it, or use a new tenant)');
      const base = await origin.catch((error: unknown) => {
        throw new HttpRefusal(501, 'NOT_IMPLEMENTED', `Reset needs a storage that forks (memory, SQLite): ${error instanceof Error ? error.message : String(error)}`);
      });
      served = await base.fork();
    }
    routes = routesOver(served, facade, prefix);
    lag?.follow(served);
    limiter?.reset();
    return new Response(null, { status: 204 });
  };
  // What comes before HubSpot's routes is a few comparisons, not a router of its own: each
  // request would otherwise be routed twice. The path is read only when something here needs it.
  const readsPath = testing !== undefined || prefix !== '' || limiter !== undefined || lag !== undefined;

  const serve = (request: FacadeRequest): Response | Promise<Response> => {
    if (authorised !== undefined && !authorised(request)) {
      return failureResponse(new HttpRefusal(401, 'INVALID_AUTHENTICATION', 'The request needs the header Authorization: Bearer <the access token this server was given>'));
    }
    // Without a prefix, test endpoints or limits, nothing comes before HubSpot's routes: straight
    // to them, without the frame the path's work below would take per request.
    return readsPath ? serveByPath(request) : routes(request);
  };
  const serveByPath = async (request: FacadeRequest): Promise<Response> => {
    const path = new URL(request.url).pathname;
    if (prefix !== '' && path !== prefix && !path.startsWith(`${prefix}/`)) {
      return failureResponse(new HttpRefusal(404, 'OBJECT_NOT_FOUND', `No route for ${request.method} ${path}`));
    }
    const own = path.slice(prefix.length);
    if (testing && own === `${TESTING_BASE}/reset` && request.method === 'POST') return reset();
    if (testing && own === `${TESTING_BASE}/snapshot` && request.method === 'GET') return jsonResponse(200, await snapshotOf(served));
    // Only the rate limiter and the search lag ask whether this is a search.
    const search = (limiter || lag) && request.method === 'POST' ? SEARCH_PATH.exec(own) : null;
    const verdict = limiter?.take(search !== null, Date.now());
    if (verdict?.refusal) return withHeaders(jsonResponse(429, verdict.refusal), verdict.headers);
    let response = await routes(request);
    if (lag && search && response.status === 200) {
      let typeName: string | undefined;
      try {
        typeName = objectTypeOf(served, decodeURIComponent(search[1]!), portalId).name;
      } catch {
        typeName = undefined; // the search itself answered; a type it accepted always resolves
      }
      if (typeName) {
        const body = (await response.json()) as { total?: number; results?: Array<{ id?: unknown }> };
        lag.filter(typeName, body, Date.now());
        response = jsonResponse(200, body);
      }
    }
    return verdict ? withHeaders(response, verdict.headers) : response;
  };
  return async (request) => {
    try {
      return await serve(request);
    } catch (error) {
      // The routes answer their own errors (onError); this catches what fails around them.
      return failureResponse(error);
    }
  };
}
