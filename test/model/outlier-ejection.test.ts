// Envoy outlier detection wired into the sidecars (REFERENCE §1, §2.2): what a bad pod's callers do, checked on the
// ejections each sidecar made. Single runs with fixed seeds; every expectation is a rule of Envoy's detector that holds
// exactly (grid, growth, cap, panic), not a statistical tolerance, unless a comment says otherwise.
import { describe, expect, it } from 'vitest';
import type { Pod } from '../../src/model/pod/pod.ts';
import { nullProbe, type Probe } from '../../src/model/probe.ts';
import type { EjectionRecord } from '../../src/model/sidecar/outlier.ts';
import type { ScenarioInput } from '../../src/scenario/schema.ts';
import { build, simulate, tapPods } from './helpers.ts';

type OD = NonNullable<NonNullable<ScenarioInput['trafficPolicy']>[string]['outlierDetection']>;

interface Options {
  od?: OD;
  replicas?: number;
  faults?: ScenarioInput['faults'];
  clients?: number;
  duration?: string;
  retries?: number;
}

const mesh = ({ od, replicas = 4, faults = [], clients = 1, duration = '200s', retries = 0 }: Options) =>
  build({
    name: 'od',
    seed: 11,
    duration,
    warmup: '0s',
    replications: 1,
    mesh: { dataPlane: 'sidecar', proxy: 'envoy', proxyWorkers: 1, proxyLatency: '0s' },
    network: { latency: '50us' },
    services: {
      client: { replicas: clients, calls: [{ to: 'server', rate: `${100 * clients}/s` }] },
      server: { replicas, pod: { workers: 8, queue: 100, serviceTime: { distribution: 'exponential', mean: '2ms' } } },
    },
    routes: { server: { retries: { attempts: retries } } },
    trafficPolicy: od ? { server: { outlierDetection: od } } : {},
    faults,
  });

const failing = (target: string, at = '20s', lasting?: string, inTrailers = false) => ({
  at,
  ...(lasting ? { for: lasting } : {}),
  target,
  errors: { rate: 1, status: 'UNAVAILABLE' as const, in: inTrailers ? ('trailers' as const) : ('headers' as const) },
});

const onGrid = (t: number, interval: number) => Math.abs(t / interval - Math.round(t / interval)) < 1e-9;
const of = (ejections: readonly EjectionRecord[], pod: number) => ejections.filter((e) => e.pod.index === pod);

describe('ejection timing on the sweep grid', () => {
  it('a consecutive-5xx ejection starts at the 5th failure and ends at the first sweep past base × multiplier', () => {
    const world = simulate(mesh({ od: { consecutive5xxErrors: 5, maxEjectionPercent: 100 }, faults: [failing('server/0')] }), 1);
    const ejections = of(world.outlier.ejections, 0);
    expect(ejections.length).toBeGreaterThanOrEqual(3);
    expect(world.outlier.ejections.every((e) => e.pod.index === 0)).toBe(true);
    // The first ejection happens at a response (REFERENCE §1.2: posted to the main thread at once), shortly after 20 s.
    expect(ejections[0]!.start).toBeGreaterThan(20);
    expect(ejections[0]!.start).toBeLessThan(20.5);
    ejections.forEach((e, i) => {
      if (e.end === Number.POSITIVE_INFINITY) return;
      const multiplier = i + 1; // the fault never lifts: every healthy interval is followed by another ejection
      const duration = Math.min(30 * multiplier, 300);
      expect(onGrid(e.end, 10)).toBe(true);
      expect(e.end - e.start).toBeGreaterThanOrEqual(duration);
      expect(e.end - e.start).toBeLessThan(duration + 10);
    });
  });

  it('a failure-percentage ejection starts and ends on the grid (evaluated on the previous interval only)', () => {
    const od: OD = {
      profile: 'envoy',
      consecutive5xxErrors: 0,
      maxEjectionPercent: 100,
      envoy: { enforcingSuccessRate: 0, enforcingFailurePercentage: 100, failurePercentageMinimumHosts: 4, failurePercentageRequestVolume: 20 },
    };
    const world = simulate(mesh({ od, faults: [failing('server/0', '25s')] }), 2);
    const ejections = of(world.outlier.ejections, 0);
    expect(ejections.length).toBeGreaterThan(0);
    expect(ejections.every((e) => e.kind === 'failurePercentage')).toBe(true);
    for (const e of ejections) expect(onGrid(e.start, 10)).toBe(true);
    // The fault starts at 25 s. The 30 s sweep judges [20, 30): about half of pod 0's requests failed, under the 85 %
    // threshold. The 40 s sweep judges [30, 40), all failed: the ejection starts exactly then.
    expect(ejections[0]!.start).toBe(40);
    for (const e of ejections.filter((x) => x.end < Number.POSITIVE_INFINITY)) expect(onGrid(e.end, 10)).toBe(true);
  });

  it('jitter adds at most maxEjectionTimeJitter to each ejection', () => {
    const od: OD = { consecutive5xxErrors: 5, maxEjectionPercent: 100, envoy: { maxEjectionTimeJitter: '7s' } };
    const world = simulate(mesh({ od, faults: [failing('server/0')], duration: '400s' }), 3);
    const ejections = of(world.outlier.ejections, 0).filter((e) => e.end < Number.POSITIVE_INFINITY);
    expect(ejections.length).toBeGreaterThanOrEqual(3);
    ejections.forEach((e, i) => {
      const duration = Math.min(30 * (i + 1), 300);
      expect(e.end - e.start).toBeGreaterThanOrEqual(duration);
      expect(e.end - e.start).toBeLessThan(duration + 7 + 10);
    });
  });
});

