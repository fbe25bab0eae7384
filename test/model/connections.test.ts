// HTTP/2 connection life cycle (REFERENCE §7, gRFC A9, Envoy connection pools): server max age with
// ±10% jitter, per-connection request limits, the stream limit, and what scaling does to connections.
// Every scenario here is built so that the quantity checked is exact or bracketed deterministically:
// closed-loop users with constant think and service times, zero network latency (so connecting costs
// no time either: connectDelay = connectRtts · 2 · latency = 0), and enough pod workers that nobody queues
// unless the test wants it.
import { describe, expect, it } from 'vitest';
import type { Pod } from '../../src/model/pod/pod.ts';
import { nullProbe } from '../../src/model/probe.ts';
import type { Rpc } from '../../src/model/rpc.ts';
import { Status } from '../../src/model/status.ts';
import type { ScenarioInput } from '../../src/scenario/schema.ts';
import { type Arrival, build, meanCi99, simulate, study, tapConnections, tapPods } from './helpers.ts';

const constant = (value: string) => ({ distribution: 'constant' as const, value });

/** `clients` client pods with one closed-loop user each (think 1 ms), on `pods` pods serving in 1 ms with a worker per client. */
function cycling(clients: number, pods: number, extra: { maxConnectionAge?: string; duration?: string; warmup?: string; replications?: number } = {}) {
  return {
    name: 'cycling',
    seed: 21,
    duration: extra.duration ?? '10.25s',
    warmup: extra.warmup ?? '250ms',
    replications: extra.replications ?? 30,
    network: { latency: '0s' },
    services: {
      client: { replicas: clients, calls: [{ to: 'server', concurrency: clients, thinkTime: constant('1ms') }] },
      server: {
        replicas: pods,
        pod: { workers: clients, queue: 100, serviceTime: constant('1ms') },
        server: extra.maxConnectionAge ? { maxConnectionAge: extra.maxConnectionAge } : {},
      },
    },
  };
}

