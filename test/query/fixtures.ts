// What the search tests build on: a CRM with a fixed clock (relative dates read it), a
// multi-select property, deal labels, and helpers that name results by a property.
import { expect } from 'vitest';
import { createCrm, type CreateCrmOptions, type Crm, type CrmError, type Filter, type SearchResult, type ValidationIssue } from 'crmkit';
import { sequentialIds } from 'crmkit/testing';

/** The time the search tests' clock reads. */
export const NOW = '2026-06-01T12:00:00.000Z';

/**
 * A CRM on memory storage whose clock always reads {@link NOW}, with contacts' multi-select
 * `interests` (coffee, tea, cocoa) and the deal → contact labels `decision_maker` and `champion`.
 *
 * @example
 * const crm = await searchCrm();
 */
export async function searchCrm(options: CreateCrmOptions = {}): Promise<Crm> {
  const crm = await createCrm({ ids: sequentialIds(), clock: () => new Date(NOW), ...options });
  await crm.schema.defineProperty('contacts', {
    name: 'interests',
    label: 'Interests',
    type: 'enumeration',
    fieldType: 'checkbox',
    options: [
      { label: 'Coffee', value: 'coffee' },
      { label: 'Tea', value: 'tea' },
      { label: 'Cocoa', value: 'cocoa' },
    ],
  });
  await crm.associations.createLabel({ from: 'deals', to: 'contacts', label: 'Decision maker', name: 'decision_maker' });
  await crm.associations.createLabel({ from: 'deals', to: 'contacts', label: 'Champion', name: 'champion' });
  return crm;
}

/**
 * The values of `property` of a search's results, in order (so a test reads names, not ids).
 *
 * @example
 * expect(values(await crm.records.search('contacts', {}), 'firstname')).toEqual(['Ann', 'Bob']);
 */
export function values(result: SearchResult | { results: SearchResult['results'] }, property: string): unknown[] {
  return result.results.map((record) => record.properties[property]);
}

/**
 * The `property` values of the records of `type` matching one filter group of these filters,
 * sorted by that property, and checked against `count` with the same filter.
 *
 * @example
 * expect(await matching(crm, 'deals', 'dealname', [{ propertyName: 'amount', operator: 'GT', value: 9 }])).toEqual(['Ten']);
 */
export async function matching(crm: Crm, type: string, property: string, filters: Filter[]): Promise<unknown[]> {
  const request = { filterGroups: [{ filters }] };
  const result = await crm.records.search(type, { ...request, sorts: [{ propertyName: property, direction: 'ASCENDING' }], limit: 1_000 });
  expect(result.total, 'the total counts what matches').toBe(result.results.length);
  expect(await crm.records.count(type, request), 'count agrees with search').toBe(result.total);
  return values(result, property);
}

/**
 * The issues of a VALIDATION_ERROR, with only the fields a test names.
 *
 * @example
 * expect(issues(error)).toContainEqual(expect.objectContaining({ path: ['request', 'limit'] }));
 */
export function issues(error: CrmError): ValidationIssue[] {
  return error.code === 'VALIDATION_ERROR' ? (error.details.issues as ValidationIssue[]) : [];
}
