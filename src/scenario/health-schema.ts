// Scenario vocabulary for pod health: Kubernetes readiness and liveness probes (core/v1 Probe: the
// names, integer seconds and defaults of kubernetes.io "Configure Liveness, Readiness and Startup
// Probes") and the app's start-up time. How a probe fails in the model: docs/health.md.
import { z } from 'zod';
import { duration } from './schema-units.ts';

const seconds = (what: string, min: number, fallback: number) =>
  z
    .int({ error: `expected whole seconds (${what})` })
    .min(min, `${what} must be at least ${min}`)
    .max(86_400, `${what} must be at most 86400 (a day)`)
    .default(fallback);

const count = (what: string, fallback: number) =>
  z
    .int({ error: `expected a whole number (${what})` })
    .min(1, `${what} must be at least 1`)
    .max(1000)
    .default(fallback);

export const probe = z.strictObject({
  initialDelaySeconds: seconds('initialDelaySeconds', 0, 0).describe('Seconds after the container starts before the first probe (Kubernetes default 0).'),
  periodSeconds: seconds('periodSeconds', 1, 10).describe('Seconds between probes (Kubernetes default 10, minimum 1).'),
  timeoutSeconds: seconds('timeoutSeconds', 1, 1).describe('A probe not answered within this many seconds fails (Kubernetes default 1, minimum 1).'),
  successThreshold: count('successThreshold', 1).describe('Consecutive successes after a failure before the probe passes (default 1; must be 1 for liveness).'),
  failureThreshold: count('failureThreshold', 3).describe('Consecutive failures before the probe fails (default 3).'),
});
export type ProbeSpec = z.output<typeof probe>;

export const livenessProbe = probe.refine((p) => p.successThreshold === 1, {
  path: ['successThreshold'],
  message: 'a livenessProbe must have successThreshold 1 (Kubernetes rejects any other value)',
});

export const health = {
  readinessProbe: probe
    .optional()
    .describe('Kubernetes readinessProbe: while it fails the pod is not ready and leaves the endpoints. Without one a pod is ready while its container runs.'),
  livenessProbe: livenessProbe.optional().describe('Kubernetes livenessProbe: failureThreshold failures in a row restart the container.'),
  startupTime: duration.prefault('0s').describe('Time after a (re)start before the app accepts connections and answers probes.'),
};
