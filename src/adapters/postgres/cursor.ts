// Cursors: opaque, bound to one tenant and one scan, and hiding the position they resume after.
// A cursor is AES-256-CBC (zero IV, no padding: deterministic, and one block is plain AES) over
// the position — one or more signed 64-bit numbers (a scan's `seq`; an association page's
// `created_at` in microseconds and `seq`) — followed by a tag derived from (kind, tenant,
// scope) with the database's secret, 8 bytes after an odd number of values and 16 after an even
// one, so the tag always fills the last block. Changing any byte garbles the last block's tag,
// so a cursor made for another tenant, another scan or another database, or tampered with,
// fails the check; and the position cannot be read (a tenant cannot watch the shared sequence to
// count other tenants' writes) or forged.
import { createCipheriv, createDecipheriv, createHmac, timingSafeEqual } from 'node:crypto';
import { CrmError } from 'crmkit';

const PREFIX = 'pg1.';
const ZERO_IV = Buffer.alloc(16);

/**
 * What a cursor pages: a record scan, an edge scan, or one record's association pages.
 *
 * @example
 * const kind: CursorKind = 'page';
 */
export type CursorKind = 'records' | 'edges' | 'page';

/**
 * Makes and checks cursors for one storage (one tenant) with the database's secret.
 *
 * @example
 * const codec = new CursorCodec(secret, 'acme');
 * const after = codec.encode('records', 'contacts', [42n]);
 * codec.decode('records', 'contacts', after, 1); // [42n]
 */
export class CursorCodec {
  private readonly tags = new Map<string, Buffer>();

  constructor(
    private readonly secret: Buffer,
    private readonly tenant: string,
  ) {}

  /** The cursor resuming after `position` in the scan named by `kind` and `scope`. */
  encode(kind: CursorKind, scope: string, position: readonly bigint[]): string {
    const tag = this.tag(kind, scope, position.length);
    const block = Buffer.alloc(position.length * 8 + tag.length);
    position.forEach((value, at) => block.writeBigInt64BE(value, at * 8));
    tag.copy(block, position.length * 8);
    const cipher = createCipheriv('aes-256-cbc', this.secret, ZERO_IV).setAutoPadding(false);
    return PREFIX + Buffer.concat([cipher.update(block), cipher.final()]).toString('base64url');
  }

  /**
   * The position (`length` numbers) a cursor resumes after; throws VALIDATION_ERROR
   * (INVALID_CURSOR) for one this scan did not make.
   */
  decode(kind: CursorKind, scope: string, cursor: unknown, length: number): bigint[] {
    const tag = this.tag(kind, scope, length);
    const size = length * 8 + tag.length;
    const text = typeof cursor === 'string' && cursor.startsWith(PREFIX) ? cursor.slice(PREFIX.length) : undefined;
    const bytes = text === undefined ? undefined : Buffer.from(text, 'base64url');
    // The round trip refuses other spellings of the same bytes (padding, stray characters).
    if (bytes?.length === size && bytes.toString('base64url') === text) {
      const decipher = createDecipheriv('aes-256-cbc', this.secret, ZERO_IV).setAutoPadding(false);
      const block = Buffer.concat([decipher.update(bytes), decipher.final()]);
      if (timingSafeEqual(block.subarray(length * 8), tag)) {
        return Array.from({ length }, (_, at) => block.readBigInt64BE(at * 8));
      }
    }
    throw new CrmError('VALIDATION_ERROR', 'postgres storage: not a cursor of this scan', {
      issues: [{ code: 'INVALID_CURSOR', message: 'unknown cursor: not made by this scan (tenant, object type) of this storage' }],
    });
  }

  private tag(kind: CursorKind, scope: string, values: number): Buffer {
    const size = values % 2 === 1 ? 8 : 16;
    const name = `${kind}\u0000${scope}\u0000${size}`;
    let tag = this.tags.get(name);
    if (!tag) {
      tag = createHmac('sha256', this.secret).update(`crmkit cursor\u0000${this.tenant}\u0000${kind}\u0000${scope}`).digest().subarray(0, size);
      // Scans are few (one per type or type pair); association pages have one scope per record, so theirs are not kept.
      if (kind !== 'page') this.tags.set(name, tag);
    }
    return tag;
  }
}
