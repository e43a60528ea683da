// Scan cursors: opaque, bound to one tenant and one scan, and hiding the sequence number they
// resume after. A cursor is one AES block holding the position (8 bytes) and a tag derived from
// (kind, tenant, scope) with the database's secret (8 bytes): a cursor made for another tenant,
// another object type or another database fails the tag check, and the position cannot be read
// (so a tenant cannot watch the shared sequence to count other tenants' writes) or forged.
import { createCipheriv, createDecipheriv, createHmac, timingSafeEqual } from 'node:crypto';
import { CrmError } from 'crmkit';

const PREFIX = 'pg1.';

/** Makes and checks cursors for one storage (one tenant) with the database's secret. */
export class CursorCodec {
  private readonly tags = new Map<string, Buffer>();

  constructor(
    private readonly secret: Buffer,
    private readonly tenant: string,
  ) {}

  /** The cursor resuming after `seq` in the scan named by `kind` and `scope`. */
  encode(kind: 'records' | 'edges', scope: string, seq: string): string {
    const block = Buffer.alloc(16);
    block.writeBigUInt64BE(BigInt(seq), 0);
    this.tag(kind, scope).copy(block, 8);
    const cipher = createCipheriv('aes-256-ecb', this.secret, null).setAutoPadding(false);
    return PREFIX + Buffer.concat([cipher.update(block), cipher.final()]).toString('base64url');
  }

  /** The position a cursor resumes after; throws VALIDATION_ERROR (INVALID_CURSOR) for one this scan did not make. */
  decode(kind: 'records' | 'edges', scope: string, cursor: unknown): string {
    const bytes = typeof cursor === 'string' && cursor.startsWith(PREFIX) ? Buffer.from(cursor.slice(PREFIX.length), 'base64url') : undefined;
    if (bytes?.length === 16 && bytes.toString('base64url') === (cursor as string).slice(PREFIX.length)) {
      const decipher = createDecipheriv('aes-256-ecb', this.secret, null).setAutoPadding(false);
      const block = Buffer.concat([decipher.update(bytes), decipher.final()]);
      if (timingSafeEqual(block.subarray(8), this.tag(kind, scope))) return block.readBigUInt64BE(0).toString();
    }
    throw new CrmError('VALIDATION_ERROR', 'postgres storage: not a cursor of this scan', {
      issues: [{ code: 'INVALID_CURSOR', message: 'unknown cursor: not made by this scan (tenant, object type) of this storage' }],
    });
  }

  private tag(kind: string, scope: string): Buffer {
    const name = `${kind}\u0000${scope}`;
    let tag = this.tags.get(name);
    if (!tag) {
      tag = createHmac('sha256', this.secret).update(`crmkit cursor\u0000${this.tenant}\u0000${name}`).digest().subarray(0, 8);
      this.tags.set(name, tag);
    }
    return tag;
  }
}
