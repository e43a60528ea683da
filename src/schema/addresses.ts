// The text rules under the email and domain dedup keys (normaliseEmail and normaliseDomain in
// values.ts): what a user would call the same address must become the same text. Hosts go
// through the platform's IDNA (UTS #46) mapping by way of the WHATWG URL parser, which every
// runtime has (Node, Deno, Bun, browsers, edge workers), so no `node:` module is imported here.

/**
 * Characters nobody sees: format characters (zero-width space and joiners, BOM, soft hyphen,
 * word joiner, bidi controls, tags) and the rest of Default_Ignorable_Code_Point (variation
 * selectors, combining grapheme joiner, Hangul fillers). They arrive by copy and paste from web
 * pages, word processors and PDFs; the user cannot see them, so they are removed, not refused.
 */
const INVISIBLE = /[\p{Cf}\p{Default_Ignorable_Code_Point}]/gu;

const ASCII = /^[\x00-\x7f]*$/;

/** The halfwidth and fullwidth forms block: what East Asian input methods type for ASCII and kana. */
const WIDE = /[\uFF01-\uFFEE]+/g;

/**
 * The text of an address as a user reads it: invisible characters removed, fullwidth and
 * halfwidth forms read as their ordinary characters (`ａｃｍｅ` as `acme`, `＠` as `@`), white
 * space trimmed.
 *
 * @example
 * readableText(' ａｎａ＠ａｃｍｅ.com\u200b '); // 'ana@acme.com'
 */
export function readableText(raw: string): string {
  if (ASCII.test(raw)) return raw.trim();
  let text = raw.replace(INVISIBLE, '');
  // NFKC of this block alone: it maps only width, where NFKC everywhere would also rewrite
  // ligatures, superscripts and letter-like symbols a user may mean as written.
  text = text.replace(WIDE, (wide) => wide.normalize('NFKC'));
  return text.trim();
}

/**
 * `text` in Unicode canonical composition (NFC) and one letter case, chosen so that a string and
 * its `toUpperCase()` always fold alike: lower case of upper case, repeated until it no longer
 * changes. So `ß`, `ẞ` and `SS` fold to `ss`, `ς` and `Σ` to `σ` (or `ς` at a word's end,
 * which `Σ` also becomes), `ı` and `I` to `i`.
 *
 * @example
 * foldCase('STRAẞE'); // 'strasse'
 * foldCase('u\u0308'); // 'ü' (U+00FC)
 */
export function foldCase(text: string): string {
  if (ASCII.test(text)) return text.toLowerCase();
  let folded = text.normalize('NFC');
  // toUpperCase is idempotent for every code point, but lower-of-upper is not quite (ẞ → ß →
  // ss): two rounds reach the fixed point for every code point; the limit only bounds the loop.
  for (let round = 0; round < 4; round++) {
    const next = folded.toUpperCase().normalize('NFC').toLowerCase().normalize('NFC');
    if (next === folded) break;
    folded = next;
  }
  return folded;
}

// RFC 3492's parameters for IDNA.
const BASE = 36;
const T_MIN = 1;
const T_MAX = 26;
const SKEW = 38;
const DAMP = 700;

function adaptBias(delta: number, points: number, first: boolean): number {
  let scaled = first ? Math.floor(delta / DAMP) : delta >> 1;
  scaled += Math.floor(scaled / points);
  let k = 0;
  while (scaled > ((BASE - T_MIN) * T_MAX) >> 1) {
    scaled = Math.floor(scaled / (BASE - T_MIN));
    k += BASE;
  }
  return k + Math.floor(((BASE - T_MIN + 1) * scaled) / (scaled + SKEW));
}

function digitOf(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 22; // '0'-'9' are 26-35
  if (code >= 0x61 && code <= 0x7a) return code - 0x61;
  if (code >= 0x41 && code <= 0x5a) return code - 0x41;
  return BASE;
}

/**
 * The Unicode text of a Punycode string (an A-label without its `xn--`), or `undefined` when it
 * is not valid Punycode (RFC 3492, section 6.2). URL gives A-labels but no way back, and the
 * case folding of a label needs its letters.
 *
 * @example
 * decodePunycode('bcher-kva'); // 'bücher'
 */
export function decodePunycode(encoded: string): string | undefined {
  const delimiter = encoded.lastIndexOf('-');
  const output: number[] = [];
  for (let at = 0; at < Math.max(delimiter, 0); at++) {
    const code = encoded.charCodeAt(at);
    if (code >= 0x80) return undefined;
    output.push(code);
  }
  let n = 0x80;
  let bias = 72;
  let i = 0;
  for (let at = delimiter > 0 ? delimiter + 1 : 0; at < encoded.length; ) {
    const start = i;
    for (let weight = 1, k = BASE; ; k += BASE) {
      if (at >= encoded.length) return undefined;
      const digit = digitOf(encoded.charCodeAt(at++));
      if (digit >= BASE) return undefined;
      i += digit * weight;
      const threshold = k <= bias ? T_MIN : k >= bias + T_MAX ? T_MAX : k - bias;
      if (digit < threshold) break;
      weight *= BASE - threshold;
      if (i > 0x10ffff * (output.length + 1)) return undefined;
    }
    bias = adaptBias(i - start, output.length + 1, start === 0);
    n += Math.floor(i / (output.length + 1));
    i %= output.length + 1;
    if (n > 0x10ffff || (n >= 0xd800 && n <= 0xdfff)) return undefined;
    output.splice(i++, 0, n);
  }
  return String.fromCodePoint(...output);
}

