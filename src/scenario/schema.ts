// The scenario file format: this zod schema is the single source of its types, its defaults and
// the published JSON Schema (`meshsim schema`). Durations are strings with units, rates are `N/s`.
import { z } from 'zod';
import { health } from './health-schema.ts';
import { checkFault, checkTraffic } from './identity-checks.ts';
import { identity, traffic } from './identity-schema.ts';
import { mesh, network, scaleEvent, server, trafficPolicy } from './mesh-schema.ts';
import { fault, handlerStep, route, serviceConfig } from './resilience-schema.ts';
import { distribution, duration, rate } from './schema-units.ts';
import { checkSubsets } from './subset-checks.ts';
import { requestHeaders, subset, subsetName } from './subset-schema.ts';
import { formatDuration } from './units.ts';

export * from './health-schema.ts';
export * from './identity-schema.ts';
export * from './mesh-schema.ts';
export * from './outlier-schema.ts';
export * from './resilience-schema.ts';
export * from './schema-units.ts';
export * from './subset-schema.ts';

export const pod = z.strictObject({
  workers: z.int().min(1).max(100_000).default(1).describe('Requests a pod serves at once (threads or worker slots).'),
  queue: z.int().min(0).max(100_000_000).default(1000).describe('Requests that may wait for a worker; one more is refused with RESOURCE_EXHAUSTED.'),
  serviceTime: distribution.describe("The pod's own work per request."),
  handler: z.array(handlerStep).default([]).describe('Downstream calls made after the own work, in order; the worker is held meanwhile.'),
  dropExpired: z.boolean().default(false).describe('Skip queued work whose deadline has passed (answer DEADLINE_EXCEEDED at once).'),
  honorsCancellation: z.boolean().default(false).describe('Drop queued or running work whose caller reset the stream (most handlers never check).'),
  ...health,
});
export type PodSpec = z.output<typeof pod>;

const methodName = z
  .string()
  .regex(/^[A-Za-z_][\w.]*\/[A-Za-z_]\w*$/, 'expected a gRPC method as "package.Service/Method"')
  .describe('gRPC method, "package.Service/Method".');

export const call = z
  .strictObject({
    to: z.string().describe('Destination service (a key of `services`).'),
    method: methodName.default('meshsim.Service/Call'),
    rate: rate.optional().describe('Open loop: Poisson arrivals at this total rate for the calling service, spread evenly over its pods.'),
    schedule: z
      .array(z.strictObject({ at: duration, rate }))
      .min(1)
      .optional()
      .describe('Open loop with a rate that steps over time; each step holds from `at` until the next.'),
    concurrency: z.int().min(1).max(10_000_000).optional().describe('Closed loop: this many callers in all, spread evenly over the calling pods.'),
    thinkTime: distribution.optional().describe('Closed loop: pause between a response and the next request (default none).'),
    deadline: duration.optional().describe('gRPC deadline; a call that misses it completes with DEADLINE_EXCEEDED.'),
    connections: z.int().min(1).max(1000).default(1).describe("HTTP/2 connections in each client pod's gRPC channel (gRPC uses one)."),
    loadBalancing: z
      .enum(['pick_first', 'round_robin'])
      .optional()
      .describe(
        'gRPC client-side balancing over a headless service (no mesh): pick_first pins one pod, round_robin spreads RPCs over every pod. Default: a ClusterIP behind kube-proxy.',
      ),
    serviceConfig: serviceConfig.optional().describe('gRPC service config for this call (gRFC A6): retryPolicy, hedgingPolicy, retryThrottling.'),
    hashKeys: z
      .int()
      .min(1)
      .max(1_000_000_000)
      .optional()
      .describe('Distinct values of the request header used by consistent hashing; each request draws one uniformly.'),
    headers: requestHeaders.optional(),
  })
  .superRefine((c, ctx) => {
    const given = ['rate', 'schedule', 'concurrency'].filter((k) => c[k as keyof typeof c] !== undefined);
    const choices = '`rate` or `schedule` (open loop) or `concurrency` (closed loop)';
    if (given.length === 0) ctx.addIssue({ code: 'custom', message: `a call needs a workload: ${choices}` });
    else if (given.length > 1) {
      const named = given.map((g) => `\`${g}\``);
      const both = `${named.slice(0, -1).join(', ')} and ${named[named.length - 1]}`;
      ctx.addIssue({ code: 'custom', path: [given[1] as string], message: `a call has one workload, but this one sets ${both}; keep one: ${choices}` });
    }
    if (c.thinkTime && c.concurrency === undefined)
      ctx.addIssue({ code: 'custom', path: ['thinkTime'], message: '`thinkTime` only applies to a closed loop (`concurrency`)' });
  });
