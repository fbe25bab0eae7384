// A rough upper estimate of the engine events a scenario needs, to refuse a run that would take
// hours before it starts. Open loops send rate × duration requests; closed loops send at most one
// request per caller per (think time + service time); each request costs about four events.
import { type Locator, originOf } from './origin.ts';
import type { Problem } from './problems.ts';
import type { CallSpec, DistributionSpec, Scenario } from './schema.ts';

export const eventsPerRequest = 4;

/** Φ⁻¹(0.99): a lognormal's p99 is median · exp(σ · z99). */
const z99 = 2.3263478740408408;

/** Mean of a bounded Pareto on [low, high] with shape alpha (Harchol-Balter's form, rearranged to stay stable). */
function boundedParetoMean(alpha: number, low: number, high: number): number {
  const ratio = low / high;
  if (Math.abs(alpha - 1) < 1e-9) return ((high * low) / (high - low)) * Math.log(high / low);
  return ((alpha / (alpha - 1)) * low * (1 - ratio ** (alpha - 1))) / (1 - ratio ** alpha);
}

/** The mean of a distribution, in seconds. */
export function meanOf(dist: DistributionSpec): number {
  switch (dist.distribution) {
    case 'constant':
      return dist.value;
    case 'exponential':
    case 'erlang':
    case 'gamma':
      return dist.mean;
    case 'uniform':
      return (dist.min + dist.max) / 2;
    case 'lognormal': {
      if (dist.median === undefined || dist.p99 === undefined) return dist.mean ?? 0;
      const sigma = Math.log(dist.p99 / dist.median) / z99;
      return dist.median * Math.exp((sigma * sigma) / 2);
    }
    case 'pareto':
      return boundedParetoMean(dist.alpha, dist.min, dist.max);
    case 'empirical': {
      let total = 0;
      let weights = 0;
      for (const v of dist.values) {
        const [value, weight] = typeof v === 'number' ? [v, 1] : [v.value, v.weight];
        total += value * weight;
        weights += weight;
      }
      return weights > 0 ? total / weights : 0;
    }
  }
}

/** Requests one call sends in one run, at most. */
function requestsOf(call: CallSpec, scenario: Scenario): number {
  if (call.rate !== undefined) return call.rate * scenario.duration;
  if (call.schedule !== undefined) return Math.max(0, ...call.schedule.map((s) => s.rate)) * scenario.duration;
  if (call.concurrency === undefined) return 0;
  const serviceTime = scenario.services[call.to]?.pod?.serviceTime;
  const cycle = (call.thinkTime ? meanOf(call.thinkTime) : 0) + (serviceTime ? meanOf(serviceTime) : 0);
  return (call.concurrency * scenario.duration) / Math.max(cycle, 1e-6);
}

/**
 * Flow level: each client's connections to each destination pod open once per lifetime (or once), each client is
 * brought up to date once per window, and each workload renews about twice a lifetime; RPCs cost no events.
 */
function flowEvents(scenario: Scenario): number {
  let events = 0;
  let workloads = 0;
  for (const service of Object.values(scenario.services)) {
    workloads += service.replicas;
    for (const call of service.calls) {
      const dest = scenario.services[call.to];
      const pods = scenario.mesh.dataPlane === 'sidecar' ? (dest?.replicas ?? 1) : call.connections;
      const age = scenario.trafficPolicy[call.to]?.connectionPool.tcp.maxConnectionDuration ?? dest?.server.maxConnectionAge ?? scenario.duration;
      events += service.replicas * (pods * (scenario.duration / Math.min(age, scenario.duration) + 1) + scenario.duration / scenario.window);
    }
  }
  return events + (workloads * (4 * scenario.duration)) / scenario.identity.certTtl;
}

/** Engine events for all calls × replications × `variants`, a rough upper estimate. */
export function estimateEvents(scenario: Scenario, variants: number): number {
  if (scenario.traffic.mode === 'flows') return flowEvents(scenario) * scenario.replications * variants;
  let requests = 0;
  for (const service of Object.values(scenario.services)) for (const call of service.calls) requests += requestsOf(call, scenario);
  return requests * eventsPerRequest * scenario.replications * variants;
}

const short = (n: number) => (n >= 1e6 ? n.toExponential(1).replace('e+', 'e') : String(Math.round(n)));

/** `n` rounded up to two significant digits, for a suggested maxEvents. */
function roundUp(n: number): number {
  const unit = 10 ** (Math.floor(Math.log10(n)) - 1);
  return Math.ceil(n / unit) * unit;
}

/**
 * A problem when the estimate exceeds `scenario.maxEvents`, at `maxEvents` (or `duration` when the file
 * does not set it). `variants` is a count (same workload each) or the variants' own scenarios. A scenario
 * from loadScenario knows its file; otherwise pass `locate`.
 */
export function checkBudget(scenario: Scenario, variants: number | readonly Scenario[], locate?: Locator): Problem | undefined {
  const count = typeof variants === 'number' ? variants : variants.length;
  const estimate = typeof variants === 'number' ? estimateEvents(scenario, variants) : variants.reduce((sum, v) => sum + estimateEvents(v, 1), 0);
  if (!(estimate > scenario.maxEvents)) return undefined;
  const at = locate ?? originOf(scenario) ?? (() => undefined);
  const path = at(['maxEvents']) ? 'maxEvents' : 'duration';
  const where = at([path]) ?? { file: 'scenario', line: 0, col: 0 };
  const runs = `${count} variant${count === 1 ? '' : 's'} × ${scenario.replications} replication${scenario.replications === 1 ? '' : 's'}`;
  const message =
    `this scenario needs about ${short(estimate)} events (${runs}), more than maxEvents = ${short(scenario.maxEvents)}; ` +
    `shorten duration, lower rates, concurrency or replications, or raise maxEvents to ${short(roundUp(estimate))}`;
  return { ...where, path, message };
}