/** Characters a host may not hold before URL reads it: URL would read them as structure or skip them. */
const HOST_SYNTAX = /[\s\p{Cc}%/\\?#@:[\]<>^|"]/u;
/** Label separators: '.', and the ideographic full stop that East Asian keyboards type. */
const DOTS = /[.\u3002]/;
const PLAIN_HOST = /^[a-z0-9-]+(?:\.[a-z0-9-]+)*\.?$/;

/**
 * A host name (a domain, or the part of an email after `@`) as the platform's URL parser writes
 * it: IDNA (UTS #46) mapped and in ASCII, Unicode labels as A-labels (`bücher.de` →
 * `xn--bcher-kva.de`), each label case-folded with {@link foldCase} first, so that `STRASSE.de`,
 * `straße.de` and `xn--strae-oqa.de` are one host. Answers `undefined` when URL refuses it or it
 * holds characters URL would read as more than a host. The shape of the answer (labels, lengths)
 * is left to the caller; a trailing dot stays.
 *
 * @example
 * asciiHost('Bücher.DE'); // 'xn--bcher-kva.de'
 * asciiHost('ａｃｍｅ.com'); // 'acme.com'
 */
export function asciiHost(host: string): string | undefined {
  // Folded (so in NFC) before the syntax check: '<' and U+0338 compose to '≮', a letter URL takes.
  let text = ASCII.test(host) ? host.toLowerCase() : host.split(DOTS).map(foldCase).join('.');
  if (text === '' || HOST_SYNTAX.test(text)) return undefined;
  // Plain ASCII names come back from URL unchanged, except A-labels (which URL checks) and
  // names ending in a number (which URL reads as IPv4 and which no caller accepts).
  if (PLAIN_HOST.test(text) && !text.includes('xn--')) return text;
  // URL's mapping folds case itself, but keeps a few letters their upper case loses (ß, ς, ı):
  // after it, each A-label is read back and folded, until no label changes.
  for (let round = 0; round < 4; round++) {
    let ascii: string;
    try {
      ascii = new URL(`http://${text}`).hostname;
    } catch {
      return undefined;
    }
    if (!ascii.includes('xn--')) return ascii;
    let changed = false;
    const labels = ascii.split('.').map((label) => {
      if (!label.startsWith('xn--')) return label;
      const unicode = decodePunycode(label.slice(4));
      if (unicode === undefined) return label;
      const folded = foldCase(unicode);
      if (folded === unicode) return label;
      changed = true;
      return folded;
    });
    if (!changed) return ascii;
    text = labels.join('.');
  }
  return undefined;
}

const DNS_NAME = /^(?:(?!-)[a-z0-9-]{1,63}(?<!-)\.)+(?!-)[a-z0-9-]{1,63}(?<!-)$/;
/** A last label URL reads as a number: the name is then an IPv4 address, or refused. */
const NUMBER = /^(?:\d+|0x[0-9a-f]*)$/;

/**
 * Whether `host` (lowercase ASCII, as {@link asciiHost} answers) is a domain name: at least two
 * labels of letters, digits and inner hyphens, each at most 63 characters, at most 253 in all,
 * and a last label that is not a number (so `1.2.3.4` is not a domain).
 *
 * @example
 * isDomainName('xn--bcher-kva.de'); // true
 * isDomainName('a.'.repeat(200) + 'com'); // false: 403 characters
 */
export function isDomainName(host: string): boolean {
  return host.length <= 253 && DNS_NAME.test(host) && !NUMBER.test(host.slice(host.lastIndexOf('.') + 1));
}

/**
 * The length of `text` in UTF-8 octets, the unit of the email length limits (RFC 5321).
 *
 * @example
 * utf8Length('bü'); // 3
 */
export function utf8Length(text: string): number {
  let octets = 0;
  for (let at = 0; at < text.length; at++) {
    const unit = text.charCodeAt(at);
    if (unit < 0x80) octets += 1;
    else if (unit < 0x800) octets += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff && at + 1 < text.length && (text.charCodeAt(at + 1) & 0xfc00) === 0xdc00) {
      octets += 4; // a surrogate pair: one code point above U+FFFF
      at++;
    } else octets += 3;
  }
  return octets;
}
