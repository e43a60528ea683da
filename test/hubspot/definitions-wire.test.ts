// The pure mappings of crmkit/hubspot's definition endpoints: properties, groups, schemas,
// pipelines and stages to and from HubSpot's wire shapes, the stage replace plan, and the object
// library's enablement.
import { describe, expect, it } from 'vitest';
import { CrmError, createCrm, type PropertyDefinition } from 'crmkit';
import { optionalArray, optionalBoolean, optionalInteger, requiredString, unsupported } from '../../src/hubspot/definition-shapes.js';
import { patchOf, pipelineInputOf, planStageReplace, stageInputOf, stageMetadataOf, toWireMetadata, toWirePipeline } from '../../src/hubspot/pipelines-wire.js';
import { groupInputOf, groupPatchOf, knownKeys, propertyInputOf, propertyPatchOf, toWireGroup, toWireProperty } from '../../src/hubspot/properties-wire.js';
import { customTypeOf, enablementOf, schemaInputOf, schemaAssociationsOf, schemaPatchOf, toWireSchema } from '../../src/hubspot/schemas.js';

/** The field a request error names (its first issue's property), or undefined when `fn` does not throw one. */
function refusedField(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof CrmError && error.code === 'VALIDATION_ERROR') return error.details.issues[0]?.property;
    throw error;
  }
  return undefined;
}

const definition = (overrides: Partial<PropertyDefinition> = {}): PropertyDefinition => ({
  name: 'roast',
  label: 'Roast',
  type: 'enumeration',
  fieldType: 'select',
  options: [{ label: 'Dark', value: 'dark' }],
  unique: false,
  required: false,
  readOnly: false,
  groupName: 'contactinformation',
  hubspotDefined: false,
  archived: false,
  ...overrides,
});

describe('field readers', () => {
  it('take the right JSON types and name the field otherwise', () => {
    expect(requiredString('a', 'label')).toBe('a');
    expect(refusedField(() => requiredString(3, 'label'))).toBe('label');
    expect(optionalBoolean(undefined, 'x')).toBeUndefined();
    expect(refusedField(() => optionalBoolean('true', 'x'))).toBe('x');
    expect(optionalInteger(-1, 'displayOrder')).toBe(-1);
    expect(refusedField(() => optionalInteger(1.5, 'displayOrder'))).toBe('displayOrder');
    expect(optionalArray([1], 'n', (value) => value)).toEqual([1]);
    expect(refusedField(() => optionalArray({}, 'options', (value) => value))).toBe('options');
  });

  it('unsupported takes the harmless default and refuses anything else', () => {
    expect(() => unsupported(false, 'hidden', false)).not.toThrow();
    expect(() => unsupported(undefined, 'calculationFormula', undefined)).not.toThrow();
    expect(refusedField(() => unsupported(true, 'hidden', false))).toBe('hidden');
  });

  it('knownKeys names an unknown key where it is', () => {
    expect(refusedField(() => knownKeys({ lable: 'x' }, ['label'], 'body'))).toBe('lable');
    expect(refusedField(() => knownKeys({ lable: 'x' }, ['label'], 'inputs[1]'))).toBe('inputs[1].lable');
  });
});

describe('properties on the wire', () => {
  it('a custom property: HubSpot’s shape with its defaults', () => {
    expect(toWireProperty(definition())).toEqual({
      name: 'roast',
      label: 'Roast',
      type: 'enumeration',
      fieldType: 'select',
      description: '',
      groupName: 'contactinformation',
      options: [{ label: 'Dark', value: 'dark', displayOrder: 0, hidden: false }],
      displayOrder: -1,
      hasUniqueValue: false,
      hidden: false,
      formField: false,
      hubspotDefined: false,
      calculated: false,
      externalOptions: false,
      modificationMetadata: { archivable: true, readOnlyDefinition: false, readOnlyValue: false },
      archived: false,
    });
  });

  it('modification metadata: system, HubSpot-defined, primary display, calculated', () => {
    expect(toWireProperty(definition({ hubspotDefined: true, readOnly: true })).modificationMetadata).toEqual({ archivable: false, readOnlyDefinition: true, readOnlyValue: true });
    expect(toWireProperty(definition({ hubspotDefined: true })).modificationMetadata).toEqual({ archivable: false, readOnlyDefinition: false, readOnlyValue: false });
    expect(toWireProperty(definition(), 'roast').modificationMetadata.archivable).toBe(false);
    expect(toWireProperty(definition({ fieldType: 'calculation_equation', readOnly: true })).calculated).toBe(true);
    expect(toWireProperty(definition({ options: undefined, type: 'string', fieldType: 'text' })).options).toEqual([]);
  });

  it('a group', () => {
    expect(toWireGroup({ name: 'coffee', label: 'Coffee', displayOrder: 2, archived: true })).toEqual({ name: 'coffee', label: 'Coffee', displayOrder: 2, archived: true });
  });
});

