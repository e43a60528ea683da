// `crmkit serve`: the façade as a process, for apps and test suites in any language. The pieces
// are functions (parse the arguments, start, run until a signal) so that tests call them
// directly; src/cli/crmkit.ts is only the executable around `runCli`. The storages and the seed
// are imported when asked for, so loading 'crmkit/hubspot' never loads a database driver.
import { parseArgs } from 'node:util';
import { createCrm, type Crm, type CreateCrmOptions } from 'crmkit';
import { createHubSpotServer } from './server.js';

/**
 * Where `crmkit serve` keeps its records.
 *
 * @example
 * const storage: ServeStorage = { kind: 'sqlite', file: 'crm.sqlite' };
 */
export type ServeStorage = { kind: 'memory' } | { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };

/**
 * What `crmkit serve` runs: the parsed command line, or the same given by a program.
 *
 * @example
 * const running = await startServe({ port: 0, seed: '42', rateLimit: { max: 10 } });
 */
export interface ServeOptions {
  /** Default 4000; 0 takes a free port (read it from `url`). */
  port?: number;
  /** Default `127.0.0.1`. */
  host?: string;
  /** Default memory. */
  storage?: ServeStorage;
  /** A `crmkit/testing` seed (number or string): the crm starts with the same data on every run. */
  seed?: string;
  /** Records per object type that the seed makes (default {@link DEFAULT_SEED_COUNTS}). */
  seedCounts?: Record<string, number>;
  /** The bearer token every request must carry; none by default. */
  token?: string;
  /** HubSpot's rate limits: `true` for HubSpot's default budgets, or a per-10-seconds `max`. */
  rateLimit?: boolean | { max: number };
  /** Search lag in ms (default 0). */
  searchLagMs?: number;
}

/**
 * The parsed command line: help, or a server to run.
 *
 * @example
 * parseServeArgs(['serve', '--port', '0']); // { command: 'serve', options: { port: 0 } }
 */
export type ServeCommand = { command: 'help' } | { command: 'serve'; options: ServeOptions };

/**
 * A command line `crmkit` cannot run: the CLI prints the message and exits with code 2.
 *
 * @example
 * try { parseServeArgs(['serve', '--port', 'x']); } catch (error) { error instanceof UsageError; } // true
 */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * The records `--seed` makes when `--seed-counts` does not say: a small, connected CRM.
 *
 * @example
 * DEFAULT_SEED_COUNTS.contacts; // 20
 */
export const DEFAULT_SEED_COUNTS: Readonly<Record<string, number>> = Object.freeze({ companies: 5, contacts: 20, deals: 8, tickets: 4 });

/**
 * `crmkit --help`.
 *
 * @example
 * console.log(SERVE_USAGE);
 */
export const SERVE_USAGE = `Usage: crmkit serve [options]

Runs HubSpot's CRM REST API (crmkit/hubspot) over a crmkit CRM, for apps and tests in any language.

Options:
  --port N             port to listen on (default 4000; 0 takes a free one)
  --host H             address to listen on (default 127.0.0.1)
  --db FILE            keep records in this SQLite file (needs better-sqlite3)
  --postgres URL       keep records in PostgreSQL (needs pg)
  --seed S             start with crmkit/testing's seed S (same data, ids and times every run)
  --seed-counts LIST   records the seed makes, e.g. contacts=100,companies=10
                       (default companies=5,contacts=20,deals=8,tickets=4)
  --token T            require Authorization: Bearer T on every request
  --rate-limit         HubSpot's rate limits (100 requests per 10 s, 4 searches per s) and headers
  --rate-limit-max N   the same, with N requests per 10 s
  --search-lag MS      search answers miss records written less than MS ms ago
  -h, --help           this help

Test endpoints: POST /__crmkit/reset (back to the state at start; memory and SQLite), GET /__crmkit/snapshot.
Stops cleanly on SIGINT (Ctrl-C) and SIGTERM.`;

/** A whole number from `min` to `max`, else a UsageError naming the option. */
function wholeNumber(raw: string, option: string, min: number, max: number): number {
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) throw new UsageError(`--${option} must be a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}`);
  return value;
}