describe('server MAX_CONNECTION_AGE (gRFC A9, ±10% jitter)', () => {
  // age 250 ms over a measured 10 s: 40 periods per connection.
  const AGE = 0.25;
  const T = 10;
  const CLIENTS = 6;
  const PODS = 10;

  it('each connection lives age × U(0.9, 1.1): lifetimes in range, uniform, mean = age', () => {
    const s = build(cycling(CLIENTS, PODS, { maxConnectionAge: '250ms' }));
    let log: ReturnType<typeof tapConnections> | undefined;
    simulate(s, 5, undefined, (world) => (log = tapConnections(world, 'server')));
    // The age timer starts when the connection is ready (at once here); at GOAWAY the one user's request
    // may still be in service, so the connection closes at most one service time (1 ms) later.
    const drain = 0.001;
    const lives = [...log!.values()].filter((c) => c.closed !== undefined && c.opened > 0.1 && c.closed < s.duration).map((c) => (c.closed! - c.opened) / AGE);
    expect(lives.length).toBeGreaterThan(CLIENTS * 35);
    for (const x of lives) {
      expect(x).toBeGreaterThanOrEqual(0.9 - 1e-9);
      expect(x).toBeLessThanOrEqual(1.1 + drain / AGE + 1e-9);
    }
    // Mean of U(0.9, 1.1) is 1 (plus at most drain/age from the drain): inside the 99% CI of the lifetimes' mean.
    const { mean, half } = meanCi99(lives);
    expect(1).toBeGreaterThanOrEqual(mean - half - drain / AGE);
    expect(1).toBeLessThanOrEqual(mean + half);
    // Uniform over the whole ±10%: Kolmogorov–Smirnov against U(0.9, 1.1), critical value 1.63/√n at
    // α = 1%, plus the drain's shift of at most (1 ms / 250 ms) / 0.2 = 0.02 of the CDF.
    const sorted = [...lives].sort((a, b) => a - b);
    const n = sorted.length;
    let d = 0;
    sorted.forEach((x, i) => {
      const cdf = Math.min(1, Math.max(0, (x - 0.9) / 0.2));
      d = Math.max(d, Math.abs(cdf - i / n), Math.abs(cdf - (i + 1) / n));
    });
    expect(d).toBeLessThan(1.63 / Math.sqrt(n) + drain / AGE / 0.2);
  });

  it('connectionsOpened ≈ clients × measured/age, inside the bracket the jitter allows', async () => {
    const { v, runs } = await study(cycling(CLIENTS, PODS, { maxConnectionAge: '250ms', replications: 10 }));
    // Successive opens on one client's slot are a lifetime (0.9·age … 1.1·age + 1 ms drain) plus the wait
    // for the user's next request (≤ 1 ms think) apart: gaps in [a_min, a_max] = [0.9·age, 1.1·age + 2 ms].
    // A window of length T then holds between ⌊T/a_max⌋ and ⌊T/a_min⌋ + 1 opens of each client, whatever
    // the jitter draws: [36, 45] per client against the nominal T/age = 40.
    const aMin = 0.9 * AGE;
    const aMax = 1.1 * AGE + 0.002;
    const lo = CLIENTS * Math.floor(T / aMax);
    const hi = CLIENTS * (Math.floor(T / aMin) + 1);
    expect(lo).toBeLessThanOrEqual((CLIENTS * T) / AGE);
    expect(hi).toBeGreaterThanOrEqual((CLIENTS * T) / AGE);
    for (const r of runs) {
      expect(r.connectionsOpened).toBeGreaterThanOrEqual(lo);
      expect(r.connectionsOpened).toBeLessThanOrEqual(hi);
    }
    // The mean: each gap's conditional mean is age·E[J] + (drain + wait) ∈ [μmin, μmax] = [age, age + 2 ms]
    // (E[J] = 1). By Wald's identity for the first open after t, S_τ(t) ∈ (t, t + a_max] with the first open
    // at s0 = 1 ms, E[τ(t)] ∈ [(t − s0)/μmax, (t + a_max − s0)/μmin]; the window's expected count per client
    // is E[τ(W+T)] − E[τ(W)]. Its replication mean must be consistent with that (99% CI).
    const W = 0.25;
    const s0 = 0.001;
    const muMin = AGE;
    const muMax = AGE + 0.002;
    const expLo = CLIENTS * ((W + T - s0) / muMax - (W + aMax - s0) / muMin);
    const expHi = CLIENTS * ((W + T + aMax - s0) / muMin - (W - s0) / muMax);
    const { mean, half } = meanCi99(runs.map((r) => r.connectionsOpened));
    expect(mean + half).toBeGreaterThanOrEqual(expLo);
    expect(mean - half).toBeLessThanOrEqual(expHi);
    expect(v.metrics.connectionsOpened.mean).toBe(mean);
  });

  it('per-pod connections even out over time: no idle pods, and the spread of per-pod connections drops like age/T', async () => {
    const pinned = await study(cycling(CLIENTS, PODS));
    const cycled = await study(cycling(CLIENTS, PODS, { maxConnectionAge: '250ms' }));
    // Pinned: each client's connection stays on its pod the whole run; a pod is idle w.p. (1 − 1/m)^k = 0.53.
    // Cycled: a pod is missed by all k·40 connections w.p. 0.9^240 ≈ 1e-11: never idle.
    expect(pinned.v.metrics.idlePodFraction.mean).toBeGreaterThan(0.3);
    for (const r of cycled.runs) expect(r.pods.every((p) => p.requests > 0)).toBe(true);
    expect(cycled.v.metrics.idlePodFraction.mean).toBe(0);

    // Mean squared deviation of the pods' time-averaged open connections from their mean, per replication.
    const msd = (runs: typeof pinned.runs) =>
      runs.map((r) => {
        const c = r.pods.map((p) => p.connections);
        const mean = c.reduce((a, b) => a + b, 0) / c.length;
        return c.reduce((a, b) => a + (b - mean) ** 2, 0) / c.length;
      });
    // Pinned: the counts are multinomial(k; 1/m), Σ_j Var(c_j) = k(1 − 1/m), so E[MSD] = k(1 − 1/m)/m = 0.54 exactly.
    const k = CLIENTS;
    const m = PODS;
    const pinnedMsd = meanCi99(msd(pinned.runs));
    const theoryPinned = (k * (1 - 1 / m)) / m;
    expect(Math.abs(pinnedMsd.mean - theoryPinned)).toBeLessThanOrEqual(pinnedMsd.half);
    // Cycled: client i spends fractions L_s/T of the window on independently, uniformly drawn pods, so
    // Var(its time on pod j) = (1/m)(1 − 1/m) Σ_s L_s²/T² ≤ (1/m)(1 − 1/m) · max L / T, and max L ≤ 1.1·age + 1 ms.
    // Hence E[MSD] ≤ k(1 − 1/m)/m · (1.1·age + 1 ms)/T = 0.54 · 0.0276 ≈ 0.0149, a 36-fold drop.
    const bound = theoryPinned * ((1.1 * AGE + 0.001) / T);
    const cycledMsd = meanCi99(msd(cycled.runs));
    expect(cycledMsd.mean - cycledMsd.half).toBeLessThanOrEqual(bound);
    expect(cycledMsd.mean).toBeLessThan(theoryPinned / 20);
  });
});

