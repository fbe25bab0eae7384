// Retry amplification down the call chain: for each tier (a callee, in call-chain order from the
// entry), the tries that reached it per application request, by variant. Without retries every
// tier sits at 1; retries at every hop multiply, so the bottom tier sees the most.
import type { TopLevelSpec } from 'vega-lite';
import type { RunOutput, VariantSummary } from '../observe/types.ts';
import { edgeKey, entryEdges, hasRetries, tierOrder } from './edges.ts';
import { meanCi, sig } from './numbers.ts';
import { config, PLOT_WIDTH, replicationPhrase, SCHEMA, variantColor, variantNames } from './theme.ts';

interface Row {
  variant: string;
  tier: string;
  /** "1.93" above dots away from 1, where the retries are; none on dots at 1. */
  label?: string;
  /** "checkout ← web" for the tooltip: the callers whose tries are counted. */
  callers: string;
  mean: number;
  lo: number;
  hi: number;
}

/**
 * The half-width of the 95% CI of tries into `tier` per entry request, from each replication's
 * ratio over the measured windows of the edge time series; undefined without rows for the variant.
 */
function ratioHalfWidth(output: RunOutput, variant: VariantSummary, tier: string): number | undefined {
  const { warmup, duration } = output.summary;
  const entry = new Set(entryEdges(variant).map(edgeKey));
  const perRep = new Map<number, { attempts: number; requests: number }>();
  for (const r of output.tables.edgeTimeseries) {
    if (r.variant !== variant.name || r.t < warmup - 1e-9 || r.t >= duration - 1e-9) continue;
    let s = perRep.get(r.replication);
    if (!s) perRep.set(r.replication, (s = { attempts: 0, requests: 0 }));
    if (r.to === tier) s.attempts += r.attemptedRps;
    if (entry.has(edgeKey(r))) s.requests += r.offeredRps;
  }
  const ratios = [...perRep.values()].filter((s) => s.requests > 0).map((s) => s.attempts / s.requests);
  if (ratios.length === 0) return undefined;
  const f = meanCi(ratios);
  return (f.hi - f.lo) / 2;
}

export function attemptsPerRequestByTier(output: RunOutput): TopLevelSpec | undefined {
  if (!hasRetries(output)) return undefined;
  const tiers = tierOrder(output.summary);
  const rows: Row[] = [];
  for (const v of output.summary.variants) {
    const requests = entryEdges(v).reduce((s, e) => s + e.requests.mean, 0);
    if (!(requests > 0)) continue;
    for (const tier of tiers) {
      const into = (v.edges ?? []).filter((e) => e.to === tier);
      if (into.length === 0) continue;
      const attempts = into.reduce((s, e) => s + e.attempts.mean, 0);
      const mean = attempts / requests;
      // The spread over replications of each one's own ratio; without the time series, the attempts' CI over the mean requests.
      const half = ratioHalfWidth(output, v, tier) ?? into.reduce((s, e) => s + (e.attempts.hi - e.attempts.lo) / 2, 0) / requests;
      rows.push({
        variant: v.name,
        tier,
        callers: `${tier} ← ${into.map((e) => e.from).join(', ')}`,
        mean: sig(mean),
        lo: sig(Math.max(0, mean - half)),
        hi: sig(mean + half),
        ...(Math.abs(mean - 1) >= 0.005 ? { label: mean.toFixed(2) } : {}),
      });
    }
  }
  if (rows.length === 0) return undefined;
  const present = tiers.filter((t) => rows.some((r) => r.tier === t));
  const whiskers = rows.some((r) => r.hi - r.lo > 1e-3 * r.mean);
  const top = Math.max(...rows.map((r) => r.hi), 1);
  const y = { type: 'quantitative' as const, scale: { domain: [0, sig(top * 1.12, 2)], nice: false } };
  const x = {
    field: 'tier',
    type: 'ordinal' as const,
    sort: present,
    title: 'callee, along the call chain from the entry →',
    axis: { labelAngle: 0, labelFontSize: 13 },
  };
  // A band scale even without whiskers: point marks alone would get a point scale, which has no padding.
  const xOffset = { field: 'variant', type: 'nominal' as const, scale: { type: 'band' as const, domain: variantNames(output), paddingInner: 0.2 } };
  const color = variantColor(output);
  return {
    $schema: SCHEMA,
    title: {
      text: `Tries per application request at each tier, by variant (${replicationPhrase(output)})`,
      subtitle: [
        `tiers in call-chain order from the entry (${present.join(' → ')}); 1 = one try per request, above 1 = retries (and fan-out)`,
        `dot: tries into the tier over the entry requests${whiskers ? "; whisker: 95% CI of the replications' ratios" : ''}; labelled when not 1.00`,
      ],
    },
    width: PLOT_WIDTH,
    height: 300,
    data: { values: rows },
    layer: [
      {
        data: { values: [{ one: 1 }] },
        mark: { type: 'rule', color: '#222', strokeDash: [6, 4], strokeWidth: 1.5 },
        encoding: { y: { ...y, field: 'one' } },
      },
      ...(whiskers
        ? [{ mark: { type: 'rule' as const, strokeWidth: 2 }, encoding: { x, xOffset, color, y: { ...y, field: 'lo' }, y2: { field: 'hi' } } }]
        : []),
      ...(rows.some((r) => r.label !== undefined)
        ? [
            {
              transform: [{ filter: 'isValid(datum.label)' }],
              mark: { type: 'text' as const, baseline: 'bottom' as const, dy: -8, fontSize: 11, color: '#222' },
              encoding: { x, xOffset, y: { ...y, field: 'hi' }, text: { field: 'label' } },
            },
          ]
        : []),
      {
        mark: { type: 'point', filled: true, size: 90, opacity: 1 },
        encoding: {
          x,
          xOffset,
          color,
          y: { ...y, field: 'mean', title: 'tries per application request' },
          tooltip: [
            { field: 'variant' },
            { field: 'callers', title: 'tier ← callers' },
            { field: 'mean', title: 'tries per request' },
            { field: 'lo', title: '95% CI low' },
            { field: 'hi', title: '95% CI high' },
          ],
        },
      },
    ],
    config,
  };
}
