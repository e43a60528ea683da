// Every TypeScript example in the README and the guides compiles and runs, so a published
// example cannot be wrong. Each ```ts block is a module of its own: written to a temporary file
// inside the project (so 'crmkit' and its subpaths resolve as in every test: to the sources, or
// to dist/ under CRMKIT_TEST_DIST), type-checked against crmkit's types, then imported, in a
// fresh working directory. A failure names the markdown file and line.
//
// The fence's info string says how a block is checked:
//   ```ts            type-checked and run
//   ```ts fragment   type-checked only: a shape or a signature, on purpose not a program
// A block that reads process.env.DATABASE_URL needs a PostgreSQL server: it runs (with
// DATABASE_URL set to CRMKIT_PG_URL) only when CRMKIT_PG_URL is set, and is type-checked always.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';

const project = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const pgUrl = process.env.CRMKIT_PG_URL;

/** One fenced TypeScript block of a markdown file. */
interface Block {
  /** The markdown file, relative to the project. */
  file: string;
  /** The line of the block's first line of code (1-based). */
  line: number;
  code: string;
  fragment: boolean;
}

const INFO_WORDS = new Set(['fragment']);

/**
 * The ```ts blocks of a markdown text; an unknown word in a block's info string is an error, so
 * a typo cannot quietly change how a block is checked.
 *
 * @example
 * tsBlocks('README.md', '```ts fragment\ninterface A {}\n```'); // [{ file, line: 2, code: 'interface A {}', fragment: true }]
 */
function tsBlocks(file: string, markdown: string): Block[] {
  const blocks: Block[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*(.*)$/.exec(lines[i]!);
    if (!open) continue;
    const [, indent, fence, info] = open as unknown as [string, string, string, string];
    let end = i + 1;
    while (end < lines.length && !new RegExp(`^\\s*${fence[0]}{${fence.length},}\\s*$`).test(lines[end]!)) end++;
    const [language, ...words] = info.trim().split(/\s+/);
    if (language === 'ts' || language === 'typescript') {
      const unknown = words.filter((word) => !INFO_WORDS.has(word));
      if (unknown.length > 0) throw new Error(`${file}:${i + 1}: unknown word in the code block's info string: ${unknown.join(', ')} (known: ${[...INFO_WORDS].join(', ')})`);
      const code = lines
        .slice(i + 1, end)
        .map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line))
        .join('\n');
      blocks.push({ file, line: i + 2, code, fragment: words.includes('fragment') });
    }
    i = end;
  }
  return blocks;
}

/** Whether a block needs a PostgreSQL server: it reads the database URL from the environment. */
function needsServer(block: Block): boolean {
  return block.code.includes('process.env.DATABASE_URL');
}

const markdownFiles = [
  'README.md',
  ...['docs', 'docs/decisions'].flatMap((dir) =>
    readdirSync(join(project, dir))
      .filter((name) => name.endsWith('.md'))
      .sort()
      .map((name) => `${dir}/${name}`),
  ),
];

/** crmkit's subpaths for the type-checker: the sources, or under CRMKIT_TEST_DIST the declarations package.json's exports name. */
function crmkitPaths(options: ts.CompilerOptions): ts.MapLike<string[]> {
  if (!process.env.CRMKIT_TEST_DIST) return options.paths ?? {};
  const manifest = JSON.parse(readFileSync(join(project, 'package.json'), 'utf8')) as {
    exports: Record<string, string | { import?: { types?: string } }>;
  };
  const paths: ts.MapLike<string[]> = {};
  for (const [subpath, target] of Object.entries(manifest.exports)) {
    const types = typeof target === 'object' ? target.import?.types : undefined;
    if (types) paths[`crmkit${subpath.slice(1)}`] = [join(project, types)];
  }
  return paths;
}

/** Type errors of each block file, as 'markdown file:line: message'. One program checks them all. */
function typeErrors(files: Map<string, Block>): Map<string, string[]> {
  const config = ts.readConfigFile(join(project, 'tsconfig.json'), ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, project);
  const options: ts.CompilerOptions = {
    ...parsed.options,
    paths: crmkitPaths(parsed.options),
    noEmit: true,
    // Every block is a module of its own, with or without imports.
    moduleDetection: ts.ModuleDetectionKind.Force,
    // Examples declare things to show them, not always to use them.
    noUnusedLocals: false,
    noUnusedParameters: false,
  };
  const program = ts.createProgram([...files.keys()], options);
  const errors = new Map<string, string[]>();
  for (const [path, block] of files) {
    const source = program.getSourceFile(path)!;
    const diagnostics = [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)];
    errors.set(
      path,
      diagnostics.map((diagnostic) => {
        const { line } = diagnostic.start === undefined ? { line: 0 } : source.getLineAndCharacterOfPosition(diagnostic.start);
        return `${block.file}:${block.line + line}: TS${diagnostic.code}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`;
      }),
    );
  }
  return errors;
}

const LINE = '__crmkitExampleLine';

/**
 * The block's code with each top-level statement first noting its line in a global, inserted
 * on the same line so that lines stay where they were. An error thrown inside the engine often
 * has no frame in the block (its async stack ends at the storage's queue); the last statement
 * that started is where the block failed.
 *
 * @example
 * withLineNotes('a();\nb();'); // "globalThis['__crmkitExampleLine'] = 1; a();\nglobalThis['__crmkitExampleLine'] = 2; b();"
 */
