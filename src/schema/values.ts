// One normaliser per property type: each takes what a caller wrote and answers the stored value
// or an Invalid saying why not. Normalising a stored value again answers it unchanged
// (test/records/values.test.ts proves it over all inputs).
import { describeValue, type ValidationIssueCode, type ValidationIssueFacts } from '../errors.js';
import type { PropertyOption, PropertyType, PropertyValue } from '../types.js';
import { asciiHost, foldCase, isDomainName, readableText, utf8Length } from './addresses.js';
import { isStorableText } from '../arguments/ids.js';

/** Why a value was refused: the per-property issue code, a message naming the value, and the code's facts. */
export class Invalid<C extends ValidationIssueCode = ValidationIssueCode> {
  constructor(
    readonly code: C,
    readonly message: string,
    readonly facts?: ValidationIssueFacts[C],
  ) {}
}

/** Takes a written value (never `undefined`) and answers the value to store, `null` to clear, or why not. */
export type Normaliser = (input: unknown) => PropertyValue | Invalid;

/** HubSpot's limit on a string value. */
export const MAX_STRING_LENGTH = 65_536;

/** How a string property's values are read: plain, or as an email or domain (one or a `;` list). */
export type StringFormat = 'plain' | 'email' | 'domain' | 'email_list' | 'domain_list';

/** What a normaliser needs to know about its property. */
export interface ValueRules {
  type: PropertyType;
  /** Multi-select enumeration (fieldType checkbox). */
  multiple?: boolean;
  options?: readonly PropertyOption[];
  format?: StringFormat;
}

/** Builds the normaliser for one property. */
export function normaliserFor(rules: ValueRules): Normaliser {
  switch (rules.type) {
    case 'string':
    case 'phone_number':
      return stringNormaliser(rules.format ?? 'plain');
    case 'number':
      return normaliseNumber;
    case 'bool':
      return normaliseBoolean;
    case 'date':
      return normaliseDate;
    case 'datetime':
      return normaliseDatetime;
    case 'enumeration':
      return rules.multiple ? multiOptionNormaliser(rules.options ?? []) : optionNormaliser(rules.options ?? []);
  }
}

const isEmpty = (input: unknown): boolean => input === null || input === '';

// ---------------------------------------------------------------- strings, emails, domains

function stringNormaliser(format: StringFormat): Normaliser {
  switch (format) {
    case 'plain':
      return normaliseString;
    case 'email':
      return (input) => normaliseKeyed(input, normaliseEmail);
    case 'domain':
      return (input) => normaliseKeyed(input, normaliseDomain);
    case 'email_list':
      return (input) => normaliseList(input, normaliseEmail);
    case 'domain_list':
      return (input) => normaliseList(input, normaliseDomain);
  }
}

// Values and record ids share one rule for the text every storage keeps (arguments/ids.ts).
export { isStorableText };

function unstorable(value: string): Invalid {
  return new Invalid('INVALID_STRING', `${describeValue(value)} holds a NUL character or an unpaired surrogate, which no storage keeps as text`);
}

function normaliseString(input: unknown): PropertyValue | Invalid {
  if (isEmpty(input)) return null;
  let value: string;
  if (typeof input === 'string') value = input;
  else if (typeof input === 'number' && Number.isFinite(input)) value = String(input);
  else return new Invalid('INVALID_STRING', `expected a string, got ${describeValue(input)}`);
  if (value.length > MAX_STRING_LENGTH) return tooLong(value);
  if (!isStorableText(value)) return unstorable(value);
  return value;
}

function tooLong(value: string): Invalid {
  return new Invalid('TOO_LONG', `${describeValue(value)} is longer than ${MAX_STRING_LENGTH} characters`, {
    maxLength: MAX_STRING_LENGTH,
    length: value.length,
  });
}

/**
 * Plain lowercase ASCII emails, nearly all of them, which every rule of normaliseEmail answers
 * unchanged: no '--' in the domain (so no A-label), a top-level domain of letters (so no IPv4
 * address), and, when at most 64 characters long, no label over 63.
 */
