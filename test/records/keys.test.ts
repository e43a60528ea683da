// Dedup keys as a user sees them (docs/records.md "Emails and domains"): every spelling a user
// would call the same address — letter case, NFC or NFD, fullwidth forms, IDNA U-label or
// A-label, invisible characters, white space, `mailto:`, and for domains protocol, `www.`, port,
// path and trailing dot — is one key; a string and its upper case are one key or one refusal;
// the limits hold on every path; the canonical form normalises to itself.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Crm } from 'crmkit';
import { decodePunycode, foldCase, utf8Length } from '../../src/schema/addresses.js';
import { Invalid, normaliseDomain, normaliseEmail, normaliserFor, type StringFormat } from '../../src/schema/values.js';
import type { PropertyValue } from '../../src/types.js';
import { expectCrmError, issueCodes, testCrm } from '../helpers.js';

/** `npm run fuzz` multiplies the runs (CRMKIT_FUZZ_SCALE); `npm test` keeps them quick. */
const FUZZ_SCALE = Number(process.env.CRMKIT_FUZZ_SCALE ?? 1);

const FORMATS: StringFormat[] = ['email', 'domain', 'email_list', 'domain_list'];
const normalise = (format: StringFormat, input: unknown): PropertyValue | Invalid => normaliserFor({ type: 'string', format })(input);

/** A normaliser's answer in a form toEqual compares: the value, or the refusal's code. */
const outcome = (result: PropertyValue | Invalid): unknown => (result instanceof Invalid ? { refused: result.code } : result);

const utf8 = (text: string): number => new TextEncoder().encode(text).length;

// ---------------------------------------------------------------- what the stored forms look like

/** A domain as stored: lowercase ASCII labels (A-labels for Unicode), each 1–63, 253 in all. */
function isStoredDomain(value: string): boolean {
  const labels = value.split('.');
  return (
    value.length <= 253 &&
    labels.length >= 2 &&
    labels.every((label) => /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(label)) &&
    !/^\d+$/.test(labels.at(-1)!)
  );
}

/** An email as stored: an NFC local part of at most 64 octets, a stored domain, 254 octets in all. */
function isStoredEmail(value: string): boolean {
  const at = value.lastIndexOf('@');
  const local = value.slice(0, at);
  return (
    at > 0 &&
    utf8(local) <= 64 &&
    utf8(value) <= 254 &&
    local === local.normalize('NFC') &&
    !/[\s@]|[\p{Cf}\p{Default_Ignorable_Code_Point}]/u.test(local) &&
    isStoredDomain(value.slice(at + 1))
  );
}

// ---------------------------------------------------------------- the pairs of the issue, through the API

const EMAIL_PAIRS: [string, string, string][] = [
  ['an IDNA U-label and its A-label', 'ana@bücher.de', 'ana@xn--bcher-kva.de'],
  ['NFC and NFD', 'j\u00fcrgen@b\u00fccher.de', 'ju\u0308rgen@bu\u0308cher.de'],
  ['a fullwidth domain', 'ana@ａｃｍｅ.com', 'ana@acme.com'],
  ['a zero-width space inside', 'an\u200ba@acme.com', 'ana@acme.com'],
  ['a zero-width space after', 'ana@acme.com\u200b', 'ana@acme.com'],
  ['mailto:', 'mailto:ana@acme.com', 'ana@acme.com'],
];

const DOMAIN_PAIRS: [string, string, string][] = [
  ['an IDNA U-label and its A-label', 'bücher.de', 'xn--bcher-kva.de'],
  ['NFC and NFD', 'b\u00fccher.de', 'bu\u0308cher.de'],
  ['fullwidth', 'ａｃｍｅ.com', 'acme.com'],
  ['a zero-width space inside', 'ac\u200bme.com', 'acme.com'],
  ['a zero-width space after', 'acme.com\u200b', 'acme.com'],
];

/** Each pair in both orders: whichever spelling comes first, the second is the same record. */
const bothOrders = (pairs: [string, string, string][]): [string, string, string][] =>
  pairs.flatMap(([name, a, b]) => [
    [`${name} (${JSON.stringify(a)} first)`, a, b],
    [`${name} (${JSON.stringify(b)} first)`, b, a],
  ]);