describe('Envoy maxRequestsPerConnection (trafficPolicy connectionPool.http)', () => {
  const input = {
    name: 'max-requests',
    seed: 4,
    duration: '2s',
    warmup: '100ms',
    replications: 3,
    network: { latency: '0s' },
    mesh: { dataPlane: 'sidecar' as const, proxyWorkers: 1, proxyLatency: '0s' },
    trafficPolicy: { server: { connectionPool: { http: { maxRequestsPerConnection: 10 } } } },
    services: {
      client: { calls: [{ to: 'server', concurrency: 1, thinkTime: constant('1ms') }] },
      server: { pod: { workers: 1, queue: 10, serviceTime: constant('1ms') } },
    },
  };

  it('every tenth request opens a new connection: opened = requests/10 (±1 at the window edges)', async () => {
    const { runs } = await study(input);
    for (const r of runs) {
      // The counted requests are consecutive requests of one user; opens happen at requests 1, 11, 21, …
      // of the run, so a window of R consecutive requests holds ⌊R/10⌋ or ⌈R/10⌉ of them.
      expect(r.requests).toBeGreaterThan(900);
      expect(r.connectionsOpened).toBeGreaterThanOrEqual(Math.floor(r.requests / 10));
      expect(r.connectionsOpened).toBeLessThanOrEqual(Math.ceil(r.requests / 10));
    }
  });

  it('each proxy connection carries exactly 10 requests; the request after the tenth opens the next', () => {
    const s = build(input);
    const perConnection = new Map<unknown, number>();
    let pod: Pod | undefined;
    const opensAt: number[] = [];
    simulate(s, 9, undefined, (world) => {
      pod = world.services.get('server')!.all[0]!;
      tapPods(world, 'server', (a) => perConnection.set(a.conn, (perConnection.get(a.conn) ?? 0) + 1));
      const opened = pod.connectionOpened.bind(pod);
      pod.connectionOpened = (conn) => {
        opensAt.push(pod!.arrivals);
        opened(conn);
      };
    });
    // Arrivals at the pod when each connection opened: 0, 10, 20, …
    expect(opensAt.length).toBeGreaterThanOrEqual(99); // 1000 requests of 2 ms each
    opensAt.forEach((arrivals, i) => {
      expect(arrivals).toBe(10 * i);
    });
    const counts = [...perConnection.values()];
    expect(counts.slice(0, -1).every((c) => c === 10)).toBe(true);
    expect(counts.at(-1)!).toBeLessThanOrEqual(10);
    // At most one connection is open at a time: a drained one closes when its tenth response is back.
    expect(pod!.connections.size).toBeLessThanOrEqual(1);
  });
});

