// The pure translation between HubSpot's association type ids and crm label names
// (src/hubspot/association-types.ts), on hand-made type lists: no crm, no HTTP.
import type { AssociationType, CrmError } from 'crmkit';
import { describe, expect, it } from 'vitest';
import { associatedIds, createAssociationsAt, labelsOfSpecs, typeSpecsAt, typesOfAssociation, v3TypeName, wireType } from '../../src/hubspot/association-types.js';

const type = (from: string, to: string, typeId: number, name: string | null, category: AssociationType['category'] = 'HUBSPOT_DEFINED'): AssociationType => ({
  from,
  to,
  typeId,
  category,
  name,
  label: name === null ? null : name.replace(/_/g, ' '),
  limit: 'many',
});

const CONTACT_COMPANY = [type('contacts', 'companies', 279, null), type('contacts', 'companies', 1, 'primary'), type('contacts', 'companies', 1000, 'billing', 'USER_DEFINED')];
const CONTACT_DEAL = [type('contacts', 'deals', 4, null)];

/** The field a 400 names. */
function fieldOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return (error as CrmError<'VALIDATION_ERROR'>).details.issues[0]!.property;
  }
  return undefined;
}

describe('wireType and typesOfAssociation', () => {
  it('shows a type as { category, typeId, label }, label null when unlabelled', () => {
    expect(wireType(CONTACT_COMPANY[0]!)).toEqual({ category: 'HUBSPOT_DEFINED', typeId: 279, label: null });
  });

  it('lists an association’s labelled types, then the unlabelled one', () => {
    expect(typesOfAssociation(CONTACT_COMPANY, ['primary']).map((wire) => wire.typeId)).toEqual([1, 279]);
    expect(typesOfAssociation(CONTACT_COMPANY, ['billing', 'primary']).map((wire) => wire.typeId)).toEqual([1, 1000, 279]);
    expect(typesOfAssociation(CONTACT_COMPANY, []).map((wire) => wire.typeId)).toEqual([279]);
  });
});

describe('typeSpecsAt and labelsOfSpecs', () => {
  it('reads specs, and turns ids into label names (the unlabelled id into none, each name once)', () => {
    const specs = typeSpecsAt(
      [
        { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 279 },
        { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 1 },
        { associationCategory: 'USER_DEFINED', associationTypeId: 1000 },
        { associationCategory: 'USER_DEFINED', associationTypeId: 1000 },
      ],
      'body',
    );
    expect(labelsOfSpecs(CONTACT_COMPANY, specs, 'body')).toEqual(['primary', 'billing']);
  });

  it('refuses shapes, unknown ids and wrong categories, naming the field', () => {
    expect(fieldOf(() => typeSpecsAt({}, 'body'))).toBe('body');
    expect(fieldOf(() => typeSpecsAt([1], 'body'))).toBe('body[0]');
    expect(fieldOf(() => typeSpecsAt([{ associationCategory: 'X', associationTypeId: 1 }], 'body'))).toBe('body[0].associationCategory');
    expect(fieldOf(() => typeSpecsAt([{ associationCategory: 'USER_DEFINED', associationTypeId: 1.5 }], 'body'))).toBe('body[0].associationTypeId');
    const unknown = typeSpecsAt([{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 280 }], 'body');
    expect(fieldOf(() => labelsOfSpecs(CONTACT_COMPANY, unknown, 'body'))).toBe('body[0].associationTypeId');
    const wrong = typeSpecsAt([{ associationCategory: 'USER_DEFINED', associationTypeId: 1 }], 'body');
    expect(fieldOf(() => labelsOfSpecs(CONTACT_COMPANY, wrong, 'body'))).toBe('body[0].associationCategory');
  });
});

describe('createAssociationsAt', () => {
  const directions = [CONTACT_DEAL, CONTACT_COMPANY];

  it('finds each item’s target type from its first type id', () => {
    const made = createAssociationsAt(
      [
        { to: { id: '7' }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 279 }, { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 1 }] },
        { to: { id: 9 }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 4 }] },
      ],
      'associations',
      directions,
    );
    expect(made).toEqual([
      { toType: 'companies', id: '7', labels: ['primary'] },
      { toType: 'deals', id: '9', labels: [] },
    ]);
    expect(createAssociationsAt(undefined, 'associations', directions)).toEqual([]);
  });

  it('refuses an item without types, an unknown id, and ids of two directions', () => {
    expect(fieldOf(() => createAssociationsAt([{ to: { id: '7' }, types: [] }], 'associations', directions))).toBe('associations[0].types');
    expect(fieldOf(() => createAssociationsAt([{ to: {}, types: [] }], 'associations', directions))).toBe('associations[0].to.id');
    expect(fieldOf(() => createAssociationsAt([{ to: { id: '7' }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 5 }] }], 'associations', directions))).toBe(
      'associations[0].types[0].associationTypeId',
    );
    const mixed = [{ to: { id: '7' }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 279 }, { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 4 }] }];
    expect(fieldOf(() => createAssociationsAt(mixed, 'associations', directions))).toBe('associations[0].types[1].associationTypeId');
  });
});

describe('v3 names on reads', () => {
  it('names a direction X_to_Y; with a primary label, that is the primary and the unlabelled one is …_unlabeled', () => {
    expect(associatedIds(CONTACT_COMPANY, 'contact', 'company', { id: '7', labels: ['primary', 'billing'] })).toEqual([
      { id: '7', type: 'contact_to_company' },
      { id: '7', type: 'billing' },
      { id: '7', type: 'contact_to_company_unlabeled' },
    ]);
    expect(associatedIds(CONTACT_DEAL, 'contact', 'deal', { id: '9', labels: [] })).toEqual([{ id: '9', type: 'contact_to_deal' }]);
    expect(v3TypeName({ name: null }, 'deal', 'contact', false)).toBe('deal_to_contact');
  });
});
