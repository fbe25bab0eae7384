// When the load balancer stops honouring outlier ejections: Envoy's healthy panic threshold
// (`panic_threshold.rst`, `LoadBalancerBase::isHostSetInPanic`) for a single priority; REFERENCE §1.6, §2.2.
// Envoy's default threshold is 50 %; Istio writes `minHealthPercent` (default 0) whenever outlier detection is set.

/** Envoy's default `healthy_panic_threshold`, percent. */
export const ENVOY_PANIC_THRESHOLD = 50;

/**
 * Whether the balancer is in panic and spreads traffic over all hosts, ejected ones included: the healthy share,
 * 100·healthy/total, is below `thresholdPercent`. A threshold of 0 disables panic; an empty host set counts as 0 %.
 */
export function healthyPanic(healthy: number, total: number, thresholdPercent: number): boolean {
  if (thresholdPercent <= 0) return false;
  const healthyPercent = total === 0 ? 0 : (100 * healthy) / total;
  return healthyPercent < Math.min(thresholdPercent, 100);
}

/**
 * Whether a request fails at once with 503 "no healthy upstream" (flag UH): no host at all, or none healthy and no
 * panic to fall back on.
 */
export function noHealthyUpstream(healthy: number, total: number, thresholdPercent: number): boolean {
  return total === 0 || (healthy === 0 && !healthyPanic(healthy, total, thresholdPercent));
}
