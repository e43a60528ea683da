// Integrity of the standard catalogue: the object table matches HUBSPOT.md, every object passes
// the checks the registry applies to user-defined schemas, and the association table is sound.
import { describe, expect, it } from 'vitest';
import {
  ASSOCIATION_RULES,
  EXCLUSIVE_PARENTS,
  REQUIRED_ASSOCIATIONS,
  SHIPPED_PIPELINES,
  STANDARD_OBJECTS,
} from '../../src/schema/catalogue/index.js';
import type { ObjectSpec, PropertySpec } from '../../src/schema/catalogue/spec.js';
import { isValidFieldType, PROPERTY_NAME_PATTERN } from '../../src/schema/field-types.js';

// HUBSPOT.md "Object types": id, name, categories, needs activation.
const EXPECTED: ReadonlyArray<readonly [string, string, string[], boolean]> = [
  ['0-1', 'contacts', ['foundational'], false],
  ['0-2', 'companies', ['foundational'], false],
  ['0-3', 'deals', ['sales'], false],
  ['0-5', 'tickets', ['service'], false],
  ['0-7', 'products', ['commerce'], false],
  ['0-8', 'line_items', ['commerce'], false],
  ['0-11', 'conversations', ['service'], false],
  ['0-14', 'quotes', ['commerce'], false],
  ['0-18', 'communications', ['marketing'], false],
  ['0-19', 'feedback_submissions', ['service'], false],
  ['0-27', 'tasks', ['other'], false],
  ['0-35', 'campaigns', ['marketing'], false],
  ['0-46', 'notes', ['marketing'], false],
  ['0-47', 'meetings', ['sales'], false],
  ['0-48', 'calls', ['sales'], false],
  ['0-49', 'emails', ['sales'], false],
  ['0-53', 'invoices', ['commerce'], false],
  ['0-54', 'marketing_events', ['marketing'], false],
  ['0-69', 'subscriptions', ['commerce'], false],
  ['0-84', 'discounts', ['commerce'], false],
  ['0-85', 'fees', ['commerce'], false],
  ['0-86', 'taxes', ['commerce'], false],
  ['0-101', 'payments', ['commerce'], false],
  ['0-116', 'postal_mail', ['other'], false],
  ['0-123', 'orders', ['sales'], false],
  ['0-136', 'leads', ['sales'], false],
  ['0-142', 'carts', ['sales'], false],
  ['0-162', 'services', ['sales', 'service'], true],
  ['0-410', 'courses', ['service'], true],
  ['0-420', 'listings', ['sales'], true],
  ['0-421', 'appointments', ['service'], true],
  ['0-970', 'projects', ['other'], true],
];

const ACTIVITIES = ['notes', 'calls', 'emails', 'meetings', 'tasks', 'communications', 'postal_mail'];
const CATEGORIES = ['foundational', 'marketing', 'sales', 'service', 'commerce', 'other'];
const SYSTEM_PROPERTIES = [
  'hs_object_id',
  'createdate',
  'hs_createdate',
  'lastmodifieddate',
  'hs_lastmodifieddate',
  'hs_merged_object_ids',
];

function object(name: string): ObjectSpec {
  const found = STANDARD_OBJECTS.find((o) => o.name === name);
  if (!found) throw new Error(`no object ${name}`);
  return found;
}

function property(objectName: string, propertyName: string): PropertySpec {
  const found = object(objectName).properties.find((p) => p.name === propertyName);
  if (!found) throw new Error(`no property ${objectName}.${propertyName}`);
  return found;
}

function values(objectName: string, propertyName: string): string[] {
  return (property(objectName, propertyName).options ?? []).map((o) => o.value);
}