const PLAIN_EMAIL = /^[a-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}@(?:[a-z0-9]+(?:-[a-z0-9]+)*\.)+[a-z]{2,63}$/;
/** Plain lowercase ASCII domains, on the same terms as PLAIN_EMAIL. */
const PLAIN_DOMAIN = /^(?:[a-z0-9]+(?:-[a-z0-9]+)*\.)+[a-z]{2,63}$/;
const LOCAL_PART = /^[^\s\p{Cc}@;,<>()[\]"]+$/u;
const MAILTO = /^mailto:/;

/**
 * An email as crmkit compares and stores it, so that every spelling a user would call the same
 * address gives the same text: invisible characters (zero-width space and joiners, BOM, soft
 * hyphen, …) removed, fullwidth forms read as ASCII, trimmed, a leading `mailto:` (and its
 * `?query`) dropped; the local part in NFC and folded to lower case (`ß` as `ss`); the domain in
 * ASCII as the platform's URL writes it (IDNA, `bücher.de` → `xn--bcher-kva.de`). At most 64
 * octets before the `@` and 254 in all (UTF-8). Answers `undefined` when it is not an email.
 *
 * @example
 * normaliseEmail('  John@Orange.COM '); // 'john@orange.com'
 * normaliseEmail('mailto:Ana@Bücher.de'); // 'ana@xn--bcher-kva.de'
 */
export function normaliseEmail(raw: string): string | undefined {
  const plain = raw.trim().toLowerCase();
  if (plain.length <= 64 && PLAIN_EMAIL.test(plain)) return plain;
  // Folded before it is parsed: upper case can turn letters into ASCII ('ı' → 'I', 'ß' → 'SS'),
  // and a string must parse as its upper case does.
  let text = foldCase(readableText(raw));
  if (MAILTO.test(text)) {
    text = text.replace(/\?[^]*$/, '');
    // Every 'mailto:', so that no stored local part starts with one and reads differently again.
    while (MAILTO.test(text)) text = text.slice(7).trim();
  }
  const at = text.lastIndexOf('@');
  if (at <= 0 || !isStorableText(text)) return undefined;
  // Folded again on its own: how a Greek sigma folds depends on its neighbours, so 'mailto:'
  // or a domain beside it must not decide it.
  const local = foldCase(text.slice(0, at));
  if (!LOCAL_PART.test(local) || utf8Length(local) > 64) return undefined;
  const domain = asciiHost(text.slice(at + 1));
  // An email's top-level domain has at least two characters (as before IDNA: 'a@b.c' never was one).
  if (domain === undefined || !isDomainName(domain) || domain.length - domain.lastIndexOf('.') - 1 < 2) return undefined;
  const email = `${local}@${domain}`;
  return utf8Length(email) <= 254 ? email : undefined;
}

/**
 * A domain as crmkit compares and stores it, so that every spelling a user would call the same
 * domain gives the same text: invisible characters removed, fullwidth forms read as ASCII,
 * trimmed; without protocol, credentials, port, path, query, trailing dot or `www.`; in ASCII
 * as the platform's URL writes it (IDNA: `Bücher.de` → `xn--bcher-kva.de`, `STRASSE.de` and
 * `straße.de` → `strasse.de`). Answers `undefined` when it is not a domain: at least two
 * labels, each at most 63 characters, at most 253 in all, a last label that is not a number.
 *
 * @example
 * normaliseDomain('https://www.Orange.com/about'); // 'orange.com'
 * normaliseDomain('ｂüｃｈｅｒ.de'); // 'xn--bcher-kva.de'
 */
export function normaliseDomain(raw: string): string | undefined {
  // Most domains arrive already plain ('orange.com'): the same answer without the rewriting below.
  if (raw.length <= 63 && PLAIN_DOMAIN.test(raw) && !raw.startsWith('www.')) return raw;
  // Folded before it is parsed, as in normaliseEmail.
  let domain = foldCase(readableText(raw));
  domain = domain.replace(/^[a-z][a-z0-9+.-]*:\/\//, ''); // protocol
  domain = domain.replace(/[/?#][^]*$/, ''); // path, query, fragment
  domain = domain.replace(/^[^@]*@/, ''); // credentials
  domain = domain.replace(/:\d*$/, ''); // port
  let host = asciiHost(domain.trim());
  if (host === undefined) return undefined;
  if (host.endsWith('.')) host = host.slice(0, -1);
  while (host.startsWith('www.') && host.indexOf('.', 4) > 0) host = host.slice(4);
  return isDomainName(host) ? host : undefined;
}

function keyedInvalid(normalise: (raw: string) => string | undefined, input: string): Invalid {
  return normalise === normaliseEmail
    ? new Invalid('INVALID_EMAIL', `${describeValue(input)} is not a valid email address`)
    : new Invalid('INVALID_DOMAIN', `${describeValue(input)} is not a valid domain`);
}

function normaliseKeyed(input: unknown, normalise: (raw: string) => string | undefined): PropertyValue | Invalid {
  if (isEmpty(input)) return null;
  if (typeof input !== 'string') return new Invalid('INVALID_STRING', `expected a string, got ${describeValue(input)}`);
  if (input.length > MAX_STRING_LENGTH) return tooLong(input);
  if (!isStorableText(input)) return unstorable(input);
  return normalise(input) ?? keyedInvalid(normalise, input);
}

/** A `;`-separated list (or an array) of emails or domains: each normalised, duplicates dropped. */
function normaliseList(input: unknown, normalise: (raw: string) => string | undefined): PropertyValue | Invalid {
  if (isEmpty(input)) return null;
  let parts: unknown[];
  if (typeof input === 'string') {
    if (input.length > MAX_STRING_LENGTH) return tooLong(input);
    parts = input.split(';');
  } else if (Array.isArray(input)) {
    parts = input;
  } else {
    return new Invalid('INVALID_STRING', `expected a ';'-separated string or an array, got ${describeValue(input)}`);
  }
  const values = new Set<string>();
  for (const part of parts) {
    if (typeof part !== 'string') return new Invalid('INVALID_STRING', `expected strings in the list, got ${describeValue(part)}`);
    if (part.length > MAX_STRING_LENGTH) return tooLong(part);
    if (!isStorableText(part)) return unstorable(part);
    if (part.trim() === '') continue;
    const value = normalise(part);
    if (value === undefined) return keyedInvalid(normalise, part);
    values.add(value);
  }
  if (values.size === 0) return null;
  const joined = [...values].join(';');
  return joined.length > MAX_STRING_LENGTH ? tooLong(joined) : joined;
}

// ---------------------------------------------------------------- numbers and booleans

const NUMBER_TEXT = /^-?(?:\d+\.?\d*|\.\d+)$/;

function normaliseNumber(input: unknown): PropertyValue | Invalid {
  if (isEmpty(input)) return null;
  let value: number;
  if (typeof input === 'number') {
    value = input;
  } else if (typeof input === 'string') {
    const text = input.trim();
    if (text.length > 400 || !NUMBER_TEXT.test(text)) {
      return new Invalid('INVALID_NUMBER', `${describeValue(input)} is not a number (digits, one optional leading '-', one optional '.')`);
    }
    value = Number(text);
  } else {
    return new Invalid('INVALID_NUMBER', `expected a number, got ${describeValue(input)}`);
  }
  if (!Number.isFinite(value)) return new Invalid('INVALID_NUMBER', `${describeValue(input)} is not a finite number`);
  return value === 0 ? 0 : value; // -0 is stored as 0
}

function normaliseBoolean(input: unknown): PropertyValue | Invalid {
  if (isEmpty(input)) return null;
  if (typeof input === 'boolean') return input;
  if (typeof input === 'string') {
    const text = input.trim().toLowerCase();
    if (text === 'true') return true;
    if (text === 'false') return false;
  }
  return new Invalid('INVALID_BOOLEAN', `expected true or false, got ${describeValue(input)}`);
}

// ---------------------------------------------------------------- dates and datetimes

const DATE_TEXT = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME_TEXT = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):?(\d{2}))$/i;
const EPOCH_TEXT = /^-?\d{1,16}$/;
/** 0001-01-01 and 9999-12-31T23:59:59.999Z: what 'YYYY-MM-DD' and toISOString can write. */
const MIN_TIME = -62135596800000;
const MAX_TIME = 253402300799999;
const DAY = 86_400_000;

/** Reads a date or datetime input as epoch milliseconds, or answers why it is not one. */
function readTime(input: unknown): number | Invalid {
  let time: number;
  if (input instanceof Date) {
    time = input.getTime();
  } else if (typeof input === 'number') {
    if (!Number.isInteger(input)) return new Invalid('INVALID_DATE', `${describeValue(input)} is not a whole number of epoch milliseconds`);
    time = input;
  } else if (typeof input === 'string') {
    const text = input.trim();
    const date = DATE_TEXT.exec(text);
    if (date) {
      // setUTCFullYear, unlike Date.UTC, reads years 1-99 literally; it rolls 2026-02-30
      // over to March, so a real date is one that reads back the same.
      const day = new Date(0);
      time = day.setUTCFullYear(Number(date[1]), Number(date[2]) - 1, Number(date[3]));
      if (Number.isNaN(time) || time < MIN_TIME || new Date(time).toISOString().slice(0, 10) !== text) {
        return new Invalid('INVALID_DATE', `${describeValue(input)} is not a calendar date`);
      }
      return time;
    }
    if (EPOCH_TEXT.test(text)) time = Number(text);
    else if (text.length <= 40 && isIsoDatetime(text)) time = Date.parse(text);
    else return new Invalid('INVALID_DATE', `${describeValue(input)} is not a date (YYYY-MM-DD), an ISO-8601 datetime with a time zone, or epoch milliseconds`);
  } else {
    return new Invalid('INVALID_DATE', `expected a date, got ${describeValue(input)}`);
  }
  if (Number.isNaN(time) || time < MIN_TIME || time > MAX_TIME) {
    return new Invalid('INVALID_DATE', `${describeValue(input)} is not a valid time between years 1 and 9999`);
  }
  return time;
}

/**
 * Whether `text` is an ISO-8601 datetime with a time zone whose fields are in range: Date.parse
 * alone would roll 2026-02-30T10:00Z over to March 2.
 */
function isIsoDatetime(text: string): boolean {
  const match = DATETIME_TEXT.exec(text);
  if (!match) return false;
  const [, day, hours, minutes, seconds, zoneHours, zoneMinutes] = match;
  const inRange = (value: string | undefined, max: number): boolean => value === undefined || Number(value) <= max;
  return (
    !(readTime(day) instanceof Invalid) &&
    inRange(hours, 23) &&
    inRange(minutes, 59) &&
    inRange(seconds, 59) &&
    inRange(zoneHours, 23) &&
    inRange(zoneMinutes, 59)
  );
}

function normaliseDate(input: unknown): PropertyValue | Invalid {
  if (isEmpty(input)) return null;
  const time = readTime(input);
  if (time instanceof Invalid) return time;
  if (((time % DAY) + DAY) % DAY !== 0) {
    return new Invalid('INVALID_DATE', `${describeValue(input)} is not midnight UTC; a date property holds whole days`);
  }
  return new Date(time).toISOString().slice(0, 10);
}

function normaliseDatetime(input: unknown): PropertyValue | Invalid {
  if (isEmpty(input)) return null;
  const time = readTime(input);
  return time instanceof Invalid ? time : new Date(time).toISOString();
}

// ---------------------------------------------------------------- enumerations

function optionText(input: unknown): string | undefined {
  if (typeof input === 'string') return input;
  if (typeof input === 'boolean' || (typeof input === 'number' && Number.isFinite(input))) return String(input);
  return undefined;
}

function invalidOption(input: unknown, options: readonly PropertyOption[]): Invalid {
  const allowed = options.map((option) => option.value);
  const shown = allowed.length > 12 ? `${allowed.slice(0, 12).join(', ')}, …` : allowed.join(', ');
  return new Invalid('INVALID_OPTION', `${describeValue(input)} is not one of the allowed options (${shown || 'none'})`, {
    allowed,
  });
}

function optionNormaliser(options: readonly PropertyOption[]): Normaliser {
  const values = new Set(options.map((option) => option.value));
  return (input) => {
    if (isEmpty(input)) return null;
    const text = optionText(input);
    return text !== undefined && values.has(text) ? text : invalidOption(input, options);
  };
}

/** A multi-select: an array or a `;`-separated string; stored as an array in the options' order. */
function multiOptionNormaliser(options: readonly PropertyOption[]): Normaliser {
  const rank = new Map(options.map((option, at) => [option.value, at]));
  return (input) => {
    if (isEmpty(input)) return null;
    let parts: unknown[];
    if (typeof input === 'string') parts = input.split(';');
    else if (Array.isArray(input)) parts = input;
    else return invalidOption(input, options);
    const chosen = new Set<string>();
    for (const part of parts) {
      const text = optionText(part);
      if (text === '') continue;
      if (text === undefined || !rank.has(text)) return invalidOption(part, options);
      chosen.add(text);
    }
    if (chosen.size === 0) return null;
    return Object.freeze([...chosen].sort((a, b) => rank.get(a)! - rank.get(b)!)) as string[];
  };
}