async function expectSameRecord(crm: Crm, type: 'contacts' | 'companies', property: string, id: string, first: string, second: string): Promise<void> {
  for (const spelling of [first, second]) {
    expect((await crm.records.getBy(type, property, spelling))?.id, `getBy ${JSON.stringify(spelling)}`).toBe(id);
  }
}

describe('contacts: each spelling of one email is one contact', () => {
  it.each(bothOrders(EMAIL_PAIRS))('email: %s', async (_name, first, second) => {
    const { crm } = await testCrm();
    const ana = await crm.records.create('contacts', { email: first });
    const key = ana.properties.email as string;
    expect(isStoredEmail(key), key).toBe(true);
    const error = await expectCrmError(crm.records.create('contacts', { email: second }), 'DUPLICATE_RECORD');
    expect(error.details.existingId).toBe(ana.id);
    expect(error.details.conflicts).toEqual([{ index: 0, property: 'email', value: key, existingId: ana.id }]);
    await expectSameRecord(crm, 'contacts', 'email', ana.id, first, second);
  });

  it.each(bothOrders(EMAIL_PAIRS))('hs_additional_emails: %s', async (_name, first, second) => {
    const { crm } = await testCrm();
    const ana = await crm.records.create('contacts', { email: 'ana@home.example', hs_additional_emails: `bo@x.example;${first}` });
    const error = await expectCrmError(
      crm.records.create('contacts', { email: 'cy@home.example', hs_additional_emails: second }),
      'DUPLICATE_RECORD',
    );
    expect(error.details.existingId).toBe(ana.id);
    // The additional emails share one namespace with the primary ones.
    await expectCrmError(crm.records.create('contacts', { email: second }), 'DUPLICATE_RECORD');
    await expectSameRecord(crm, 'contacts', 'email', ana.id, first, second);
  });

  it('an email and its upper case are one contact, whatever the letters (ß, ı, ς)', async () => {
    const { crm } = await testCrm();
    for (const email of ['straße@bücher.de', 'yıldız@acme.com', 'ας@ελ.gr']) {
      const contact = await crm.records.create('contacts', { email });
      const error = await expectCrmError(crm.records.create('contacts', { email: email.toUpperCase() }), 'DUPLICATE_RECORD');
      expect(error.details.existingId).toBe(contact.id);
      expect((await crm.records.getBy('contacts', 'email', email.toUpperCase()))?.id).toBe(contact.id);
    }
  });
});

describe('companies: each spelling of one domain is one company', () => {
  it.each(bothOrders(DOMAIN_PAIRS))('domain: %s', async (_name, first, second) => {
    const { crm } = await testCrm();
    const acme = await crm.records.create('companies', { name: 'Acme', domain: first });
    const key = acme.properties.domain as string;
    expect(isStoredDomain(key), key).toBe(true);
    const error = await expectCrmError(crm.records.create('companies', { name: 'Acme 2', domain: second }), 'DUPLICATE_RECORD');
    expect(error.details.existingId).toBe(acme.id);
    expect(error.details.conflicts).toEqual([{ index: 0, property: 'domain', value: key, existingId: acme.id }]);
    await expectSameRecord(crm, 'companies', 'domain', acme.id, first, second);
  });

  it.each(bothOrders(DOMAIN_PAIRS))('hs_additional_domains: %s', async (_name, first, second) => {
    const { crm } = await testCrm();
    const acme = await crm.records.create('companies', { name: 'Acme', domain: 'acme.example', hs_additional_domains: `acme.test;${first}` });
    const error = await expectCrmError(
      crm.records.create('companies', { name: 'Acme 2', domain: 'other.example', hs_additional_domains: second }),
      'DUPLICATE_RECORD',
    );
    expect(error.details.existingId).toBe(acme.id);
    await expectCrmError(crm.records.create('companies', { name: 'Acme 3', domain: second }), 'DUPLICATE_RECORD');
    await expectSameRecord(crm, 'companies', 'domain', acme.id, first, second);
  });

  it("a contact's email in a Unicode spelling finds the company of the A-label domain (autoAssociateByDomain)", async () => {
    const { crm } = await testCrm({ autoAssociateByDomain: true });
    const buecher = await crm.records.create('companies', { name: 'Bücher', domain: 'xn--bcher-kva.de' });
    const ana = await crm.records.create('contacts', { email: 'ANA@BU\u0308CHER.DE' });
    const { results } = await crm.associations.list(ana, 'companies');
    expect(results.map((result) => result.id)).toEqual([buecher.id]);
  });
});

