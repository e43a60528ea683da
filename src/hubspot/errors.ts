// Failures as HubSpot reports them. A CrmError keeps its facts (its code becomes
// `subCategory`, its details `context`), and gets HubSpot's status, category and, where HubSpot
// has a well-known wording, its message. Pure functions: the mapping is one table and a few
// message rules, unit-tested in test/hubspot/errors.test.ts.
import { CrmError, type CrmErrorCode, type ValidationIssue } from 'crmkit';

/**
 * HubSpot's error envelope, the body of every failed request.
 *
 * @example
 * const body: HubSpotErrorBody = { status: 'error', message: 'Contact already exists. Existing ID: 7', correlationId, category: 'CONFLICT', subCategory: 'DUPLICATE_RECORD', context: { existingId: ['7'] } };
 */
export interface HubSpotErrorBody {
  status: 'error';
  message: string;
  /** A UUID per failure, for finding it in logs. */
  correlationId: string;
  /** HubSpot's category: VALIDATION_ERROR, OBJECT_NOT_FOUND, CONFLICT, INVALID_AUTHENTICATION, … */
  category: string;
  /** The CrmError's code, when a CrmError caused it. */
  subCategory?: string;
  /** The facts, each as a list of strings (HubSpot's shape). */
  context?: { [key: string]: string[] };
  /** One entry per problem, for validation failures. */
  errors?: Array<{ message: string; code?: string; context?: { [key: string]: string[] } }>;
}

/**
 * A failure of the HTTP exchange itself, before any crm call (no or wrong token, an unknown
 * route, a body too large or not JSON): it has no CrmError code, only a status and category.
 *
 * @example
 * throw new HttpRefusal(415, 'UNSUPPORTED_MEDIA_TYPE', 'Content-Type must be application/json');
 */
export class HttpRefusal extends Error {
  constructor(
    readonly status: number,
    readonly category: string,
    message: string,
  ) {
    super(message);
    this.name = 'HttpRefusal';
  }
}

/** The status and category of each CrmError code; codes not listed are 400 VALIDATION_ERROR. */
const STATUS_OF: Partial<Record<CrmErrorCode, { status: number; category: string }>> = {
  DUPLICATE_RECORD: { status: 409, category: 'CONFLICT' },
  LABEL_EXISTS: { status: 409, category: 'CONFLICT' },
  // A label still carried by associations conflicts with the state, not with the request's shape.
  LABEL_IN_USE: { status: 409, category: 'CONFLICT' },
  OBJECT_IN_USE: { status: 409, category: 'CONFLICT' },
  ASSOCIATION_IN_USE: { status: 409, category: 'CONFLICT' },
  CONFLICT: { status: 409, category: 'CONFLICT' },
  NOT_FOUND: { status: 404, category: 'OBJECT_NOT_FOUND' },
  ARCHIVED: { status: 404, category: 'OBJECT_NOT_FOUND' },
  UNKNOWN_PIPELINE: { status: 404, category: 'OBJECT_NOT_FOUND' },
  UNKNOWN_STAGE: { status: 404, category: 'OBJECT_NOT_FOUND' },
  UNKNOWN_SEGMENT: { status: 404, category: 'OBJECT_NOT_FOUND' },
  UNKNOWN_VIEW: { status: 404, category: 'OBJECT_NOT_FOUND' },
  STORAGE_ERROR: { status: 500, category: 'INTERNAL_ERROR' },
};

/**
 * The HTTP status and HubSpot category of a CrmError code.
 *
 * @example
 * statusOf('DUPLICATE_RECORD'); // { status: 409, category: 'CONFLICT' }
 */
export function statusOf(code: CrmErrorCode): { status: number; category: string } {
  return STATUS_OF[code] ?? { status: 400, category: 'VALIDATION_ERROR' };
}

