// Scenario vocabulary for outlier detection: a DestinationRule's `trafficPolicy.outlierDetection` with Istio's names,
// and an `envoy:` block for the Envoy knobs Istio does not expose, with Envoy's names (REFERENCE §1.1, §1.7, §2.2).
import { z } from 'zod';
import { duration } from './schema-units.ts';

const percent = z.number().min(0).max(100);
const count = z.int().min(0).max(1_000_000);

export const envoyOutlier = z
  .strictObject({
    consecutive5xx: count.optional(),
    enforcingConsecutive5xx: percent.optional(),
    consecutiveGatewayFailure: count.optional(),
    enforcingConsecutiveGatewayFailure: percent.optional().describe('Envoy default 0: gateway errors are counted but never eject.'),
    splitExternalLocalOriginErrors: z.boolean().optional(),
    consecutiveLocalOriginFailure: count.optional(),
    enforcingConsecutiveLocalOriginFailure: percent.optional(),
    interval: duration.optional(),
    baseEjectionTime: duration.optional(),
    maxEjectionTime: duration.optional().describe('Default max(300s, baseEjectionTime).'),
    maxEjectionTimeJitter: duration.optional().describe('Each ejection lasts up to this much longer (whole milliseconds, uniform). Default 0.'),
    maxEjectionPercent: percent.optional(),
    alwaysEjectOneHost: z.boolean().optional().describe('Envoy 1.31+: the cap never stops the first ejection.'),
    ejectionCapRule: z
      .enum(['current', 'alwaysOne', 'pre2023'])
      .optional()
      .describe(
        'How maxEjectionPercent is checked. current (Envoy ≥ 1.27): 100·(ejected+1)/hosts ≤ max; alwaysOne: the same, and the first ejection always goes through; pre2023: eject while 100·ejected/hosts < max.',
      ),
    successRateMinimumHosts: count.optional(),
    successRateRequestVolume: count.optional(),
    successRateStdevFactor: count.optional().describe('Thousandths: 1900 ejects below mean − 1.9·stdev.'),
    enforcingSuccessRate: percent.optional().describe('Envoy default 100; Istio always writes 0.'),
    enforcingLocalOriginSuccessRate: percent.optional(),
    failurePercentageThreshold: percent.optional(),
    enforcingFailurePercentage: percent.optional().describe('Envoy default 0: failure-percentage ejection is off.'),
    enforcingFailurePercentageLocalOrigin: percent.optional(),
    failurePercentageMinimumHosts: count.optional(),
    failurePercentageRequestVolume: count.optional(),
    healthyPanicThreshold: percent
      .optional()
      .describe("The cluster's common_lb_config.healthy_panic_threshold: below this healthy share the balancer ignores ejections."),
  })
  .describe("Envoy's outlier_detection fields (and the panic threshold) that Istio does not expose; they override everything else.");
export type EnvoyOutlierSpec = z.output<typeof envoyOutlier>;

export const outlierDetection = z
  .strictObject({
    profile: z
      .enum(['istio', 'envoy'])
      .default('istio')
      .describe(
        "istio: Istio's translation (success-rate ejection off, panic threshold = minHealthPercent, default 0 = no panic); envoy: a plain Envoy cluster (success-rate ejection on, panic below 50 % healthy).",
      ),
    consecutive5xxErrors: count.optional().describe('Eject a host after this many 5xx in a row (default 5; 0 disables).'),
    consecutiveGatewayErrors: count.optional().describe('Eject after this many 502/503/504 in a row (default off; 0 disables).'),
    splitExternalLocalOriginErrors: z.boolean().optional().describe('Count connect failures, resets and timeouts apart from responses.'),
    consecutiveLocalOriginFailures: count.optional().describe('With splitExternalLocalOriginErrors: eject after this many local-origin failures in a row.'),
    interval: duration.optional().describe('Sweep period: ejections end, and success rates are judged, only at these ticks (default 10s).'),
    baseEjectionTime: duration.optional().describe('First ejection lasts this long (then ×2, ×3… up to maxEjectionTime); default 30s.'),
    maxEjectionPercent: percent.optional().describe('Most hosts that may be ejected at once, percent (default 10: under 10 hosts nothing is ejected).'),
    minHealthPercent: percent
      .optional()
      .describe('Istio: the panic threshold. Below this healthy share, traffic goes to ejected hosts too (default 0: never).'),
    envoy: envoyOutlier.optional(),
  })
  .refine((od) => od.envoy?.maxEjectionTime === undefined || od.envoy.maxEjectionTime >= (od.envoy.baseEjectionTime ?? od.baseEjectionTime ?? 30), {
    message: 'envoy.maxEjectionTime cannot be shorter than baseEjectionTime (Envoy rejects such a cluster)',
  })
  .describe('Envoy outlier detection (passive health) per client sidecar, Istio DestinationRule names (REFERENCE §1).');
export type OutlierDetectionSpec = z.output<typeof outlierDetection>;
