// The primary-company rule's pure decisions (src/associations/primary.ts), over every list of
// company edges: at most one primary after any decision, a contact with companies always has
// one, the longest-associated company takes over, and a returning or merged primary never takes
// over from the one the record has. test/associations/primary.test.ts shows the same rule
// through the public calls.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { StoredEdge } from 'crmkit';
// The rules under test come from the sources, so their errors are the sources' CrmError (also
// when the other tests run against the built bundle).
import { isCrmError } from '../../src/errors.js';
import {
  longestAssociated,
  mergedKeepsPrimary,
  primaryEdge,
  primaryOnAssociate,
  returningKeepsPrimary,
  settlePrimary,
  successorOnLoss,
} from '../../src/associations/primary.js';

const PRIMARY = 'primary';

function edge(toId: string, createdAt: string, options: { primary?: boolean; archived?: boolean } = {}): StoredEdge {
  const labels = options.primary ? [PRIMARY] : [];
  return { fromType: 'contacts', fromId: 'c1', toType: 'companies', toId, labels, inverseLabels: labels, createdAt, archived: options.archived ?? false };
}

/** A contact's edges to up to 6 companies: distinct ids, any times, any archived, any primary labels. */
const edgesArb = fc
  .uniqueArray(
    fc.record({
      id: fc.constantFrom('k1', 'k2', 'k3', 'k4', 'k5', 'k6'),
      at: fc.integer({ min: 0, max: 5 }),
      primary: fc.boolean(),
      archived: fc.boolean(),
    }),
    { selector: (item) => item.id, maxLength: 6 },
  )
  .map((items) => items.map((item) => edge(item.id, `2026-01-0${item.at + 1}T00:00:00.000Z`, item)));

const livePrimaries = (edges: readonly StoredEdge[]): StoredEdge[] => edges.filter((e) => !e.archived && e.labels.includes(PRIMARY));

describe('settlePrimary (after archive, restore, purge)', () => {
  it('leaves at most one live primary, and a contact with live companies exactly one', () => {
    fc.assert(
      fc.property(edgesArb, fc.subarray(['k1', 'k2', 'k3', 'k4', 'k5', 'k6']), fc.constantFrom('contacts', 'deals'), (edges, returning, ownerType) => {
        const { demote, promote } = settlePrimary(ownerType, edges, new Set(returning));
        const after = livePrimaries(edges).filter((e) => !demote.includes(e));
        if (promote) after.push(promote);
        expect(after.length).toBeLessThanOrEqual(1);
        const live = edges.filter((e) => !e.archived);
        if (ownerType === 'contacts' && live.length > 0) expect(after).toHaveLength(1);
        if (ownerType === 'deals' && livePrimaries(edges).length === 0) expect(promote).toBeUndefined();
      }),
    );
  });

  it('keeps a primary that is not returning over one that is', () => {
    const current = edge('k1', '2026-01-02T00:00:00.000Z', { primary: true });
    const restored = edge('k2', '2026-01-01T00:00:00.000Z', { primary: true });
    expect(settlePrimary('contacts', [restored, current], new Set(['k2']))).toEqual({ demote: [restored], promote: undefined });
  });

  it('promotes the longest-associated live company, ties in the order made', () => {
    const edges = [
      edge('k3', '2026-01-02T00:00:00.000Z'),
      edge('k1', '2026-01-01T00:00:00.000Z', { archived: true }),
      edge('k2', '2026-01-02T00:00:00.000Z'),
    ];
    expect(settlePrimary('contacts', edges, new Set()).promote?.toId).toBe('k3');
    expect(longestAssociated(edges, 'k3')?.toId).toBe('k2');
  });
});

describe('primaryOnAssociate', () => {
  it('makes the first company primary, and only a new association', () => {
    expect(primaryOnAssociate([], { isNew: true, namesPrimary: false })).toEqual({ makePrimary: true });
    expect(primaryOnAssociate([], { isNew: false, namesPrimary: false })).toEqual({ makePrimary: false });
    expect(primaryOnAssociate([edge('k1', 'a', { primary: true })], { isNew: true, namesPrimary: false })).toEqual({ makePrimary: false });
  });

  it('demotes the current primary when the call names the primary label', () => {
    fc.assert(
      fc.property(edgesArb, fc.boolean(), (edges, isNew) => {
        const decision = primaryOnAssociate(edges, { isNew, namesPrimary: true });
        expect(decision.makePrimary).toBe(true);
        expect(decision.demote).toBe(primaryEdge(edges));
      }),
    );
  });
});

describe('successorOnLoss (unlabel, remove)', () => {
  const contact = { type: 'contacts', id: 'c1' };
  const two = [edge('k1', 'a', { primary: true }), edge('k2', 'b')];

  it('answers the one company left when a contact removes its primary', () => {
    expect(successorOnLoss(contact, two, 'k1', undefined, true)).toBe('k2');
    expect(successorOnLoss(contact, [edge('k1', 'a', { primary: true })], 'k1', undefined, true)).toBeUndefined();
  });

  it('refuses to leave a contact with companies and no primary (PRIMARY_REQUIRED)', () => {
    const refused = (run: () => unknown): string | undefined => {
      try {
        run();
        return undefined;
      } catch (error) {
        return isCrmError(error) ? error.code : 'not a CrmError';
      }
    };
    expect(refused(() => successorOnLoss(contact, two, 'k1', undefined, false))).toBe('PRIMARY_REQUIRED');
    expect(refused(() => successorOnLoss(contact, [...two, edge('k3', 'c')], 'k1', undefined, true))).toBe('PRIMARY_REQUIRED');
    expect(refused(() => successorOnLoss(contact, two, 'k1', { type: 'companies', id: 'k1' }, true))).toBe('PRIMARY_REQUIRED');
    expect(refused(() => successorOnLoss(contact, two, 'k1', { type: 'deals', id: 'd1' }, true))).toBe('PRIMARY_NOT_ALLOWED');
  });

  it('lets other objects lose their primary, or take the one named', () => {
    const deal = { type: 'deals', id: 'd1' };
    expect(successorOnLoss(deal, two, 'k1', undefined, false)).toBeUndefined();
    expect(successorOnLoss(deal, two, 'k1', { type: 'companies', id: 'k2' }, true)).toBe('k2');
  });
});

describe('a primary that returns or arrives by merge never takes over', () => {
  it('returningKeepsPrimary and mergedKeepsPrimary', () => {
    const current = edge('k1', 'a', { primary: true });
    expect(returningKeepsPrimary(current, 'k2')).toBe(false);
    expect(returningKeepsPrimary(current, 'k1')).toBe(true);
    expect(returningKeepsPrimary(undefined, 'k2')).toBe(true);
    expect(mergedKeepsPrimary('contacts', edge('k2', 'b', { primary: true }), current)).toBe(false);
    expect(mergedKeepsPrimary('contacts', edge('k2', 'b', { primary: true }), undefined)).toBe(true);
    expect(mergedKeepsPrimary('companies', edge('k2', 'b', { primary: true }), current)).toBe(true);
  });
});
