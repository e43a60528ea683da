// The façade's router: Hono's trie router, with each method and path's match kept. HubSpot's
// clients call the same few paths over and over (a create, a search, a batch), and the trie walk
// builds its answer anew for every request: in a server's request loop that walk, and the
// kilobyte it allocates, cost as much as the rest of routing together (docs/performance.md).
import type { Result, Router } from 'hono/router';
import { TrieRouter } from 'hono/router/trie-router';

/** Paths kept per method; past it the kept ones are dropped (paths with ids in them vary without end). */
const KEPT_PATHS = 256;

/**
 * A Hono router that answers a method and path it has matched before from what it kept. Hono
 * only reads a match (the handlers and their parameters), so one answer serves every request
 * for that path. The trie router is Hono's own choice for these routes: some have a fixed
 * segment beside a parameter (`/:objectType/groups` beside `/:objectType/:propertyName`), which
 * its RegExpRouter refuses, so its SmartRouter would try that on every build of the routes
 * and then fall back.
 *
 * @example
 * const app = new Hono({ router: new KeptMatchRouter() });
 */
export class KeptMatchRouter<T> implements Router<T> {
  readonly name = 'KeptMatchRouter';
  readonly #router = new TrieRouter<T>();
  readonly #kept = new Map<string, Map<string, Result<T>>>();
  readonly #keep: number;

  /** `keep`: paths kept per method (default {@link KEPT_PATHS}). */
  constructor(keep = KEPT_PATHS) {
    this.#keep = keep;
  }

  add(method: string, path: string, handler: T): void {
    this.#kept.clear(); // a new route may change any answer
    this.#router.add(method, path, handler);
  }

  match(method: string, path: string): Result<T> {
    let paths = this.#kept.get(method);
    if (paths === undefined) this.#kept.set(method, (paths = new Map()));
    let result = paths.get(path);
    if (result === undefined) {
      result = this.#router.match(method, path);
      if (paths.size >= this.#keep) paths.clear();
      paths.set(path, result);
    }
    return result;
  }
}
