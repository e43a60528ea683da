// Which object type a path names. HubSpot accepts a type's name (`contacts`), its singular
// (`contact`), its id (`0-1`, `2-<n>`) and, for custom objects, the fully qualified name
// `p<portalId>_<name>`.
import { CrmError, type ObjectTypeDefinition } from 'crmkit';

/**
 * The singular HubSpot accepts for a standard type's name: `companies` → `company`,
 * `line_items` → `line_item`; a name not ending in `s` is its own singular (`postal_mail`).
 *
 * @example
 * singularOf('contacts'); // 'contact'
 */
export function singularOf(name: string): string {
  if (name.endsWith('ies')) return `${name.slice(0, -3)}y`;
  if (name.endsWith('s')) return name.slice(0, -1);
  return name;
}

/**
 * The object type `raw` names among `objects`, else UNKNOWN_OBJECT_TYPE (answered as 400
 * `Unable to infer object type from: raw`). Matches an id, a name (any case), a standard type's
 * singular, or a custom type's `p<portalId>_<name>`.
 *
 * @example
 * resolveObjectType(crm.schema.objects(), 'p1_roast_batches', 1).name; // 'roast_batches'
 */
export function resolveObjectType(objects: readonly ObjectTypeDefinition[], raw: string, portalId: number): ObjectTypeDefinition {
  const lower = raw.toLowerCase();
  const qualified = `p${portalId}_`;
  const found =
    objects.find((type) => type.id === raw || type.name === raw) ??
    objects.find((type) => type.name.toLowerCase() === lower) ??
    objects.find((type) => !type.custom && singularOf(type.name) === lower) ??
    (lower.startsWith(qualified) ? objects.find((type) => type.custom && type.name.toLowerCase() === lower.slice(qualified.length)) : undefined);
  if (!found) throw new CrmError('UNKNOWN_OBJECT_TYPE', `Unable to infer object type from: ${raw}`, { objectType: raw.slice(0, 200) });
  return found;
}
