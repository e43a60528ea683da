// HubSpot's association type ids as data (docs/associations.md "Type ids", decision 0025): the
// ids HubSpot defines for each direction of a standard pair (the facts of HubSpot's docs and of
// the official SDK's AssociationTypes table), the built-in labels they name besides `primary`, and
// the rule that gives every other direction a stable generated id. Integrations (crmkit/hubspot)
// speak these ids; the engine itself works with label names.
import type { LabelDocSpec } from './spec.js';

/**
 * One HubSpot-defined direction: `typeId` is the id of `from` → `to`; `label` is the internal
 * name of the label it stands for (seen from `from`), `null` for the unlabelled association.
 *
 * @example
 * const primary: DefinedTypeSpec = { from: 'contacts', to: 'companies', typeId: 1, label: 'primary' };
 */
export interface DefinedTypeSpec {
  readonly from: string;
  readonly to: string;
  readonly typeId: number;
  readonly label: string | null;
}

/** [from, to, id of from → to, id of to → from]: the unlabelled association of a pair. */
type Unlabelled = readonly [string, string, number, number | undefined];

// Each row is one pair; a direction HubSpot's table leaves out is `undefined` (it gets a
// generated id, see generatedTypeId). Same-type pairs use one id for both directions.
const UNLABELLED: readonly Unlabelled[] = [
  ['deals', 'contacts', 3, 4],
  ['contacts', 'tickets', 15, 16],
  ['deals', 'line_items', 19, 20],
  ['deals', 'tickets', 27, 28],
  ['deals', 'quotes', 63, 64],
  ['quotes', 'line_items', 67, 68],
  ['quotes', 'contacts', 69, 70],
  ['quotes', 'companies', 71, 72],
  ['communications', 'contacts', 81, 82],
  ['communications', 'tickets', 83, 84],
  ['communications', 'deals', 85, 86],
  ['communications', 'companies', 87, 88],
  ['contacts', 'feedback_submissions', 97, 98],
  ['tickets', 'feedback_submissions', 99, 100],
  ['companies', 'calls', 181, 182],
  ['companies', 'emails', 185, 186],
  ['companies', 'meetings', 187, 188],
  ['companies', 'notes', 189, 190],
  ['companies', 'tasks', 191, 192],
  ['contacts', 'calls', 193, 194],
  ['contacts', 'emails', 197, 198],
  ['contacts', 'meetings', 199, 200],
  ['contacts', 'notes', 201, 202],
  ['contacts', 'tasks', 203, 204],
  ['deals', 'calls', 205, 206],
  ['deals', 'emails', 209, 210],
  ['deals', 'meetings', 211, 212],
  ['deals', 'notes', 213, 214],
  ['deals', 'tasks', 215, 216],
  ['quotes', 'tasks', 217, 218],
  ['tickets', 'calls', 219, 220],
  ['tickets', 'emails', 223, 224],
  ['tickets', 'meetings', 225, 226],
  ['tickets', 'notes', 227, 228],
  ['tickets', 'tasks', 229, 230],
  ['contacts', 'companies', 279, 280],
  ['tickets', 'companies', 339, 340],
  ['deals', 'companies', 341, 342],
  ['quotes', 'discounts', 362, undefined],
  ['quotes', 'fees', 364, undefined],
  ['quotes', 'taxes', 366, undefined],
  ['calls', 'meetings', 399, 400],
  ['contacts', 'contacts', 449, 449],
  ['companies', 'companies', 450, 450],
  ['deals', 'deals', 451, 451],
  ['tickets', 'tickets', 452, 452],
  ['postal_mail', 'contacts', 453, 454],
  ['postal_mail', 'tickets', 455, 456],
  ['postal_mail', 'deals', 457, 458],
  ['postal_mail', 'companies', 459, 460],
];

/**
 * The built-in primary label's ids HubSpot defines: [object → company, company → object].
 *
 * @example
 * PRIMARY_TYPE_IDS.contacts; // [1, 2]
 */
export const PRIMARY_TYPE_IDS: Readonly<Record<string, readonly [number, number]>> = {
  contacts: [1, 2],
  deals: [5, 6],
  // HubSpot's table: company → ticket (primary) is 25, ticket → company (primary) 26.
  tickets: [26, 25],
};

/**
 * The built-in labels other than `primary`: a company's child and parent companies (HubSpot's
 * 13 parent → child, 14 child → parent; a company has one parent) and a quote's signing
 * contacts (702; HubSpot's table names no contact → quote id, so that side's is generated).
 * Like `primary` they cannot be changed or deleted and do not count against the label limit.
 *
 * @example
 * BUILT_IN_LABELS.map((label) => label.name); // ['child_company', 'contact_signer']
 */
export const BUILT_IN_LABELS: readonly LabelDocSpec[] = [
  {
    from: 'companies',
    to: 'companies',
    name: 'child_company',
    label: 'Child company',
    inverseName: 'parent_company',
    inverseLabel: 'Parent company',
    limit: 'many',
    inverseLimit: 1,
    typeId: 13,
    inverseTypeId: 14,
  },
  {
    from: 'quotes',
    to: 'contacts',
    name: 'contact_signer',
    label: 'Contact signer',
    limit: 'many',
    inverseLimit: 'many',
    typeId: 702,
    inverseTypeId: builtInInverseTypeId(702),
  },
];