export type CallSpec = z.output<typeof call>;

export const service = z
  .strictObject({
    replicas: z
      .int()
      .min(1)
      .max(100_000)
      .optional()
      .describe("Number of pods (default 1); with `subsets`, leave it out: the service's pods are its subsets' pods."),
    pod: pod.optional().describe('How each pod serves requests; a service that is only a client may omit it.'),
    subsets: z
      .record(subsetName, subset)
      .refine((r) => Object.keys(r).length > 0, 'give at least one subset, or leave `subsets` out')
      .optional()
      .describe(
        'Versions of the service (Istio DestinationRule subsets), each with its own replicas and pod settings, e.g. `v2: { replicas: 1, pod: { serviceTime: ... } }`. Pods are numbered across subsets in the order given.',
      ),
    calls: z.array(call).default([]).describe('Workloads this service generates.'),
    server: server.prefault({}).describe("The pods' gRPC server connection management (gRFC A9)."),
  })
  .superRefine((s, ctx) => {
    if (!s.subsets) return;
    const sum = Object.values(s.subsets).reduce((n, x) => n + x.replicas, 0);
    if (s.replicas !== undefined && s.replicas !== sum)
      ctx.addIssue({
        code: 'custom',
        path: ['replicas'],
        message: `the pods of a service with subsets are its subsets' pods (${sum}); leave \`replicas\` out or make it ${sum}`,
      });
    if (!s.pod) ctx.addIssue({ code: 'custom', path: ['subsets'], message: "subsets need the service's `pod`, which their `pod` fields override" });
  })
  .transform((s) => ({ ...s, replicas: s.replicas ?? (s.subsets ? Object.values(s.subsets).reduce((n, x) => n + x.replicas, 0) : 1) }));
export type ServiceSpec = z.output<typeof service>;

const name = z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'expected a lowercase name: letters, digits, ".", "_" or "-"');

export const scenarioBase = z.strictObject({
  name: name.describe('Short name; the run writes to out/<name>/.'),
  title: z.string().optional().describe('One line saying what the scenario shows.'),
  description: z.string().optional(),
  seed: z
    .int()
    .min(0)
    .max(2 ** 32 - 1)
    .default(1)
    .describe('Seed of every random stream.'),
  duration: duration.describe('Simulated time during which requests start.'),
  warmup: duration.prefault('0s').describe('Requests that start before this are not counted.'),
  replications: z.int().min(1).max(10_000).default(3).describe('Independent runs with different seeds; summaries give the mean and 95% CI.'),
  window: duration
    .optional()
    .describe(
      'Width of each time-series window; default sized to the run: 1s up to 1000 s, then the first of 5s, 10s, 30s, 1m, 5m, 10m, 30m, 1h giving at most 1000 windows.',
    ),
  maxEvents: z.number().positive().default(2e9).describe('Refuse a run estimated to need more events than this, and stop one that does.'),
  services: z.record(name, service).describe('Services by name.'),
  mesh: mesh.prefault({}).describe('The data plane between clients and pods.'),
  network: network.prefault({}).describe('The network between pods.'),
  trafficPolicy: z.record(z.string(), trafficPolicy).default({}).describe('Per destination service, as an Istio DestinationRule trafficPolicy.'),
  routes: z.record(z.string(), route).default({}).describe('Per destination service: timeouts and retries (Istio VirtualService, Linkerd).'),
  faults: z.array(fault).default([]).describe('Scheduled faults: errors, slowdowns, crashes, load surges.'),
  events: z.array(scaleEvent).default([]).describe('Changes during the run, e.g. `{ at: 60s, scale: { payments: 20 } }`.'),
  identity: identity.prefault({}).describe('Workload certificates, their renewal, the CA and mTLS handshakes (REFERENCE §6).'),
  traffic: traffic.prefault({}).describe('Resolution of the traffic: every RPC, or flows of RPCs between events (runs of days).'),
  variants: z.record(name, z.record(z.string(), z.unknown())).optional().describe('Patches deep-merged over the base scenario; each is run and compared.'),
});