describe('property bodies', () => {
  const body = { name: 'roast', label: 'Roast', type: 'enumeration', fieldType: 'select', groupName: 'coffee', options: [{ label: 'Dark', value: 'dark', displayOrder: -1, hidden: false, description: 'x' }] };

  it('a PropertyCreate becomes the crm’s input; display-only fields are checked and dropped', () => {
    expect(propertyInputOf({ ...body, hasUniqueValue: false, formField: true, displayOrder: 3, hidden: false }, 'body')).toEqual({
      name: 'roast',
      label: 'Roast',
      type: 'enumeration',
      fieldType: 'select',
      groupName: 'coffee',
      options: [{ label: 'Dark', value: 'dark', hidden: false }],
      unique: false,
    });
  });

  it('refuses what it cannot keep or read, naming the field', () => {
    expect(refusedField(() => propertyInputOf({ ...body, hidden: true }, 'body'))).toBe('hidden');
    expect(refusedField(() => propertyInputOf({ ...body, calculationFormula: 'a + b' }, 'inputs[2]'))).toBe('inputs[2].calculationFormula');
    expect(refusedField(() => propertyInputOf({ ...body, name: 7 }, 'body'))).toBe('name');
    expect(refusedField(() => propertyInputOf({ ...body, options: [{ label: 'x' }] }, 'body'))).toBe('options[0].value');
    expect(refusedField(() => propertyInputOf({ ...body, colour: 'red' }, 'body'))).toBe('colour');
    expect(refusedField(() => propertyInputOf([], 'inputs[0]'))).toBe('inputs[0]');
  });

  it('a PropertyUpdate becomes a patch of what it names', () => {
    expect(propertyPatchOf({ label: 'R', type: 'enumeration', formField: false })).toEqual({ label: 'R', type: 'enumeration' });
    expect(propertyPatchOf({})).toEqual({});
    expect(refusedField(() => propertyPatchOf({ name: 'other' }))).toBe('name');
  });

  it('group bodies', () => {
    expect(groupInputOf({ name: 'coffee', label: 'Coffee' })).toEqual({ name: 'coffee', label: 'Coffee' });
    expect(groupPatchOf({ displayOrder: 4 })).toEqual({ displayOrder: 4 });
    expect(refusedField(() => groupInputOf({ name: 'coffee' }))).toBe('label');
    expect(refusedField(() => groupPatchOf({ name: 'x' }))).toBe('name');
  });
});

describe('pipelines on the wire', () => {
  it('stage metadata as strings, one decimal for probabilities', () => {
    expect(toWireMetadata({ probability: 1, isClosed: true })).toEqual({ probability: '1.0', isClosed: 'true' });
    expect(toWireMetadata({ probability: 0.2, isClosed: false })).toEqual({ probability: '0.2', isClosed: 'false' });
    expect(toWireMetadata({ ticketState: 'OPEN', isClosed: false })).toEqual({ ticketState: 'OPEN', isClosed: 'false' });
  });

  it('a pipeline with its stages', () => {
    const stage = { id: 's', label: 'S', displayOrder: 0, metadata: { isClosed: false }, createdAt: 't0', updatedAt: 't1', archived: false };
    expect(toWirePipeline({ id: 'p', objectType: 'orders', label: 'P', displayOrder: 0, stages: [stage], createdAt: 't0', updatedAt: 't1', archived: false })).toEqual({
      id: 'p',
      label: 'P',
      displayOrder: 0,
      stages: [{ ...stage, metadata: { isClosed: 'false' }, writePermissions: 'CRM_PERMISSIONS_ENFORCEMENT' }],
      createdAt: 't0',
      updatedAt: 't1',
      archived: false,
    });
  });

  it('metadata in: strings or typed values; isClosed must be a boolean word; other keys refused', () => {
    expect(stageMetadataOf({ probability: '0.2', isClosed: 'false' }, 'metadata')).toEqual({ probability: '0.2', isClosed: false });
    expect(stageMetadataOf({ probability: 1, isClosed: true, ticketState: 'OPEN' }, 'metadata')).toEqual({ probability: 1, isClosed: true, ticketState: 'OPEN' });
    expect(refusedField(() => stageMetadataOf({ isClosed: 'yes' }, 'metadata'))).toBe('metadata.isClosed');
    expect(refusedField(() => stageMetadataOf({ colour: 'red' }, 'stages[1].metadata'))).toBe('stages[1].metadata.colour');
    expect(refusedField(() => stageMetadataOf({ probability: {} }, 'metadata'))).toBe('metadata.probability');
  });

  it('stage, pipeline and patch bodies', () => {
    expect(stageInputOf({ label: 'Won', displayOrder: 2, metadata: { probability: '1.0' } }, 'body')).toEqual({ label: 'Won', displayOrder: 2, metadata: { probability: '1.0' } });
    expect(pipelineInputOf({ label: 'P', stages: [{ label: 'A' }] })).toEqual({ label: 'P', stages: [{ label: 'A' }] });
    expect(refusedField(() => pipelineInputOf({ label: 'P' }))).toBe('stages');
    expect(refusedField(() => pipelineInputOf({ label: 'P', stages: [{ label: 3 }] }))).toBe('stages[0].label');
    expect(patchOf({ label: 'L', archived: true }, false)).toEqual({ patch: { label: 'L' }, archive: true });
    expect(patchOf({ metadata: { probability: '0.3' } }, true)).toEqual({ patch: { metadata: { probability: '0.3' } }, archive: false });
    expect(refusedField(() => patchOf({ metadata: {} }, false))).toBe('metadata');
  });

  it('planStageReplace: by id, else by label; new inputs created; unnamed stages archived', () => {
    const current = [
      { id: 'a', label: 'Alpha' },
      { id: 'b', label: 'Beta' },
      { id: 'c', label: 'Gamma' },
    ];
    expect(planStageReplace(current, [{ label: ' alpha ' }, { id: 'c', label: 'Renamed' }, { label: 'Delta' }])).toEqual({
      update: [
        { id: 'a', input: { label: ' alpha ' } },
        { id: 'c', input: { id: 'c', label: 'Renamed' } },
      ],
      create: [{ label: 'Delta' }],
      archive: ['b'],
    });
    // Two inputs with one label: the first keeps the stage, the second is new.
    expect(planStageReplace(current, [{ label: 'Alpha' }, { label: 'Alpha' }]).create).toEqual([{ label: 'Alpha' }]);
    expect(planStageReplace([], [])).toEqual({ update: [], create: [], archive: [] });
  });
});

