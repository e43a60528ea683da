// Association type ids that are stored with the schema: those of pairs involving a custom object
// (decision 0025). Standard pairs' ids are HubSpot's or computed from their object ids
// (catalogue/association-types.ts); a custom pair's are allocated once, from the counter user
// labels count up from, and kept in the schema document, so they never change and never equal
// another id.
import { allocatableTypeId } from './catalogue/index.js';
import type { PairTypeDoc, SchemaDoc } from './model.js';

/**
 * The stored key of a pair: its two type names in order, so either way round finds it.
 *
 * @example
 * pairTypeKey('roast_batches', 'contacts') === pairTypeKey('contacts', 'roast_batches'); // true
 */
export function pairTypeKey(a: string, b: string): string {
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}

/**
 * The pairs of the document that involve a custom object type: [from, to], each once, custom
 * objects' own `associations` (by object name) first, then `defineAssociation`'s pairs.
 *
 * @example
 * customPairs(doc); // [['roast_batches', 'contacts'], ['roast_batches', 'deals']]
 */
export function customPairs(doc: SchemaDoc): Array<readonly [string, string]> {
  const custom = (name: string): boolean => doc.objects[name]?.custom === true;
  const seen = new Set<string>();
  const pairs: Array<readonly [string, string]> = [];
  const add = (from: string, to: string): void => {
    const key = pairTypeKey(from, to);
    if (seen.has(key)) return;
    seen.add(key);
    pairs.push([from, to]);
  };
  // Objects in name order, so that allocation is the same whatever order the document lists them.
  for (const name of Object.keys(doc.objects).sort()) {
    const object = doc.objects[name]!;
    if (object.custom) for (const other of object.associations ?? []) add(name, other);
  }
  for (const pair of doc.pairs ?? []) if (custom(pair.from) || custom(pair.to)) add(pair.from, pair.to);
  return pairs;
}

/**
 * The document with an id stored for each direction of every custom pair that lacks one
 * (allocated from `nextLabelTypeId`, past the reserved ranges; a same-type pair gets one id for
 * both directions). The same document when nothing is missing, so a document made before type ids
 * existed gets the same ids on every load until a write stores them.
 *
 * @example
 * withCustomPairTypeIds(doc).pairTypes; // [{ from: 'roast_batches', to: 'contacts', typeId: 1000, inverseTypeId: 1001 }]
 */
export function withCustomPairTypeIds(doc: SchemaDoc): SchemaDoc {
  const stored = new Set((doc.pairTypes ?? []).map((pair) => pairTypeKey(pair.from, pair.to)));
  const missing = customPairs(doc).filter(([from, to]) => !stored.has(pairTypeKey(from, to)));
  if (missing.length === 0) return doc;
  let next = doc.nextLabelTypeId ?? 1000;
  const added: PairTypeDoc[] = missing.map(([from, to]) => {
    const typeId = allocatableTypeId(next);
    const inverseTypeId = from === to ? typeId : allocatableTypeId(typeId + 1);
    next = inverseTypeId + 1;
    return { from, to, typeId, inverseTypeId };
  });
  return { ...doc, pairTypes: [...(doc.pairTypes ?? []), ...added], nextLabelTypeId: next };
}