/** A scenario as parsed, before the cross-reference checks. */
export type ScenarioBaseOutput = z.output<typeof scenarioBase>;

/** The default window: 1s up to 1000 s of run, then the first step giving at most 1000 windows. */
export function defaultWindow(duration: number): number {
  const steps = [1, 5, 10, 30, 60, 300, 600, 1800, 3600];
  return steps.find((w) => duration / w <= 1000) ?? 3600;
}

const checked = scenarioBase.superRefine((s, ctx) => {
  const names = Object.keys(s.services);
  if (names.length === 0) ctx.addIssue({ code: 'custom', path: ['services'], message: 'a scenario needs at least one service' });
  if (s.warmup >= s.duration)
    ctx.addIssue({
      code: 'custom',
      path: ['warmup'],
      message: `warmup (${formatDuration(s.warmup)}) must be shorter than duration (${formatDuration(s.duration)})`,
    });
  if (s.window !== undefined && s.window <= 0) ctx.addIssue({ code: 'custom', path: ['window'], message: 'window must be longer than 0s' });
  for (const [svc, spec] of Object.entries(s.services)) {
    spec.calls.forEach((c, i) => {
      const target = s.services[c.to];
      if (!target)
        ctx.addIssue({
          code: 'custom',
          path: ['services', svc, 'calls', i, 'to'],
          message: `no service named "${c.to}"`,
          params: { unknownReference: c.to, candidates: names },
        });
      else if (c.loadBalancing && s.mesh.dataPlane !== 'none')
        ctx.addIssue({
          code: 'custom',
          path: ['services', svc, 'calls', i, 'loadBalancing'],
          message: 'gRPC client-side balancing needs `mesh.dataPlane: none` (a headless service, no proxy)',
        });
      else if (!target.pod)
        ctx.addIssue({
          code: 'custom',
          path: ['services', svc, 'calls', i, 'to'],
          message: `service "${c.to}" has no \`pod\`, so nothing can serve its calls`,
        });
    });
  }
  const known = (path: (string | number)[], svc: string) => {
    if (!s.services[svc]) ctx.addIssue({ code: 'custom', path, message: `no service named "${svc}"`, params: { unknownReference: svc, candidates: names } });
  };
  for (const svc of Object.keys(s.trafficPolicy)) known(['trafficPolicy', svc], svc);
  for (const svc of Object.keys(s.routes)) known(['routes', svc], svc);
  for (const [svc, spec] of Object.entries(s.services))
    spec.pod?.handler.forEach((step, i) => {
      const calls =
        'call' in step
          ? [{ c: step.call, path: ['services', svc, 'pod', 'handler', i, 'call', 'to'] }]
          : step.parallel.map((p, j) => ({ c: p.call, path: ['services', svc, 'pod', 'handler', i, 'parallel', j, 'call', 'to'] }));
      for (const { c, path } of calls) {
        known(path, c.to);
        if (s.services[c.to] && !s.services[c.to]?.pod)
          ctx.addIssue({ code: 'custom', path, message: `service "${c.to}" has no \`pod\`, so nothing can serve its calls` });
      }
    });
  s.faults.forEach((f, i) => {
    checkFault(s, f, i, ctx, known);
  });
  s.events.forEach((e, i) => {
    for (const [svc, n] of Object.entries(e.scale)) {
      known(['events', i, 'scale', svc], svc);
      if (s.services[svc] && !s.services[svc].pod)
        ctx.addIssue({ code: 'custom', path: ['events', i, 'scale', svc], message: `service "${svc}" has no \`pod\`; only serving services can be scaled` });
      if (n === 0) ctx.addIssue({ code: 'custom', path: ['events', i, 'scale', svc], message: 'scale to at least 1 pod' });
    }
  });
  checkSubsets(s, ctx);
  checkTraffic(s, ctx);
  if (s.mesh.waypoint && s.mesh.dataPlane !== 'ambient')
    ctx.addIssue({ code: 'custom', path: ['mesh', 'waypoint'], message: 'a waypoint needs `dataPlane: ambient`' });
});

export const scenario = checked.transform((s) => ({ ...s, window: s.window ?? defaultWindow(s.duration) }));

export type Scenario = z.output<typeof scenario>;
export type ScenarioInput = z.input<typeof scenario>;
