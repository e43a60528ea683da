// Records as HubSpot puts them on the wire: every property value a string (or null), and only
// the properties asked for. Pure functions, so the formats are pinned by unit tests
// (test/hubspot/wire.test.ts) rather than by whole requests.
import type { CrmRecord, PropertyType, PropertyValue } from 'crmkit';

/**
 * A record as HubSpot's objects API answers it.
 *
 * @example
 * const wire: WireRecord = { id: '1', properties: { email: 'a@b.com' }, createdAt, updatedAt, archived: false };
 */
export interface WireRecord {
  id: string;
  properties: { [name: string]: string | null };
  createdAt: string;
  updatedAt: string;
  archived: boolean;
  archivedAt?: string;
}

/**
 * A number in plain decimal notation, as HubSpot writes numbers: never exponent notation
 * (`1e-7` is `'0.0000001'`, `1e21` is `'1000000000000000000000'`), with the shortest digits that
 * read back as the same number.
 *
 * @example
 * plainDecimal(2.5);   // '2.5'
 * plainDecimal(1e-7);  // '0.0000001'
 */
export function plainDecimal(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const text = String(value);
  const e = text.indexOf('e');
  if (e < 0) return text === '-0' ? '0' : text;
  // String() gives the shortest round-trip digits; only the decimal point moves.
  const negative = text.startsWith('-');
  const mantissa = text.slice(negative ? 1 : 0, e);
  const exponent = Number(text.slice(e + 1));
  const point = mantissa.indexOf('.');
  const digits = mantissa.replace('.', '');
  const pointAt = (point < 0 ? mantissa.length : point) + exponent;
  let body: string;
  if (pointAt <= 0) body = `0.${'0'.repeat(-pointAt)}${digits}`;
  else if (pointAt >= digits.length) body = `${digits}${'0'.repeat(pointAt - digits.length)}`;
  else body = `${digits.slice(0, pointAt)}.${digits.slice(pointAt)}`;
  return negative ? `-${body}` : body;
}

/**
 * One stored value as a wire string: numbers in plain decimals, booleans `'true'`/`'false'`,
 * a multi-select joined with `;`, datetimes ISO-8601 with milliseconds, dates `YYYY-MM-DD` as
 * stored; no value is `null`.
 *
 * @example
 * toWireValue(['coffee', 'tea']);                // 'coffee;tea'
 * toWireValue('2026-01-01T00:00:00Z', 'datetime'); // '2026-01-01T00:00:00.000Z'
 */
export function toWireValue(value: PropertyValue | undefined, type?: PropertyType): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return plainDecimal(value);
  if (Array.isArray(value)) return value.join(';');
  if (type === 'datetime') {
    if (isCanonicalInstant(value)) return value;
    const time = Date.parse(value);
    return Number.isNaN(time) ? value : new Date(time).toISOString();
  }
  return value;
}

/** The digit at `at` of `text`, or a negative number when it is no ASCII digit. */
function digitAt(text: string, at: number): number {
  const digit = text.charCodeAt(at) - 48;
  return digit >= 0 && digit <= 9 ? digit : -100_000;
}

/** The two-digit number at `at` of `text`, or a negative number. */
function twoDigitsAt(text: string, at: number): number {
  return digitAt(text, at) * 10 + digitAt(text, at + 1);
}

/**
 * Whether `value` is already what `new Date(Date.parse(value)).toISOString()` makes of it: the
 * form crmkit stores datetimes in (`2026-01-01T00:00:00.000Z`), with a real calendar date and a
 * time before 24:00 (Date.parse rolls `02-30` over to March and `24:00` to the next day). Saves
 * the parse and the print on every datetime of every record on the wire (read by character
 * codes: a regular expression costs as much as the rest of the record).
 */