/** Issue codes about one property's value: HubSpot reports these as "Property values were not valid". */
const PROPERTY_VALUE_CODES = new Set<string>([
  'PROPERTY_DOESNT_EXIST',
  'READ_ONLY_VALUE',
  'REQUIRED',
  'TOO_LONG',
  'INVALID_STRING',
  'INVALID_NUMBER',
  'INVALID_BOOLEAN',
  'INVALID_DATE',
  'INVALID_OPTION',
  'INVALID_EMAIL',
  'INVALID_DOMAIN',
  'EMAIL_BLOCKED',
  'INVALID_PROPERTIES',
  'OUT_OF_RANGE',
  'CONFLICTING_VALUE',
]);

/**
 * A CrmError's details as HubSpot's `context`: each plain fact (a string, number or boolean,
 * or a list of them) as a list of strings; nested facts (issues, conflicts, a driver's cause)
 * are left out, since `errors[]` and the message carry them.
 *
 * @example
 * contextOf({ objectType: 'contacts', id: '7' }); // { objectType: ['contacts'], id: ['7'] }
 */
export function contextOf(details: { [key: string]: unknown }): { [key: string]: string[] } | undefined {
  const context: { [key: string]: string[] } = {};
  for (const [key, value] of Object.entries(details)) {
    if (key === 'cause' || key === 'issues' || key === 'conflicts' || key === 'issueCount') continue;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') context[key] = [String(value)];
    else if (Array.isArray(value) && value.every((item) => typeof item === 'string' || typeof item === 'number')) context[key] = value.map(String);
  }
  return Object.keys(context).length > 0 ? context : undefined;
}

/** One issue as an entry of HubSpot's `errors[]`. */
function issueEntry(issue: ValidationIssue): NonNullable<HubSpotErrorBody['errors']>[number] {
  const context: { [key: string]: string[] } = {};
  if (issue.property !== undefined) context.propertyName = [issue.property];
  if (issue.index !== undefined) context.inputIndex = [String(issue.index)];
  return Object.keys(context).length > 0 ? { message: issue.message, code: issue.code, context } : { message: issue.message, code: issue.code };
}

/** The message of a VALIDATION_ERROR: HubSpot's wording when every issue is about a property's value. */
function validationMessage(error: CrmError<'VALIDATION_ERROR'>): string {
  const { issues } = error.details;
  if (issues.length === 0 || !issues.every((issue) => issue.property !== undefined && PROPERTY_VALUE_CODES.has(issue.code))) return error.message;
  const listed = issues.map((issue) => ({ isValid: false, message: issue.message, error: issue.code, name: issue.property }));
  return `Property values were not valid: ${JSON.stringify(listed)}`;
}

/** The singular HubSpot uses in "Contact already exists": only contacts have that message. */
function duplicateMessage(error: CrmError<'DUPLICATE_RECORD'>, existing: string[]): string {
  if (error.details.objectType === 'contacts' && existing.length > 0) return `Contact already exists. Existing ID: ${existing.join(', ')}`;
  return error.message;
}

/**
 * The status and envelope of any failure: a CrmError mapped by its code, an {@link HttpRefusal}
 * as it says, anything else (a bug) a 500 that says nothing of the internals.
 *
 * @example
 * const { status, body } = failureOf(error, crypto.randomUUID());
 * return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
 */
