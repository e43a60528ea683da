// Saved filters: segments and views, kept in the schema document beside the pipelines, so every
// storage keeps them, a fork copies them, every transaction sees one version, and planning a
// search (synchronous) can expand "in segment X" without reading storage. Their filters name
// properties, labels and other segments by name; what a saved filter names stays in use
// (`filterUses`): it cannot be archived or deleted from under the filter.
import type { FilterGroup, Sort } from '../types.js';
import type { SchemaState } from './model.js';

/**
 * A segment as the schema document stores it. An active segment keeps its filter and its members
 * are the live records matching it at each read; a static one keeps no filter (its members are a
 * storage list named by its id).
 *
 * @example
 * const doc: SegmentDoc = { id: '1', name: 'Customers', objectType: 'contacts', kind: 'active', filter: { filterGroups: [] }, createdAt, updatedAt: createdAt };
 */
export interface SegmentDoc {
  readonly id: string;
  readonly name: string;
  readonly objectType: string;
  readonly kind: 'active' | 'static';
  readonly filter?: { readonly filterGroups: readonly FilterGroup[] };
  readonly createdAt: string;
  readonly updatedAt: string;
}

/**
 * A saved view (an index page's): a named filter with sorts and the properties to show.
 *
 * @example
 * const doc: ViewDoc = { id: '1', name: 'Big deals', objectType: 'deals', sorts: [{ propertyName: 'amount', direction: 'DESCENDING' }], createdAt, updatedAt: createdAt };
 */
export interface ViewDoc {
  readonly id: string;
  readonly name: string;
  readonly objectType: string;
  readonly filter?: { readonly filterGroups: readonly FilterGroup[] };
  readonly sorts?: readonly Sort[];
  readonly properties?: readonly string[];
  readonly createdAt: string;
  readonly updatedAt: string;
}

/**
 * The saved-filter part of the schema document.
 *
 * @example
 * const saved: SavedDoc = { segments: [], views: [], nextSegmentNumber: 1, nextViewNumber: 1 };
 */
export interface SavedDoc {
  readonly segments: readonly SegmentDoc[];
  readonly views: readonly ViewDoc[];
  /** Ids count up from 1 and are never reused, like HubSpot's list ids. */
  readonly nextSegmentNumber: number;
  readonly nextViewNumber: number;
}

/**
 * What one saved filter names: properties (with their object type), association labels (seen
 * from `from`), and segments.
 *
 * @example
 * filterUses(schema, 'contacts', groups); // { properties: [{ objectType: 'contacts', name: 'email' }], labels: [], segments: [], associations: [] }
 */
export interface FilterUses {
  properties: Array<{ objectType: string; name: string }>;
  labels: Array<{ from: string; to: string; name: string }>;
  segments: string[];
  /** The pairs association filters cross, `from` the filtered type `to` the associated one (nested ones included). */
  associations: Array<{ from: string; to: string }>;
}

/**
 * The names a filter of `objectType` records uses, nested association filters included (their
 * properties belong to the associated type). Names the schema does not know are left out: they
 * cannot be archived from under the filter.
 *
 * @example
 * filterUses(schema, 'deals', [{ filters: [{ association: { toType: 'contacts', label: 'decision_maker' } }] }]).labels;
 * // [{ from: 'deals', to: 'contacts', name: 'decision_maker' }]
 */
export function filterUses(schema: SchemaState, objectType: string, groups: readonly FilterGroup[] | undefined, found: FilterUses = { properties: [], labels: [], segments: [], associations: [] }): FilterUses {
  const model = schema.find(objectType);
  if (model === undefined) return found;
  for (const group of groups ?? []) {
    for (const filter of group.filters) {
      if ('segment' in filter) found.segments.push(filter.segment.id);
      else if ('association' in filter) {
        const { toType, label, primary, filters } = filter.association;
        const other = schema.find(toType);
        if (other === undefined) continue;
        found.associations.push({ from: model.name, to: other.name });
        const names = primary === true ? ['primary'] : label === undefined ? [] : typeof label === 'string' ? [label] : label;
        for (const name of names) found.labels.push({ from: model.name, to: other.name, name });
        if (filters !== undefined) filterUses(schema, other.name, [{ filters }], found);
      } else found.properties.push({ objectType: model.name, name: filter.propertyName });
    }
  }
  return found;
}

/**
 * The saved filters that use something, by id: `uses` says whether one filter's names include it.
 *
 * @example
 * usersOf(schema, (uses) => uses.segments.includes('3')); // { segments: ['5'], views: [] }
 */
export function usersOf(schema: SchemaState, uses: (found: FilterUses, objectType: string) => boolean): { segments: string[]; views: string[] } {
  const { segments, views } = schema.savedDoc;
  return {
    segments: segments.filter((doc) => doc.filter !== undefined && uses(filterUses(schema, doc.objectType, doc.filter.filterGroups), doc.objectType)).map((doc) => doc.id),
    views: views
      .filter((doc) => {
        const found = filterUses(schema, doc.objectType, doc.filter?.filterGroups);
        // A view's sorts and shown properties are uses too: archiving one would break the view.
        const model = schema.find(doc.objectType);
        for (const name of [...(doc.sorts ?? []).map((sort) => sort.propertyName), ...(doc.properties ?? [])]) {
          if (model !== undefined) found.properties.push({ objectType: model.name, name });
        }
        return uses(found, doc.objectType);
      })
      .map((doc) => doc.id),
  };
}

/**
 * The segments and saved views that name an object type: those of its records (static segments
 * too), and those whose filters reach it through an association filter. Deleting the type would
 * leave them naming nothing.
 *
 * @example
 * savedOn(schema, 'roast_batches'); // { segments: ['2'], views: [] }
 */
export function savedOn(schema: SchemaState, objectType: string): { segments: string[]; views: string[] } {
  const { segments, views } = schema.savedDoc;
  const names = (doc: { objectType: string; filter?: { filterGroups: readonly FilterGroup[] } | undefined }): boolean =>
    doc.objectType === objectType || filterUses(schema, doc.objectType, doc.filter?.filterGroups).associations.some((pair) => pair.to === objectType);
  return { segments: segments.filter(names).map((doc) => doc.id), views: views.filter(names).map((doc) => doc.id) };
}

/**
 * The segments and saved views whose filters cross the pair `a` ↔ `b` (an association filter
 * from either side, nested ones included).
 *
 * @example
 * savedAcross(schema, 'roast_batches', 'contacts'); // { segments: [], views: ['4'] }
 */
export function savedAcross(schema: SchemaState, a: string, b: string): { segments: string[]; views: string[] } {
  const crosses = (found: FilterUses): boolean => found.associations.some((pair) => (pair.from === a && pair.to === b) || (pair.from === b && pair.to === a));
  return usersOf(schema, crosses);
}