/** `contacts=100,companies=10` as counts. */
function seedCounts(raw: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const part of raw.split(',')) {
    const match = /^\s*([A-Za-z0-9_]+)\s*=\s*(\d+)\s*$/.exec(part);
    if (!match) throw new UsageError(`--seed-counts takes type=count pairs separated by commas (contacts=100,companies=10), got ${JSON.stringify(part)}`);
    counts[match[1]!] = wholeNumber(match[2]!, 'seed-counts', 0, 100_000);
  }
  return counts;
}

/**
 * Parses `crmkit`'s arguments (without `node` and the script) with node:util's `parseArgs`.
 * Throws a {@link UsageError} for anything it cannot run: an unknown option or command, a bad
 * number, `--db` with `--postgres`.
 *
 * @example
 * parseServeArgs(['serve', '--seed', '42', '--search-lag', '2000']);
 * // { command: 'serve', options: { seed: '42', searchLagMs: 2000 } }
 */
export function parseServeArgs(argv: readonly string[]): ServeCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        port: { type: 'string', short: 'p' },
        host: { type: 'string' },
        db: { type: 'string' },
        postgres: { type: 'string' },
        seed: { type: 'string' },
        'seed-counts': { type: 'string' },
        token: { type: 'string' },
        'rate-limit': { type: 'boolean' },
        'rate-limit-max': { type: 'string' },
        'search-lag': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    // parseArgs's own message names the option ("Unknown option '--prot'").
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (values.help) return { command: 'help' };
  if (positionals.length === 0) throw new UsageError('Missing command: crmkit serve');
  if (positionals[0] !== 'serve') throw new UsageError(`Unknown command ${JSON.stringify(positionals[0])}: the command is serve`);
  if (positionals.length > 1) throw new UsageError(`Unexpected argument ${JSON.stringify(positionals[1])}`);
  if (values.db !== undefined && values.postgres !== undefined) throw new UsageError('--db and --postgres exclude each other: choose one storage');
  const options: ServeOptions = {};
  if (values.port !== undefined) options.port = wholeNumber(values.port, 'port', 0, 65_535);
  if (values.host !== undefined) {
    if (values.host === '') throw new UsageError('--host must not be empty');
    options.host = values.host;
  }
  if (values.db !== undefined) {
    if (values.db === '') throw new UsageError('--db must name a file');
    options.storage = { kind: 'sqlite', file: values.db };
  }
  if (values.postgres !== undefined) {
    if (!/^postgres(ql)?:\/\//.test(values.postgres)) throw new UsageError('--postgres must be a postgres:// or postgresql:// URL');
    options.storage = { kind: 'postgres', url: values.postgres };
  }
  if (values.seed !== undefined) {
    if (values.seed === '' || values.seed.length > 1_000) throw new UsageError('--seed must be 1 to 1,000 characters');
    options.seed = values.seed;
  }
  if (values['seed-counts'] !== undefined) {
    if (options.seed === undefined) throw new UsageError('--seed-counts needs --seed');
    options.seedCounts = seedCounts(values['seed-counts']);
  }
  if (values.token !== undefined) {
    if (values.token.trim() === '' || /\s/.test(values.token)) throw new UsageError('--token must be a non-empty token without spaces');
    options.token = values.token;
  }
  if (values['rate-limit-max'] !== undefined) options.rateLimit = { max: wholeNumber(values['rate-limit-max'], 'rate-limit-max', 1, 1_000_000) };
  else if (values['rate-limit']) options.rateLimit = true;
  if (values['search-lag'] !== undefined) options.searchLagMs = wholeNumber(values['search-lag'], 'search-lag', 0, 3_600_000);
  return { command: 'serve', options };
}

/**
 * A running `crmkit serve`.
 *
 * @example
 * const running = await startServe({ port: 0 });
 * console.log(running.banner);
 * await running.close();
 */
export interface RunningServe {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** The start-up line: URL, storage, seed and what is switched on. */
  readonly banner: string;
  /** The crm being served at start (after a reset the server serves another: a fork of it, or a crm on the restored file). */
  readonly crm: Crm;
  /** Closes the server, then the crm (and its database connections). */
  close(): Promise<void>;
}