describe('schemas and the object library', () => {
  it('a custom type on the wire, and bodies in', async () => {
    const crm = await createCrm();
    const type = await crm.schema.defineObject({
      name: 'cars',
      labels: { singular: 'Car', plural: 'Cars' },
      primaryDisplayProperty: 'vin',
      properties: [{ name: 'vin', label: 'VIN', type: 'string', fieldType: 'text' }],
      associations: ['contacts'],
    });
    const wire = toWireSchema(type, crm.schema.properties('cars'), 7, schemaAssociationsOf(crm, type));
    const [unlabelled] = crm.associations.types('cars', 'contacts');
    expect(wire).toMatchObject({
      id: '1',
      objectTypeId: '2-1',
      fullyQualifiedName: 'p7_cars',
      secondaryDisplayProperties: [],
      associations: [{ id: String(unlabelled!.typeId), fromObjectTypeId: '2-1', toObjectTypeId: '0-1', name: 'car_to_contact' }],
      archived: false,
    });
    expect(wire.properties.find((property) => property.name === 'vin')?.modificationMetadata.archivable).toBe(false);
    expect(customTypeOf(crm, '1', 7).name).toBe('cars');
    expect(customTypeOf(crm, 'p7_cars', 7).name).toBe('cars');
    expect(() => customTypeOf(crm, 'contacts', 7)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(() => customTypeOf(crm, '2', 7)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });

  it('schema bodies: associatedObjects resolved, labels merged on update, display fields dropped', () => {
    const input = schemaInputOf(
      { name: 'cars', labels: { singular: 'Car', plural: 'Cars' }, description: 'd', secondaryDisplayProperties: [], requiredProperties: [], properties: [], associatedObjects: ['CONTACT'] },
      (raw) => (raw === 'CONTACT' ? 'contacts' : raw),
    );
    expect(input).toEqual({ name: 'cars', labels: { singular: 'Car', plural: 'Cars' }, requiredProperties: [], properties: [], associations: ['contacts'] });
    expect(refusedField(() => schemaInputOf({ name: 'cars', labels: { singular: 'Car' }, properties: [] }, String))).toBe('labels.plural');
    expect(refusedField(() => schemaInputOf({ name: 'cars', labels: { singular: 'Car', plural: 'Cars' } }, String))).toBe('properties');
    expect(schemaPatchOf({ labels: { plural: 'Autos' }, restorable: true }, { singular: 'Car', plural: 'Cars' })).toEqual({ labels: { singular: 'Car', plural: 'Autos' } });
  });

  it('enablement lists the types that need activation, by id', async () => {
    const crm = await createCrm();
    await crm.schema.activate('courses');
    expect(enablementOf(crm.schema.objects())).toEqual({ '0-162': false, '0-410': true, '0-420': false, '0-421': false, '0-970': false });
  });
});
