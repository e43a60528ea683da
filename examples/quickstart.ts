// crmkit in two minutes: `npm install && npm run demo` runs this file.
// It creates contacts and companies in memory, shows a dedup rejection and a validation error,
// and prints what was stored.
import { createCrm, CrmError } from 'crmkit';

async function main(): Promise<void> {
  // Deterministic ids and time, so the output is the same on every run.
  let next = 0;
  const crm = await createCrm({ ids: () => `rec-${++next}`, clock: () => new Date('2026-01-15T09:30:00Z') });

  // Companies: unique by normalised domain.
  const [orange, lemon] = await crm.records.createMany('companies', [
    { name: 'Orange Roasters', domain: 'https://www.Orange-Roasters.com/about', industry: 'FOOD_BEVERAGES', city: 'Lisbon' },
    { name: 'Lemon Labs', domain: 'lemonlabs.io', numberofemployees: '42' },
  ]);
  console.log(`Companies: ${orange!.properties.name} (${orange!.properties.domain}), ${lemon!.properties.name} (${lemon!.properties.numberofemployees} people)`);

  // Contacts: unique by email, compared trimmed and lowercased.
  const john = await crm.records.create('contacts', {
    email: '  John@Orange-Roasters.com ',
    firstname: 'John',
    lastname: 'Doe',
    lifecyclestage: 'lead',
  });
  await crm.records.create('contacts', { email: 'ana@lemonlabs.io', firstname: 'Ana', jobtitle: 'CTO' });
  console.log(`Created contact ${john.id}: ${john.properties.email}`);

  // A duplicate in other letter case is refused, naming the record that holds the email.
  try {
    await crm.records.create('contacts', { email: 'JOHN@orange-roasters.com', firstname: 'Johnny' });
  } catch (error) {
    if (!(error instanceof CrmError && error.code === 'DUPLICATE_RECORD')) throw error;
    console.log(`Refused: ${error.code} — ${error.message} (existingId ${error.details.existingId})`);
  }

  // Every bad property is reported at once, each with its own code.
  try {
    await crm.records.create('contacts', { email: 'not-an-email', lifecyclestage: 'Customer', shoe_size: 42 });
  } catch (error) {
    if (!(error instanceof CrmError && error.code === 'VALIDATION_ERROR')) throw error;
    console.log(`Refused: ${error.code}`);
    for (const issue of error.details.issues ?? []) console.log(`  - ${issue.code}: ${issue.message}`);
  }

  // Updates take a patch or an immer recipe; every change is kept in the property's history.
  await crm.records.update('contacts', john.id, (draft) => {
    draft.lifecyclestage = 'customer';
  }, { source: { type: 'USER', label: 'Ana' } });
  const history = await crm.records.history('contacts', john.id, 'lifecyclestage');
  console.log('lifecyclestage history (newest first):', history.map((entry) => `${entry.value} by ${entry.sourceType}`).join(', '));

  // Associations: the first company a contact gets becomes its primary company.
  await crm.associations.associate(john, orange!);
  await crm.associations.associate(john, lemon!);
  await crm.associations.setPrimary(john, lemon!); // Orange stays associated, no longer primary
  const companies = await crm.associations.list(john, 'companies');
  console.log('John\'s companies:', companies.results.map((item) => `${item.id}${item.primary ? ' (primary)' : ''}`).join(', '));

  // Labels name what the other record is to the one you look from.
  await crm.associations.createLabel({ from: 'deals', to: 'contacts', label: 'Decision maker', limit: 'one' });
  const deal = await crm.records.create('deals', { dealname: 'Espresso line', dealstage: 'qualifiedtobuy', amount: 12000 });
  await crm.associations.associate(deal, john, ['decision_maker']);
  const makers = await crm.associations.list(deal, 'contacts', { label: 'decision_maker' });
  console.log(`Decision maker of ${deal.properties.dealname}: ${makers.results[0]?.id}`);
  const log = await crm.associations.history(john, { toType: 'companies' });
  console.log('John\'s company history (newest first):', log.map((entry) => `${entry.action} ${entry.otherName} [${entry.labelsAfter.join(',')}]`).join('; '));

  // Records by any unique property, and a page of all of them.
  const found = await crm.records.getBy('contacts', 'email', 'john@ORANGE-roasters.com');
  console.log(`getBy email found ${found?.id}`);
  const page = await crm.records.list('contacts', { limit: 10 });
  console.log('Contacts:');
  for (const record of page.results) {
    const { firstname, lastname, email, lifecyclestage } = record.properties;
    console.log(`  ${record.id}  ${[firstname, lastname].filter(Boolean).join(' ').padEnd(10)} ${String(email).padEnd(26)} ${lifecyclestage ?? ''}`);
  }

  // Search in HubSpot's request shape, across associations: contacts whose primary company
  // is Lemon, newest first, with only their emails; and a count.
  const atLemon = await crm.records.search('contacts', {
    filterGroups: [{ filters: [{ association: { toType: 'companies', primary: true, id: lemon!.id } }] }],
    sorts: [{ propertyName: 'createdate', direction: 'DESCENDING' }],
    properties: ['email'],
  });
  console.log(`Primary at ${lemon!.properties.name}: ${atLemon.total} (${atLemon.results.map((record) => record.properties.email).join(', ')})`);
  const big = await crm.records.count('deals', { filterGroups: [{ filters: [{ propertyName: 'amount', operator: 'GTE', value: 10000 }] }] });
  console.log(`Deals of 10,000 or more: ${big}`);
  const people = await crm.associations.list(deal, 'contacts', { records: true, properties: ['email'] });
  console.log(`${deal.properties.dealname}'s contacts, read in one call:`, people.results.map((item) => item.record.properties.email).join(', '));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
