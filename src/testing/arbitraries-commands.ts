// Command sequences for model-based tests (fast-check's asyncModelRun) over a CRM's contacts
// and companies. The model is small on purpose: who holds which email, which companies each
// contact has and which one is primary. Each command runs on the real CRM, updates the model,
// and checks that the CRM agrees with it, so a user's own commands (their code on top of
// crmkit) can be mixed in and every sequence still proves crmkit's rules held underneath.
import fc from 'fast-check';
import { CrmError, isCrmError, type CrmTransaction } from 'crmkit';

/**
 * A contact as the model knows it.
 *
 * @example
 * const contact: ModelContact = { id: 'id-1', email: 'ana@example.com', archived: false };
 */
export interface ModelContact {
  id: string;
  email: string;
  archived: boolean;
}

/**
 * A company as the model knows it.
 *
 * @example
 * const company: ModelCompany = { id: 'id-2', domain: 'acme.com' };
 */
export interface ModelCompany {
  id: string;
  domain: string;
}

/**
 * What the commands expect of the CRM: contacts and companies in creation order, each
 * contact's companies in the order they were associated, and its primary company.
 *
 * @example
 * const model = initialCrmModel();
 * model.contacts.filter((contact) => !contact.archived).length; // live contacts
 */
export interface CrmModel {
  contacts: ModelContact[];
  companies: ModelCompany[];
  /** Contact id → its companies' ids, oldest association first. */
  companiesOf: Map<string, string[]>;
  /** Contact id → its primary company's id. */
  primaryOf: Map<string, string>;
}

/**
 * The real side of a model run: the CRM (or a transaction's `tx`) the commands write to. Extend
 * it with your own objects for your own commands.
 *
 * @example
 * const setup = async () => ({ model: initialCrmModel(), real: { crm: await createCrm() } });
 */
export interface CrmReal {
  crm: CrmTransaction;
}

/**
 * One of the commands {@link crmCommands} makes.
 *
 * @example
 * const commands: Array<fc.Arbitrary<CrmCommand>> = crmCommands();
 */
export type CrmCommand = fc.AsyncCommand<CrmModel, CrmReal>;

/**
 * Options of {@link crmCommands}.
 *
 * @example
 * crmCommands({ emails: ['ana@example.com', 'bo@example.com'], domains: ['acme.com'] });
 */
export interface CrmCommandsOptions {
  /**
   * The emails contacts are given. A small pool (the default has six) makes commands reuse
   * emails, so duplicates, and archived contacts whose email was taken, come up often.
   */
  emails?: readonly string[];
  /** The companies' domains (default four). Keep them apart from the emails' domains, so automatic association by domain never applies. */
  domains?: readonly string[];
}

/**
 * A model with nothing in it, for a CRM with no contacts and no companies.
 *
 * @example
 * await fc.assert(fc.asyncProperty(fc.commands(crmCommands()), (commands) =>
 *   fc.asyncModelRun(async () => ({ model: initialCrmModel(), real: { crm: await createCrm() } }), commands)));
 */
export function initialCrmModel(): CrmModel {
  return { contacts: [], companies: [], companiesOf: new Map(), primaryOf: new Map() };
}

/** A broken expectation: the CRM and the model disagree. */
function expect(condition: boolean, message: () => string): void {
  if (!condition) throw new Error(`crmCommands: ${message()}`);
}

const live = (model: CrmModel): ModelContact[] => model.contacts.filter((contact) => !contact.archived);
const holder = (model: CrmModel, email: string): ModelContact | undefined => model.contacts.find((contact) => !contact.archived && contact.email === email);
const contactRef = (id: string) => ({ objectType: 'contacts', id });
const companyRef = (id: string) => ({ objectType: 'companies', id });
/** The `n`th of a list, wrapping: commands are generated before the records they name exist. */
const nth = <T>(list: readonly T[], n: number): T => list[n % list.length]!;

/** The call must fail with `code`; anything else (success included) breaks the run. */
async function refused(call: Promise<unknown>, code: string, what: string): Promise<void> {
  const outcome = await call.then(
    () => 'success',
    (error: unknown) => (isCrmError(error) ? error.code : String(error)),
  );
  expect(outcome === code, () => `${what}: expected ${code}, got ${outcome}`);
}