describe('the ejection cap (maxEjectionPercent)', () => {
  const bad = [failing('server/0')];
  it('the default 10 % never ejects in a cluster of 4 (current rule): detected, refused as overflow', () => {
    const world = simulate(mesh({ od: { consecutive5xxErrors: 5 }, faults: bad, duration: '60s' }), 4);
    const detector = world.outlier.clusters[0]!.detector;
    expect(world.outlier.ejections).toHaveLength(0);
    expect(detector.detected.consecutive5xx).toBeGreaterThan(0);
    // Gateway-error detections (503 is one) are counted too, and hit the cap before their 0 % enforcement is consulted.
    expect(detector.detected.consecutiveGatewayFailure).toBe(detector.detected.consecutive5xx);
    expect(detector.ejectionsOverflow).toBe(detector.detected.consecutive5xx + detector.detected.consecutiveGatewayFailure);
  });
  it('alwaysEjectOneHost and the pre-2023 rule eject the first host anyway', () => {
    for (const envoy of [{ alwaysEjectOneHost: true }, { ejectionCapRule: 'pre2023' as const }]) {
      const world = simulate(mesh({ od: { consecutive5xxErrors: 5, envoy }, faults: bad, duration: '60s' }), 4);
      expect(world.outlier.ejections.length).toBeGreaterThan(0);
    }
  });
  it('10 hosts: the default cap allows exactly one ejection at a time', () => {
    const two = [failing('server/0'), failing('server/1')];
    const world = simulate(mesh({ od: { consecutive5xxErrors: 5 }, replicas: 10, faults: two, duration: '120s' }), 5);
    const ejections = world.outlier.ejections;
    expect(ejections.length).toBeGreaterThan(0);
    for (const a of ejections) for (const b of ejections) if (a !== b) expect(a.start >= b.end || b.start >= a.end).toBe(true);
    expect(world.outlier.clusters[0]!.detector.ejectionsOverflow).toBeGreaterThan(0);
  });
});

describe('gRPC errors in trailers', () => {
  it('are invisible to outlier detection; Trailers-Only errors eject', () => {
    const od: OD = { consecutive5xxErrors: 5, maxEjectionPercent: 100 };
    const trailers = simulate(mesh({ od, faults: [failing('server/0', '20s', undefined, true)], duration: '60s' }), 6);
    const headers = simulate(mesh({ od, faults: [failing('server/0')], duration: '60s' }), 6);
    expect(trailers.outlier.ejections).toHaveLength(0);
    expect(trailers.outlier.clusters[0]!.detector.detected.consecutive5xx).toBe(0);
    expect(headers.outlier.ejections.length).toBeGreaterThan(0);
  });
});

