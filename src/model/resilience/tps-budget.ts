// Linkerd's retry budget for ServiceProfile retries: tower `retry/budget/tps_budget.rs` (`TpsBudget`), a port of Finagle
// `RetryBudget` (a leaky token bucket over a sliding window). REFERENCE §4.1 and trap 13. Who calls what, as linkerd2-proxy
// `app/outbound/src/http/retry.rs` does: every response that is NOT retried deposits — a success, a failure the route
// does not retry, and a transport error (never retried there); every retry first withdraws and is skipped if that fails.
// A failure whose withdrawal fails deposits nothing. So the budget grows with successful traffic, not with requests.

/** Finagle's three-member retry budget. Times are virtual seconds. */
export interface RetryBudget {
  /** A response that will not be retried. */
  deposit(now: number): void;
  /** Takes the price of one retry if the balance covers it; false means do not retry. */
  tryWithdraw(now: number): boolean;
  /** Tokens available at `now`, reserve included; observing it changes nothing. */
  balance(now: number): number;
}

export interface TpsBudgetOptions {
  /** Retries allowed per deposit, 0–1000 (ServiceProfile `retryRatio`). Default 0.2. */
  retryRatio?: number;
  /** Retries allowed per second with no deposits at all, a non-negative integer. Default 10. */
  minRetriesPerSecond?: number;
  /** How long a deposit or withdrawal counts, seconds, 1–60. Default 10. */
  ttl?: number;
  /** Virtual time the budget is created at (tower starts its first window then). Default 0. */
  start?: number;
}

const SLOTS = 10;

/**
 * Deposit and withdrawal prices follow tower (in f32, as there): ratio 0 → deposits worth 0, a retry costs 1; ratio ≤ 1 →
 * deposit 1, retry ⌊1/ratio⌋; ratio > 1 → deposit 1000, retry ⌊1000/ratio⌋. The reserve, minRetriesPerSecond × ⌊ttl⌋ ×
 * retry price, is never spent but added to every sum: it pays for minRetriesPerSecond × ttl retries per 10–11 windows.
 */
export function tpsBudget(options: TpsBudgetOptions = {}): TpsBudget {
  const ratio = options.retryRatio ?? 0.2;
  const minPerSecond = options.minRetriesPerSecond ?? 10;
  const ttl = options.ttl ?? 10;
  if (!(ttl >= 1 && ttl <= 60)) throw new RangeError(`ttl must be between 1 and 60 seconds, not ${ttl}`);
  if (!(ratio >= 0 && ratio <= 1000)) throw new RangeError(`retryRatio must be between 0 and 1000, not ${ratio}`);
  // tower accepts any ratio in (0, 1e-6) too; its prices then reach ~10^6+ tokens a retry, past exact double arithmetic.
  if (ratio > 0 && ratio < 1e-6) throw new RangeError(`retryRatio must be 0 or at least 1e-6, not ${ratio}`);
  if (!Number.isInteger(minPerSecond) || minPerSecond < 0 || minPerSecond >= 2 ** 31 - 1) {
    throw new RangeError(`minRetriesPerSecond must be a non-negative integer below 2^31 − 1, not ${minPerSecond}`);
  }
  const r32 = Math.fround(ratio); // tower takes the ratio as an f32 and divides in f32
  let deposit: number;
  let withdraw: number;
  if (r32 === 0) [deposit, withdraw] = [0, 1];
  else if (r32 <= 1) [deposit, withdraw] = [1, Math.trunc(Math.fround(1 / r32))];
  else [deposit, withdraw] = [1000, Math.trunc(Math.fround(1000 / r32))];
  return new TpsBudget(deposit, withdraw, minPerSecond * Math.floor(ttl) * withdraw, ttl / SLOTS, options.start ?? 0);
}

/**
 * tower's bucket: ten slots of ttl/10 plus a writer for the current window. On any deposit or withdrawal at least one
 * window after the last roll-over, the writer is committed to the current slot, every further whole window that passed
 * clears one more slot, and the new window starts *at that call* (not on a fixed grid). The sum counts the writer, all
 * ten slots (the slot about to be overwritten still holds the window from ten windows back) and the reserve, so an
 * entry counts for between ten and eleven windows. A withdrawal succeeds when the sum covers its price. The balance
 * can still turn negative when deposits expire before the withdrawals they paid for; it then blocks retries until
 * those withdrawals expire too.
 */
export class TpsBudget implements RetryBudget {
  readonly depositAmount: number;
  readonly withdrawAmount: number;
  readonly reserve: number;
  /** Seconds per slot: ttl / 10. */
  readonly window: number;
  private readonly slots = new Array<number>(SLOTS).fill(0);
  private writer = 0;
  private index = 0;
  private since: number;

  constructor(depositAmount: number, withdrawAmount: number, reserve: number, window: number, start: number) {
    this.depositAmount = depositAmount;
    this.withdrawAmount = withdrawAmount;
    this.reserve = reserve;
    this.window = window;
    this.since = start;
  }

  deposit(now: number): void {
    this.expire(now);
    this.writer += this.depositAmount;
  }

  tryWithdraw(now: number): boolean {
    this.expire(now);
    if (this.sum() < this.withdrawAmount) return false;
    this.writer -= this.withdrawAmount;
    return true;
  }

  balance(now: number): number {
    const cleared = this.clearedBy(now);
    if (cleared < 0) return this.sum();
    if (cleared >= SLOTS) return this.reserve;
    // As after a roll-over: the writer moves into the current slot, the next `cleared` slots are emptied.
    let total = this.reserve + this.writer;
    for (let k = cleared + 1; k < SLOTS; k++) total += this.slots[(this.index + k) % SLOTS]!;
    return total;
  }

  /** How many slots after the current one a roll-over at `now` would clear, or −1 when no window has ended. */
  private clearedBy(now: number): number {
    const elapsed = Math.max(0, now - this.since);
    if (elapsed < this.window) return -1;
    return Math.ceil(elapsed / this.window) - 1;
  }

  private expire(now: number): void {
    const cleared = this.clearedBy(now);
    if (cleared < 0) return;
    this.slots[this.index] = this.writer;
    this.writer = 0;
    for (let k = 1; k <= Math.min(cleared, SLOTS); k++) this.slots[(this.index + k) % SLOTS] = 0;
    this.index = (this.index + 1 + cleared) % SLOTS;
    this.since = now;
  }

  private sum(): number {
    let total = this.reserve + this.writer;
    for (const slot of this.slots) total += slot;
    return total;
  }
}

/** Finagle `RetryBudget.Infinite`: every retry passes. */
export const unlimitedBudget: RetryBudget = Object.freeze({
  deposit() {},
  tryWithdraw: () => true,
  balance: () => Number.POSITIVE_INFINITY,
});

/** Finagle `RetryBudget.Empty`: no retry ever passes. */
export const emptyBudget: RetryBudget = Object.freeze({
  deposit() {},
  tryWithdraw: () => false,
  balance: () => 0,
});
