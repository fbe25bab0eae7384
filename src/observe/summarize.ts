// From the results of every replication of every variant to the summary contract and tidy tables:
// each figure is computed per replication first, then averaged with its confidence interval.
import { identityTables, summarizeIdentity } from './identity-summary.ts';
import type { RunResult, SubsetResult } from './run-result.ts';
import { figure } from './stats.ts';
import type {
  EdgeTimeSeriesRow,
  EjectionRow,
  FaultWindow,
  GaugeTimeSeriesRow,
  PanicRow,
  PodRow,
  PodSummary,
  PodTimeSeriesRow,
  SubsetSummary,
  Summary,
  Tables,
  TimeSeriesRow,
  VariantSummary,
} from './types.ts';

export interface SummaryHeader {
  scenario: string;
  title: string;
  seed: number;
  replications: number;
  duration: number;
  warmup: number;
}

/** Requests per pod, grouped by destination service, in pod order. */
function requestsByService(run: RunResult): Map<string, number[]> {
  const by = new Map<string, number[]>();
  for (const p of run.pods) {
    const list = by.get(p.service) ?? [];
    list[p.pod] = p.requests;
    by.set(p.service, list);
  }
  return by;
}

/** The busiest pod's requests over the mean pod's, for the worst destination service that served any. */
export function podLoadMaxOverMean(run: RunResult): number {
  let worst = Number.NaN;
  for (const counts of requestsByService(run).values()) {
    const total = counts.reduce((a, b) => a + b, 0);
    if (total === 0) continue;
    const ratio = Math.max(...counts) / (total / counts.length);
    if (!(ratio <= worst)) worst = ratio;
  }
  return worst;
}

/** Pods that served under 1% of a fair share of their service's requests, over all pods of serving services. */
export function idlePodFraction(run: RunResult): number {
  let idle = 0;
  let pods = 0;
  for (const counts of requestsByService(run).values()) {
    const total = counts.reduce((a, b) => a + b, 0);
    if (total === 0) continue;
    const fair = total / counts.length;
    pods += counts.length;
    idle += counts.filter((c) => c < 0.01 * fair).length;
  }
  return pods === 0 ? Number.NaN : idle / pods;
}

/** Per subset: requests, share of its service's subsets' requests, success rate; each figure over replications. */
function summarizeSubsets(runs: readonly RunResult[]): SubsetSummary[] {
  const first = runs[0] as RunResult;
  return (first.subsets ?? []).map((s, i) => {
    const at = (r: RunResult) => r.subsets[i] as SubsetResult;
    const served = (r: RunResult) => r.subsets.filter((q) => q.service === s.service).reduce((n, q) => n + q.requests, 0);
    return {
      service: s.service,
      subset: s.subset,
      countedAt: s.countedAt,
      requests: figure(runs.map((r) => at(r).requests)),
      share: figure(runs.map((r) => (served(r) === 0 ? 0 : at(r).requests / served(r)))),
      successRate: figure(runs.map((r) => (at(r).requests === 0 ? Number.NaN : at(r).ok / at(r).requests))),
    };
  });
}