function withLineNotes(code: string): string {
  const source = ts.createSourceFile('block.ts', code, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
  let out = '';
  let at = 0;
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement)) continue;
    const start = statement.getStart(source);
    out += `${code.slice(at, start)}globalThis['${LINE}'] = ${source.getLineAndCharacterOfPosition(start).line + 1}; `;
    at = start;
  }
  return out + code.slice(at);
}

/** `error` with the markdown file and line where the block failed: its frame in the stack, else the last statement that started. */
function located(error: unknown, path: string, block: Block, statementLine: number | undefined): Error {
  const original = error instanceof Error ? error : new Error(String(error));
  const frame = new RegExp(`${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:(\\d+)`).exec(original.stack ?? '');
  const line = frame ? Number(frame[1]) : (statementLine ?? 1);
  const where = `${block.file}:${block.line + line - 1}`;
  return Object.assign(new Error(`${where}: the example throws: ${original.message}`, { cause: original }), { stack: `${where}\n${original.stack}` });
}

describe('tsBlocks', () => {
  it('finds ts blocks with the line of their first line of code, and their info words', () => {
    const text = ['# Title', '```ts', 'const a = 1;', '```', '```sh', 'npm test', '```', '  ```ts fragment', '  interface A {}', '  ```'].join('\n');
    expect(tsBlocks('x.md', text)).toEqual([
      { file: 'x.md', line: 3, code: 'const a = 1;', fragment: false },
      { file: 'x.md', line: 9, code: 'interface A {}', fragment: true },
    ]);
  });

  it('refuses an unknown info word', () => {
    expect(() => tsBlocks('x.md', '```ts fragmnet\nx\n```')).toThrow(/x\.md:1: unknown word .*fragmnet/);
  });
});

describe('withLineNotes', () => {
  it('notes each top-level statement’s line on that line, imports left alone', () => {
    const code = ["import { x } from 'y';", '', 'await x(() => {', '  inner();', '});', 'done();'].join('\n');
    expect(withLineNotes(code).split('\n')).toEqual([
      "import { x } from 'y';",
      '',
      `globalThis['${LINE}'] = 3; await x(() => {`,
      '  inner();',
      '});',
      `globalThis['${LINE}'] = 6; done();`,
    ]);
  });
});

describe('the examples of the README and the guides', () => {
  const blocks = markdownFiles.flatMap((file) => tsBlocks(file, readFileSync(join(project, file), 'utf8')));
  mkdirSync(join(project, 'scratch'), { recursive: true });
  const dir = mkdtempSync(join(project, 'scratch', 'doc-examples-'));
  const files = new Map<string, Block>();
  for (const block of blocks) {
    const path = join(dir, `${block.file.replace(/[/.]/g, '-')}-${block.line}.ts`);
    writeFileSync(path, `${block.code}\n`);
    files.set(path, block);
  }
  let errors: Map<string, string[]> | undefined;
  const typeErrorsOf = (path: string): string[] => (errors ??= typeErrors(files)).get(path)!;

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('include the README tour and at least one block of each guide with code', () => {
    expect(blocks.filter((block) => block.file === 'README.md' && !block.fragment).length).toBeGreaterThan(0);
    expect(new Set(blocks.map((block) => block.file))).toEqual(
      new Set(markdownFiles.filter((file) => /^```(ts|typescript)\b/m.test(readFileSync(join(project, file), 'utf8')))),
    );
  });

  for (const [path, block] of files) {
    const name = `${block.file}:${block.line}`;
    if (block.fragment) {
      it(`${name} type-checks (a fragment: not run)`, () => {
        expect(typeErrorsOf(path)).toEqual([]);
      }, 60_000);
    } else if (needsServer(block) && !pgUrl) {
      it(`${name} type-checks (runs when CRMKIT_PG_URL is set: it needs a PostgreSQL server)`, () => {
        expect(typeErrorsOf(path)).toEqual([]);
      }, 60_000);
    } else {
      it(`${name} type-checks and runs`, async () => {
        expect(typeErrorsOf(path)).toEqual([]);
        // A fresh working directory: an example that writes a file ('crm.db') writes it there.
        const cwd = process.cwd();
        const databaseUrl = process.env.DATABASE_URL;
        process.chdir(mkdtempSync(join(dir, 'cwd-')));
        if (needsServer(block)) process.env.DATABASE_URL = pgUrl;
        const run = path.replace(/\.ts$/, '.run.ts');
        writeFileSync(run, withLineNotes(readFileSync(path, 'utf8')));
        const notes = globalThis as { [LINE]?: number };
        delete notes[LINE];
        try {
          await import(pathToFileURL(run).href);
        } catch (error) {
          throw located(error, relative(project, run), block, notes[LINE]);
        } finally {
          delete notes[LINE];
          process.chdir(cwd);
          if (databaseUrl === undefined) delete process.env.DATABASE_URL;
          else process.env.DATABASE_URL = databaseUrl;
        }
      }, 60_000);
    }
  }
});
