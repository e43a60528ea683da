// Waiting for other processes without freezing this one. better-sqlite3 is synchronous: with a
// SQLite busy timeout, a statement that meets another process's lock sleeps inside the call, and
// so does the whole event loop. The adapter runs SQLite with a busy timeout of 0 instead (a
// locked file answers SQLITE_BUSY at once) and waits here, between attempts, with timers.
import { CrmError } from 'crmkit/storage';

/** The longest sleep between two attempts: short, so a freed file is taken within tens of ms. */
export const BUSY_DELAY_CAP_MS = 20;

/**
 * Whether `error` is SQLite saying the file is locked by another connection (SQLITE_BUSY and
 * its extended codes: _RECOVERY, _SNAPSHOT, _TIMEOUT). Such a statement changed nothing and may
 * be tried again.
 *
 * @example
 * isBusy(error); // true for better-sqlite3's SqliteError with code 'SQLITE_BUSY'
 */
export function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_'));
}

/**
 * How long to sleep before attempt `attempt + 1` (attempts count from 0): doubling from 1 ms up
 * to {@link BUSY_DELAY_CAP_MS}, scaled by a jitter in [0.5, 1) from `random` (in [0, 1)) so
 * that processes waiting for one file do not retry in step.
 *
 * @example
 * busyDelay(0, 0.5); // 0.75
 * busyDelay(10, 0.999); // just under 20
 */
export function busyDelay(attempt: number, random: number): number {
  const base = Math.min(BUSY_DELAY_CAP_MS, 2 ** Math.min(Math.max(0, attempt), 16));
  return base * (0.5 + Math.min(Math.max(random, 0), 1) / 2);
}

/**
 * How long one crmkit call may still wait for other processes. One per call, shared by every
 * step that can meet a lock (setting the file up, BEGIN, COMMIT), so a call waits at most
 * `limitMs` in all. The clock starts at the first SQLITE_BUSY, not at the call.
 *
 * @example
 * const patience = new Patience(5_000);
 * await patience.attempt('begin', () => sql.beginImmediate.run());
 */
export class Patience {
  private startedAt: number | undefined;
  private attempts = 0;

  constructor(
    private readonly limitMs: number,
    private readonly now: () => number = () => performance.now(),
    private readonly random: () => number = Math.random,
  ) {}

  /**
   * Runs `step` until it does not answer SQLITE_BUSY, sleeping between attempts, and answers
   * what it returns: synchronously when the first attempt goes through (the common case costs
   * no promise), else a promise. `step` must leave nothing behind when it fails (a BEGIN that
   * did not start a transaction, a COMMIT that left it open to retry). Another error, or the
   * limit reached, is thrown: the latter as STORAGE_ERROR with the facts (`waitedMs`, SQLite's
   * `code`).
   */
  attempt<T>(doing: string, step: () => T): T | Promise<T> {
    try {
      return step();
    } catch (error) {
      if (!isBusy(error)) throw error;
      return this.retry(doing, step, error);
    }
  }

  private async retry<T>(doing: string, step: () => T, first: unknown): Promise<T> {
    let busy = first;
    for (;;) {
      const now = this.now();
      this.startedAt ??= now;
      const waited = now - this.startedAt;
      if (waited >= this.limitMs) throw this.timedOut(doing, busy, waited);
      const delay = Math.min(busyDelay(this.attempts++, this.random()), this.limitMs - waited);
      await new Promise((resolve) => setTimeout(resolve, delay));
      try {
        return step();
      } catch (error) {
        if (!isBusy(error)) throw error;
        busy = error;
      }
    }
  }

  private timedOut(doing: string, error: unknown, waited: number): CrmError {
    const waitedMs = Math.round(waited);
    const code = (error as { code: string }).code;
    return new CrmError(
      'STORAGE_ERROR',
      `sqlite storage (${doing}): another connection held the file for ${waitedMs} ms, longer than busyTimeoutMs (${this.limitMs}); nothing was written`,
      { cause: error, code, waitedMs, busyTimeoutMs: this.limitMs, doing, outcome: 'rolled_back' },
    );
  }
}
