import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { storageConformance } from 'crmkit/testing/conformance';
import { sqliteStorage } from 'crmkit/sqlite';

const dir = mkdtempSync(join(tmpdir(), 'crmkit-sqlite-'));
let files = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

storageConformance('sqlite :memory:', () => sqliteStorage(':memory:'));
storageConformance('sqlite file', () => sqliteStorage(join(dir, `conformance-${++files}.db`)));
