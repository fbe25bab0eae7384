// The scenario file format: this zod schema is the single source of its types, its defaults and
// the published JSON Schema (`meshsim schema`). Durations are strings with units, rates are `N/s`.
import { z } from 'zod';
import { formatDuration, parseDuration, parseRate } from './units.ts';

export const duration = z
  .string({ error: 'expected a duration with a unit, e.g. "250ms", "30s" or "2h"' })
  .transform((text, ctx) => {
    const seconds = parseDuration(text);
    if (seconds === undefined) {
      ctx.addIssue({ code: 'custom', message: `"${text}" is not a duration; write a number and a unit, e.g. "250ms", "30s" or "2h"` });
      return z.NEVER;
    }
    return seconds;
  })
  .meta({
    description: 'A duration: a number and a unit (ns, us, ms, s, m, h, d), e.g. "250ms", "1h30m".',
    pattern: '^\\s*((\\d+(\\.\\d+)?|\\.\\d+)(ns|us|µs|ms|s|min|m|h|d))+\\s*$',
  });

export const rate = z
  .string({ error: 'expected a rate such as "3000/s"' })
  .transform((text, ctx) => {
    const perSecond = parseRate(text);
    if (perSecond === undefined) {
      ctx.addIssue({ code: 'custom', message: `"${text}" is not a rate; write requests per unit of time, e.g. "3000/s" or "120/min"` });
      return z.NEVER;
    }
    return perSecond;
  })
  .meta({
    description: 'A rate: requests per unit of time, e.g. "3000/s", "120/min".',
    pattern: '^\\s*\\d+(\\.\\d+)?(e[+-]?\\d+)?\\s*/\\s*(ms|s|min|m|h)\\s*$',
  });

const positive = (what: string) => z.number({ error: `expected a number (${what})` }).positive(`${what} must be greater than 0`);

const weightedValue = z.strictObject({ value: duration, weight: positive('weight') });

export const distribution = z.discriminatedUnion(
  'distribution',
  [
    z.strictObject({ distribution: z.literal('constant'), value: duration }),
    z.strictObject({ distribution: z.literal('exponential'), mean: duration }),
    z
      .strictObject({ distribution: z.literal('uniform'), min: duration, max: duration })
      .refine((d) => d.max >= d.min, { path: ['max'], message: 'max must not be less than min' }),
    z
      .strictObject({
        distribution: z.literal('lognormal'),
        median: duration.optional(),
        p99: duration.optional(),
        mean: duration.optional(),
        cv: positive('cv').optional(),
      })
      .superRefine((d, ctx) => {
        const byQuantiles = d.median !== undefined && d.p99 !== undefined;
        const byMoments = d.mean !== undefined && d.cv !== undefined;
        if (byQuantiles === byMoments) {
          const given = (['median', 'p99', 'mean', 'cv'] as const).filter((k) => d[k] !== undefined).map((k) => `\`${k}\``);
          const has = given.length === 0 ? 'none of them' : `${byQuantiles ? '' : 'only '}${given.join(', ')}`;
          ctx.addIssue({ code: 'custom', message: `a lognormal needs either \`median\` and \`p99\`, or \`mean\` and \`cv\`; this one has ${has}` });
        } else if (byQuantiles && (d.p99 as number) <= (d.median as number))
          ctx.addIssue({ code: 'custom', path: ['p99'], message: 'p99 must be greater than median' });
      }),
    z.strictObject({ distribution: z.literal('erlang'), k: z.int().min(1).max(1000), mean: duration }),
    z.strictObject({ distribution: z.literal('gamma'), shape: positive('shape'), mean: duration }),
    z
      .strictObject({ distribution: z.literal('pareto'), alpha: positive('alpha'), min: duration, max: duration })
      .refine((d) => d.min > 0 && d.max > d.min, { path: ['max'], message: 'a bounded pareto needs 0 < min < max' }),
    z.strictObject({
      distribution: z.literal('empirical'),
      values: z.array(z.union([duration, weightedValue])).min(1, 'an empirical distribution needs at least one value'),
    }),
  ],
  { error: 'expected a distribution (constant, exponential, uniform, lognormal, erlang, gamma, pareto or empirical)' },
);
export type DistributionSpec = z.output<typeof distribution>;

export const pod = z.strictObject({
  workers: z.int().min(1).max(100_000).default(1).describe('Requests a pod serves at once (threads or worker slots).'),
  queue: z.int().min(0).max(100_000_000).default(1000).describe('Requests that may wait for a worker; one more is refused with RESOURCE_EXHAUSTED.'),
  serviceTime: distribution.describe("The pod's own work per request."),
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

export const service = z.strictObject({
  replicas: z.int().min(1).max(100_000).default(1).describe('Number of pods.'),
  pod: pod.optional().describe('How each pod serves requests; a service that is only a client may omit it.'),
  calls: z.array(call).default([]).describe('Workloads this service generates.'),
});
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
  window: duration.prefault('1s').describe('Width of each time-series window.'),
  maxEvents: z.number().positive().default(2e9).describe('Refuse a run estimated to need more events than this, and stop one that does.'),
  services: z.record(name, service).describe('Services by name.'),
  variants: z.record(name, z.record(z.string(), z.unknown())).optional().describe('Patches deep-merged over the base scenario; each is run and compared.'),
});

export const scenario = scenarioBase.superRefine((s, ctx) => {
  const names = Object.keys(s.services);
  if (names.length === 0) ctx.addIssue({ code: 'custom', path: ['services'], message: 'a scenario needs at least one service' });
  if (s.warmup >= s.duration)
    ctx.addIssue({
      code: 'custom',
      path: ['warmup'],
      message: `warmup (${formatDuration(s.warmup)}) must be shorter than duration (${formatDuration(s.duration)})`,
    });
  if (s.window <= 0) ctx.addIssue({ code: 'custom', path: ['window'], message: 'window must be longer than 0s' });
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
      else if (!target.pod)
        ctx.addIssue({
          code: 'custom',
          path: ['services', svc, 'calls', i, 'to'],
          message: `service "${c.to}" has no \`pod\`, so nothing can serve its calls`,
        });
    });
  }
});

export type Scenario = z.output<typeof scenario>;
export type ScenarioInput = z.input<typeof scenario>;
