// Factories: a test names only what it cares about and takes the rest from a definition.
// Each built item is a pure function of the factory's seed and its sequence number (its own
// random stream per item), so item 7 is the same whatever was built before it or in which test
// file; a factory and the factories derived from it share one sequence, so a derived factory
// never repeats its parent's unique values (emails, domains).
import { CrmError, type CreateOptions, type CrmRecord, type CrmTransaction, type PropertiesInput } from 'crmkit';
import { createRandom, type Random } from './random.js';

/**
 * How a factory makes item `i` (1, 2, 3, … per factory family) from its own random stream.
 *
 * @example
 * const recipe: Recipe = (i, rng) => ({ email: `user${i}@example.com`, lifecyclestage: rng.pick(['lead', 'customer']) });
 */
export type Recipe = (i: number, rng: Random) => PropertiesInput;

/**
 * Overrides for one call: properties laid over what the factory builds (a value `undefined`
 * removes the property), or a function of the item's sequence number and stream answering them.
 *
 * @example
 * contacts.build({ lifecyclestage: 'customer' });
 * contacts.build((i) => ({ email: `vip${i}@acme.com` }));
 */
export type Overrides = PropertiesInput | Recipe;

/**
 * Options of {@link define}.
 *
 * @example
 * define('contacts', (i) => ({ email: `c${i}@x.com` }), { seed: 42 });
 */
export interface FactoryOptions {
  /** The seed of every item's stream (default: the object type's name). */
  seed?: number | string;
}

/**
 * What {@link define} answers: builds properties, creates records, and derives factories.
 *
 * @example
 * const contacts = define('contacts', (i, rng) => ({ email: `user${i}@example.com`, firstname: rng.pick(['Ana', 'Bo']) }));
 * const vip = contacts.extend({ lifecyclestage: 'customer' });
 * await vip.createMany(crm, 3);
 */
export interface Factory {
  /** The object type the factory's records are created as. */
  readonly objectType: string;
  /** The next item's properties (nothing is written). */
  build(overrides?: Overrides): PropertiesInput;
  /** The next `count` items' properties. */
  buildMany(count: number, overrides?: Overrides): PropertiesInput[];
  /** Creates the next item in `crm` (or a `crm.transaction`'s `tx`). */
  create(crm: CrmTransaction, overrides?: Overrides, options?: CreateOptions): Promise<CrmRecord>;
  /** Creates the next `count` items in one atomic `createMany`. */
  createMany(crm: CrmTransaction, count: number, overrides?: Overrides, options?: CreateOptions): Promise<CrmRecord[]>;
  /**
   * A derived factory: this one's properties with `more` laid over them (a function receives
   * the properties built so far as its third argument). It shares this factory's sequence.
   */
  extend(more: PropertiesInput | ((i: number, rng: Random, base: PropertiesInput) => PropertiesInput)): Factory;
  /** Starts the family's sequence again at 1 (e.g. in `beforeEach`, for a fresh CRM per test). */
  reset(): void;
}

/** The sequence a factory family shares. */
interface Sequence {
  next: number;
}

/** `base` with `over` laid on it; `undefined` in `over` removes the property. */
function overlay(base: PropertiesInput, over: PropertiesInput): PropertiesInput {
  const out: PropertiesInput = { ...base };
  for (const [name, value] of Object.entries(over)) {
    if (value === undefined) delete out[name];
    else out[name] = value;
  }
  return out;
}

/** A misuse of define or a factory, as crmkit reports every bad argument. */
function badArgument(argument: string, message: string): CrmError<'VALIDATION_ERROR'> {
  return new CrmError('VALIDATION_ERROR', `${argument} ${message}`, { issues: [{ code: 'INVALID_ARGUMENT', property: argument, message: `${argument} ${message}` }] });
}

/** The count of a buildMany/createMany, refused early with the reason rather than deep in the engine. */
function checkCount(count: number): number {
  if (!Number.isInteger(count) || count < 0) throw badArgument('count', `must be a whole number from 0, got ${String(count)}`);
  return count;
}

function factory(objectType: string, recipe: (i: number, rng: Random) => PropertiesInput, seed: string, sequence: Sequence): Factory {
  const make = (overrides?: Overrides): PropertiesInput => {
    const i = sequence.next++;
    const rng = createRandom(`${seed}#${i}`);
    const built = recipe(i, rng);
    if (overrides === undefined) return overlay({}, built);
    return overlay(built, typeof overrides === 'function' ? overrides(i, rng.derive('overrides')) : overrides);
  };
  const self: Factory = {
    objectType,
    build: make,
    buildMany: (count, overrides) => Array.from({ length: checkCount(count) }, () => make(overrides)),
    create: (crm, overrides, options) => crm.records.create(objectType, make(overrides), options),
    createMany: (crm, count, overrides, options) => crm.records.createMany(objectType, self.buildMany(count, overrides), options),
    extend: (more) =>
      factory(
        objectType,
        (i, rng) => {
          const base = recipe(i, rng);
          return overlay(base, typeof more === 'function' ? more(i, rng.derive('extend'), base) : more);
        },
        seed,
        sequence,
      ),
    reset: () => {
      sequence.next = 1;
    },
  };
  return Object.freeze(self);
}

/**
 * Defines a factory for `objectType`: `recipe(i, rng)` makes item `i` (1, 2, 3, …) from a
 * random stream of its own, seeded by the factory's seed and `i`, so the same factory builds the
 * same items in the same order on every machine. Overrides per call; `extend` for derived
 * factories, which continue the same sequence (unique values stay unique).
 *
 * @example
 * import { createCrm } from 'crmkit';
 * import { define } from 'crmkit/testing';
 *
 * const contacts = define('contacts', (i, rng) => ({
 *   email: `person${i}@example.com`,
 *   firstname: rng.pick(['Ana', 'Bo', 'Carla']),
 *   lifecyclestage: 'lead',
 * }));
 * const crm = await createCrm();
 * const ana = await contacts.create(crm, { firstname: 'Ana' });
 * const customers = await contacts.extend({ lifecyclestage: 'customer' }).createMany(crm, 5);
 */
export function define(objectType: string, recipe: Recipe, options: FactoryOptions = {}): Factory {
  if (typeof objectType !== 'string' || objectType.length === 0) throw badArgument('objectType', 'must be an object type name such as "contacts"');
  if (typeof recipe !== 'function') throw badArgument('recipe', 'must be a function (i, rng) => properties');
  const seed = options.seed ?? objectType;
  if (!((typeof seed === 'number' && Number.isFinite(seed)) || (typeof seed === 'string' && seed.length > 0))) {
    throw badArgument('seed', `must be a finite number or a non-empty string, got ${String(seed)}`);
  }
  return factory(objectType, recipe, String(seed), { next: 1 });
}
