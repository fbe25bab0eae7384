// Scenario vocabulary for canaries: a service's subsets (Istio DestinationRule subsets, each its own
// Deployment with its own replicas and pod settings), a route's weighted split between subsets and its
// header matches (Istio VirtualService http route), and the headers a call's requests carry.
import { z } from 'zod';
import { livenessProbe, probe } from './health-schema.ts';
import { distribution, duration } from './schema-units.ts';

export const subsetName = z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'expected a lowercase subset name: letters, digits, ".", "_" or "-"');

const headerName = z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'expected a lowercase header name such as "x-canary"');

export const routeDestination = z.strictObject({
  subset: subsetName.describe('A subset of the destination service (a key of `services.<service>.subsets`).'),
  weight: z
    .int()
    .min(0)
    .max(100)
    .optional()
    .describe('Percent of the requests this rule sends here; with two or more destinations the weights must add up to 100 (Istio).'),
});
export type RouteDestinationSpec = z.output<typeof routeDestination>;

const headerMatch = z.union([
  z.strictObject({ exact: z.string().describe('The header has exactly this value.') }),
  z.strictObject({ prefix: z.string().describe('The header value starts with this.') }),
]);
export type HeaderMatchSpec = z.output<typeof headerMatch>;

export const matchRule = z.strictObject({
  headers: z
    .record(headerName, headerMatch)
    .refine((h) => Object.keys(h).length > 0, 'a match needs at least one header')
    .describe('Every header listed must match (Istio HTTPMatchRequest.headers); a request without the header does not match.'),
  route: z.array(routeDestination).min(1).describe('Where matching requests go, as `route`.'),
});
export type MatchRuleSpec = z.output<typeof matchRule>;

export const requestHeader = z.strictObject({
  value: z.string().describe('The header value.'),
  fraction: z.number().min(0).max(1).default(1).describe('Fraction of requests that carry the header (drawn per request); the rest go without it.'),
});

export const requestHeaders = z
  .record(headerName, requestHeader)
  .describe('Request headers, e.g. `x-canary: { value: "true", fraction: 0.1 }`; routes match on them. Downstream calls of a handler pass them on.');

/** A subset's pod settings: each field given replaces the service's (the handler is the service's). */
export const subsetPod = z.strictObject({
  workers: z.int().min(1).max(100_000).optional().describe("Replaces the service pod's `workers`."),
  queue: z.int().min(0).max(100_000_000).optional().describe("Replaces the service pod's `queue`."),
  serviceTime: distribution.optional().describe("Replaces the service pod's `serviceTime`."),
  dropExpired: z.boolean().optional().describe("Replaces the service pod's `dropExpired`."),
  honorsCancellation: z.boolean().optional().describe("Replaces the service pod's `honorsCancellation`."),
  readinessProbe: probe.optional().describe("Replaces the service pod's `readinessProbe`."),
  livenessProbe: livenessProbe.optional().describe("Replaces the service pod's `livenessProbe`."),
  startupTime: duration.optional().describe("Replaces the service pod's `startupTime` (e.g. a canary that starts slower)."),
});

export const subset = z.strictObject({
  replicas: z.int().min(1).max(100_000).describe("The subset's pods (a Deployment of its own)."),
  pod: subsetPod.optional().describe("Fields that differ from the service's `pod` (e.g. a slower `serviceTime`)."),
});
export type SubsetSpec = z.output<typeof subset>;

/** A fault target split into its parts: `payments`, `payments/3` or `payments@v2`. */
export function parseTarget(target: string): { service: string; pod?: number; subset?: string } {
  const at = target.indexOf('@');
  if (at >= 0) return { service: target.slice(0, at), subset: target.slice(at + 1) };
  const [service, pod] = target.split('/');
  return pod === undefined ? { service: service as string } : { service: service as string, pod: Number(pod) };
}