/** The problems the registry would report for one object spec. */
function problems(o: ObjectSpec): string[] {
  const out: string[] = [];
  const names = new Set<string>();
  const groups = new Set(o.groups.map((g) => g.name));
  if (o.groups.length === 0) out.push('no groups');
  if (groups.size !== o.groups.length) out.push('duplicate group names');
  for (const g of o.groups) if (!PROPERTY_NAME_PATTERN.test(g.name) || g.label === '') out.push(`group ${g.name}`);

  for (const p of o.properties) {
    const where = `${o.name}.${p.name}`;
    if (!PROPERTY_NAME_PATTERN.test(p.name) || p.name.length >= 100) out.push(`${where}: bad name`);
    if (names.has(p.name)) out.push(`${where}: duplicate`);
    names.add(p.name);
    if (SYSTEM_PROPERTIES.includes(p.name)) out.push(`${where}: system property`);
    if (p.label.trim() === '') out.push(`${where}: empty label`);
    if (!isValidFieldType(p.type, p.fieldType)) out.push(`${where}: ${p.type}/${p.fieldType}`);
    if (p.fieldType === 'calculation_equation') out.push(`${where}: calculation_equation`);
    if (p.groupName !== undefined && !groups.has(p.groupName)) out.push(`${where}: unknown group`);
    if (p.type === 'bool' && (p.fieldType !== 'booleancheckbox' || p.options !== undefined)) {
      out.push(`${where}: bool shape`);
    }
    if (p.type === 'enumeration') {
      const options = p.options ?? [];
      if (options.length === 0) out.push(`${where}: no options`);
      if (new Set(options.map((x) => x.value)).size !== options.length) out.push(`${where}: duplicate option`);
      if (options.some((x) => x.label.trim() === '' || x.value === '')) out.push(`${where}: empty option`);
      if (options.some((x) => x.displayOrder !== undefined)) out.push(`${where}: displayOrder (catalogue omits it)`);
    } else if (p.options !== undefined) {
      out.push(`${where}: options on a non-enumeration`);
    }
  }

  const mustExist: Array<[string, string]> = [
    ['primaryDisplayProperty', o.primaryDisplayProperty],
    ...o.requiredProperties.map((n): [string, string] => ['requiredProperties', n]),
    ...(o.requireOneOf ?? []).map((n): [string, string] => ['requireOneOf', n]),
    ...(o.searchableProperties ?? []).map((n): [string, string] => ['searchableProperties', n]),
    ...Object.keys(o.defaults ?? {}).map((n): [string, string] => ['defaults', n]),
  ];
  if (o.dedupKey) mustExist.push(['dedupKey', o.dedupKey.property], ['dedupKey', o.dedupKey.listProperty]);
  for (const [what, n] of mustExist) if (!names.has(n)) out.push(`${o.name}.${what}: ${n} is not a property`);

  const display = o.properties.find((p) => p.name === o.primaryDisplayProperty);
  if (display && display.type !== 'string') out.push(`${o.name}: primary display property is not a string`);
  for (const n of o.searchableProperties ?? []) {
    const p = o.properties.find((x) => x.name === n);
    if (p && p.type !== 'string') out.push(`${o.name}: searchable ${n} is not a string`);
  }
  // A default must be an allowed value of its property.
  for (const [n, v] of Object.entries(o.defaults ?? {})) {
    const p = o.properties.find((x) => x.name === n);
    if (p?.type === 'enumeration' && !(p.options ?? []).some((x) => x.value === v)) {
      out.push(`${o.name}.defaults.${n}: '${v}' is not an option`);
    }
  }
  if (o.modifiedDateProperty !== undefined && o.name !== 'contacts') out.push(`${o.name}: modifiedDateProperty`);
  return out;
}

describe('object table', () => {
  it('holds exactly the rows of HUBSPOT.md', () => {
    const actual = STANDARD_OBJECTS.map((o) => [o.id, o.name, o.categories, o.requiresActivation === true]);
    expect(actual).toEqual(EXPECTED);
  });

  it('is sorted by id numerically, with unique ids and names', () => {
    const ids = STANDARD_OBJECTS.map((o) => Number(o.id.split('-')[1]));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(STANDARD_OBJECTS.map((o) => o.id)).size).toBe(STANDARD_OBJECTS.length);
    expect(new Set(STANDARD_OBJECTS.map((o) => o.name)).size).toBe(STANDARD_OBJECTS.length);
  });

  it('marks exactly the activities', () => {
    const flagged = STANDARD_OBJECTS.filter((o) => o.activity === true).map((o) => o.name);
    expect(flagged.sort()).toEqual([...ACTIVITIES].sort());
  });

  it('gives every object labels and known categories', () => {
    for (const o of STANDARD_OBJECTS) {
      expect(o.id).toMatch(/^0-\d+$/);
      expect(o.labels.singular.trim()).not.toBe('');
      expect(o.labels.plural.trim()).not.toBe('');
      expect(o.categories.length).toBeGreaterThan(0);
      for (const c of o.categories) expect(CATEGORIES).toContain(c);
    }
    expect(object('line_items').labels).toEqual({ singular: 'Line item', plural: 'Line items' });
  });
});

