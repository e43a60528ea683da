// The façade's router keeps each method and path's match (src/hubspot/router.ts): whatever it
// has kept, and whenever it drops what it kept, it answers as Hono's trie router does.
import fc from 'fast-check';
import { TrieRouter } from 'hono/router/trie-router';
import { describe, expect, it } from 'vitest';
import { KeptMatchRouter } from '../../src/hubspot/router.js';

/** Routes shaped like the façade's: fixed segments beside parameters, the same path under several methods. */
const ROUTES: Array<[string, string]> = [
  ['GET', '/crm/v3/objects/:objectType'],
  ['POST', '/crm/v3/objects/:objectType'],
  ['GET', '/crm/v3/objects/:objectType/:objectId'],
  ['PATCH', '/crm/v3/objects/:objectType/:objectId'],
  ['DELETE', '/crm/v3/objects/:objectType/:objectId'],
  ['POST', '/crm/v3/objects/:objectType/search'],
  ['POST', '/crm/v3/objects/:objectType/batch/read'],
  ['GET', '/crm/v3/properties/:objectType/groups'],
  ['GET', '/crm/v3/properties/:objectType/:propertyName'],
  ['PUT', '/crm/v4/objects/:fromType/:fromId/associations/default/:toType/:toId'],
  ['PUT', '/crm/v4/objects/:fromType/:fromId/associations/:toType/:toId'],
];

/** A router with ROUTES added, each route's handler its index. */
function routed<R extends { add(method: string, path: string, handler: number): void }>(router: R): R {
  ROUTES.forEach(([method, path], index) => router.add(method, path, index));
  return router;
}

/** What a match says: the handlers in order, each with its parameters' values. */
function answered(result: ReturnType<TrieRouter<number>['match']>): Array<[number, Record<string, string | undefined>]> {
  const [matches, stash] = result as [Array<[number, Record<string, string | number>]>, string[] | undefined];
  return matches.map(([handler, params]) => [handler, Object.fromEntries(Object.entries(params).map(([name, at]) => [name, stash ? stash[at as number] : (at as string)]))]);
}

const segment = fc.constantFrom('contacts', '0-1', 'groups', 'search', 'batch', 'read', 'associations', 'default', 'email', '123', '456', 'p1_cars');
const path = fc.oneof(
  fc.array(segment, { minLength: 1, maxLength: 5 }).map((segments) => `/crm/v3/objects/${segments.join('/')}`),
  fc.array(segment, { minLength: 1, maxLength: 3 }).map((segments) => `/crm/v3/properties/${segments.join('/')}`),
  fc.array(segment, { minLength: 5, maxLength: 6 }).map((segments) => `/crm/v4/objects/${segments.join('/')}`),
);
/** Requests over a few paths, so the same path comes again, under the same method and others. */
const requests = fc
  .tuple(fc.array(path, { minLength: 1, maxLength: 8 }), fc.array(fc.tuple(fc.constantFrom('GET', 'POST', 'PATCH', 'PUT', 'DELETE'), fc.nat()), { minLength: 1, maxLength: 60 }))
  .map(([paths, picks]) => picks.map(([method, at]) => ({ method, path: paths[at % paths.length]! })));

describe('KeptMatchRouter', () => {
  it('answers each path with its own parameters, the same path again from what it kept', () => {
    const router = routed(new KeptMatchRouter<number>());
    expect(answered(router.match('GET', '/crm/v3/objects/contacts/123'))).toEqual([[2, { objectType: 'contacts', objectId: '123' }]]);
    expect(answered(router.match('GET', '/crm/v3/objects/contacts/456'))).toEqual([[2, { objectType: 'contacts', objectId: '456' }]]);
    expect(router.match('GET', '/crm/v3/objects/contacts/123')).toBe(router.match('GET', '/crm/v3/objects/contacts/123'));
    // The same path under another method is another route.
    expect(answered(router.match('DELETE', '/crm/v3/objects/contacts/123'))).toEqual([[4, { objectType: 'contacts', objectId: '123' }]]);
    expect(answered(router.match('GET', '/crm/v3/properties/contacts/groups'))).toEqual([
      [7, { objectType: 'contacts' }],
      [8, { objectType: 'contacts', propertyName: 'groups' }],
    ]);
  });

  it('answers every sequence of requests as the trie router does, while keeping and after dropping what it kept', () => {
    fc.assert(
      fc.property(requests, fc.integer({ min: 1, max: 8 }), (sequence, keep) => {
        const kept = routed(new KeptMatchRouter<number>(keep));
        const trie = routed(new TrieRouter<number>());
        for (const { method, path } of sequence) {
          expect(answered(kept.match(method, path))).toEqual(answered(trie.match(method, path)));
        }
      }),
    );
  });

  it('forgets its matches when a route is added', () => {
    const added = new KeptMatchRouter<number>();
    added.add('GET', '/crm/v3/objects/:objectType/:objectId', 0);
    added.match('GET', '/crm/v3/objects/contacts/x');
    added.add('GET', '/crm/v3/objects/contacts/x', 1);
    expect(answered(added.match('GET', '/crm/v3/objects/contacts/x')).map(([handler]) => handler)).toEqual([0, 1]);
  });
});
