// The building blocks of the scenario schema: durations and rates with units, and distributions.
import { z } from 'zod';
import { parseDuration, parseRate } from './units.ts';

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
        const stray = (byQuantiles && (d.mean !== undefined || d.cv !== undefined)) || (byMoments && (d.median !== undefined || d.p99 !== undefined));
        if (stray) ctx.addIssue({ code: 'custom', message: 'a lognormal takes either `median` and `p99`, or `mean` and `cv`, not both pairs' });
        else if ((byQuantiles && (d.median as number) <= 0) || (byMoments && (d.mean as number) <= 0))
          ctx.addIssue({ code: 'custom', path: [byQuantiles ? 'median' : 'mean'], message: 'a lognormal needs a positive median or mean' });
        if (stray) return;
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