describe('object specs', () => {
  it.each(STANDARD_OBJECTS.map((o) => [o.name, o] as const))('%s passes the registry checks', (_, o) => {
    expect(problems(o)).toEqual([]);
  });

  it('the checks catch a broken spec', () => {
    const base = object('deals');
    const broken: ObjectSpec = {
      ...base,
      primaryDisplayProperty: 'nope',
      defaults: { pipeline: 'missing' },
      properties: [
        ...base.properties,
        { name: 'Bad-Name', label: 'x', type: 'string', fieldType: 'text' },
        { name: 'dealname', label: 'Again', type: 'string', fieldType: 'text' },
        { name: 'flag', label: 'Flag', type: 'bool', fieldType: 'select' },
        { name: 'pick', label: 'Pick', type: 'enumeration', fieldType: 'select', options: [] },
        { name: 'grouped', label: 'G', type: 'string', fieldType: 'text', groupName: 'nowhere' },
      ],
    };
    expect(problems(broken).length).toBeGreaterThanOrEqual(7);
  });

  it('activities require hs_timestamp, a datetime', () => {
    for (const name of ACTIVITIES) {
      expect(object(name).requiredProperties).toEqual(['hs_timestamp']);
      expect(property(name, 'hs_timestamp')).toMatchObject({ type: 'datetime', fieldType: 'date' });
    }
  });

  it('has the HubSpot-faithful requirements', () => {
    expect(object('contacts').requireOneOf).toEqual(['email', 'firstname', 'lastname']);
    expect(object('companies').requireOneOf).toEqual(['name', 'domain']);
    expect(object('deals').requiredProperties).toEqual(['dealname', 'dealstage']);
    expect(object('tickets').requiredProperties).toEqual(['subject', 'hs_pipeline_stage']);
    expect(object('products').requiredProperties).toEqual(['name']);
    expect(object('line_items').requiredProperties).toEqual(['name']);
    expect(object('quotes').requiredProperties).toEqual(['hs_title', 'hs_expiration_date']);
    expect(object('leads').requiredProperties).toEqual(['hs_lead_name']);
  });

  it('has the dedup keys of contacts and companies only', () => {
    expect(object('contacts').dedupKey).toEqual({ property: 'email', listProperty: 'hs_additional_emails', format: 'email' });
    expect(object('companies').dedupKey).toEqual({
      property: 'domain',
      listProperty: 'hs_additional_domains',
      format: 'domain',
    });
    expect(STANDARD_OBJECTS.filter((o) => o.dedupKey).map((o) => o.name)).toEqual(['contacts', 'companies']);
    expect(property('contacts', 'email')).toMatchObject({ type: 'string', fieldType: 'text' });
    expect(property('companies', 'domain')).toMatchObject({ type: 'string', fieldType: 'text' });
    expect(property('contacts', 'hs_additional_emails')).toMatchObject({ type: 'string', fieldType: 'textarea' });
    expect(property('companies', 'hs_additional_domains')).toMatchObject({ type: 'string', fieldType: 'textarea' });
    expect(object('contacts').modifiedDateProperty).toBe('lastmodifieddate');
  });

  it('ships the defaults worth shipping', () => {
    const wanted: Record<string, string[]> = {
      contacts: ['email', 'firstname', 'lastname', 'phone', 'mobilephone', 'jobtitle', 'company', 'website', 'address',
        'city', 'state', 'zip', 'country', 'lifecyclestage', 'hs_lead_status', 'hubspot_owner_id', 'hs_additional_emails'],
      companies: ['name', 'domain', 'industry', 'annualrevenue', 'numberofemployees', 'phone', 'website', 'city',
        'country', 'lifecyclestage', 'hs_additional_domains'],
      deals: ['dealname', 'amount', 'closedate', 'pipeline', 'dealstage', 'dealtype'],
      tickets: ['subject', 'content', 'hs_pipeline', 'hs_pipeline_stage', 'hs_ticket_priority', 'hs_ticket_category'],
      products: ['name', 'description', 'price'],
      notes: ['hs_note_body'],
      calls: ['hs_call_body', 'hs_call_title'],
      meetings: ['hs_meeting_title', 'hs_meeting_body'],
      tasks: ['hs_task_subject', 'hs_task_body'],
      emails: ['hs_email_subject', 'hs_email_text'],
      communications: ['hs_communication_body', 'hs_communication_channel_type'],
      postal_mail: ['hs_postal_mail_body'],
    };
    for (const [name, props] of Object.entries(wanted)) {
      const have = object(name).properties.map((p) => p.name);
      for (const p of props) expect(have, `${name}.${p}`).toContain(p);
    }
  });

  it('types the well-known properties as HubSpot does', () => {
    expect(property('companies', 'annualrevenue').type).toBe('number');
    expect(property('companies', 'numberofemployees').type).toBe('number');
    expect(property('deals', 'amount').type).toBe('number');
    expect(property('deals', 'closedate').type).toBe('datetime');
    expect(property('quotes', 'hs_expiration_date')).toMatchObject({ type: 'date', fieldType: 'date' });
    expect(property('calls', 'hs_call_duration').type).toBe('number');
    expect(property('products', 'price').type).toBe('number');
    expect(property('tickets', 'content').fieldType).toBe('textarea');
  });
});