// ---------------------------------------------------------------- limits on every path

describe('the length limits hold on every path', () => {
  const domain403 = `${'a.'.repeat(200)}com`;

  it('a 403-character domain is INVALID_DOMAIN in lower case, upper case and mixed case alike', async () => {
    const { crm } = await testCrm();
    for (const domain of [domain403, domain403.toUpperCase(), `A${domain403.slice(1)}`, ` ${domain403}`]) {
      expect(normaliseDomain(domain), domain.slice(0, 12)).toBeUndefined();
      const error = await expectCrmError(crm.records.create('companies', { name: 'A', domain }), 'VALIDATION_ERROR');
      expect(issueCodes(error)).toEqual(['INVALID_DOMAIN']);
      const listed = await expectCrmError(crm.records.create('companies', { name: 'A', hs_additional_domains: `acme.com;${domain}` }), 'VALIDATION_ERROR');
      expect(issueCodes(listed)).toEqual(['INVALID_DOMAIN']);
    }
  });

  it('an item of an email or domain list given as an array is held to the string limit too (TOO_LONG, not read)', () => {
    for (const [format, valid] of [['email_list', 'ana@acme.com'], ['domain_list', 'acme.com']] as const) {
      const result = normalise(format, [valid, 'a'.repeat(70_000)]);
      expect(outcome(result)).toEqual({ refused: 'TOO_LONG' });
    }
  });

  it.each([
    ['253 characters', true, `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`],
    ['254 characters', false, `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(62)}`],
    ['a label of 63', true, `${'a'.repeat(63)}.com`],
    ['a label of 64', false, `${'a'.repeat(64)}.com`],
    ['a Unicode label whose A-label is 63', true, `ü${'a'.repeat(55)}.com`],
    ['a Unicode label whose A-label is 64', false, `ü${'a'.repeat(56)}.com`],
    ['a last label that is a number (an IPv4 address)', false, '1.2.3.4'],
    ['a last label that is a hexadecimal number', false, 'acme.0x1f'],
  ])('a domain of %s: accepted %s, in every letter case', (_name, accepted, domain) => {
    for (const spelling of [domain, domain.toUpperCase(), `https://www.${domain}/`]) {
      const key = normaliseDomain(spelling);
      if (accepted) expect(key !== undefined && isStoredDomain(key), spelling).toBe(true);
      else expect(key, spelling).toBeUndefined();
    }
  });

  it.each([
    ['a local part of 64 octets', true, `${'a'.repeat(64)}@acme.com`],
    ['a local part of 65 octets', false, `${'a'.repeat(65)}@acme.com`],
    ['a Unicode local part of 64 octets', true, `${'ü'.repeat(32)}@acme.com`],
    ['a Unicode local part of 66 octets', false, `${'ü'.repeat(33)}@acme.com`],
    ['254 octets', true, `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(57)}.com`],
    ['255 octets', false, `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(58)}.com`],
    ['a numeric last label', false, 'ana@10.0.0.1'],
  ])('an email of %s: accepted %s, in every letter case', (_name, accepted, email) => {
    for (const spelling of [email, email.toUpperCase(), `mailto:${email}`]) {
      const key = normaliseEmail(spelling);
      if (accepted) expect(key !== undefined && isStoredEmail(key), spelling).toBe(true);
      else expect(key, spelling).toBeUndefined();
    }
  });
});

// ---------------------------------------------------------------- invisible characters

const INVISIBLES = [
  '\u00ad', // soft hyphen
  '\u034f', // combining grapheme joiner
  '\u061c', // Arabic letter mark
  '\u180e', // Mongolian vowel separator
  '\u200b', // zero-width space
  '\u200c', // zero-width non-joiner
  '\u200d', // zero-width joiner
  '\u200e', // left-to-right mark
  '\u202e', // right-to-left override
  '\u2060', // word joiner
  '\u2064', // invisible plus
  '\ufe0f', // variation selector 16
  '\ufeff', // BOM, zero-width no-break space
  '\u{e0001}', // language tag
  '\u{e0100}', // variation selector 17
];