function summarizeVariant(name: string, runs: readonly RunResult[], faults: FaultWindow[]): VariantSummary {
  const f = (get: (r: RunResult) => number) => figure(runs.map(get));
  const statuses = [...new Set(runs.flatMap((r) => Object.keys(r.statusCounts)))].sort();
  const statusCounts = Object.fromEntries(statuses.map((s) => [s, f((r) => r.statusCounts[s] ?? 0)]));
  const first = runs[0] as RunResult;
  const identity = summarizeIdentity(runs);
  const pods: PodSummary[] = first.pods.map((p, i) => {
    const share = (r: RunResult) => {
      const served = r.pods.filter((q) => q.service === p.service).reduce((a, q) => a + q.requests, 0);
      return served === 0 ? 0 : (r.pods[i]?.requests ?? 0) / served;
    };
    return {
      service: p.service,
      pod: p.pod,
      ...(p.subset === undefined ? {} : { subset: p.subset }),
      requests: f((r) => r.pods[i]?.requests ?? 0),
      share: f(share),
      utilization: f((r) => r.pods[i]?.utilization ?? 0),
      connections: f((r) => r.pods[i]?.connections ?? 0),
      ready: f((r) => r.pods[i]?.ready ?? 0),
      ...(p.ejections === undefined
        ? {}
        : {
            ejections: f((r) => r.pods[i]?.ejections ?? 0),
            ejectedSeconds: f((r) => r.pods[i]?.ejectedSeconds ?? 0),
            longestEjectionSeconds: f((r) => r.pods[i]?.longestEjectionSeconds ?? 0),
          }),
    };
  });
  return {
    name,
    metrics: {
      requests: f((r) => r.requests),
      throughputRps: f((r) => r.requests / r.measured),
      successRate: f((r) => (r.requests === 0 ? Number.NaN : (r.statusCounts.OK ?? 0) / r.requests)),
      latencyMs: {
        mean: f((r) => r.latencyMs.mean),
        p50: f((r) => r.latencyMs.p50),
        p90: f((r) => r.latencyMs.p90),
        p99: f((r) => r.latencyMs.p99),
        p999: f((r) => r.latencyMs.p999),
      },
      queueWaitMs: { mean: f((r) => r.queueWaitMs.mean), p99: f((r) => r.queueWaitMs.p99) },
      statusCounts,
      podLoadMaxOverMean: f(podLoadMaxOverMean),
      events: f((r) => r.events),
      connectionsOpened: f((r) => r.connectionsOpened),
      idlePodFraction: f(idlePodFraction),
      proxyCpuCores: f((r) => r.proxyCpuSeconds / r.measured),
      proxyMemoryMb: f((r) => r.proxyMemoryMb),
      attemptsPerRequest: f((r) => {
        const entry = r.edges.filter((e) => e.entry);
        const requests = entry.reduce((n, e) => n + e.requests, 0);
        return requests === 0 ? Number.NaN : entry.reduce((n, e) => n + e.attempts, 0) / requests;
      }),
      goodputRps: f((r) => r.edges.filter((e) => e.entry).reduce((n, e) => n + e.ok, 0) / r.measured),
    },
    pods,
    faults,
    subsets: summarizeSubsets(runs),
    ...(identity ? { identity } : {}),
    ...(first.mode === 'flows' ? { mode: 'flows' as const } : {}),
    edges: first.edges.map((edge, i) => {
      const at = (r: RunResult) => r.edges[i] as RunResult['edges'][number];
      const keys = (pick: (e: RunResult['edges'][number]) => Record<string, number>) =>
        Object.fromEntries([...new Set(runs.flatMap((r) => Object.keys(pick(at(r)))))].sort().map((k) => [k, f((r) => pick(at(r))[k] ?? 0)]));
      return {
        from: edge.from,
        to: edge.to,
        entry: edge.entry,
        requests: f((r) => at(r).requests),
        attempts: f((r) => at(r).attempts),
        retries: f((r) => at(r).retries),
        retriesRejected: f((r) => at(r).retriesRejected),
        overflows: f((r) => at(r).overflows),
        successRate: f((r) => (at(r).requests === 0 ? Number.NaN : at(r).ok / at(r).requests)),
        statusCounts: keys((e) => e.statusCounts),
        flagCounts: keys((e) => e.flagCounts),
        ...(edge.ejectionsDetected === undefined
          ? {}
          : {
              ejectionsDetected: f((r) => at(r).ejectionsDetected ?? 0),
              ejectionsEnforced: f((r) => at(r).ejectionsEnforced ?? 0),
              ejectionsOverflow: f((r) => at(r).ejectionsOverflow ?? 0),
              panicSeconds: f((r) => at(r).panicSeconds ?? 0),
            }),
      };
    }),
  };
}

/** Builds the summary from runs grouped by variant (in variant order, replications in order). */
export function summarize(header: SummaryHeader, variants: readonly { name: string; runs: readonly RunResult[]; faults?: FaultWindow[] }[]): Summary {
  return { ...header, variants: variants.map((v) => summarizeVariant(v.name, v.runs, v.faults ?? [])) };
}

/** The tidy tables behind data/*.csv and the charts. */
export function tabulate(variants: readonly { name: string; runs: readonly RunResult[] }[]): Tables {
  const timeseries: TimeSeriesRow[] = [];
  const pods: PodRow[] = [];
  const podTimeseries: PodTimeSeriesRow[] = [];
  const edgeTimeseries: EdgeTimeSeriesRow[] = [];
  const gaugeTimeseries: GaugeTimeSeriesRow[] = [];
  const ejections: EjectionRow[] = [];
  const panics: PanicRow[] = [];
  const identity: Pick<Tables, 'identityTimeseries' | 'certificates' | 'handshakeFailures'> = {
    identityTimeseries: [],
    certificates: [],
    handshakeFailures: [],
  };
  for (const v of variants) {
    for (const r of v.runs) {
      const id = identityTables(v.name, r);
      identity.identityTimeseries.push(...id.identityTimeseries);
      identity.certificates.push(...id.certificates);
      identity.handshakeFailures.push(...id.handshakeFailures);
      for (const w of r.timeseries) timeseries.push({ variant: v.name, replication: r.replication, ...w });
      for (const w of r.podTimeseries) podTimeseries.push({ variant: v.name, replication: r.replication, ...w });
      for (const w of r.edgeTimeseries) edgeTimeseries.push({ variant: v.name, replication: r.replication, ...w });
      for (const w of r.gaugeTimeseries) gaugeTimeseries.push({ variant: v.name, replication: r.replication, ...w });
      for (const e of r.ejections ?? []) ejections.push({ variant: v.name, replication: r.replication, ...e });
      for (const p of r.panics ?? []) panics.push({ variant: v.name, replication: r.replication, ...p });
      const served = new Map<string, number>();
      for (const p of r.pods) served.set(p.service, (served.get(p.service) ?? 0) + p.requests);
      for (const p of r.pods) {
        const total = served.get(p.service) ?? 0;
        pods.push({
          variant: v.name,
          replication: r.replication,
          service: p.service,
          pod: p.pod,
          requests: p.requests,
          share: total === 0 ? 0 : p.requests / total,
          utilization: p.utilization,
          connections: p.connections,
          ready: p.ready,
        });
      }
    }
  }
  return { timeseries, pods, podTimeseries, edgeTimeseries, gaugeTimeseries, ejections, panics, ...identity };
}