describe('SETTINGS_MAX_CONCURRENT_STREAMS', () => {
  const closedLoop = (maxConcurrentStreams?: number) => ({
    name: 'streams',
    seed: 8,
    duration: '2s',
    warmup: '100ms',
    replications: 2,
    network: { latency: '0s' },
    services: {
      client: { calls: [{ to: 'server', concurrency: 4 }] },
      server: { pod: { workers: 4, queue: 100, serviceTime: constant('1ms') }, server: maxConcurrentStreams ? { maxConcurrentStreams } : {} },
    },
  });

  it('with a limit of 1 the RPCs wait on the client: the 4-worker pod serves one at a time', async () => {
    // 4 users, no think time, one connection. Unlimited: all 4 are served at once, X = 4/S = 4000/s,
    // R = S = 1 ms, utilization 1. Limited to one stream: the pod is a single busy server, X = 1/S = 1000/s,
    // and by Little's law R = N/X = 4 ms for every request after the first round; utilization 1/4.
    // X·T counts requests started in the window, so it is within N = 4 of T/S: |X − 1000| ≤ 4/T.
    const free = await study(closedLoop());
    const one = await study(closedLoop(1));
    const T = 1.9;
    expect(Math.abs(free.v.metrics.throughputRps.mean - 4000)).toBeLessThanOrEqual(4 / T + 1e-9);
    expect(free.v.metrics.latencyMs.mean.mean).toBeCloseTo(1, 9);
    expect(free.v.pods[0]!.utilization.mean).toBeCloseTo(1, 3);
    expect(Math.abs(one.v.metrics.throughputRps.mean - 1000)).toBeLessThanOrEqual(4 / T + 1e-9);
    expect(one.v.metrics.latencyMs.mean.mean).toBeCloseTo(4, 9);
    // Percentiles come from an HdrHistogram with 3 significant digits: exact up to 0.1%.
    expect(Math.abs(one.v.metrics.latencyMs.p99.mean - 4)).toBeLessThanOrEqual(4e-3);
    expect(one.v.pods[0]!.utilization.mean).toBeCloseTo(0.25, 3);
  });

  it('the pod never holds more than one request of the connection', () => {
    const s = build(closedLoop(1));
    const seen: Arrival[] = [];
    simulate(s, 1, undefined, (world) => tapPods(world, 'server', (a) => seen.push(a)));
    expect(seen.length).toBeGreaterThan(1900);
    expect(Math.max(...seen.map((a) => a.inPod))).toBe(0);
  });

  // MODEL BUG (see the report): the deadline does not reach the client transport. A gRPC client gives
  // up on an RPC at its deadline: one still waiting for a stream slot fails without ever being sent
  // (grpc-go NewStream waits for quota under the RPC's context), and one in flight is cancelled with
  // RST_STREAM, which frees its slot at once. The model's Connection keeps both until the response.
  const withDeadline = (users: number, podWorkers: number, deadline: string, service: string): ScenarioInput => ({
    name: 'streams-deadline',
    seed: 8,
    duration: '1s',
    network: { latency: '0s' },
    services: {
      client: { calls: [{ to: 'server', concurrency: users, deadline }] },
      server: { pod: { workers: podWorkers, queue: 100, serviceTime: constant(service) }, server: { maxConcurrentStreams: 1 } },
    },
  });

  it('an RPC whose deadline passes while it waits for a stream slot is never sent to the server', () => {
    // 4 users, 10 ms service, 25 ms deadline, one stream at a time: the fourth RPC of the first round
    // waits 30 ms for the slot and is dead at 25 ms. Expected: no request reaches the pod at or after its
    // deadline. The model sends them all anyway: ~159 of ~162 arrivals are already past their deadline,
    // and the pod spends its whole time on work nobody waits for.
    const seen: Arrival[] = [];
    simulate(build(withDeadline(4, 1, '25ms', '10ms')), 1, undefined, (world) => tapPods(world, 'server', (a) => seen.push(a)));
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.filter((a) => a.at >= a.rpc.deadline)).toHaveLength(0);
  });

  it('an RPC cancelled at its deadline frees its stream slot at once (RST_STREAM)', () => {
    // One user, 5 ms deadline, 10 ms service on a 2-worker pod: each RPC is cancelled at 5 ms, which
    // frees the only slot, so the user's next RPC is sent the moment it is issued. The model holds the
    // slot until the response at 10 ms, so every next RPC waits 5 ms on the client (and is dead on arrival).
    const seen: Arrival[] = [];
    simulate(build(withDeadline(1, 2, '5ms', '10ms')), 1, undefined, (world) => tapPods(world, 'server', (a) => seen.push(a)));
    expect(seen.length).toBeGreaterThan(100);
    for (const a of seen) expect(a.at).toBe(a.rpc.start);
  });
});

