// Associations through the public API: associate, list (both sides, pages, cursors), labels,
// unlabel, remove, and the refusals that change nothing.
import { describe, expect, it } from 'vitest';
import { refused, issueCodes, view, associatedIds, type Engine } from './harness.js';

/**
 * Declares the engine's tests of associations: associate, list, labels, on the storages `engine` makes.
 *
 * @example
 * describeAssociations(engineHarness(() => memoryStorage()));
 */
export function describeAssociations({ fresh, contact, company, deal, listen }: Engine): void {
  describe('associations: associate, list, labels', () => {
    it('lists an association from both sides, in the order made, with the total', async () => {
      const crm = await fresh();
      const bigOne = await deal(crm);
      const [ana, bob, cy] = [await contact(crm), await contact(crm, { firstname: 'Bob' }), await contact(crm, { firstname: 'Cy' })];
      await crm.associations.associate(bigOne, bob);
      await crm.associations.associate(ana, bigOne);
      await crm.associations.associate(bigOne, cy);
      const page = await crm.associations.list(bigOne, 'contacts');
      expect(page.results).toEqual([bob, ana, cy].map((record) => ({ objectType: 'contacts', id: record.id, labels: [], primary: false })));
      expect(page.total).toBe(3);
      expect(await associatedIds(crm, ana, 'deals')).toEqual([bigOne.id]);
      expect(await associatedIds(crm, { objectType: '0-1', id: cy.id }, '0-3')).toEqual([bigOne.id]);
    });

    it('pages a record’s associations with cursors, each exactly once', async () => {
      const crm = await fresh();
      const acme = await company(crm);
      const people = await crm.records.createMany('contacts', Array.from({ length: 5 }, (_, n) => ({ firstname: `P${n}` })));
      await crm.associations.associateMany(people.map((person) => ({ from: acme, to: person })));
      const seen: string[] = [];
      let after: string | undefined;
      do {
        const page = await crm.associations.list(acme, 'contacts', { limit: 2, ...(after !== undefined ? { after } : {}) });
        expect(page.results.length).toBeLessThanOrEqual(2);
        expect(page.total).toBe(5);
        seen.push(...page.results.map((item) => item.id));
        after = page.paging?.next?.after;
      } while (after !== undefined && seen.length < 10);
      expect(seen).toEqual(people.map((person) => person.id));
    });

    it('a list cursor survives associations removed meanwhile, and pages a label filter by itself', async () => {
      const crm = await fresh();
      const acme = await company(crm);
      const people = await crm.records.createMany('contacts', Array.from({ length: 6 }, (_, n) => ({ firstname: `P${n}` })));
      await crm.associations.associateMany(people.map((person) => ({ from: acme, to: person })));
      const first = await crm.associations.list(acme, 'contacts', { limit: 2 });
      expect(first.results.map((item) => item.id)).toEqual([people[0]!.id, people[1]!.id]);
      await crm.associations.remove(acme, people[1]!);
      await crm.associations.remove(acme, people[2]!);
      const next = await crm.associations.list(acme, 'contacts', { limit: 2, after: first.paging!.next!.after });
      expect(next.results.map((item) => item.id)).toEqual([people[3]!.id, people[4]!.id]);
      expect(next.total).toBe(4);
      // Primary companies only, from the company's side: each contact's first company is primary.
      const primaries = await crm.associations.list(acme, 'contacts', { limit: 1, label: 'primary' });
      expect(primaries.total).toBe(4);
      const after = primaries.paging!.next!.after;
      expect(issueCodes(await refused(crm.associations.list(acme, 'contacts', { limit: 1, after }), 'VALIDATION_ERROR'))).toEqual(['INVALID_CURSOR']);
      expect((await crm.associations.list(acme, 'contacts', { limit: 1, after, label: 'primary' })).results.map((item) => item.id)).toEqual([people[3]!.id]);
    });

    it('a paired label reads its own name from each side, and list filters by it', async () => {
      const crm = await fresh();
      const defined = await crm.associations.createLabel({ from: 'contacts', to: 'contacts', label: 'Manager', inverseLabel: 'Employee' });
      expect(defined).toMatchObject({ name: 'manager', inverseName: 'employee' });
      const [worker, boss, other] = [await contact(crm, { firstname: 'Worker' }), await contact(crm, { firstname: 'Boss' }), await contact(crm, { firstname: 'Other' })];
      await crm.associations.associate(worker, boss, ['manager']);
      await crm.associations.associate(worker, other);
      expect((await crm.associations.list(worker, 'contacts')).results).toEqual([
        { objectType: 'contacts', id: boss.id, labels: ['manager'], primary: false },
        { objectType: 'contacts', id: other.id, labels: [], primary: false },
      ]);
      expect((await crm.associations.list(boss, 'contacts')).results).toEqual([{ objectType: 'contacts', id: worker.id, labels: ['employee'], primary: false }]);
      expect(await associatedIds(crm, worker, 'contacts', 'manager')).toEqual([boss.id]);
      await refused(crm.associations.associate(worker, other, ['nope']), 'UNKNOWN_LABEL');
      expect(crm.associations.labels('contacts', 'contacts').map((label) => label.name)).toEqual(['manager']);
    });

    it('unlabel keeps the association, remove takes it with its labels, both on both sides', async () => {
      const crm = await fresh();
      await crm.associations.createLabel({ from: 'deals', to: 'contacts', label: 'Decision maker' });
      const bigOne = await deal(crm);
      const ana = await contact(crm);
      await crm.associations.associate(bigOne, ana, ['decision_maker']);
      await crm.associations.unlabel(ana, bigOne, ['decision_maker']);
      expect((await crm.associations.list(bigOne, 'contacts')).results).toEqual([{ objectType: 'contacts', id: ana.id, labels: [], primary: false }]);
      await crm.associations.remove(bigOne, ana);
      expect(await crm.associations.list(bigOne, 'contacts')).toMatchObject({ results: [], total: 0 });
      expect(await crm.associations.list(ana, 'deals')).toMatchObject({ results: [], total: 0 });
      const before = await view(crm);
      await refused(crm.associations.unlabel(bigOne, ana, ['decision_maker']), 'NOT_FOUND');
      // Not associated: a remove does nothing, and neither call changed anything.
      await crm.associations.remove(bigOne, ana);
      expect(await view(crm)).toEqual(before);
    });

    it('an associate that adds nothing changes nothing: no history, no event', async () => {
      const crm = await fresh();
      await crm.associations.createLabel({ from: 'deals', to: 'contacts', label: 'Champion' });
      const bigOne = await deal(crm);
      const ana = await contact(crm);
      await crm.associations.associate(bigOne, ana, ['champion']);
      const before = await view(crm);
      const events = listen(crm);
      await crm.associations.associate(ana, bigOne);
      await crm.associations.associate(bigOne, ana, ['champion']);
      await crm.associations.associate(ana, bigOne, ['champion']);
      expect(events).toEqual([]);
      expect(await view(crm)).toEqual(before);
    });

    it('deleteLabel is LABEL_IN_USE while an association carries the label, and labelUsage counts them', async () => {
      const crm = await fresh();
      await crm.associations.createLabel({ from: 'deals', to: 'contacts', label: 'Champion' });
      const bigOne = await deal(crm);
      const [ana, bob] = [await contact(crm), await contact(crm, { firstname: 'Bob' })];
      await crm.associations.associate(bigOne, ana, ['champion']);
      await crm.associations.associate(bigOne, bob, ['champion']);
      expect((await crm.associations.labelUsage('deals', 'contacts', 'champion')).associations).toBe(2);
      const error = await refused(crm.associations.deleteLabel('deals', 'contacts', 'champion'), 'LABEL_IN_USE');
      expect(error.details.associations).toBe(2);
      await crm.associations.unlabel(bigOne, ana, ['champion']);
      await crm.associations.remove(bigOne, bob);
      await crm.associations.deleteLabel('deals', 'contacts', 'champion');
      expect(crm.associations.labels('deals', 'contacts').map((label) => label.name)).not.toContain('champion');
    });

    it('refuses a self-association, a pair that may not associate, and an archived record, changing nothing', async () => {
      const crm = await fresh();
      const ana = await contact(crm);
      const bigOne = await deal(crm);
      const product = await crm.records.create('products', { name: 'Beans' });
      const gone = await contact(crm, { firstname: 'Gone' });
      await crm.records.archive('contacts', gone.id);
      const before = await view(crm);
      expect((await refused(crm.associations.associate(ana, ana), 'ASSOCIATION_NOT_ALLOWED')).details.reason).toBe('self');
      await refused(crm.associations.associate(product, bigOne), 'ASSOCIATION_NOT_ALLOWED');
      await refused(crm.associations.associate(bigOne, gone), 'ARCHIVED');
      await refused(crm.associations.associate(bigOne, { objectType: 'contacts', id: 'ghost' }), 'NOT_FOUND');
      expect(await view(crm)).toEqual(before);
    });

    it('hides archived records from lists and totals until they are restored', async () => {
      const crm = await fresh();
      const bigOne = await deal(crm);
      const [ana, bob] = [await contact(crm), await contact(crm, { firstname: 'Bob' })];
      await crm.associations.associate(bigOne, ana);
      await crm.associations.associate(bigOne, bob);
      await crm.records.archive('contacts', ana.id);
      expect(await crm.associations.list(bigOne, 'contacts')).toEqual({
        results: [{ objectType: 'contacts', id: bob.id, labels: [], primary: false }],
        total: 1,
      });
      expect((await crm.associations.listMany([bigOne], 'contacts')).get(bigOne.id)!.map((item) => item.id)).toEqual([bob.id]);
      // An archived record lists nothing.
      expect(await crm.associations.list(ana, 'deals')).toEqual({ results: [], total: 0 });
      await crm.records.restore('contacts', ana.id);
      expect(await associatedIds(crm, bigOne, 'contacts')).toEqual([ana.id, bob.id]);
      expect(await associatedIds(crm, ana, 'deals')).toEqual([bigOne.id]);
    });

    it('associateMany is atomic: one refused pair refuses the batch', async () => {
      const crm = await fresh();
      const bigOne = await deal(crm);
      const [ana, bob] = [await contact(crm), await contact(crm, { firstname: 'Bob' })];
      const before = await view(crm);
      const self = await refused(
        crm.associations.associateMany([
          { from: bigOne, to: ana },
          { from: bob, to: bob },
        ]),
        'ASSOCIATION_NOT_ALLOWED',
      );
      // Each refusal names the pair that failed.
      expect(self.details.index).toBe(1);
      const unknownLabel = await refused(
        crm.associations.associateMany([
          { from: bigOne, to: ana },
          { from: bigOne, to: bob, labels: ['nope'] },
        ]),
        'UNKNOWN_LABEL',
      );
      expect(unknownLabel.details.index).toBe(1);
      const missing = await refused(crm.associations.associateMany([{ from: bigOne, to: { objectType: 'contacts', id: 'nope' } }]), 'NOT_FOUND');
      expect(missing.details.index).toBe(0);
      expect(await view(crm)).toEqual(before);
    });

    it('removeMany removes every pair, atomically: one refused pair, named by its index, removes none', async () => {
      const crm = await fresh();
      const bigOne = await deal(crm);
      const [ana, bob] = [await contact(crm), await contact(crm, { firstname: 'Bob' })];
      await crm.associations.associateMany([
        { from: bigOne, to: ana },
        { from: bigOne, to: bob },
      ]);
      const before = await view(crm);
      const error = await refused(
        crm.associations.removeMany([
          { from: bigOne, to: ana },
          { from: bigOne, to: { objectType: 'contacts', id: 'nope' } },
        ]),
        'NOT_FOUND',
      );
      expect(error.details.index).toBe(1);
      expect(await view(crm)).toEqual(before);
      await crm.associations.removeMany([
        { from: ana, to: bigOne },
        { from: bigOne, to: bob },
      ]);
      expect(await associatedIds(crm, bigOne, 'contacts')).toEqual([]);
    });
  });
}
