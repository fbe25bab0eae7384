// The rules an outlier detection passes before it becomes an ejection: the kinds of detection and the enforcing
// percentage of each, and the `max_ejection_percent` cap in its three versions. Envoy `outlier_detection_impl.cc`
// (`enforceEjection`, `ejectHost`); REFERENCE §1.1, §1.4.
import type { EjectionCapRule, OutlierConfig } from './config.ts';

/** Envoy `OutlierEjectionType`. */
export type EjectionKind =
  | 'consecutive5xx'
  | 'consecutiveGatewayFailure'
  | 'consecutiveLocalOriginFailure'
  | 'successRate'
  | 'successRateLocalOrigin'
  | 'failurePercentage'
  | 'failurePercentageLocalOrigin';

export const ejectionKinds: readonly EjectionKind[] = [
  'consecutive5xx',
  'consecutiveGatewayFailure',
  'consecutiveLocalOriginFailure',
  'successRate',
  'successRateLocalOrigin',
  'failurePercentage',
  'failurePercentageLocalOrigin',
];

/** The enforcing percentage of a kind of detection: the chance, 0–100, that it ejects. */
export function enforcingPercent(c: OutlierConfig, kind: EjectionKind): number {
  switch (kind) {
    case 'consecutive5xx':
      return c.enforcingConsecutive5xx;
    case 'consecutiveGatewayFailure':
      return c.enforcingConsecutiveGatewayFailure;
    case 'consecutiveLocalOriginFailure':
      return c.enforcingConsecutiveLocalOriginFailure;
    case 'successRate':
      return c.enforcingSuccessRate;
    case 'successRateLocalOrigin':
      return c.enforcingLocalOriginSuccessRate;
    case 'failurePercentage':
      return c.enforcingFailurePercentage;
    case 'failurePercentageLocalOrigin':
      return c.enforcingFailurePercentageLocalOrigin;
  }
}

/**
 * Whether one more host may be ejected with `active` of `hosts` already out. Current: 100·(active+1)/hosts ≤ max;
 * always one: also when none is out; pre-2023: 100·active/hosts < max (so the first always goes while max > 0).
 */
export function ejectionAllowed(rule: EjectionCapRule, maxEjectionPercent: number, active: number, hosts: number): boolean {
  const max = Math.min(maxEjectionPercent, 100);
  if (rule === 'pre2023') return (100 * active) / hosts < max;
  if (rule === 'alwaysOne' && active === 0) return true;
  return (100 * (active + 1)) / hosts <= max;
}
