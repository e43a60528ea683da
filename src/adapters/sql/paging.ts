// Keyset paging, once for every SQL database: how many rows a page may hold, and reading one
// row more than asked to know whether another page follows (no count, no OFFSET: a page costs
// its own rows wherever it starts). The position a page resumes after travels in the storage
// cursor codec's token (crmkit/storage's StorageCursors).

/**
 * The most rows one page may ask for, whatever a caller passes (the engine asks for at most 1,000).
 *
 * @example
 * pageSize(1e12, 1) === MAX_PAGE_ROWS; // true
 */
export const MAX_PAGE_ROWS = 1_000_000;

/**
 * A page size from a request's `limit`: a whole number from `least` (0 for record scans, 1 for
 * edge pages, which must move forward) to {@link MAX_PAGE_ROWS}.
 *
 * @example
 * pageSize(2.7, 1); // 2
 * pageSize(Number.NaN, 1); // 1
 */
export function pageSize(limit: number, least: 0 | 1): number {
  return Math.max(least, Math.min(Math.floor(limit) || least, MAX_PAGE_ROWS));
}

/**
 * The rows of a page read with `LIMIT size + 1`: the first `size`, and whether more follow. The
 * array is the driver's fresh answer, so it is shortened in place rather than copied.
 *
 * @example
 * const { rows: page, more } = keysetPage(rows, limit);
 * return more ? { records: page.map(toRecord), after: cursorAfter(page.at(-1)) } : { records: page.map(toRecord) };
 */
export function keysetPage<R>(rows: R[], size: number): { rows: R[]; more: boolean } {
  if (rows.length <= size) return { rows, more: false };
  rows.length = size;
  return { rows, more: true };
}
