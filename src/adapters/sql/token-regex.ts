// A `tokens` pattern (crmkit/storage's tokenMatches) as one POSIX-style regular expression, for
// databases that match text by regex (PostgreSQL's `~`). tokenMatches says: the whole folded
// value matches the glob (`*` = any run of characters), or one of its word tokens does (a run of
// letters, marks and digits: \p{L}\p{M}\p{N}). So the expression is
//   ^glob$   OR   (^|[^W])glob'($|[^W])
// where W is that token class spelled out as code-point ranges (a database's [[:alnum:]] depends
// on its locale and leaves marks out), and glob' is the glob with `*` as [W]* — a token holds
// only W characters, so a pattern with any other character can only match the whole value.
// Every regex operator in the pattern is escaped.

let tokenClass: string | undefined;

/** The ranges of \p{L}\p{M}\p{N}, as the inside of a bracket expression (built once, on first use). */
function tokenCharacters(): string {
  if (tokenClass !== undefined) return tokenClass;
  const word = /^[\p{L}\p{M}\p{N}]$/u;
  const parts: string[] = [];
  let start = -1;
  for (let code = 0; code <= 0x110000; code++) {
    const inside = code < 0x110000 && (code < 0xd800 || code > 0xdfff) && word.test(String.fromCodePoint(code));
    if (inside && start < 0) start = code;
    if (!inside && start >= 0) {
      const last = code - 1;
      parts.push(start === last ? String.fromCodePoint(start) : `${String.fromCodePoint(start)}-${String.fromCodePoint(last)}`);
      start = -1;
    }
  }
  return (tokenClass = parts.join(''));
}

/** Whether `char` (one code point) belongs to a word token. */
const TOKEN_CHAR = /^[\p{L}\p{M}\p{N}]$/u;

/** A literal character, escaped if it is a regex operator. */
const escape = (char: string): string => (/[\\^$.|?*+()[\]{}]/.test(char) ? `\\${char}` : char);

/**
 * The regular expression (PostgreSQL ARE syntax, matched against the folded text) that matches
 * exactly the texts `tokenMatches(text, pattern)` accepts.
 *
 * @example
 * new RegExp(tokenRegex('ac*'), 'u').test('the acme corp'); // true, like tokenMatches('The ACME Corp', 'ac*')
 */
export function tokenRegex(pattern: string): string {
  const parts = pattern.split('*').map((part) => Array.from(part));
  const whole = `^${parts.map((part) => part.map(escape).join('')).join('.*')}$`;
  const tokenOnly = parts.every((part) => part.every((char) => TOKEN_CHAR.test(char)));
  if (!tokenOnly) return whole;
  const w = tokenCharacters();
  const token = parts.map((part) => part.join('')).join(`[${w}]*`);
  return `${whole}|(^|[^${w}])${token}($|[^${w}])`;
}

/**
 * A LIKE pattern (escape `\`) that every folded text matching `pattern` also matches: its
 * literal pieces in order, anything around them; undefined when the pattern has none (`*`).
 * A cheap filter to run before the regular expression, which costs several times a LIKE.
 *
 * @example
 * tokenLike('ac*me'); // '%ac%me%'
 */
export function tokenLike(pattern: string): string | undefined {
  const pieces = pattern.split('*').filter((piece) => piece !== '');
  if (pieces.length === 0) return undefined;
  return `%${pieces.map((piece) => piece.replace(/[\\%_]/g, (char) => `\\${char}`)).join('%')}%`;
}