describe('enumeration options', () => {
  it('lifecycle stages are HubSpot’s, in order, for contacts and companies', () => {
    const stages = [
      'subscriber',
      'lead',
      'marketingqualifiedlead',
      'salesqualifiedlead',
      'opportunity',
      'customer',
      'evangelist',
      'other',
    ];
    expect(values('contacts', 'lifecyclestage')).toEqual(stages);
    expect(values('companies', 'lifecyclestage')).toEqual(stages);
  });

  it('ticket priority and category', () => {
    expect(values('tickets', 'hs_ticket_priority')).toEqual(['LOW', 'MEDIUM', 'HIGH', 'URGENT']);
    expect(values('tickets', 'hs_ticket_category')).toEqual([
      'PRODUCT_ISSUE',
      'BILLING_ISSUE',
      'FEATURE_REQUEST',
      'GENERAL_INQUIRY',
    ]);
    expect(property('tickets', 'hs_ticket_category').fieldType).toBe('checkbox');
  });

  it('other well-known values', () => {
    expect(values('contacts', 'hs_lead_status')).toEqual([
      'NEW',
      'OPEN',
      'IN_PROGRESS',
      'OPEN_DEAL',
      'UNQUALIFIED',
      'ATTEMPTED_TO_CONTACT',
      'CONNECTED',
      'BAD_TIMING',
    ]);
    expect(values('companies', 'industry').length).toBeGreaterThanOrEqual(40);
    expect(values('companies', 'industry')).toContain('ACCOUNTING');
    expect(values('companies', 'type')).toEqual(['PROSPECT', 'PARTNER', 'RESELLER', 'VENDOR', 'OTHER']);
    expect(values('deals', 'dealtype')).toEqual(['newbusiness', 'existingbusiness']);
    expect(values('calls', 'hs_call_direction')).toEqual(['INBOUND', 'OUTBOUND']);
    expect(values('emails', 'hs_email_direction')).toEqual(['EMAIL', 'INCOMING_EMAIL', 'FORWARDED_EMAIL']);
    expect(values('tasks', 'hs_task_status')).toEqual(['NOT_STARTED', 'IN_PROGRESS', 'WAITING', 'COMPLETED', 'DEFERRED']);
    expect(values('tasks', 'hs_task_priority')).toEqual(['NONE', 'LOW', 'MEDIUM', 'HIGH']);
    expect(values('tasks', 'hs_task_type')).toEqual(['EMAIL', 'CALL', 'TODO']);
    expect(values('communications', 'hs_communication_channel_type')).toEqual(['SMS', 'WHATS_APP', 'LINKEDIN_MESSAGE']);
  });
});