describe('invisible characters', () => {
  it.each(INVISIBLES.map((char) => [`U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`, char]))(
    '%s anywhere in an email or a domain is removed',
    (_name, char) => {
      expect(normaliseEmail(`${char}an${char}a@ac${char}me.com${char}`)).toBe('ana@acme.com');
      expect(normaliseEmail(`mai${char}lto:ana@b${char}ücher.de`)).toBe('ana@xn--bcher-kva.de');
      expect(normaliseDomain(`${char}ac${char}me.com${char}`)).toBe('acme.com');
      expect(normaliseDomain(`https://ww${char}w.ac${char}me.com/`)).toBe('acme.com');
      expect(normaliseDomain(`x${char}n--bcher-kva.de`)).toBe('xn--bcher-kva.de');
    },
  );
});

// ---------------------------------------------------------------- spellings of one address (property)

const LETTERS = [...'abcdefghijklmnopqrstuvwxyz0123456789', 'ü', 'é', 'ñ', 'ø', 'å', 'ж', 'ß', 'ς', 'σ', 'ı', 'ǅ', '中', 'ﬀ', 'ᾳ'];
const letterArb = fc.constantFrom(...LETTERS);
const labelArb = fc
  .tuple(fc.array(letterArb, { minLength: 1, maxLength: 8 }), fc.option(fc.array(letterArb, { minLength: 1, maxLength: 6 })))
  .map(([head, tail]) => head.join('') + (tail ? `-${tail.join('')}` : ''));
const domainArb = fc
  .tuple(fc.array(labelArb, { minLength: 1, maxLength: 3 }), fc.constantFrom('com', 'de', 'co.uk', 'рф', 'xn--p1ai', 'ελ'))
  .map(([labels, tld]) => `${labels.join('.')}.${tld}`);
const localArb = fc
  .array(fc.oneof(letterArb, fc.constantFrom('.', '_', '+', '-', "'")), { minLength: 1, maxLength: 16 })
  .map((chars) => chars.join(''));

/** The A-label spelling of a domain, as the platform's URL writes it (the test's own oracle). */
const aLabels = (domain: string): string => new URL(`http://${domain}`).hostname;

/** Ways to write one text that a user reads as the same: each applied or not, in this order. */
interface Spelling {
  aLabel: boolean;
  upper: boolean[];
  nfd: boolean;
  wide: boolean[];
  invisible: [number, string][];
  before: string;
  after: string;
}

const spellingArb: fc.Arbitrary<Spelling> = fc.record({
  aLabel: fc.boolean(),
  upper: fc.array(fc.boolean(), { minLength: 1, maxLength: 12 }),
  nfd: fc.boolean(),
  wide: fc.array(fc.boolean(), { minLength: 1, maxLength: 12 }),
  invisible: fc.array(fc.tuple(fc.nat(), fc.constantFrom(...INVISIBLES)), { maxLength: 3 }),
  before: fc.constantFrom('', ' ', '\t', '\u00a0', '\u3000 '),
  after: fc.constantFrom('', ' ', '\n', '\u2003'),
});

/** `text` in the letters of `spelling`: some characters upper case, NFD, fullwidth, invisible ones among them, white space around. */
function respell(text: string, spelling: Spelling): string {
  let chars = [...text].map((char, at) => (spelling.upper[at % spelling.upper.length] ? char.toUpperCase() : char));
  chars = [...(spelling.nfd ? chars.join('').normalize('NFD') : chars.join('').normalize('NFC'))];
  chars = chars.map((char, at) => {
    const code = char.charCodeAt(0);
    return spelling.wide[at % spelling.wide.length] && code > 0x20 && code < 0x7f ? String.fromCharCode(code + 0xfee0) : char;
  });
  for (const [position, invisible] of spelling.invisible) chars.splice(position % (chars.length + 1), 0, invisible);
  return spelling.before + chars.join('') + spelling.after;
}

const emailSpellingArb = fc
  .tuple(localArb, domainArb, spellingArb, fc.constantFrom('', 'mailto:', 'MailTo:', 'mailto:?'))
  .map(([local, domain, spelling, mailto]) => {
    const address = `${local}@${spelling.aLabel ? aLabels(domain) : domain}`;
    const written = mailto === 'mailto:?' ? `mailto:${address}?subject=Hello` : mailto + address;
    return { canonical: `${local}@${domain}`, written: respell(written, spelling) };
  });

const domainSpellingArb = fc
  .tuple(
    domainArb,
    spellingArb,
    fc.constantFrom('', 'http://', 'https://', 'https://www.', 'www.', 'user:pw@'),
    fc.constantFrom('', '/', '/about?x=1#top', ':8080', '.', ':443/'),
  )
  .map(([domain, spelling, prefix, suffix]) => ({
    canonical: domain,
    written: respell(prefix + (spelling.aLabel ? aLabels(domain) : domain) + suffix, spelling),
  }));

