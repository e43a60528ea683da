// What a STORAGE_ERROR says about the call's writes (issue 8): `details.outcome` is
// 'rolled_back' when nothing was written and 'unknown' when the connection was lost after COMMIT
// was sent, so the write may have committed. Before, a lost COMMIT answer was reported like any
// failure although the write had committed. On a real server, through a loopback TCP proxy (in
// this file) between the pool and the server that drops both sockets at a chosen moment of the
// PostgreSQL wire protocol; only with CRMKIT_PG_URL (skipped, and saying so, without it).
import net from 'node:net';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createCrm, isCrmError, type CrmError } from 'crmkit';
import { postgresStorage } from 'crmkit/postgres';
import { commitOutcome } from '../../src/adapters/postgres/storage.js';
import { freshTenant } from './postgres-shared.js';

const URL = process.env.CRMKIT_PG_URL;

/** When the proxy cuts the connection. */
type Cut =
  /** Pass everything. */
  | 'never'
  /** When the client sends a statement whose text contains `before`, instead of forwarding it. */
  | { before: string }
  /** Right after forwarding the client's COMMIT, before the server answers. */
  | 'after COMMIT sent'
  /** When the server's answer to COMMIT reaches the proxy, instead of forwarding it. */
  | 'after COMMIT answered';

/** Splits a byte stream into PostgreSQL protocol messages (`untypedFirst`: the client's startup message has no type byte). */
class MessageReader {
  private buffered = Buffer.alloc(0);
  constructor(private untypedFirst: boolean) {}

  /** The complete messages in `chunk` and what came before it: each with its type ('' for startup) and body. */
  read(chunk: Buffer): Array<{ type: string; body: Buffer; bytes: Buffer }> {
    this.buffered = Buffer.concat([this.buffered, chunk]);
    const messages: Array<{ type: string; body: Buffer; bytes: Buffer }> = [];
    for (;;) {
      const typed = !this.untypedFirst;
      const header = typed ? 5 : 4;
      if (this.buffered.length < header) break;
      const length = this.buffered.readInt32BE(typed ? 1 : 0);
      const size = length + (typed ? 1 : 0);
      if (this.buffered.length < size) break;
      const bytes = this.buffered.subarray(0, size);
      messages.push({ type: typed ? String.fromCharCode(bytes[0]!) : '', body: bytes.subarray(header), bytes });
      this.buffered = this.buffered.subarray(size);
      this.untypedFirst = false;
    }
    return messages;
  }
}

/** A query's text: simple ('Q': the text) or extended ('P': statement name, then the text). */
function statementText(message: { type: string; body: Buffer }): string | undefined {
  if (message.type === 'Q') return message.body.toString('utf8');
  if (message.type === 'P') return message.body.subarray(message.body.indexOf(0) + 1).toString('utf8');
  return undefined;
}

/**
 * A loopback TCP proxy in front of the server that drops both sockets of a connection at the
 * moment `cut` names (once; then it passes everything again).
 */
async function dropProxy(target: globalThis.URL): Promise<{ port: number; cut: (when: Cut) => void; cuts: () => number; close: () => Promise<void> }> {
  let when: Cut = 'never';
  let cuts = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 5432), target.hostname);
    sockets.add(client).add(upstream);
    const drop = (): void => {
      cuts++;
      when = 'never';
      client.destroy();
      upstream.destroy();
    };
    const fromClient = new MessageReader(true);
    const fromServer = new MessageReader(false);
    let commitSent = false;
    client.on('data', (chunk: Buffer) => {
      for (const message of fromClient.read(chunk)) {
        const text = statementText(message);
        if (typeof when === 'object' && text?.includes(when.before)) return drop();
        upstream.write(message.bytes);
        if (text !== undefined && /^\s*COMMIT\b/i.test(text)) {
          commitSent = true;
          // Flushed to the server, then cut before any answer can come back.
          if (when === 'after COMMIT sent') return void upstream.write(Buffer.alloc(0), drop);
        }
      }
    });
    upstream.on('data', (chunk: Buffer) => {
      for (const message of fromServer.read(chunk)) {
        // CommandComplete 'COMMIT': the server has committed; the client never hears it.
        if (commitSent && when === 'after COMMIT answered' && message.type === 'C' && message.body.toString('utf8').startsWith('COMMIT')) return drop();
        if (message.type === 'Z') commitSent = false;
        client.write(message.bytes);
      }
    });
    for (const socket of [client, upstream]) {
      socket.on('error', () => {});
      socket.on('close', () => {
        sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    cut: (next) => (when = next),
    cuts: () => cuts,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('commitOutcome: what a failed COMMIT says', () => {
  it('an answer from the server (a SQLSTATE) means rolled back; a lost or timed-out connection means unknown', () => {
    expect(commitOutcome(Object.assign(new Error('could not serialize access'), { code: '40001' }))).toBe('rolled_back');
    expect(commitOutcome(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }))).toBe('rolled_back');
    expect(commitOutcome(new Error('Connection terminated unexpectedly'))).toBe('unknown');
    expect(commitOutcome(new Error('Query read timeout'))).toBe('unknown');
    expect(commitOutcome(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }))).toBe('unknown');
  });
});

