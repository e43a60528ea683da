// crmkit runs in browsers: its core ESM (dist/index.js under CRMKIT_TEST_DIST, else the sources)
// bundled for the browser with its dependencies (zod, immer), checked
// for Node imports, and run in headless Chromium. The browser part needs a Chromium binary and
// runs only when CRMKIT_CHROMIUM names one (.ci/browser.sh installs Debian's and sets it).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { builtinModules } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const project = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const core = join(project, process.env.CRMKIT_TEST_DIST ? 'dist/index.js' : 'src/index.ts');
const chromiumPath = process.env.CRMKIT_CHROMIUM;

const builtins = new Set(builtinModules);

/** Node's built-in modules, with or without `node:`, however imported ('fs', 'node:fs', 'fs/promises'). */
function isNodeBuiltin(specifier: string): boolean {
  return specifier.startsWith('node:') || builtins.has(specifier) || builtins.has(specifier.split('/')[0]!);
}

/** Records every import of a Node built-in module (and leaves it out of the bundle), instead of failing on the first. */
function nodeImports(found: string[]): Plugin {
  return {
    name: 'node-imports',
    setup(bundle) {
      bundle.onResolve({ filter: /.*/ }, (args) => {
        if (!isNodeBuiltin(args.path)) return undefined;
        found.push(`${args.path} (${args.kind} in ${relative(project, args.importer)})`);
        return { path: args.path, external: true };
      });
    },
  };
}

/** The core for the browser, as one ES module, and the Node modules it imports. */
async function browserBundle(outfile: string): Promise<string[]> {
  const found: string[] = [];
  await build({
    entryPoints: [core],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    outfile,
    logLevel: 'silent',
    plugins: [nodeImports(found)],
  });
  return found;
}

/** What the page's scenario answers (see `scenario`). */
interface Outcome {
  domain: unknown;
  email: unknown;
  duplicate: { isCrmError: boolean; code: unknown; existingId: unknown };
  anaId: string;
  acmeId: string;
  companies: { id: string; primary: boolean; labels: readonly string[] }[];
  globexContacts: number;
  failedTransaction: string | undefined;
  domains: unknown[];
}

/**
 * Runs in the page (serialised by playwright: it must use nothing from this module): the
 * calls of the README's tour, on the bundle the page loaded as `window.crmkit`.
 */
async function scenario(): Promise<Outcome> {
  const { createCrm, CrmError } = (window as unknown as { crmkit: typeof import('crmkit') }).crmkit;
  const crm = await createCrm();
  const acme = await crm.records.create('companies', { domain: 'https://www.Acme.com/about', name: 'Acme' });
  const ana = await crm.records.create('contacts', { email: ' Ana@Acme.com ', firstname: 'Ana' });
  const duplicate: unknown = await crm.records.create('contacts', { email: 'ANA@acme.com' }).then(
    () => undefined,
    (error: unknown) => error,
  );
  await crm.associations.associate(ana, acme);
  const companies = await crm.associations.list(ana, 'companies');
  let globexContacts = 0;
  await crm.transaction(async (tx) => {
    const globex = await tx.records.create('companies', { domain: 'globex.com' });
    const hank = await tx.records.create('contacts', { email: 'hank@globex.com' });
    await tx.associations.associate(hank, globex);
    globexContacts = (await tx.associations.list(globex, 'contacts')).results.length;
  });
  const failedTransaction = await crm
    .transaction(async (tx) => {
      await tx.records.create('companies', { domain: 'initech.com' });
      throw new Error('changed my mind');
    })
    .then(
      () => undefined,
      (error: unknown) => (error as Error).message,
    );
  const refused = duplicate instanceof CrmError ? duplicate : undefined;
  return {
    domain: acme.properties.domain,
    email: ana.properties.email,
    duplicate: { isCrmError: refused !== undefined, code: refused?.code, existingId: refused?.code === 'DUPLICATE_RECORD' ? refused.details.existingId : undefined },
    anaId: ana.id,
    acmeId: acme.id,
    companies: companies.results.map(({ id, primary, labels }) => ({ id, primary, labels })),
    globexContacts,
    failedTransaction,
    domains: (await crm.records.list('companies')).results.map((record) => record.properties.domain),
  };
}

describe('crmkit for browsers', () => {
  const dir = mkdtempSync(join(tmpdir(), 'crmkit-browser-'));
  const bundle = join(dir, 'crmkit.js');
  let imports: string[];

  beforeAll(async () => {
    imports = await browserBundle(bundle);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('bundles for the browser without importing any Node module', () => {
    expect(imports).toEqual([]);
  });

  describe.skipIf(!chromiumPath)('in headless Chromium (runs when CRMKIT_CHROMIUM names its binary)', () => {
    let server: Server;
    let browser: BrowserContext;
    let origin: string;

    beforeAll(async () => {
      // No favicon: the page asks for nothing but the bundle, so any failed load is the bundle's.
      const page = '<!doctype html><link rel="icon" href="data:,"><script type="module">import * as crmkit from "./crmkit.js"; window.crmkit = crmkit;</script>';
      server = createServer((request, response) => {
        if (request.url === '/') response.writeHead(200, { 'content-type': 'text/html' }).end(page);
        else if (request.url === '/crmkit.js') response.writeHead(200, { 'content-type': 'text/javascript' }).end(readFileSync(bundle));
        else response.writeHead(404).end();
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      // Chromium's background services try the network; with none reachable they get refused
      // many at a time and slow everything down, so they are all switched off.
      browser = await chromium.launchPersistentContext(join(dir, 'profile'), {
        executablePath: chromiumPath!,
        headless: true,
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
      });
    }, 60_000);

    afterAll(async () => {
      await browser?.close();
      await new Promise((resolve) => server?.close(resolve));
    });

    it('creates, refuses a duplicate, associates, lists and runs transactions in the page', async () => {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      await page.goto(`${origin}/`);
      await page.waitForFunction(() => 'crmkit' in window);
      const outcome = await page.evaluate(scenario);

      expect(errors).toEqual([]);
      expect(outcome.domain).toBe('acme.com');
      expect(outcome.email).toBe('ana@acme.com');
      expect(outcome.duplicate).toEqual({ isCrmError: true, code: 'DUPLICATE_RECORD', existingId: outcome.anaId });
      expect(outcome.companies).toEqual([{ id: outcome.acmeId, primary: true, labels: ['primary'] }]);
      expect(outcome.globexContacts).toBe(1);
      expect(outcome.failedTransaction).toBe('changed my mind');
      expect(outcome.domains).toEqual(['acme.com', 'globex.com']);
    });
  });
});
