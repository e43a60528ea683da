// The guides ship with the package and every link in them works where they are read: in the
// installed package (node_modules/crmkit), where only what `npm pack` packs exists. Checks the
// file list `npm pack --dry-run` answers against the working tree, or, with CRMKIT_PACKED_DIR
// (.ci/packaging.sh sets it), an extracted tarball.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const project = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

interface Packed {
  /** Where the packed files' contents are read from. */
  dir: string;
  /** The packed files, relative to `dir`, with '/' separators. */
  files: ReadonlySet<string>;
}

function walk(dir: string, base = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? walk(path, base) : [relative(base, path).split('\\').join('/')];
  });
}

function packed(): Packed {
  const dir = process.env.CRMKIT_PACKED_DIR;
  if (dir) return { dir, files: new Set(walk(dir)) };
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: project, encoding: 'utf8' });
  const [report] = JSON.parse(out) as [{ files: { path: string }[] }];
  return { dir: project, files: new Set(report.files.map((file) => file.path)) };
}

/** A link in a markdown text: where it points and the line it is on (1-based). */
interface MarkdownLink {
  target: string;
  line: number;
}

/** Blanks fenced code blocks and code spans (keeping line numbers): links in code are not links. */
function withoutCode(markdown: string): string {
  let fence: string | undefined;
  return markdown
    .split('\n')
    .map((line) => {
      const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
      if (fence !== undefined) {
        if (marker && marker[0] === fence[0] && marker.length >= fence.length) fence = undefined;
        return '';
      }
      if (marker) {
        fence = marker;
        return '';
      }
      return line.replace(/(`+)[^`]*?\1/g, (span) => ' '.repeat(span.length));
    })
    .join('\n');
}

/**
 * The inline links, images and reference definitions of a markdown text, outside code.
 *
 * @example
 * markdownLinks('see [errors](docs/errors.md)'); // [{ target: 'docs/errors.md', line: 1 }]
 */
function markdownLinks(markdown: string): MarkdownLink[] {
  const links: MarkdownLink[] = [];
  withoutCode(markdown)
    .split('\n')
    .forEach((text, index) => {
      for (const match of text.matchAll(/\]\(\s*<?([^()\s<>]+)>?(?:\s+"[^"]*")?\s*\)/g)) links.push({ target: match[1]!, line: index + 1 });
      const definition = /^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/.exec(text);
      if (definition) links.push({ target: definition[1]!, line: index + 1 });
    });
  return links;
}

/**
 * GitHub's anchors for a markdown text's headings: lowercased, punctuation dropped, spaces as
 * '-', a repeated one suffixed -1, -2, ….
 *
 * @example
 * headingAnchors('# Node 24\n## Node 24'); // Set { 'node-24', 'node-24-1' }
 */
function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  const original = markdown.split('\n');
  withoutCode(markdown)
    .split('\n')
    .forEach((line, index) => {
      // Code blocks are blanked; a heading's code spans count, by their text (GitHub drops the backticks).
      if (!/^#{1,6}\s/.test(line)) return;
      const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(original[index]!.replace(/`/g, ''))![1]!;
      const slug = heading.toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
      const count = seen.get(slug) ?? 0;
      seen.set(slug, count + 1);
      anchors.add(count === 0 ? slug : `${slug}-${count}`);
    });
  return anchors;
}

/** Each broken relative link of the shipped markdown files, as 'file:line: target (why)'. */
function brokenLinks({ dir, files }: Packed): string[] {
  const broken: string[] = [];
  const read = (file: string): string => readFileSync(join(dir, file), 'utf8');
  for (const file of [...files].filter((path) => path.endsWith('.md'))) {
    for (const { target, line } of markdownLinks(read(file))) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:: not a file of the package
      const [path = '', anchor] = target.split('#');
      const resolved = path === '' ? file : posix.normalize(posix.join(posix.dirname(file), decodeURI(path)));
      const where = `${file}:${line}: ${target}`;
      const isDir = [...files].some((other) => other.startsWith(`${resolved.replace(/\/$/, '')}/`));
      if (!files.has(resolved) && !isDir) broken.push(`${where} (${resolved} is not in the package)`);
      else if (anchor && resolved.endsWith('.md') && files.has(resolved) && !headingAnchors(read(resolved)).has(anchor))
        broken.push(`${where} (${resolved} has no heading #${anchor})`);
    }
  }
  return broken;
}

describe('markdownLinks', () => {
  it('finds inline links, images and reference definitions with their lines', () => {
    const text = ['# Title', 'See [errors](docs/errors.md "codes") and ![logo](<img/logo.png>).', '', '[api]: docs/api.md'].join('\n');
    expect(markdownLinks(text)).toEqual([
      { target: 'docs/errors.md', line: 2 },
      { target: 'img/logo.png', line: 2 },
      { target: 'docs/api.md', line: 4 },
    ]);
  });

  it('ignores links inside code blocks and code spans', () => {
    const text = ['```md', '[a](inside-fence.md)', '```', 'text `[b](inside-span.md)` [c](real.md)'].join('\n');
    expect(markdownLinks(text)).toEqual([{ target: 'real.md', line: 4 }]);
  });
});

describe('headingAnchors', () => {
  it('makes GitHub’s anchors, numbering repeats', () => {
    expect(headingAnchors('# SQLite (`crmkit/sqlite`)\n## Node 24\n## Node 24\n```\n# not a heading\n```')).toEqual(
      new Set(['sqlite-crmkitsqlite', 'node-24', 'node-24-1']),
    );
  });
});

describe('the packed package', () => {
  const pkg = packed();
  const guides = (dir: string): string[] => readdirSync(join(project, dir)).filter((name) => name.endsWith('.md')).map((name) => `${dir}/${name}`);

  it('ships the README, every guide and every decision record, but not the generated API pages', () => {
    for (const file of ['README.md', 'CHANGELOG.md', 'LICENSE', ...guides('docs'), ...guides('docs/decisions')]) expect(pkg.files, file).toContain(file);
    expect([...pkg.files].filter((file) => file.startsWith('docs/api/'))).toEqual([]);
  });

  it('links every guide and decision record from the README', () => {
    const linked = new Set(markdownLinks(readFileSync(join(pkg.dir, 'README.md'), 'utf8')).map((link) => link.target.split('#')[0]));
    expect([...guides('docs'), ...guides('docs/decisions')].filter((file) => !linked.has(file))).toEqual([]);
  });

  it('has no relative link in its markdown that points outside it', () => {
    expect(brokenLinks(pkg)).toEqual([]);
  });

  it('mentions no file the package does not have (HUBSPOT.md, DESIGN.md) in what it ships or in src/', () => {
    // In the working tree dist/ may be stale: src/ is checked instead (the tarball's dist/ too).
    const shipped = [...pkg.files].filter((file) => /\.(md|ts|cts|mts|js|cjs|mjs|json)$/.test(file) && (pkg.dir !== project || !file.startsWith('dist/')));
    const texts = shipped.map((file) => join(pkg.dir, file));
    const sources = walk(join(project, 'src')).map((file) => join(project, 'src', file));
    const mentions = [...texts, ...sources]
      .filter((path) => existsSync(path))
      .flatMap((path) =>
        readFileSync(path, 'utf8')
          .split('\n')
          .flatMap((text, index) => (/\b(HUBSPOT|DESIGN)\.md\b/.test(text) ? [`${relative(project, path)}:${index + 1}: ${text.trim()}`] : [])),
      );
    expect(mentions).toEqual([]);
  });
});
