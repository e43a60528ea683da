// Command-line options: --storage NAME (memory, the default, sqlite or postgres: bench/storages.ts),
// --scale FACTOR (default 1), --rounds N (default 3), --only search (the search phases alone) or
// --only hubspot (the façade through HubSpot's SDK alone, bench/hubspot.ts), and --vacuum
// (PostgreSQL: VACUUM ANALYZE crmkit's tables after the search load, as autovacuum would).
import { STORAGES } from './storages.js';

export interface Options {
  storage: string;
  scale: number;
  rounds: number;
  /** Run only these phases ('search': bench/search.ts; 'hubspot': bench/hubspot.ts); everything when unset. */
  only?: 'search' | 'hubspot';
  /** PostgreSQL only: VACUUM ANALYZE crmkit's tables after the search phases' load. */
  vacuum?: boolean;
}

/** A mistake in the command line: the benchmark exits with code 2. */
export class UsageError extends Error {}

export const USAGE = 'usage: [CRMKIT_PG_URL=...] npm run bench -- [--storage memory|sqlite|postgres] [--scale 0.1] [--rounds 3] [--only search|hubspot] [--vacuum]';

export function parseArgs(argv: readonly string[]): Options {
  const options: Options = { storage: 'memory', scale: 1, rounds: 3 };
  for (let at = 0; at < argv.length; at++) {
    const arg = argv[at]!;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const next = inline ?? argv[++at];
      if (next === undefined || next === '') throw new UsageError(`${flag} needs a value`);
      return next;
    };
    switch (flag) {
      case '--storage':
        options.storage = value();
        break;
      case '--scale':
        options.scale = Number(value());
        break;
      case '--rounds':
        options.rounds = Number(value());
        break;
      case '--only': {
        const only = value();
        if (only !== 'search' && only !== 'hubspot') throw new UsageError(`--only takes search or hubspot, not ${JSON.stringify(only)}`);
        options.only = only;
        break;
      }
      case '--vacuum':
        if (inline !== undefined) throw new UsageError('--vacuum takes no value');
        options.vacuum = true;
        break;
      default:
        throw new UsageError(`unknown argument ${JSON.stringify(arg)}`);
    }
  }
  if (!Object.hasOwn(STORAGES, options.storage)) {
    throw new UsageError(`unknown storage ${JSON.stringify(options.storage)}; known: ${Object.keys(STORAGES).join(', ')}`);
  }
  if (options.vacuum && options.storage !== 'postgres') throw new UsageError('--vacuum applies to --storage postgres');
  if (!Number.isFinite(options.scale) || options.scale <= 0 || options.scale > 10) {
    throw new UsageError('--scale must be a number above 0 and at most 10 (1 = the full sizes, 0.1 = a quick check)');
  }
  if (!Number.isInteger(options.rounds) || options.rounds < 1 || options.rounds > 20) {
    throw new UsageError('--rounds must be a whole number from 1 to 20');
  }
  return options;
}
