// Which standard object types may associate (docs/associations.md "Which pairs may associate"), as one
// table; the association rules read it instead of scattering pair checks through the code.
//
// Choices crmkit makes where HubSpot's matrix is silent or varies by account:
// - Contacts and companies associate with every standard type except products and line items.
// - Activities belong on records people work: deals, tickets, leads, quotes, orders, carts,
//   invoices, listings, services, courses, appointments, projects and marketing events (besides
//   contacts and companies). Never with each other, nor with products, line items, payments,
//   subscriptions (records a billing system writes) or conversations (themselves a thread of
//   messages). Campaigns take only calls, one-to-one emails and meetings. The one exception is
//   a call with a meeting (a call booked from a meeting, or a meeting's recorded call): HubSpot
//   defines type ids for it (399/400), so it is the one activity-to-activity pair.
// - Quotes hold their quote-level discounts, fees and taxes; contacts and tickets their feedback
//   submissions (HubSpot defines type ids for these pairs: association-types.ts).
// - A line item has one parent; a quote has one deal. Other record-to-record links are listed in
//   RECORD_LINKS below.
import type { AssociationRule, ExclusiveParent, PairLimit, PropertySpec, RequiredAssociation } from './spec.js';

const ACTIVITIES = ['notes', 'calls', 'emails', 'meetings', 'tasks', 'communications', 'postal_mail'];

/** Activities: their records sit on timelines and set `hs_last_activity_date`. */
export const ACTIVITY_TYPES: ReadonlySet<string> = new Set(ACTIVITIES);

/** The activities a campaign may hold. */
const CAMPAIGN_ACTIVITIES = ['calls', 'emails', 'meetings'];

/** Records (other than contacts and companies) that carry an activity timeline. */
const ACTIVITY_TARGETS = [
  'deals',
  'tickets',
  'leads',
  'quotes',
  'orders',
  'carts',
  'invoices',
  'listings',
  'services',
  'courses',
  'appointments',
  'projects',
  'marketing_events',
];

/** Everything contacts and companies associate with, besides each other and themselves. */
const CONTACT_AND_COMPANY_PARTNERS = [
  'deals',
  'tickets',
  'quotes',
  'invoices',
  'marketing_events',
  'subscriptions',
  'payments',
  'orders',
  'leads',
  'carts',
  'services',
  'courses',
  'listings',
  'appointments',
  'projects',
  'campaigns',
  'conversations',
  ...ACTIVITIES,
];

/** The types a line item may belong to; it belongs to exactly one of them. */
const LINE_ITEM_PARENTS = ['deals', 'quotes', 'invoices', 'subscriptions', 'orders', 'carts'];

/** Objects whose records may associate with records of the same object. */
const SELF_ASSOCIATING = ['contacts', 'companies', 'deals', 'tickets'];

/** Record-to-record pairs not covered by the lists above. */
const RECORD_LINKS: ReadonlyArray<readonly [string, string]> = [
  ['deals', 'tickets'],
  ['deals', 'leads'],
  ['deals', 'invoices'],
  ['deals', 'orders'],
  ['deals', 'carts'],
  ['deals', 'subscriptions'],
  ['deals', 'payments'],
  ['deals', 'services'],
  ['deals', 'listings'],
  ['deals', 'projects'],
  ['tickets', 'services'],
  ['tickets', 'conversations'],
  ['invoices', 'subscriptions'],
  ['invoices', 'payments'],
  ['subscriptions', 'payments'],
  ['orders', 'carts'],
  ['campaigns', 'deals'],
  ['campaigns', 'tickets'],
  ['campaigns', 'marketing_events'],
  ['calls', 'meetings'],
  ['quotes', 'discounts'],
  ['quotes', 'fees'],
  ['quotes', 'taxes'],
  ['contacts', 'feedback_submissions'],
  ['tickets', 'feedback_submissions'],
];

function buildRules(): AssociationRule[] {
  const rules: AssociationRule[] = [];
  const seen = new Set<string>();
  const allow = (from: string, to: string, limit?: PairLimit): void => {
    const key = [from, to].sort().join('|');
    // A pair given twice (in either order) would make its limits ambiguous: fail at load time.
    if (seen.has(key)) throw new Error(`crmkit catalogue: association ${from}–${to} is listed twice`);
    seen.add(key);
    rules.push(limit === undefined ? { from, to } : { from, to, limit });
  };

  for (const type of SELF_ASSOCIATING) allow(type, type);
  allow('contacts', 'companies');
  for (const party of ['contacts', 'companies']) {
    for (const other of CONTACT_AND_COMPANY_PARTNERS) allow(party, other);
  }
  for (const parent of LINE_ITEM_PARENTS) allow('line_items', parent, 'one');
  allow('quotes', 'deals', 'one');
  for (const [from, to] of RECORD_LINKS) allow(from, to);
  for (const activity of ACTIVITIES) {
    for (const target of ACTIVITY_TARGETS) allow(activity, target);
  }
  for (const activity of CAMPAIGN_ACTIVITIES) allow('campaigns', activity);
  return rules;
}

export const ASSOCIATION_RULES: readonly AssociationRule[] = buildRules();

export const REQUIRED_ASSOCIATIONS: readonly RequiredAssociation[] = [
  { objectType: 'quotes', anyOf: ['deals'] },
  { objectType: 'leads', anyOf: ['contacts', 'companies'] },
];

export const EXCLUSIVE_PARENTS: readonly ExclusiveParent[] = [
  { objectType: 'line_items', parents: [...LINE_ITEM_PARENTS] },
];

/**
 * The calculated properties' definitions, by name (docs/associations.md): read-only, kept by the
 * engine from a record's associations. How each is computed is declared in src/derived/.
 */
export const CALCULATED_PROPERTY_SPECS = {
  num_associated_contacts: { name: 'num_associated_contacts', label: 'Number of associated contacts', type: 'number', fieldType: 'number', readOnly: true },
  num_associated_deals: { name: 'num_associated_deals', label: 'Number of associated deals', type: 'number', fieldType: 'number', readOnly: true },
  hs_last_activity_date: { name: 'hs_last_activity_date', label: 'Last activity date', type: 'datetime', fieldType: 'date', readOnly: true },
} as const satisfies Record<string, PropertySpec>;

/** The calculated properties of each standard object type. */
export function calculatedProperties(objectType: string): PropertySpec[] {
  const { num_associated_contacts, num_associated_deals, hs_last_activity_date } = CALCULATED_PROPERTY_SPECS;
  const result: PropertySpec[] = [];
  if (objectType === 'companies') result.push(num_associated_contacts);
  if (objectType === 'contacts' || objectType === 'companies') result.push(num_associated_deals);
  if (objectType === 'contacts' || objectType === 'companies' || ACTIVITY_TARGETS.includes(objectType)) result.push(hs_last_activity_date);
  return result;
}