describe('pipelines', () => {
  function pipeline(objectType: string) {
    const found = SHIPPED_PIPELINES.filter((p) => p.objectType === objectType);
    expect(found).toHaveLength(1);
    return found[0]!;
  }

  it('deals: default pipeline with HubSpot’s stages and probabilities', () => {
    const p = pipeline('deals');
    expect(p).toMatchObject({ id: 'default', label: 'Sales Pipeline', pipelineProperty: 'pipeline', stageProperty: 'dealstage' });
    expect(p.stages.map((s) => [s.id, s.probability, s.isClosed])).toEqual([
      ['appointmentscheduled', 0.2, false],
      ['qualifiedtobuy', 0.4, false],
      ['presentationscheduled', 0.6, false],
      ['decisionmakerboughtin', 0.8, false],
      ['contractsent', 0.9, false],
      ['closedwon', 1, true],
      ['closedlost', 0, true],
    ]);
  });

  it('tickets: pipeline 0 with stages 1-4', () => {
    const p = pipeline('tickets');
    expect(p).toMatchObject({ id: '0', pipelineProperty: 'hs_pipeline', stageProperty: 'hs_pipeline_stage' });
    expect(p.stages.map((s) => [s.id, s.label, s.ticketState, s.isClosed])).toEqual([
      ['1', 'New', 'OPEN', false],
      ['2', 'Waiting on contact', 'OPEN', false],
      ['3', 'Waiting on us', 'OPEN', false],
      ['4', 'Closed', 'CLOSED', true],
    ]);
  });

  it('every pipeline’s properties are enumerations whose options are the pipeline data', () => {
    for (const p of SHIPPED_PIPELINES) {
      const stageIds = p.stages.map((s) => s.id);
      expect(new Set(stageIds).size).toBe(stageIds.length);
      expect(property(p.objectType, p.pipelineProperty)).toMatchObject({ type: 'enumeration', fieldType: 'select' });
      expect(property(p.objectType, p.stageProperty)).toMatchObject({ type: 'enumeration', fieldType: 'select' });
      expect(values(p.objectType, p.pipelineProperty)).toEqual([p.id]);
      expect(values(p.objectType, p.stageProperty)).toEqual(stageIds);
      expect(property(p.objectType, p.stageProperty).options?.map((o) => o.label)).toEqual(p.stages.map((s) => s.label));
      // No stored default: the live pipelines decide a new record's (records/pipeline-fit.ts).
      expect(object(p.objectType).defaults?.[p.pipelineProperty]).toBeUndefined();
    }
  });

  it('deals’ dealstage options are the default pipeline’s stage ids in order', () => {
    expect(values('deals', 'dealstage')).toEqual([
      'appointmentscheduled',
      'qualifiedtobuy',
      'presentationscheduled',
      'decisionmakerboughtin',
      'contractsent',
      'closedwon',
      'closedlost',
    ]);
  });
});

