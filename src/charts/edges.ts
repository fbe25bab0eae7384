// Caller→callee edges shared by the retry charts: which edges carry the application's requests,
// the tiers in call-chain order, and whether a run retried at all.
import type { EdgeSummary, RunOutput, Summary, VariantSummary } from '../observe/types.ts';

export const edgeKey = (edge: { from: string; to: string }): string => `${edge.from}\u0000${edge.to}`;

/** The variant's entry edges: the workloads' calls, which carry the application's requests. */
export function entryEdges(variant: VariantSummary): EdgeSummary[] {
  return (variant.edges ?? []).filter((e) => e.entry);
}

/**
 * Callees in call-chain order: the entry edges' callees first (tier 1), then the services they call
 * (tier 2), and so on, over every variant's edges; ties keep the order of first appearance.
 */
export function tierOrder(summary: Pick<Summary, 'variants'>): string[] {
  const edges = summary.variants.flatMap((v) => v.edges ?? []);
  const depth = new Map<string, number>();
  let frontier = [...new Set(edges.filter((e) => e.entry).map((e) => e.to))];
  for (let d = 1; frontier.length > 0; d++) {
    for (const s of frontier) depth.set(s, d);
    const next = new Set<string>();
    for (const e of edges) if (frontier.includes(e.from) && !depth.has(e.to)) next.add(e.to);
    frontier = [...next];
  }
  // Callees no entry edge leads to (a broken graph) go last.
  const seen = [...new Set(edges.map((e) => e.to))];
  const rank = (s: string) => depth.get(s) ?? Number.POSITIVE_INFINITY;
  return seen
    .map((s, i) => ({ s, i }))
    .sort((a, b) => rank(a.s) - rank(b.s) || a.i - b.i)
    .map(({ s }) => s);
}

/** True when some edge of some variant retried, refused a retry, or sent more tries than requests. */
export function hasRetries(output: RunOutput): boolean {
  return output.summary.variants.some((v) =>
    (v.edges ?? []).some((e) => e.retries.mean > 0 || e.retriesRejected.mean > 0 || Math.abs(e.attempts.mean - e.requests.mean) > 1e-9),
  );
}

/** True when some variant has a scheduled fault. */
export function hasFaults(output: RunOutput): boolean {
  return output.summary.variants.some((v) => (v.faults ?? []).length > 0);
}
