// Where a malformed JSON body goes wrong. JSON.parse says *that* a body is malformed, but its
// message differs between Node versions and, on Node 20, often gives no position at all; a
// client fixing its payload needs the line and column. So when JSON.parse fails, this small
// scanner walks the text once more and reports the first offending character. It runs only on
// the error path, so it is written for clarity (and an explicit stack, so deep nesting cannot
// overflow the call stack), not speed.

/**
 * The first syntax error of a JSON text: 1-based `line` and `column`, the 0-based `offset`, and
 * a `reason`; `undefined` when the scanner finds none (the text is JSON).
 *
 * @example
 * jsonSyntaxError('{\n  "a": }'); // { offset: 9, line: 2, column: 8, reason: 'unexpected character "}"' }
 */
export function jsonSyntaxError(text: string): { offset: number; line: number; column: number; reason: string } | undefined {
  const found = firstError(text);
  if (!found) return undefined;
  let line = 1;
  let lineStart = 0;
  for (let at = 0; at < found.offset; at++) {
    if (text.charCodeAt(at) === 10) {
      line++;
      lineStart = at + 1;
    }
  }
  return { offset: found.offset, line, column: found.offset - lineStart + 1, reason: found.reason };
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERALS = ['true', 'false', 'null'] as const;
const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);

function firstError(text: string): { offset: number; reason: string } | undefined {
  let at = 0;
  const containers: Array<'{' | '['> = [];
  let expecting: 'value' | 'key' | 'after' = 'value';
  const unexpected = (): { offset: number; reason: string } =>
    at >= text.length ? { offset: at, reason: 'unexpected end of input' } : { offset: at, reason: `unexpected character ${JSON.stringify(text[at])}` };
  const skipSpace = (): void => {
    while (at < text.length && ' \t\n\r'.includes(text[at]!)) at++;
  };
  // Moves past a string starting at `at`, or answers where it breaks.
  const string = (): { offset: number; reason: string } | undefined => {
    if (text[at] !== '"') return unexpected();
    at++;
    for (;;) {
      if (at >= text.length) return { offset: at, reason: 'unterminated string' };
      const code = text.charCodeAt(at);
      if (code === 34) {
        at++;
        return undefined;
      }
      if (code < 0x20) return { offset: at, reason: 'control character in a string' };
      if (code === 92) {
        const escape = text[at + 1];
        if (escape === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(at + 2, at + 6))) return { offset: at, reason: 'bad \\u escape' };
          at += 6;
          continue;
        }
        if (escape === undefined || !ESCAPES.has(escape)) return { offset: at, reason: 'bad escape' };
        at += 2;
        continue;
      }
      at++;
    }
  };

  for (;;) {
    skipSpace();
    if (expecting === 'key') {
      const broken = string();
      if (broken) return broken;
      skipSpace();
      if (text[at] !== ':') return unexpected();
      at++;
      expecting = 'value';
      continue;
    }
    if (expecting === 'value') {
      const char = text[at];
      if (char === '{' || char === '[') {
        at++;
        skipSpace();
        if (text[at] === (char === '{' ? '}' : ']')) {
          at++;
          expecting = 'after';
        } else {
          containers.push(char);
          expecting = char === '{' ? 'key' : 'value';
        }
        continue;
      }
      if (char === '"') {
        const broken = string();
        if (broken) return broken;
        expecting = 'after';
        continue;
      }
      NUMBER.lastIndex = at;
      if (char !== undefined && (char === '-' || (char >= '0' && char <= '9')) && NUMBER.test(text)) {
        at = NUMBER.lastIndex;
        expecting = 'after';
        continue;
      }
      const literal = LITERALS.find((word) => text.startsWith(word, at));
      if (literal) {
        at += literal.length;
        expecting = 'after';
        continue;
      }
      return unexpected();
    }
    // after a value
    const open = containers[containers.length - 1];
    if (open === undefined) return at < text.length ? unexpected() : undefined;
    const char = text[at];
    if (char === ',') {
      at++;
      expecting = open === '{' ? 'key' : 'value';
    } else if (char === (open === '{' ? '}' : ']')) {
      at++;
      containers.pop();
    } else {
      return unexpected();
    }
  }
}