describe('association table', () => {
  const names = new Set(STANDARD_OBJECTS.map((o) => o.name));
  const partners = (type: string): string[] =>
    ASSOCIATION_RULES.flatMap((r) => (r.from === type ? [r.to] : r.to === type ? [r.from] : [])).sort();
  const rule = (a: string, b: string) =>
    ASSOCIATION_RULES.find((r) => (r.from === a && r.to === b) || (r.from === b && r.to === a));

  it('names only catalogue types, with valid limits', () => {
    for (const r of ASSOCIATION_RULES) {
      expect(names, r.from).toContain(r.from);
      expect(names, r.to).toContain(r.to);
      for (const limit of [r.limit, r.inverseLimit]) {
        if (typeof limit === 'number') expect(Number.isInteger(limit) && limit >= 1 && limit <= 10_000).toBe(true);
        else if (limit !== undefined) expect(['one', 'many']).toContain(limit);
      }
    }
  });

  it('never lists a pair twice, in either order', () => {
    const keys = ASSOCIATION_RULES.map((r) => [r.from, r.to].sort().join('|'));
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('self-associations: contacts, companies, deals, tickets only', () => {
    const self = ASSOCIATION_RULES.filter((r) => r.from === r.to).map((r) => r.from);
    expect(self.sort()).toEqual(['companies', 'contacts', 'deals', 'tickets']);
  });

  it('products associate with nothing', () => {
    expect(ASSOCIATION_RULES.filter((r) => r.from === 'products' || r.to === 'products')).toEqual([]);
  });

  it('contacts and companies reach every type except products, line items and quote-level ones; feedback only contacts', () => {
    const expected = [...names].filter((n) => !['products', 'line_items', 'discounts', 'fees', 'taxes', 'feedback_submissions'].includes(n)).sort();
    expect(partners('contacts')).toEqual([...expected, 'feedback_submissions'].sort());
    expect(partners('companies')).toEqual(expected);
  });

  it('quote-level types belong on quotes, feedback submissions on contacts and tickets', () => {
    for (const type of ['discounts', 'fees', 'taxes']) expect(partners(type)).toEqual(['quotes']);
    expect(partners('feedback_submissions')).toEqual(['contacts', 'tickets']);
  });

  it('activities never associate with each other (a call with a meeting aside), products, line items or payments', () => {
    for (const a of ACTIVITIES) {
      const p = partners(a);
      expect(p.length).toBeGreaterThan(0);
      // HubSpot defines type ids for call ↔ meeting (399/400): the one activity pair.
      const allowed = a === 'calls' ? ['meetings'] : a === 'meetings' ? ['calls'] : [];
      for (const forbidden of [...ACTIVITIES, 'products', 'line_items', 'payments'].filter((x) => !allowed.includes(x))) expect(p, a).not.toContain(forbidden);
      // Every activity reaches the same records (campaigns aside).
      expect(p.filter((x) => x !== 'campaigns' && !allowed.includes(x))).toEqual(partners('notes').filter((x) => x !== 'campaigns'));
      for (const core of ['contacts', 'companies', 'deals', 'tickets']) expect(p, a).toContain(core);
    }
  });

  it('campaigns take calls, emails and meetings and no other activity', () => {
    expect(partners('campaigns').filter((p) => ACTIVITIES.includes(p)).sort()).toEqual(['calls', 'emails', 'meetings']);
    for (const p of ['contacts', 'companies', 'deals', 'tickets', 'marketing_events']) {
      expect(partners('campaigns')).toContain(p);
    }
  });

  it('line items associate only with their parents, one parent per pair', () => {
    const [exclusive] = EXCLUSIVE_PARENTS.filter((e) => e.objectType === 'line_items');
    expect(exclusive?.parents.slice().sort()).toEqual(['carts', 'deals', 'invoices', 'orders', 'quotes', 'subscriptions']);
    expect(partners('line_items')).toEqual([...(exclusive?.parents ?? [])].sort());
    for (const parent of exclusive?.parents ?? []) {
      const r = rule('line_items', parent);
      const limitFromLineItem = r?.from === 'line_items' ? r.limit : r?.inverseLimit;
      expect(limitFromLineItem, parent).toBe('one');
    }
  });

  it('a quote has one deal', () => {
    const r = rule('quotes', 'deals');
    expect(r?.from === 'quotes' ? r.limit : r?.inverseLimit).toBe('one');
    for (const p of ['line_items', 'contacts', 'companies']) expect(partners('quotes')).toContain(p);
  });

  it('deals reach their commercial records', () => {
    for (const p of ['tickets', 'quotes', 'line_items', 'invoices', 'orders', 'carts', 'subscriptions', 'leads', ...ACTIVITIES]) {
      expect(partners('deals')).toContain(p);
    }
  });

  it('required associations and exclusive parents name allowed pairs of existing types', () => {
    expect(REQUIRED_ASSOCIATIONS).toEqual(
      expect.arrayContaining([
        { objectType: 'quotes', anyOf: ['deals'] },
        { objectType: 'leads', anyOf: ['contacts', 'companies'] },
      ]),
    );
    for (const req of REQUIRED_ASSOCIATIONS) {
      expect(names).toContain(req.objectType);
      for (const t of req.anyOf) expect(rule(req.objectType, t), `${req.objectType}–${t}`).toBeDefined();
    }
    for (const ex of EXCLUSIVE_PARENTS) {
      expect(names).toContain(ex.objectType);
      for (const t of ex.parents) expect(rule(ex.objectType, t), `${ex.objectType}–${t}`).toBeDefined();
    }
  });
});