/**
 * A generated id for the direction of a built-in label HubSpot's table leaves out: 2,000,000 +
 * the defined direction's id, a range no other rule uses.
 *
 * @example
 * builtInInverseTypeId(702); // 2000702
 */
export function builtInInverseTypeId(typeId: number): number {
  return 2_000_000 + typeId;
}

/**
 * Every unlabelled HubSpot-defined direction, keyed `from|to`.
 *
 * @example
 * UNLABELLED_TYPE_IDS.get('contacts|companies'); // 279
 */
export const UNLABELLED_TYPE_IDS: ReadonlyMap<string, number> = new Map(
  UNLABELLED.flatMap(([from, to, forward, inverse]) => [
    ...(forward !== undefined ? [[`${from}|${to}`, forward] as const] : []),
    ...(inverse !== undefined ? [[`${to}|${from}`, inverse] as const] : []),
  ]),
);

/**
 * The pair HubSpot's table names that crmkit leaves out (no quote template records): [from, to, typeId].
 *
 * @example
 * LEFT_OUT_TYPES[0]; // ['quotes', 'quote_templates', 286]
 */
export const LEFT_OUT_TYPES: ReadonlyArray<readonly [string, string, number]> = [['quotes', 'quote_templates', 286]];

/**
 * Every HubSpot-defined direction crmkit answers: the unlabelled ones, `primary`'s and the
 * built-in labels'. Generated ids (builtInInverseTypeId) are not HubSpot-defined and not listed.
 *
 * @example
 * DEFINED_TYPES.find((type) => type.typeId === 279); // { from: 'contacts', to: 'companies', typeId: 279, label: null }
 */
export const DEFINED_TYPES: readonly DefinedTypeSpec[] = [
  ...[...UNLABELLED_TYPE_IDS].map(([key, typeId]) => {
    const [from, to] = key.split('|') as [string, string];
    return { from, to, typeId, label: null };
  }),
  ...Object.entries(PRIMARY_TYPE_IDS).flatMap(([type, [forward, inverse]]) => [
    { from: type, to: 'companies', typeId: forward, label: 'primary' },
    { from: 'companies', to: type, typeId: inverse, label: 'primary' },
  ]),
  ...BUILT_IN_LABELS.flatMap((doc) => [
    { from: doc.from, to: doc.to, typeId: doc.typeId, label: doc.name },
    ...(doc.inverseTypeId < 2_000_000 ? [{ from: doc.to, to: doc.from, typeId: doc.inverseTypeId, label: doc.inverseName ?? doc.name }] : []),
  ]),
];

/** The object number of a standard type id ('0-53' → 53). */
function standardNumber(objectTypeId: string): number | undefined {
  const match = /^0-(\d+)$/.exec(objectTypeId);
  return match ? Number(match[1]) : undefined;
}

/**
 * The generated unlabelled id of a standard direction HubSpot's table does not define:
 * 1,000,000 + 1,000 × the from type's number + the to type's number (contacts → invoices,
 * `0-1` → `0-53`: 1001053). Object type ids never change, so neither does this, and it needs no
 * storage; `undefined` when either type is not a standard one (custom pairs' ids are stored).
 *
 * @example
 * generatedTypeId('0-1', '0-53'); // 1001053
 */
export function generatedTypeId(fromObjectTypeId: string, toObjectTypeId: string): number | undefined {
  const from = standardNumber(fromObjectTypeId);
  const to = standardNumber(toObjectTypeId);
  if (from === undefined || to === undefined || from >= 1000 || to >= 1000) return undefined;
  return 1_000_000 + from * 1000 + to;
}

/**
 * The generated ids of the primary label for a type outside HubSpot's table: 100,000 + 2n for a
 * standard type `0-n`, 200,000 + 2n for a custom one `2-n` (then + 1 for company → type).
 *
 * @example
 * generatedPrimaryTypeIds('0-136'); // [100272, 100273]
 */
export function generatedPrimaryTypeIds(objectTypeId: string): readonly [number, number] {
  const [prefix, number] = objectTypeId.split('-').map(Number) as [number, number];
  const base = (prefix === 0 ? 100_000 : 200_000) + 2 * number;
  return [base, base + 1];
}

/**
 * Whether an id is one the rules above may compute (HubSpot's below 1,000; generated ones from
 * 100,000 up to 10,000,000): stored ids (user labels, custom pairs) are allocated outside them.
 *
 * @example
 * reservedTypeId(279); // true
 * reservedTypeId(1000); // false
 */
export function reservedTypeId(typeId: number): boolean {
  return typeId < 1000 || (typeId >= 100_000 && typeId < 10_000_000);
}

/**
 * The first id at or after `candidate` that may be allocated: past the reserved ranges, so a
 * counter that reaches 100,000 continues at 10,000,000.
 *
 * @example
 * allocatableTypeId(1000); // 1000
 * allocatableTypeId(100_000); // 10000000
 */
export function allocatableTypeId(candidate: number): number {
  if (candidate < 1000) return 1000;
  return reservedTypeId(candidate) ? 10_000_000 : candidate;
}