/** The contact's companies and primary in the CRM equal the model's (as sets: list order is the CRM's own). */
async function checkCompanies(model: CrmModel, real: CrmReal, contactId: string): Promise<void> {
  const { results } = await real.crm.associations.list(contactRef(contactId), 'companies');
  const expected = [...(model.companiesOf.get(contactId) ?? [])].sort();
  const actual = results.map((item) => item.id).sort();
  expect(JSON.stringify(actual) === JSON.stringify(expected), () => `contact ${contactId} has companies ${JSON.stringify(actual)}, the model ${JSON.stringify(expected)}`);
  const primaries = results.filter((item) => item.labels.includes('primary')).map((item) => item.id);
  const primary = model.primaryOf.get(contactId);
  expect(JSON.stringify(primaries) === JSON.stringify(primary ? [primary] : []), () => `contact ${contactId} has primary ${JSON.stringify(primaries)}, the model ${JSON.stringify(primary ?? null)}`);
}

class CreateContact implements CrmCommand {
  constructor(readonly email: string) {}
  check = (): boolean => true;
  async run(model: CrmModel, real: CrmReal): Promise<void> {
    if (holder(model, this.email)) return refused(real.crm.records.create('contacts', { email: this.email }), 'DUPLICATE_RECORD', this.toString());
    const record = await real.crm.records.create('contacts', { email: this.email });
    expect(record.properties.email === this.email, () => `created contact has email ${String(record.properties.email)}`);
    model.contacts.push({ id: record.id, email: this.email, archived: false });
  }
  toString = (): string => `createContact(${this.email})`;
}

class CreateCompany implements CrmCommand {
  constructor(readonly domain: string) {}
  check = (): boolean => true;
  async run(model: CrmModel, real: CrmReal): Promise<void> {
    if (model.companies.some((company) => company.domain === this.domain)) {
      return refused(real.crm.records.create('companies', { domain: this.domain }), 'DUPLICATE_RECORD', this.toString());
    }
    const record = await real.crm.records.create('companies', { domain: this.domain, name: this.domain.split('.')[0]! });
    model.companies.push({ id: record.id, domain: this.domain });
  }
  toString = (): string => `createCompany(${this.domain})`;
}

class UpdateContact implements CrmCommand {
  constructor(
    readonly pick: number,
    readonly change: { firstname: string } | { email: string },
  ) {}
  check = (model: Readonly<CrmModel>): boolean => live(model).length > 0;
  async run(model: CrmModel, real: CrmReal): Promise<void> {
    const contact = nth(live(model), this.pick);
    const email = 'email' in this.change ? this.change.email : undefined;
    const other = email === undefined ? undefined : holder(model, email);
    if (other && other !== contact) return refused(real.crm.records.update('contacts', contact.id, this.change), 'DUPLICATE_RECORD', this.toString());
    const record = await real.crm.records.update('contacts', contact.id, this.change);
    if (email !== undefined) contact.email = email;
    expect(record.properties.email === contact.email, () => `updated contact has email ${String(record.properties.email)}, the model ${contact.email}`);
  }
  toString = (): string => `updateContact(#${this.pick}, ${JSON.stringify(this.change)})`;
}

class ArchiveContact implements CrmCommand {
  constructor(readonly pick: number) {}
  check = (model: Readonly<CrmModel>): boolean => live(model).length > 0;
  async run(model: CrmModel, real: CrmReal): Promise<void> {
    const contact = nth(live(model), this.pick);
    await real.crm.records.archive('contacts', contact.id);
    // Its associations hide with it and its email is free for another contact.
    contact.archived = true;
    expect((await real.crm.records.getBy('contacts', 'email', contact.email)) === undefined, () => `archived contact's email ${contact.email} still finds a contact`);
  }
  toString = (): string => `archiveContact(#${this.pick})`;
}

class RestoreContact implements CrmCommand {
  constructor(readonly pick: number) {}
  check = (model: Readonly<CrmModel>): boolean => model.contacts.some((contact) => contact.archived);
  async run(model: CrmModel, real: CrmReal): Promise<void> {
    const contact = nth(
      model.contacts.filter((c) => c.archived),
      this.pick,
    );
    // Another contact took its email meanwhile: restoring would make two holders.
    if (holder(model, contact.email)) return refused(real.crm.records.restore('contacts', contact.id), 'DUPLICATE_RECORD', this.toString());
    await real.crm.records.restore('contacts', contact.id);
    contact.archived = false;
    await checkCompanies(model, real, contact.id);
  }
  toString = (): string => `restoreContact(#${this.pick})`;
}