export function failureOf(error: unknown, correlationId: string): { status: number; body: HubSpotErrorBody } {
  if (error instanceof HttpRefusal) {
    return { status: error.status, body: { status: 'error', message: error.message, correlationId, category: error.category } };
  }
  if (!(error instanceof CrmError)) {
    return { status: 500, body: { status: 'error', message: 'Internal error: the request could not be completed', correlationId, category: 'INTERNAL_ERROR' } };
  }
  const { status, category } = statusOf(error.code);
  const body: HubSpotErrorBody = { status: 'error', message: error.message, correlationId, category, subCategory: error.code };
  const context = contextOf(error.details as { [key: string]: unknown });
  if (context) body.context = context;
  switch (error.code) {
    case 'VALIDATION_ERROR':
      body.message = validationMessage(error);
      body.errors = error.details.issues.map(issueEntry);
      break;
    case 'UNKNOWN_OBJECT_TYPE':
      body.message = `Unable to infer object type from: ${error.details.objectType}`;
      break;
    case 'UNKNOWN_PROPERTY':
      body.errors = [{ message: error.message, code: 'PROPERTY_DOESNT_EXIST', context: { propertyName: [error.details.property] } }];
      break;
    case 'READ_ONLY_PROPERTY':
      body.errors = [{ message: error.message, code: 'READ_ONLY_VALUE', context: { propertyName: [error.details.property] } }];
      break;
    case 'DUPLICATE_RECORD': {
      // A batch names every clash: each existing record, and each input that collides.
      const conflicts = error.details.conflicts ?? [];
      const existing = [...new Set([...conflicts.flatMap((conflict) => (conflict.existingId ? [conflict.existingId] : [])), ...(error.details.existingId ? [error.details.existingId] : [])])];
      body.message = duplicateMessage(error, existing);
      body.context = { ...body.context, ...(existing.length > 0 ? { existingId: existing } : {}) };
      if (conflicts.length > 0) {
        body.context.inputIndex = conflicts.map((conflict) => String(conflict.index));
        body.errors = conflicts.map((conflict) => ({
          message: conflict.existingId
            ? `Input ${conflict.index}: ${conflict.property} ${JSON.stringify(conflict.value)} belongs to record ${conflict.existingId}`
            : `Input ${conflict.index}: ${conflict.property} ${JSON.stringify(conflict.value)} repeats input ${conflict.conflictsWithIndex}`,
          code: 'DUPLICATE_VALUE',
          context: { propertyName: [conflict.property], inputIndex: [String(conflict.index)], ...(conflict.existingId ? { existingId: [conflict.existingId] } : {}) },
        }));
      }
      break;
    }
    default:
      break;
  }
  return { status, body };
}

/**
 * A failure as a Response: JSON, with a fresh correlation id.
 *
 * @example
 * return failureResponse(new HttpRefusal(401, 'INVALID_AUTHENTICATION', 'Missing bearer token'));
 */
export function failureResponse(error: unknown): Response {
  const { status, body } = failureOf(error, crypto.randomUUID());
  return jsonResponse(status, body);
}

/**
 * A JSON answer.
 *
 * @example
 * return jsonResponse(201, toWireRecord(record, names, types));
 */
export function jsonResponse(status: number, body: unknown): Response {
  return new JsonResponse(JSON.stringify(body), status) as unknown as Response;
}

/**
 * A JSON answer whose text is already written (a search page: see wire.ts `wireRecordsJson`).
 *
 * @example
 * return jsonTextResponse(200, `{"results":${wireRecordsJson(records, columns)}}`);
 */
export function jsonTextResponse(status: number, text: string): Response {
  return new JsonResponse(text, status) as unknown as Response;
}

const TEXT = Symbol('text');
const FULL = Symbol('full');
const TOUCHED = Symbol('touched');

/** The Content-Type of every JSON answer. */
const JSON_TYPE = 'application/json;charset=utf-8';
const JSON_HEADERS: Readonly<Record<string, string>> = Object.freeze({ 'content-type': JSON_TYPE });

/**
 * A JSON answer that makes a web Response only when something reads it as one. A Response made
 * with a body builds a ReadableStream at once, and even one made without a body costs the
 * runtime's argument checks (on Node 20 those were most of a small answer's cost), which
 * createHubSpotServer never needs: it writes the text (see {@link jsonTextOf}). To everything
 * else it is a Response: `instanceof Response`, its status, `ok`, headers and the constant
 * getters its own, and the body, its readers, clone() and the rest those of the full Response,
 * made on first use from the same text (test/hubspot/errors.test.ts compares every member with a plain Response's).
 */
class JsonResponse {
  readonly #text: string;
  readonly #status: number;
  #full: Response | undefined;
  #headers: Headers | undefined;

  constructor(text: string, status: number) {
    this.#text = text;
    this.#status = status;
  }

  get status(): number {
    return this.#status;
  }

  get ok(): boolean {
    return this.#status >= 200 && this.#status <= 299;
  }

  // What a Response constructed by code (not fetched) always answers: reading them (Hono does,
  // copying a HEAD answer) needs no full Response.
  get statusText(): string {
    return '';
  }

