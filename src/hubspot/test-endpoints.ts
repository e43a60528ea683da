// The endpoints for test suites in any language (`/__crmkit/…`), served only by `crmkit serve` or
// with the handler's `testing` option: a reset back to the state the handler started from, and a
// snapshot of every record for assertions. Outside HubSpot's paths (HubSpot has no `/__crmkit`),
// so they can never shadow one of its routes.
import { isCrmError, type Crm, type CrmRecord } from 'crmkit';

/**
 * The `testing` option of {@link hubspotHandler}: `true` turns on reset and snapshot.
 *
 * @example
 * hubspotHandler(crm, { testing: { reset: false } }); // snapshot only (e.g. on PostgreSQL)
 */
export interface TestingOptions {
  /**
   * How `POST /__crmkit/reset` resets (default true). `true` keeps a `crm.fork()` of the crm as
   * it was when the handler was made and serves a fresh fork of it on each reset, so it needs a
   * storage that forks (memory; SQLite forks into memory). A function makes the crm to serve
   * after a reset itself (`crmkit serve` puts a SQLite file back as it was at start); the
   * handler serves what it resolves and leaves the previous crm to the function. `false`: reset
   * answers 501.
   */
  reset?: boolean | (() => Promise<Crm>);
}

/** The answer of `GET /__crmkit/snapshot`: every record (archived ones too) per object type. */
export interface Snapshot {
  /** Object type name → its records in the crm's list order; types without records are left out. */
  records: Record<string, CrmRecord[]>;
}

/** The page size the snapshot lists with: the crm's largest, so a snapshot is few calls. */
const PAGE = 1_000;

/**
 * Every record of `crm`, per object type, read through the public API (`crm.records.list` with
 * archived ones). Types that are not active are skipped: they hold no records.
 *
 * @example
 * const { records } = await snapshotOf(crm);
 * records.contacts?.length; // how many contacts, live and archived
 */
export async function snapshotOf(crm: Crm): Promise<Snapshot> {
  const records: Record<string, CrmRecord[]> = {};
  for (const type of crm.schema.objects()) {
    const found: CrmRecord[] = [];
    let after: string | undefined;
    try {
      do {
        const page = await crm.records.list(type.name, { limit: PAGE, archived: true, ...(after ? { after } : {}) });
        found.push(...page.results);
        after = page.paging?.next?.after;
      } while (after);
    } catch (error) {
      // An inactive type (services before activation) refuses to list; it has no records.
      if (isCrmError(error, 'OBJECT_NOT_ACTIVE')) continue;
      throw error;
    }
    if (found.length > 0) records[type.name] = found;
  }
  return { records };
}