function isCanonicalInstant(value: string): boolean {
  if (value.length !== 24) return false;
  // YYYY-MM-DDTHH:mm:ss.sssZ: '-' at 4 and 7, 'T' at 10, ':' at 13 and 16, '.' at 19, 'Z' at 23.
  if (value.charCodeAt(4) !== 45 || value.charCodeAt(7) !== 45 || value.charCodeAt(10) !== 84 || value.charCodeAt(13) !== 58) return false;
  if (value.charCodeAt(16) !== 58 || value.charCodeAt(19) !== 46 || value.charCodeAt(23) !== 90) return false;
  const year = twoDigitsAt(value, 0) * 100 + twoDigitsAt(value, 2);
  const month = twoDigitsAt(value, 5);
  const day = twoDigitsAt(value, 8);
  const millis = digitAt(value, 20) * 100 + twoDigitsAt(value, 21);
  const hour = twoDigitsAt(value, 11);
  const minute = twoDigitsAt(value, 14);
  const second = twoDigitsAt(value, 17);
  if (year < 0 || millis < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 ? (leap ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  return day <= days;
}

/**
 * The properties HubSpot answers when a request names none, per object type (the system ones
 * are added to every answer, see {@link shownProperties}). Object types missing here answer
 * only the system properties.
 *
 * @example
 * DEFAULT_PROPERTIES.contacts; // ['firstname', 'lastname', 'email']
 */
export const DEFAULT_PROPERTIES: Readonly<Record<string, readonly string[]>> = {
  contacts: ['firstname', 'lastname', 'email'],
  companies: ['name', 'domain'],
  deals: ['dealname', 'amount', 'closedate', 'pipeline', 'dealstage'],
  tickets: ['subject', 'content', 'hs_pipeline', 'hs_pipeline_stage', 'hs_ticket_category', 'hs_ticket_priority'],
  products: ['name', 'description', 'price'],
  line_items: ['name', 'price', 'quantity'],
};

/** Every answer carries these, when the object type has them (contacts: lastmodifieddate; the others: hs_lastmodifieddate). */
const SYSTEM_PROPERTIES = ['createdate', 'hs_lastmodifieddate', 'hs_object_id', 'lastmodifieddate'];

/**
 * The property names an answer shows: the requested ones (or the type's defaults when none are
 * requested) that the type knows, plus its system properties; unknown names are dropped, as
 * HubSpot ignores them. In the order asked, system properties after.
 *
 * @example
 * shownProperties('contacts', ['email', 'nope'], known); // ['email', 'createdate', 'hs_object_id', 'lastmodifieddate']
 */
export function shownProperties(objectType: string, requested: readonly string[] | undefined, known: ReadonlySet<string>): string[] {
  const asked = requested && requested.length > 0 ? requested : (DEFAULT_PROPERTIES[objectType] ?? []);
  const names = new Set<string>();
  for (const name of asked) if (known.has(name)) names.add(name);
  for (const name of SYSTEM_PROPERTIES) if (known.has(name)) names.add(name);
  return [...names];
}

/**
 * A record on the wire, showing `names` (see {@link shownProperties}): a name without a value
 * is `null`. `types` gives each property's type, for datetimes.
 *
 * @example
 * toWireRecord(contact, ['email', 'phone'], types); // { id, properties: { email: 'a@b.com', phone: null }, … }
 */
export function toWireRecord(record: CrmRecord, names: readonly string[], types: ReadonlyMap<string, PropertyType>): WireRecord {
  // A plain object (a null-prototype one is a slow dictionary to fill and to stringify); the
  // one name an assignment would not keep as data, __proto__, is defined as data.
  const properties: { [name: string]: string | null } = {};
  for (const name of names) {
    const value = toWireValue(record.properties[name], types.get(name));
    if (name === '__proto__') Object.defineProperty(properties, name, { value, enumerable: true, writable: true, configurable: true });
    else properties[name] = value;
  }
  const wire: WireRecord = { id: record.id, properties, createdAt: record.createdAt, updatedAt: record.updatedAt, archived: record.archived };
  if (record.archivedAt !== undefined) wire.archivedAt = record.archivedAt;
  return wire;
}

/** Characters JSON.stringify would escape in a string (quote, backslash, controls, surrogates: lone ones are escaped). */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** A string as JSON text, exactly as JSON.stringify writes it (most values need no escaping at all). */
function jsonString(text: string): string {
  return NEEDS_ESCAPE.test(text) ? JSON.stringify(text) : `"${text}"`;
}

/**
 * Each record's JSON text per list of shown properties. A stored record never changes (a write
 * makes a new record object, and a property's type is IMMUTABLE), so the text of a record a
 * page showed before is reused when a page shows it again with the same properties: a sync
 * loop or a test re-reading the same records pays for their text once. Held weakly: the texts
 * go with the records.
 */
const recordTexts = new WeakMap<CrmRecord, Map<string, string>>();

/** How many property lists' texts one record keeps (a page asks for one list, rarely a few). */
const TEXTS_PER_RECORD = 4;

/**
 * The properties a record shows, as the JSON writers below take them: each name, its key as JSON
 * text, its type, and the list as one string (the key of a record's kept texts). Made once per
 * list of shown properties and reused for every record shown with it.
 *
 * @example
 * const columns = wireColumns(['email', 'createdate'], types);
 */
export interface WireColumns {
  readonly names: readonly string[];
  /** `"name":` for each name. */
  readonly keys: readonly string[];
  readonly types: ReadonlyArray<PropertyType | undefined>;
  /** The names joined by NUL. */
  readonly shape: string;
}

/**
 * The {@link WireColumns} of `names`, with their types from `types`.
 *
 * @example
 * wireColumns(['email'], new Map([['email', 'string']])).keys; // ['"email":']
 */
export function wireColumns(names: readonly string[], types: ReadonlyMap<string, PropertyType>): WireColumns {
  return {
    names,
    keys: names.map((name) => `${jsonString(name)}:`),
    types: names.map((name) => types.get(name)),
    shape: names.join('\u0000'),
  };
}

/**
 * One record on the wire as JSON text: exactly `JSON.stringify(toWireRecord(record, names,
 * types))` for the columns' names and types, written directly (a write's answer; a page's
 * records through {@link wireRecordsJson}, which keeps their texts). Its pieces are joined, not
 * added one to the next: adding makes a tree of pieces that every later use of the text walks
 * (a page's text is measured and copied out once per answer), joining makes one flat string.
 *
 * @example
 * return jsonTextResponse(201, wireRecordJson(record, wireColumns(names, types)));
 */
export function wireRecordJson(record: CrmRecord, { names, keys, types }: WireColumns): string {
  const parts: string[] = ['{"id":', jsonString(record.id), ',"properties":{'];
  for (let i = 0; i < names.length; i++) {
    const value = toWireValue(record.properties[names[i]!], types[i]);
    if (i > 0) parts.push(',');
    parts.push(keys[i]!, value === null ? 'null' : jsonString(value));
  }
  parts.push('},"createdAt":', jsonString(record.createdAt), ',"updatedAt":', jsonString(record.updatedAt), ',"archived":', record.archived ? 'true' : 'false');
  if (record.archivedAt !== undefined) parts.push(',"archivedAt":', jsonString(record.archivedAt));
  parts.push('}');
  return parts.join('');
}

/**
 * Records on the wire as JSON text: exactly `JSON.stringify(records.map((record) =>
 * toWireRecord(record, names, types)))` for the columns' names and types, written directly,
 * without the wire objects, and each record's text kept for the next page that shows it with
 * the same properties (test/hubspot/wire.test.ts holds the two equal). Property names start with
 * a letter, so no name is an array index that JSON.stringify would move first.
 *
 * @example
 * const text = `{"results":${wireRecordsJson(page.results, wireColumns(names, types))}}`;
 */
export function wireRecordsJson(records: readonly CrmRecord[], columns: WireColumns): string {
  const { shape } = columns;
  const shown: string[] = new Array(records.length);
  for (let at = 0; at < records.length; at++) {
    const record = records[at]!;
    let texts = recordTexts.get(record);
    let text = texts?.get(shape);
    if (text === undefined) {
      text = wireRecordJson(record, columns);
      if (texts === undefined) recordTexts.set(record, (texts = new Map()));
      else if (texts.size >= TEXTS_PER_RECORD) texts.clear();
      texts.set(shape, text);
    }
    shown[at] = text;
  }
  return `[${shown.join(',')}]`;
}