/** A storage's description in the banner, without a password in a URL. */
function describeStorage(storage: ServeStorage): string {
  if (storage.kind === 'memory') return 'memory';
  if (storage.kind === 'sqlite') return `SQLite ${storage.file}`;
  try {
    const url = new URL(storage.url);
    if (url.password) url.password = '***';
    return `PostgreSQL ${url.toString()}`;
  } catch {
    return 'PostgreSQL';
  }
}

/** The crm on the chosen storage. On memory, ids and times are deterministic (HubSpot-like numeric ids). */
async function openCrm(storage: ServeStorage, seeded: boolean): Promise<Crm> {
  if (storage.kind === 'memory') {
    const { sequentialIds, steppingClock } = await import('crmkit/testing');
    // The clock steps only when seeded, so the seed's times are the same on every run; an
    // unseeded memory crm keeps the wall clock, which is what an app exploring it expects.
    const options: CreateCrmOptions = { ids: sequentialIds({ prefix: '' }) };
    if (seeded) options.clock = steppingClock();
    return createCrm(options);
  }
  // A database outlives the process: sequential ids would restart at 1 and collide with the
  // last run's, so SQL storage keeps crmkit's default ids and the wall clock.
  if (storage.kind === 'sqlite') {
    const { sqliteStorage } = await import('crmkit/sqlite');
    return createCrm({ storage: sqliteStorage(storage.file) });
  }
  const { postgresStorage } = await import('crmkit/postgres');
  return createCrm({ storage: postgresStorage({ connectionString: storage.url }) });
}

/**
 * Reset for a SQLite file: the file as it is now (just seeded) is copied aside once; each reset
 * closes the served crm, puts the copy back and opens a crm on it, so the database is exactly as
 * it was at start (ids included). It assumes `crmkit serve` is the file's only user.
 */
interface FileReset {
  /** The crm on the file now. */
  current(): Crm;
  reset(): Promise<Crm>;
  /** Closes the current crm and removes the copy. */
  close(): Promise<void>;
}