/** Requests that reached `pod` strictly inside one of `ejections` (a 10 ms margin for requests already on the wire). */
function arrivalsWhileEjected(arrivals: { pod: Pod; at: number }[], ejections: readonly EjectionRecord[], pod: number): number {
  return arrivals.filter((a) => a.pod.index === pod && ejections.some((e) => e.pod.index === pod && a.at > e.start + 0.01 && a.at < e.end)).length;
}

describe('panic threshold and no healthy upstream', () => {
  const threeBad = [failing('server/0'), failing('server/1'), failing('server/2')];
  const run = (od: OD) => {
    const arrivals: { pod: Pod; at: number }[] = [];
    const world = simulate(mesh({ od, faults: threeBad, duration: '80s' }), 7, undefined, (w) => tapPods(w, 'server', (a) => arrivals.push(a)));
    return { world, arrivals };
  };
  it('Istio default (minHealthPercent 0): ejected hosts get nothing, even with 1 of 4 healthy', () => {
    const { world, arrivals } = run({ consecutive5xxErrors: 5, maxEjectionPercent: 100 });
    expect(of(world.outlier.ejections, 2).length).toBeGreaterThan(0);
    expect(world.outlier.panics).toHaveLength(0);
    for (const pod of [0, 1, 2]) expect(arrivalsWhileEjected(arrivals, world.outlier.ejections, pod)).toBe(0);
  });
  it('panic at 50 %: with 2 of 4 healthy (50 %) no panic; with 1 of 4 (25 %) traffic returns to ejected hosts', () => {
    const { world, arrivals } = run({ consecutive5xxErrors: 5, maxEjectionPercent: 100, minHealthPercent: 50 });
    const ejections = world.outlier.ejections;
    // Moments with exactly two ejected: no arrivals at them; with three: the balancer spreads over all four.
    const ejectedAt = (t: number) => ejections.filter((e) => e.start <= t && t < e.end).length;
    const atEjected = arrivals.filter((a) => ejections.some((e) => e.pod === a.pod && a.at > e.start + 0.01 && a.at < e.end));
    expect(atEjected.length).toBeGreaterThan(0);
    for (const a of atEjected) expect(ejectedAt(a.at - 0.01)).toBe(3);
    // The recorded panics start exactly when the third host goes (25 % healthy) and end when one comes back.
    expect(world.outlier.panics.length).toBeGreaterThan(0);
    for (const p of world.outlier.panics) {
      expect(ejectedAt(p.start)).toBe(3);
      if (p.end < Number.POSITIVE_INFINITY) expect(ejectedAt(p.end)).toBeLessThan(3);
    }
  });
  it('every host ejected with panic off: requests fail at once with UNAVAILABLE, flag UH', () => {
    const all = [failing('server/0'), failing('server/1'), failing('server/2'), failing('server/3')];
    const outcomes: string[] = [];
    const probe: Probe = { ...nullProbe, requestDone: (_rpc, outcome) => outcomes.push(outcome.flag) };
    simulate(mesh({ od: { consecutive5xxErrors: 5, maxEjectionPercent: 100 }, faults: all, duration: '40s' }), 8, probe);
    expect(outcomes.filter((f) => f === 'UH').length).toBeGreaterThan(100);
  });
});

describe('an ejection drains the sidecar connections to the host', () => {
  it('the ejected pod has no connection from the only client while ejected', () => {
    const s = mesh({ od: { consecutive5xxErrors: 5, maxEjectionPercent: 100 }, faults: [failing('server/0')], duration: '60s' });
    const open: { at: number; n: number }[] = [];
    const world = simulate(s, 9, undefined, (w) => {
      w.sim.every(1, () => open.push({ at: w.sim.now, n: w.services.get('server')!.all[0]!.connections.size }));
    });
    const first = world.outlier.ejections[0]!;
    const during = open.filter((o) => o.at > first.start + 0.5 && o.at < first.end);
    expect(during.length).toBeGreaterThan(10);
    expect(during.every((o) => o.n === 0)).toBe(true);
    expect(open.filter((o) => o.at < 20).every((o) => o.n === 1)).toBe(true);
  });
});