describe('scaling', () => {
  it('scaling down sends GOAWAY on the removed pods’ connections; their clients reconnect to the pods that remain', () => {
    // 20 clients, one connection each, on 10 pods; at 1 s the service scales to 5 (pods 5–9 go).
    const input = {
      ...cycling(20, 10, { duration: '2s', warmup: '500ms' }),
      events: [{ at: '1s', scale: { server: 5 } }],
    };
    const s = build(input);
    for (const seed of [1, 2, 3]) {
      const outcomes: number[] = [];
      let log: ReturnType<typeof tapConnections> | undefined;
      const arrivals: Arrival[] = [];
      const world = simulate(s, seed, { ...nullProbe, requestDone: (_rpc: Rpc, o) => outcomes.push(o.status) }, (w) => {
        log = tapConnections(w, 'server');
        tapPods(w, 'server', (a) => arrivals.push(a));
      });
      const removed = (pod: Pod) => pod.index >= 5;
      const conns = [...log!.values()];
      const hit = conns.filter((c) => removed(c.pod) && c.opened < 1);
      expect(hit.length).toBeGreaterThan(0);
      // Each closed within one service time of the GOAWAY (the request in flight finishes first).
      for (const c of hit) {
        expect(c.closed).toBeDefined();
        expect(c.closed!).toBeGreaterThanOrEqual(1);
        expect(c.closed!).toBeLessThanOrEqual(1.001 + 1e-9);
      }
      // No request reaches a removed pod after the event, and nothing failed on the way.
      expect(arrivals.filter((a) => removed(a.pod) && a.at > 1)).toHaveLength(0);
      expect(outcomes.every((o) => o === Status.OK)).toBe(true);
      // Exactly the clients that lost their pod opened a new connection, each to a remaining pod.
      const reopened = conns.filter((c) => c.opened >= 1);
      expect(reopened).toHaveLength(hit.length);
      expect(reopened.every((c) => !removed(c.pod))).toBe(true);
      expect(world.stats.connectionsOpened).toBe(hit.length);
      const live = world.services.get('server')!.current;
      expect(live.reduce((n, p) => n + p.connections.size, 0)).toBe(20);
    }
  });

  const scaleUp = (mesh: ScenarioInput['mesh'], trafficPolicy: ScenarioInput['trafficPolicy'] = {}): ScenarioInput => ({
    name: 'scale-up',
    seed: 13,
    duration: '1.5s',
    warmup: '1s',
    replications: 5,
    network: { latency: '0s' },
    mesh,
    trafficPolicy,
    events: [{ at: '1s', scale: { server: 10 } }],
    services: {
      client: { replicas: 6, calls: [{ to: 'server', rate: '3000/s' }] },
      server: { replicas: 5, pod: { workers: 4, queue: 1000, serviceTime: { distribution: 'exponential' as const, mean: '1ms' } } },
    },
  });

  it('scaling up under L4 leaves the new pods without a single request: the connections stay where they are', async () => {
    // The warm-up ends at the scale-up, so only requests after it count.
    const { v, runs } = await study(scaleUp({ dataPlane: 'none' }));
    for (const r of runs) {
      expect(r.pods).toHaveLength(10);
      for (const p of r.pods.filter((p) => p.pod >= 5)) expect(p.requests).toBe(0);
    }
    expect(v.metrics.idlePodFraction.mean).toBeGreaterThanOrEqual(0.5);
  });

  it('scaling up under a sidecar gives the new pods their share at once (ROUND_ROBIN: within one request per worker)', async () => {
    // Each client pod's one app connection is bound to one proxy worker, so 6 workers balance. A worker's
    // rotation over the 10 pods gives each within 1 of its requests/10; summed, every pod is within 6 of R/10.
    // A new pod serves once it holds its first certificate: with an instant CA it joins at the scale-up itself.
    const scenario = { ...scaleUp({ dataPlane: 'sidecar' }, { server: { loadBalancer: { simple: 'ROUND_ROBIN' } } }), identity: { ca: { signingTime: '0s' } } };
    const { runs } = await study(scenario);
    for (const r of runs) {
      const total = r.pods.reduce((a, p) => a + p.requests, 0);
      expect(total).toBe(r.requests);
      for (const p of r.pods) expect(Math.abs(p.requests - total / 10)).toBeLessThanOrEqual(6);
    }
  });
});
