// 'crmkit/hubspot': HubSpot's CRM REST API over a crm, for the official SDK and any HTTP client
// (docs/hubspot.md). Built on the public API only ('crmkit'); Hono routes the requests (an
// optional peer of this subpath only) and Node's own HTTP server serves them (socket.ts).
export { hubspotHandler, type HubSpotHandlerOptions } from './handler.js';
export { createHubSpotServer, type HubSpotServer, type HubSpotServerOptions } from './server.js';
export type { HubSpotErrorBody } from './errors.js';
export type { WireRecord } from './wire.js';
export type { RateLimitOptions } from './rate-limit.js';
export type { Snapshot, TestingOptions } from './test-endpoints.js';
export {
  DEFAULT_SEED_COUNTS,
  parseServeArgs,
  runCli,
  SERVE_USAGE,
  startServe,
  UsageError,
  type CliIo,
  type RunningServe,
  type ServeCommand,
  type ServeOptions,
  type ServeStorage,
} from './serve.js';