describe.skipIf(!URL)('postgres server: a connection lost around COMMIT (needs CRMKIT_PG_URL; run .ci/postgres.sh)', () => {
  const closing: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const close of closing.reverse()) await close().catch(() => {});
  });

  /** A CRM through a fresh proxy, and a CRM on a direct connection to check what committed. */
  const setup = async () => {
    const target = new globalThis.URL(URL!);
    const proxy = await dropProxy(target);
    closing.push(proxy.close);
    const through = new globalThis.URL(URL!);
    through.hostname = '127.0.0.1';
    through.port = String(proxy.port);
    const tenant = freshTenant('outcome');
    const pool = new pg.Pool({ connectionString: through.toString(), max: 2 });
    pool.on('error', () => {});
    closing.push(() => pool.end());
    const direct = new pg.Pool({ connectionString: URL, max: 2 });
    closing.push(() => direct.end());
    const crm = await createCrm({ storage: postgresStorage({ pool, tenant }) });
    const check = await createCrm({ storage: postgresStorage({ pool: direct, tenant }) });
    return { proxy, crm, check };
  };

  const failure = async (promise: Promise<unknown>): Promise<CrmError<'STORAGE_ERROR'>> => {
    const error = await promise.then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(isCrmError(error, 'STORAGE_ERROR'), `expected STORAGE_ERROR, got ${String(error)}`).toBe(true);
    return error as CrmError<'STORAGE_ERROR'>;
  };

  it("the server's answer to COMMIT lost: STORAGE_ERROR with outcome 'unknown', and the record did commit", async () => {
    const { proxy, crm, check } = await setup();
    proxy.cut('after COMMIT answered');
    const error = await failure(crm.records.create('contacts', { email: 'committed@x.com' }));
    expect(proxy.cuts()).toBe(1);
    expect(error.details.outcome).toBe('unknown');
    expect(error.message).toMatch(/commit/i);
    expect((await check.records.getBy('contacts', 'email', 'committed@x.com'))?.properties.email).toBe('committed@x.com');
    // The safe retry of a create: it finds the email taken. The pool replaced the dropped connection.
    expect(await crm.records.create('contacts', { email: 'committed@x.com' }).catch((caught: CrmError) => caught.code)).toBe('DUPLICATE_RECORD');
    expect((await crm.records.create('contacts', { email: 'after@x.com' })).properties.email).toBe('after@x.com');
  });

  it("the connection lost right after COMMIT was sent: STORAGE_ERROR with outcome 'unknown'", async () => {
    const { proxy, crm } = await setup();
    proxy.cut('after COMMIT sent');
    const error = await failure(crm.records.create('contacts', { email: 'maybe@x.com' }));
    expect(proxy.cuts()).toBe(1);
    expect(error.details.outcome).toBe('unknown');
  });

  it("the connection lost before COMMIT (at the record's INSERT): outcome 'rolled_back', and nothing was written", async () => {
    const { proxy, crm, check } = await setup();
    proxy.cut({ before: 'INSERT INTO crmkit_records' });
    const error = await failure(crm.records.create('contacts', { email: 'lost@x.com', firstname: 'Lost' }));
    expect(proxy.cuts()).toBe(1);
    expect(error.details.outcome).toBe('rolled_back');
    expect(await check.records.getBy('contacts', 'email', 'lost@x.com')).toBeUndefined();
    expect((await check.records.list('contacts')).results).toEqual([]);
    // Nothing was claimed either: the same create now succeeds.
    expect((await crm.records.create('contacts', { email: 'lost@x.com' })).properties.email).toBe('lost@x.com');
  });

  it("a statement the server refuses: outcome 'rolled_back', with its SQLSTATE, and nothing written", async () => {
    const storage = postgresStorage({ connectionString: URL!, tenant: freshTenant('outcome-statement') });
    closing.push(() => storage.close());
    const at = '2026-01-01T00:00:00.000Z';
    const record = (id: string, firstname: string) => ({ id, objectType: 'contacts', properties: { firstname }, createdAt: at, updatedAt: at, archived: false });
    // PostgreSQL cannot store U+0000: the second INSERT fails after the first succeeded.
    const error = await failure(
      storage.transaction('write', async (tx) => {
        await tx.insertRecords([record('kept?', 'a')]);
        await tx.insertRecords([record('nul', 'a\u0000b')]);
      }),
    );
    expect(error.details.outcome).toBe('rolled_back');
    expect(error.details.sqlState).toMatch(/^[0-9A-Z]{5}$/);
    expect(await storage.transaction('read', async (tx) => tx.getRecords('contacts', ['kept?', 'nul']))).toEqual([undefined, undefined]);
  });
});
