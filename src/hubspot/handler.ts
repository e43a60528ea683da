// The web-standard handler: Hono routes HubSpot's paths to the objects and associations routes,
// checks the bearer token, and turns every failure into HubSpot's error envelope, so no request
// can end in a stack trace or an unhandled rejection.
import type { Crm } from 'crmkit';
import { Hono } from 'hono';
import { failureResponse, HttpRefusal } from './errors.js';
import { associationRoutes, recordAssociationRoutes } from './associations.js';
import { objectRoutes } from './objects.js';
import { pipelineRoutes } from './pipelines.js';
import { propertyRoutes } from './properties.js';
import { objectLibraryRoutes, schemaRoutes } from './schemas.js';

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

/** Whether the request carries the expected bearer token. */
function authorised(request: Request, token: string): boolean {
  const header = request.headers.get('authorization');
  const match = header ? /^Bearer\s+(.+)$/i.exec(header.trim()) : null;
  return match !== null && match[1] === token;
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
 */
export function hubspotHandler(crm: Crm, options: HubSpotHandlerOptions = {}): (request: Request) => Promise<Response> {
  const { accessToken, maxBodyBytes = DEFAULT_MAX_BODY, portalId = 1 } = options;
  const prefix = normalisePrefix(options.prefix);
  const root = new Hono();
  root.onError((error) => failureResponse(error));
  root.notFound((c) => failureResponse(new HttpRefusal(404, 'OBJECT_NOT_FOUND', `No route for ${c.req.method} ${new URL(c.req.url).pathname}`)));
  if (accessToken !== undefined) {
    root.use('*', async (c, next) => {
      if (!authorised(c.req.raw, accessToken)) {
        return failureResponse(new HttpRefusal(401, 'INVALID_AUTHENTICATION', 'The request needs the header Authorization: Bearer <the access token this server was given>'));
      }
      await next();
    });
  }
  const app = prefix ? root.basePath(prefix) : root;
  const facade = { crm, portalId, maxBodyBytes };
  const objects = objectRoutes(facade);
  for (const base of OBJECT_BASES) app.route(base, objects);
  app.route('/crm/v3/properties', propertyRoutes(facade));
  app.route('/crm-object-schemas/v3/schemas', schemaRoutes(facade));
  app.route('/crm/v3/pipelines', pipelineRoutes(facade));
  app.route('/crm/v3/object-library/enablement', objectLibraryRoutes(facade));
  const recordAssociations = recordAssociationRoutes(facade);
  for (const base of RECORD_ASSOCIATION_BASES) app.route(base, recordAssociations);
  const associations = associationRoutes(facade);
  for (const base of ASSOCIATION_BASES) app.route(base, associations);
  return async (request) => {
    try {
      return await root.fetch(request);
    } catch (error) {
      // Hono answers handler errors through onError; this catches what fails around it.
      return failureResponse(error);
    }
  };
}