  get type(): ResponseType {
    return 'default';
  }

  get url(): string {
    return '';
  }

  get redirected(): boolean {
    return false;
  }

  /** The headers, made on first use: only the JSON Content-Type until someone adds to them. */
  get headers(): Headers {
    return (this.#headers ??= new Headers(JSON_HEADERS));
  }

  /** The text, while no one has asked for the body (after that, the body's state counts). */
  [TEXT](): string | undefined {
    return this.#full === undefined ? this.#text : undefined;
  }

  /** The headers if anyone has asked for them (and so may have changed them), else undefined. */
  [TOUCHED](): Headers | undefined {
    return this.#headers;
  }

  /** The Response with the body, made once; headers as they are now (they are this one's). */
  [FULL](): Response {
    return (this.#full ??= new Response(this.#text, { status: this.#status, headers: this.headers }));
  }
}
// Everything a Response has that the class above does not answer itself comes from the full
// Response: the body and its state, any getter a later Node adds, and every method this Node's
// Response has (bytes() is newer than Node 20). Then the prototype
// chain makes it a Response for instanceof and Object.prototype.toString.
for (const name of Object.getOwnPropertyNames(Response.prototype)) {
  if (name === 'constructor' || Object.prototype.hasOwnProperty.call(JsonResponse.prototype, name)) continue;
  const member = Object.getOwnPropertyDescriptor(Response.prototype, name)!;
  if (member.get) {
    Object.defineProperty(JsonResponse.prototype, name, {
      get(this: JsonResponse) {
        if (name === 'bodyUsed' && this[TEXT]() !== undefined) return false;
        return (this[FULL]() as unknown as Record<string, unknown>)[name];
      },
      configurable: true,
    });
  } else if (typeof member.value === 'function') {
    Object.defineProperty(JsonResponse.prototype, name, {
      value(this: JsonResponse, ...args: unknown[]) {
        const full = this[FULL]() as unknown as Record<string, (...args: unknown[]) => unknown>;
        return full[name]!(...args);
      },
      writable: true,
      configurable: true,
    });
  }
}
Object.setPrototypeOf(JsonResponse.prototype, Response.prototype);

/**
 * The JSON text of an answer {@link jsonResponse} made (that same Response, its body not yet
 * asked for), else `undefined`: createHubSpotServer writes the text to the socket, skipping
 * the body stream.
 *
 * @example
 * jsonTextOf(jsonResponse(200, { ok: true })); // '{"ok":true}'
 */
export function jsonTextOf(response: Response): string | undefined {
  return response instanceof JsonResponse ? response[TEXT]() : undefined;
}

/**
 * The headers of a {@link jsonResponse} answer as Node's `writeHead` takes them (a new object
 * the caller may add to); `undefined` when they hold a Set-Cookie (Node writes those one line
 * each: socket.ts writes any other Response that way). An answer whose headers no one asked for has only
 * its Content-Type, and no Headers object is made to find that out.
 *
 * @example
 * outgoing.writeHead(response.status, { ...jsonHeadersOf(response), 'content-length': length });
 */
export function jsonHeadersOf(response: Response): Record<string, string | number> | undefined {
  const touched = response instanceof JsonResponse ? response[TOUCHED]() : response.headers;
  if (touched === undefined) return { 'content-type': JSON_TYPE };
  if (touched.has('set-cookie')) return undefined;
  const headers: Record<string, string | number> = {};
  touched.forEach((value, name) => {
    headers[name] = value;
  });
  return headers;
}

/**
 * An answer as a plain web Response: a {@link jsonResponse} becomes the Response with its body.
 * What leaves {@link hubspotHandler} goes through this, because a runtime that serves a
 * Response reads its body natively (Deno, Bun, workers), past the getters that make the lazy
 * body work; only createHubSpotServer, which writes the text itself, keeps the lazy one.
 *
 * @example
 * standardResponse(jsonResponse(200, { ok: true })) instanceof JsonResponse; // false
 */
export function standardResponse(response: Response): Response {
  return response instanceof JsonResponse ? response[FULL]() : response;
}