class Associate implements CrmCommand {
  constructor(
    readonly contactPick: number,
    readonly companyPick: number,
    readonly primary: boolean,
  ) {}
  check = (model: Readonly<CrmModel>): boolean => live(model).length > 0 && model.companies.length > 0;
  async run(model: CrmModel, real: CrmReal): Promise<void> {
    const contact = nth(live(model), this.contactPick);
    const company = nth(model.companies, this.companyPick);
    if (this.primary) await real.crm.associations.setPrimary(contactRef(contact.id), companyRef(company.id));
    else await real.crm.associations.associate(contactRef(contact.id), companyRef(company.id));
    const companies = model.companiesOf.get(contact.id) ?? [];
    if (!companies.includes(company.id)) companies.push(company.id);
    model.companiesOf.set(contact.id, companies);
    // setPrimary demotes the old primary; the first company associated becomes primary.
    if (this.primary || !model.primaryOf.has(contact.id)) model.primaryOf.set(contact.id, company.id);
    await checkCompanies(model, real, contact.id);
  }
  toString = (): string => `${this.primary ? 'setPrimary' : 'associate'}(contact #${this.contactPick}, company #${this.companyPick})`;
}

const EMAILS = ['ana@example.com', 'bo@example.com', 'carla@example.org', 'dev@example.org', 'eli@example.net', 'fay@example.net'];
const DOMAINS = ['acme.com', 'globex.io', 'initech.dev', 'umbrella.co'];

/**
 * Arbitraries of the commands of a model-based test over contacts and companies, for
 * `fc.commands(crmCommands())` and `fc.asyncModelRun`: create a contact (a duplicate email
 * must be refused), create a company, update a contact's name or email, archive and restore a
 * contact (restoring must be refused while another live contact holds its email), associate a
 * contact with a company, and set its primary company. Each command checks the CRM against
 * the model after it runs and throws when they disagree. Mix your own `fc.AsyncCommand`s over
 * the same {@link CrmModel} in to test your code on top of crmkit.
 *
 * @example
 * import fc from 'fast-check';
 * import { createCrm } from 'crmkit';
 * import { crmCommands, initialCrmModel } from 'crmkit/testing/arbitraries';
 *
 * await fc.assert(
 *   fc.asyncProperty(fc.commands(crmCommands(), { maxCommands: 30 }), async (commands) => {
 *     const setup = async () => ({ model: initialCrmModel(), real: { crm: await createCrm() } });
 *     await fc.asyncModelRun(setup, commands);
 *   }),
 *   { numRuns: 20 },
 * );
 */
export function crmCommands(options: CrmCommandsOptions = {}): Array<fc.Arbitrary<CrmCommand>> {
  const emails = options.emails ?? EMAILS;
  const domains = options.domains ?? DOMAINS;
  for (const [argument, pool] of [['emails', emails], ['domains', domains]] as const) {
    if (!Array.isArray(pool) || pool.length === 0) {
      const message = `crmCommands: ${argument} must be a non-empty array of distinct values`;
      throw new CrmError('VALIDATION_ERROR', message, { issues: [{ code: 'INVALID_ARGUMENT', property: argument, message }] });
    }
  }
  const email = fc.constantFrom(...emails);
  const pick = fc.nat(1_000);
  return [
    email.map((value) => new CreateContact(value)),
    fc.constantFrom(...domains).map((value) => new CreateCompany(value)),
    fc
      .tuple(pick, fc.oneof(fc.constantFrom('Ana', 'Bo', 'Carla').map((firstname) => ({ firstname })), email.map((value) => ({ email: value }))))
      .map(([n, change]) => new UpdateContact(n, change)),
    pick.map((n) => new ArchiveContact(n)),
    pick.map((n) => new RestoreContact(n)),
    fc.tuple(pick, pick, fc.boolean()).map(([contact, company, primary]) => new Associate(contact, company, primary)),
  ];
}
