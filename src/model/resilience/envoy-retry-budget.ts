// Envoy's limit on concurrent retries per cluster and priority: `max_retries`, or the `retry_budget` that overrides it.
// Envoy `source/common/upstream/resource_manager_impl.h` (`RetryBudgetImpl::canCreate`, `max`); REFERENCE §2.5, trap 8.
// It limits retries in progress, not a rate. A retry counts from the moment the router decides on it (through its
// back-off) until that retry's outcome is judged (`RetryStateImpl::shouldRetry` inc / `resetRetry` dec).

export interface EnvoyRetryGateOptions {
  /** `retry_budget.budget_percent`, 0–100. Setting it or `minRetryConcurrency` switches to the budget (20 % by default). */
  budgetPercent?: number;
  /** `retry_budget.min_retry_concurrency`, the floor of the budget. Default 3. */
  minRetryConcurrency?: number;
  /** `max_retries`, used when there is no budget. Envoy default 3; Istio sets 2^32 − 1 unless `maxRetries` is given. */
  maxRetries?: number;
}

export interface RetryGate {
  /** Whether one more retry may start, given the cluster's active and pending requests and the retries in progress. */
  allows(activeRequests: number, pendingRequests: number, activeRetries: number): boolean;
  /** The current limit on retries in progress. */
  limit(activeRequests: number, pendingRequests: number): number;
}

/** The `max_retries` Istio writes for every cluster unless a DestinationRule sets `connectionPool.http.maxRetries`. */
export const ISTIO_MAX_RETRIES = 2 ** 32 - 1;

function nonNegativeInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative integer, not ${value}`);
  return value;
}

/**
 * With a budget: allowed while activeRetries < max(⌊budgetPercent / 100 × (active + pending)⌋, minRetryConcurrency)
 * — strict <, the product truncated by Envoy's conversion of a double to uint64. Without: activeRetries < maxRetries.
 */
export function envoyRetryGate(options: EnvoyRetryGateOptions = {}): RetryGate {
  const useBudget = options.budgetPercent !== undefined || options.minRetryConcurrency !== undefined;
  if (!useBudget) {
    const maxRetries = nonNegativeInteger('maxRetries', options.maxRetries ?? 3);
    return {
      allows: (_active, _pending, activeRetries) => activeRetries < maxRetries,
      limit: () => maxRetries,
    };
  }
  const percent = options.budgetPercent ?? 20;
  if (!(percent >= 0 && percent <= 100)) throw new RangeError(`budgetPercent must be between 0 and 100, not ${percent}`);
  const floor = nonNegativeInteger('minRetryConcurrency', options.minRetryConcurrency ?? 3);
  const limit = (active: number, pending: number) => Math.max(Math.trunc((percent / 100) * (active + pending)), floor);
  return {
    allows: (active, pending, activeRetries) => activeRetries < limit(active, pending),
    limit,
  };
}