async function fileReset(storage: { kind: 'sqlite'; file: string }, opened: Crm, seeded: boolean): Promise<FileReset> {
  const { copyFile, mkdtemp, rm } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  // Closed first: a clean close checkpoints the write-ahead log into the file, so the file alone is the state.
  await opened.close?.();
  const dir = await mkdtemp(join(tmpdir(), 'crmkit-serve-'));
  const template = join(dir, 'start.sqlite');
  await copyFile(storage.file, template);
  let current = await openCrm(storage, seeded);
  // Resets run one after another: a second one waits for the file the first puts back.
  let queue: Promise<unknown> = Promise.resolve();
  return {
    current: () => current,
    reset() {
      const next = queue.then(async () => {
        await current.close?.();
        await Promise.all(['-wal', '-shm'].map((suffix) => rm(`${storage.file}${suffix}`, { force: true })));
        await copyFile(template, storage.file);
        current = await openCrm(storage, seeded);
        return current;
      });
      queue = next.catch(() => undefined);
      return next;
    },
    async close() {
      await queue;
      await current.close?.();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Seeds the crm and says what it made; on a database that already holds records, seeds nothing. */
async function seedCrm(crm: Crm, storage: ServeStorage, seedValue: string, counts: Record<string, number>): Promise<string> {
  const { seed } = await import('crmkit/testing');
  if (storage.kind !== 'memory') {
    // A restart with the same flags must not fail: the same seed would make the same emails
    // and domains again (DUPLICATE_RECORD). The database keeps the first run's records.
    for (const type of Object.keys(counts)) {
      const page = await crm.records.list(type, { limit: 1, archived: true });
      if (page.results.length > 0) return `seed ${seedValue} skipped (the database already holds ${type})`;
    }
  }
  await seed(crm, { ...counts, seed: seedValue });
  const made = Object.entries(counts).map(([type, count]) => `${count} ${type}`);
  return `seed ${seedValue} (${made.join(', ')})`;
}

/**
 * Starts `crmkit serve` in this process: opens the storage, seeds it, and serves the façade with
 * the test endpoints on. On failure the crm is closed again and the error thrown.
 *
 * @example
 * const running = await startServe({ port: 0, seed: '42' });
 * const response = await fetch(`${running.url}/crm/v3/objects/contacts?limit=1`);
 * await running.close();
 */
export async function startServe(options: ServeOptions = {}): Promise<RunningServe> {
  const storage = options.storage ?? { kind: 'memory' };
  let crm = await openCrm(storage, options.seed !== undefined);
  let files: FileReset | undefined;
  try {
    const seedLine = options.seed === undefined ? 'no seed' : await seedCrm(crm, storage, options.seed, options.seedCounts ?? { ...DEFAULT_SEED_COUNTS });
    if (storage.kind === 'sqlite') {
      files = await fileReset(storage, crm, options.seed !== undefined);
      crm = files.current();
    }
    const server = await createHubSpotServer(crm, {
      port: options.port ?? 4000,
      host: options.host ?? '127.0.0.1',
      ...(options.token !== undefined ? { accessToken: options.token } : {}),
      // Reset: memory forks the seeded crm, a SQLite file is put back as it was at start;
      // PostgreSQL is not rolled back (docs/hubspot.md).
      testing: { reset: files ? files.reset : storage.kind === 'memory' },
      ...(options.rateLimit ? { rateLimit: options.rateLimit === true ? true : { max: options.rateLimit.max } } : {}),
      ...(options.searchLagMs ? { searchLagMs: options.searchLagMs } : {}),
    });
    const extras = [
      options.token !== undefined ? 'bearer token required' : 'no auth',
      options.rateLimit ? `rate limits on (${options.rateLimit === true ? 100 : options.rateLimit.max} per 10 s)` : undefined,
      options.searchLagMs ? `search lag ${options.searchLagMs} ms` : undefined,
    ].filter((part) => part !== undefined);
    const banner = `crmkit serve: HubSpot API at ${server.url} (storage: ${describeStorage(storage)}; ${seedLine}; ${extras.join('; ')})`;
    let closing: Promise<void> | undefined;
    return {
      url: server.url,
      banner,
      crm,
      close() {
        // The server first, so no request meets a closed crm; then the crm's storage.
        closing ??= server.close().then(() => (files ? files.close() : crm.close?.()));
        return closing;
      },
    };
  } catch (error) {
    await (files ? files.close() : crm.close?.());
    throw error;
  }
}

/**
 * Where {@link runCli} writes and which process it listens to for signals.
 *
 * @example
 * const io: CliIo = { out: (line) => lines.push(line), err: console.error, signals: process };
 */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  /** Emits `SIGINT` and `SIGTERM` (default `process`). */
  signals?: Pick<NodeJS.EventEmitter, 'on' | 'off'>;
}

const processIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/**
 * `crmkit`'s command line: runs until SIGINT or SIGTERM and resolves the exit code: 0 after a
 * clean shutdown (or `--help`), 1 when the server cannot start, 2 for bad arguments. A second
 * signal during shutdown gives up waiting (code 1).
 *
 * @example
 * // src/cli/crmkit.ts
 * process.exitCode = await runCli(process.argv.slice(2));
 */
export async function runCli(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  let command: ServeCommand;
  try {
    command = parseServeArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(`crmkit: ${error.message}`);
    io.err('Run crmkit --help for the options.');
    return 2;
  }
  if (command.command === 'help') {
    io.out(SERVE_USAGE);
    return 0;
  }
  const signals = io.signals ?? process;
  let running: RunningServe;
  try {
    running = await startServe(command.options);
  } catch (error) {
    io.err(`crmkit serve: could not start: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
  io.out(running.banner);
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) {
        io.err(`crmkit serve: ${signal} again, not waiting for the shutdown`);
        resolve(1);
        return;
      }
      stopping = true;
      io.out(`crmkit serve: ${signal}, stopping`);
      running.close().then(
        () => {
          signals.off('SIGINT', stop);
          signals.off('SIGTERM', stop);
          io.out('crmkit serve: stopped');
          resolve(0);
        },
        (error: unknown) => {
          io.err(`crmkit serve: shutdown failed: ${error instanceof Error ? error.message : String(error)}`);
          resolve(1);
        },
      );
    };
    // Listening replaces Node's default (exit at once), so the shutdown can finish its work;
    // `on`, not `once`, so the second signal reaches `stop` too.
    signals.on('SIGINT', stop);
    signals.on('SIGTERM', stop);
  });
}
