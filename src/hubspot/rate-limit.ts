// Opt-in rate limits, so that an app's retry code meets HubSpot's 429s and headers locally.
// The facts (header names, the ten-second interval, the search budget, the 429's fields and its
// secondly wording) are HubSpot's API usage guidelines; the wording of the ten-secondly and daily
// 429s follows the secondly one, the secondly budget spreads the interval's over its ten seconds,
// and the daily budget is HubSpot's published one for Free and Starter private apps.
// Pure bookkeeping: the handler asks `take` before routing and stamps the headers after.

/**
 * The budgets of {@link HubSpotHandlerOptions.rateLimit}. The defaults are HubSpot's for a
 * private app on a Free or Starter account: 100 requests per rolling 10 seconds (at most 10 in
 * any second), 250,000 a day, and 4 search requests a second.
 *
 * @example
 * hubspotHandler(crm, { rateLimit: { max: 5, intervalMs: 1_000 } });
 */
export interface RateLimitOptions {
  /** Requests allowed per rolling interval (default 100). */
  max?: number;
  /** The rolling interval in ms (default 10,000: HubSpot's TEN_SECONDLY_ROLLING policy). */
  intervalMs?: number;
  /** Requests allowed per UTC day (default 250,000). */
  daily?: number;
  /** Search requests allowed per rolling second (default 4; HubSpot's search has its own limit). */
  searchPerSecond?: number;
  /**
   * Other requests allowed per rolling second (HubSpot's SECONDLY policy and its
   * `X-HubSpot-RateLimit-Secondly` headers). Default: 10 with HubSpot's interval budget; when
   * `max` or `intervalMs` is given, `max` (so a budget set small for a test is the one that
   * answers 429 first).
   */
  perSecond?: number;
}

/** What the limiter decided for one request: the headers to send, and the 429 body when refused. */
export interface RateVerdict {
  headers: Record<string, string>;
  refusal?: { status: 'error'; message: string; errorType: 'RATE_LIMIT'; correlationId: string; policyName: string; category: 'RATE_LIMITS' };
}

/** Times of the requests accepted within the last `windowMs`, oldest first. */
class RollingWindow {
  private readonly times: number[] = [];
  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}
  /** How many were accepted in the window ending at `now`. */
  count(now: number): number {
    while (this.times.length > 0 && this.times[0]! <= now - this.windowMs) this.times.shift();
    return this.times.length;
  }
  add(now: number): void {
    this.times.push(now);
  }
  clear(): void {
    this.times.length = 0;
  }
}

/** A whole number ≥ 1 or the default; the handler's options are checked once, when it is made. */
function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`rateLimit.${name} must be a whole number of at least 1, got ${String(value)}`);
  return value;
}

/**
 * A rate limiter with HubSpot's policies: a rolling interval for every request, a daily budget,
 * and a per-second budget for search. Refused requests use no budget, as HubSpot's do not.
 *
 * @example
 * const limiter = createRateLimiter({ max: 2, intervalMs: 1_000 });
 * limiter.take(false, Date.now()).refusal; // undefined, then undefined, then the 429 body
 */
export function createRateLimiter(options: RateLimitOptions = {}, correlationId: () => string = () => crypto.randomUUID()) {
  const interval = new RollingWindow(positive(options.max, 100, 'max'), positive(options.intervalMs, 10_000, 'intervalMs'));
  const search = new RollingWindow(positive(options.searchPerSecond, 4, 'searchPerSecond'), 1_000);
  const ownInterval = options.max !== undefined || options.intervalMs !== undefined;
  const secondly = new RollingWindow(positive(options.perSecond, ownInterval ? interval.limit : 10, 'perSecond'), 1_000);
  const daily = positive(options.daily, 250_000, 'daily');
  let day = '';
  let usedToday = 0;

  const refuse = (policyName: string, message: string) => ({ status: 'error' as const, message, errorType: 'RATE_LIMIT' as const, correlationId: correlationId(), policyName, category: 'RATE_LIMITS' as const });

  return {
    /** Decides one request at `now` (ms); `isSearch` for the search endpoints. */
    take(isSearch: boolean, now: number): RateVerdict {
      const today = new Date(now).toISOString().slice(0, 10);
      if (today !== day) {
        day = today;
        usedToday = 0;
      }
      const inInterval = interval.count(now);
      // Search has its own per-second budget; every other request shares the secondly one.
      const perSecond = isSearch ? search : secondly;
      let refusal: RateVerdict['refusal'];
      if (usedToday >= daily) refusal = refuse('DAILY', 'You have reached your daily limit.');
      else if (inInterval >= interval.limit) refusal = refuse('TEN_SECONDLY_ROLLING', 'You have reached your ten_secondly_rolling limit.');
      else if (perSecond.count(now) >= perSecond.limit) refusal = refuse('SECONDLY', 'You have reached your secondly limit.');
      if (!refusal) {
        usedToday += 1;
        interval.add(now);
        perSecond.add(now);
      }
      const headers: Record<string, string> = {
        'X-HubSpot-RateLimit-Daily': String(daily),
        'X-HubSpot-RateLimit-Daily-Remaining': String(Math.max(0, daily - usedToday)),
      };
      // HubSpot's search answers carry only the daily pair.
      if (!isSearch) {
        headers['X-HubSpot-RateLimit-Interval-Milliseconds'] = String(interval.windowMs);
        headers['X-HubSpot-RateLimit-Max'] = String(interval.limit);
        headers['X-HubSpot-RateLimit-Remaining'] = String(Math.max(0, interval.limit - interval.count(now)));
        headers['X-HubSpot-RateLimit-Secondly'] = String(secondly.limit);
        headers['X-HubSpot-RateLimit-Secondly-Remaining'] = String(Math.max(0, secondly.limit - secondly.count(now)));
      }
      return refusal ? { headers, refusal } : { headers };
    },
    /** Forgets every request (a reset of the served crm starts with full budgets). */
    reset(): void {
      interval.clear();
      search.clear();
      secondly.clear();
      usedToday = 0;
    },
  };
}

/** The limiter {@link createRateLimiter} makes. */
export type RateLimiter = ReturnType<typeof createRateLimiter>;