describe('every spelling of one address is one key (property)', () => {
  it('emails: case, NFC/NFD, fullwidth, U-label/A-label, invisible characters, white space, mailto:', () => {
    fc.assert(
      fc.property(emailSpellingArb, emailSpellingArb, fc.context(), (one, other, ctx) => {
        const key = normaliseEmail(one.canonical);
        expect(key, one.canonical).toBeDefined();
        ctx.log(`${JSON.stringify(one.written)} → ${JSON.stringify(normaliseEmail(one.written))}, canonical ${key}`);
        expect(normaliseEmail(one.written)).toBe(key);
        expect(isStoredEmail(key!)).toBe(true);
        // Another address is another key unless both are one address.
        if (normaliseEmail(other.canonical) === key) return;
        expect(normaliseEmail(other.written)).not.toBe(key);
      }),
      { numRuns: 400 * FUZZ_SCALE },
    );
  });

  it('domains: the same, and protocol, www., credentials, port, path and trailing dot', () => {
    fc.assert(
      fc.property(domainSpellingArb, (one) => {
        const key = normaliseDomain(one.canonical);
        expect(key, one.canonical).toBeDefined();
        expect(normaliseDomain(one.written), JSON.stringify(one.written)).toBe(key);
        expect(isStoredDomain(key!)).toBe(true);
      }),
      { numRuns: 400 * FUZZ_SCALE },
    );
  });

  it('a U-label domain and its A-label are one key on both normalisers, including for ß, ς and ı', () => {
    fc.assert(
      fc.property(domainArb, (domain) => {
        expect(normaliseDomain(aLabels(domain))).toBe(normaliseDomain(domain));
        expect(normaliseEmail(`ana@${aLabels(domain)}`)).toBe(normaliseEmail(`ana@${domain}`));
      }),
      { numRuns: 200 * FUZZ_SCALE },
    );
    expect(normaliseDomain('xn--strae-oqa.de')).toBe(normaliseDomain('STRASSE.DE'));
    expect(normaliseDomain('straße.de')).toBe('strasse.de');
  });
});

// ---------------------------------------------------------------- upper case and idempotence over all strings

/** Pieces that meet the rules' corners: case mappings that are not one-to-one, dots, A-labels, structure. */
const PIECES = [
  ...'aZ@.;:/-1 ',
  'ß', 'ẞ', 'ς', 'Σ', 'ı', 'İ', 'ǅ', 'ﬀ', 'ŉ', 'ǰ', 'ᾳ', '𝚤', '\u212a', '\u212b', 'ü', 'u\u0308', 'U\u0308',
  '≮', '<\u0338', '\u200b', '\u200d', '\u00ad', '\ufeff', 'ａ', 'Ｚ', '＠', '．', '。', '｡', 'ｶﾞ', '\u3000',
  'xn--', 'XN--', 'bcher-kva', 'strae-oqa', 'mailto:', 'www.', 'http://', '%41', '0x', '.de', '.com', '.123', '\u0000', '\ud800',
];
const piecesArb = fc.array(fc.constantFrom(...PIECES), { maxLength: 14 }).map((pieces) => pieces.join(''));
/** ASCII near misses of plain addresses: hyphens, A-label prefixes, numbers, long labels (the fast paths' edges). */
const asciiAddressArb = fc
  .tuple(
    fc.array(fc.constantFrom('a', 'z', '0', '9', '-', '--', '.', 'xn--', 'www.', '0x', 'q'.repeat(30), 'mailto:'), { maxLength: 8 }),
    fc.constantFrom('', '@', '@@'),
    fc.array(fc.constantFrom('a', 'z', '0', '9', '-', '--', '.', 'xn--', 'www.', '0x', 'q'.repeat(30), 'com', 'bcher-kva'), { maxLength: 10 }),
  )
  .map(([local, at, domain]) => local.join('') + at + domain.join(''));
const anyTextArb = fc.oneof(
  asciiAddressArb,
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.string({ maxLength: 30 }),
  piecesArb,
  fc.tuple(piecesArb, fc.constantFrom('@', '@x.', '.'), piecesArb).map(([a, at, b]) => a + at + b),
  emailSpellingArb.map((spelling) => spelling.written),
  domainSpellingArb.map((spelling) => spelling.written),
);

describe('a string and its upper case: one key or one refusal (property, over all strings)', () => {
  it.each(FORMATS)('%s', (format) => {
    fc.assert(
      fc.property(anyTextArb, (text) => {
        expect(outcome(normalise(format, text.toUpperCase())), JSON.stringify(text)).toEqual(outcome(normalise(format, text)));
      }),
      { numRuns: 500 * FUZZ_SCALE },
    );
  });

  it('normaliseEmail and normaliseDomain', () => {
    fc.assert(
      fc.property(anyTextArb, (text) => {
        expect(normaliseEmail(text.toUpperCase()), JSON.stringify(text)).toBe(normaliseEmail(text));
        expect(normaliseDomain(text.toUpperCase()), JSON.stringify(text)).toBe(normaliseDomain(text));
      }),
      { numRuns: 500 * FUZZ_SCALE },
    );
  });

  it('foldCase: a string and its upper case fold alike, NFC and NFD fold alike, and a folded string folds to itself', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 20 }), piecesArb), (text) => {
        const folded = foldCase(text);
        expect(foldCase(text.toUpperCase())).toBe(folded);
        expect(foldCase(text.normalize('NFD'))).toBe(folded);
        expect(foldCase(folded)).toBe(folded);
      }),
      { numRuns: 500 * FUZZ_SCALE },
    );
    expect(['ß', 'ẞ', 'SS', 'ss'].map(foldCase)).toEqual(['ss', 'ss', 'ss', 'ss']);
  });
});

describe('the fast paths answer what the full rules answer (property, over all strings)', () => {
  it('a zero-width space appended (which takes the full rules) changes no answer', () => {
    fc.assert(
      fc.property(anyTextArb, (text) => {
        expect(normaliseEmail(`${text}\u200b`), JSON.stringify(text)).toBe(normaliseEmail(text));
        expect(normaliseDomain(`${text}\u200b`), JSON.stringify(text)).toBe(normaliseDomain(text));
      }),
      { numRuns: 500 * FUZZ_SCALE },
    );
  });
});

describe('the canonical form normalises to itself (property, over all strings)', () => {
  it.each(FORMATS)('%s: a stored value normalises to itself, and has the stored shape', (format) => {
    fc.assert(
      fc.property(anyTextArb, (text) => {
        const once = normalise(format, text);
        if (once instanceof Invalid || once === null) return;
        expect(normalise(format, once), JSON.stringify(text)).toBe(once);
        const items = (once as string).split(';');
        expect(items.every(format.startsWith('email') ? isStoredEmail : isStoredDomain), JSON.stringify(once)).toBe(true);
      }),
      { numRuns: 500 * FUZZ_SCALE },
    );
  });
});

// ---------------------------------------------------------------- reading A-labels back

describe('decodePunycode', () => {
  it('reads RFC 3492 and IDNA examples', () => {
    expect(decodePunycode('bcher-kva')).toBe('bücher');
    expect(decodePunycode('mxa8a')).toBe('ας');
    expect(decodePunycode('3B-ww4c5e180e575a65lsy2b')).toBe('3年B組金八先生');
    expect(decodePunycode('egbpdaj6bu4bxfgehfvwxn')).toBe('ليهمابتكلموشعربي؟');
  });

  it('refuses what is not Punycode', () => {
    for (const bad of ['ü-abc', 'abc-!', 'abc-9', '99999999999999999999']) expect(decodePunycode(bad), bad).toBeUndefined();
  });

  it("reads back every A-label URL writes: URL writes the text it reads as that A-label again (property)", () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 10 }), (text) => {
        let label: string;
        try {
          label = new URL(`http://${text}.com`).hostname.split('.')[0]!;
        } catch {
          return;
        }
        if (!label.startsWith('xn--')) return;
        const unicode = decodePunycode(label.slice(4));
        expect(unicode).toBeDefined();
        expect(new URL(`http://${unicode}.com`).hostname.split('.')[0]).toBe(label);
      }),
      { numRuns: 500 * FUZZ_SCALE },
    );
  });
});

describe('utf8Length', () => {
  it('counts the octets TextEncoder writes, for any string (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), piecesArb), (text) => {
        expect(utf8Length(text)).toBe(utf8(text));
      }),
      { numRuns: 300 * FUZZ_SCALE },
    );
  });
});
