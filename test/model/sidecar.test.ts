// The Envoy sidecar (REFERENCE §2.1 threading, §8 costs): each worker thread balances on its own —
// its own rotation, its own active-request counts, its own connections to every pod — and the app's
// downstream connections are each bound to one worker. Consistent hashing on a header pins a header
// value to a pod. And what the proxies cost: CPU per request through both proxies, memory per pod,
// and their latency, which adds to every request exactly (request and response path of two proxies).
import { describe, expect, it } from 'vitest';
import type { Connection } from '../../src/model/transport/connection.ts';
import type { ScenarioInput } from '../../src/scenario/schema.ts';
import { expectBinomial } from './balancer/helpers.ts';
import { type Arrival, build, recorder, simulate, study, tapPods } from './helpers.ts';

const constant = (value: string) => ({ distribution: 'constant' as const, value });

/** One client pod whose app has `connections` connections to its sidecar, `workers` proxy workers, `pods` pods. */
function mesh(opts: {
  workers: number;
  connections: number;
  users: number;
  pods: number;
  podWorkers: number;
  lb: NonNullable<ScenarioInput['trafficPolicy']>[string]['loadBalancer'];
  think?: string;
}) {
  return {
    name: 'sidecar',
    seed: 3,
    duration: '2s',
    warmup: '0s',
    replications: 1,
    network: { latency: '0s' },
    mesh: { dataPlane: 'sidecar' as const, proxyWorkers: opts.workers, proxyLatency: '0s' },
    trafficPolicy: { server: { loadBalancer: opts.lb } },
    services: {
      client: {
        calls: [{ to: 'server', concurrency: opts.users, connections: opts.connections, ...(opts.think ? { thinkTime: constant(opts.think) } : {}) }],
      },
      server: { replicas: opts.pods, pod: { workers: opts.podWorkers, queue: 100, serviceTime: constant('1ms') } },
    },
  };
}

/** Arrivals at the pods of one run, in request-id order. */
function arrivals(input: ReturnType<typeof mesh>, seed: number): Arrival[] {
  const seen: Arrival[] = [];
  simulate(build(input), seed, undefined, (world) => tapPods(world, 'server', (a) => seen.push(a)));
  return seen.sort((a, b) => a.rpc.id - b.rpc.id);
}

/** The app's round robin over its 2 connections sends even ids to one and odd ids to the other. */
const byConnection = (seen: Arrival[]) => [seen.filter((a) => a.rpc.id % 2 === 0), seen.filter((a) => a.rpc.id % 2 === 1)] as const;

/** Whether the two halves went through different proxy workers: a worker's upstream connections are its own. */
const separateWorkers = (seen: Arrival[]) => {
  const [even, odd] = byConnection(seen).map((half) => new Set<Connection>(half.map((a) => a.conn)));
  return [...even!].every((c) => !odd!.has(c));
};

describe('each proxy worker balances on what it sees', () => {
  it('ROUND_ROBIN with 2 workers: each worker runs its own rotation from its own start; the pods still get even shares', () => {
    // One user (think 1 ms) whose requests alternate over the app's 2 connections. Which worker each
    // connection is bound to is drawn at random, so some seeds put both on one worker: those are skipped.
    const PODS = 5;
    const input = mesh({ workers: 2, connections: 2, users: 1, pods: PODS, podWorkers: 1, lb: { simple: 'ROUND_ROBIN' }, think: '1ms' });
    const offsets = new Set<number>();
    let used = 0;
    for (let seed = 1; seed <= 12; seed++) {
      const seen = arrivals(input, seed);
      if (!separateWorkers(seen)) continue;
      used++;
      const [even, odd] = byConnection(seen);
      // Each worker's picks are a rotation: pod(t) = (start + t) mod 5, with its own start.
      for (const half of [even!, odd!]) {
        const start = half[0]!.pod.index;
        half.forEach((a, t) => {
          expect(a.pod.index).toBe((start + t) % PODS);
        });
      }
      offsets.add((odd![0]!.pod.index - even![0]!.pod.index + PODS) % PODS);
      // Overall every pod gets within one request per worker of an even share.
      const total = seen.length;
      for (let p = 0; p < PODS; p++) expect(Math.abs(seen.filter((a) => a.pod.index === p).length - total / PODS)).toBeLessThanOrEqual(2);
    }
    expect(used).toBeGreaterThanOrEqual(3);
    // The two rotations are not one rotation split in two: their phase difference is the workers' own
    // random starts, not always 1 (offset 0 sends each pair of consecutive requests to the same pod).
    expect(offsets.size).toBeGreaterThan(1);
  });

  it('LEAST_REQUEST: two workers do not see each other’s requests — concurrent picks collide on a pod w.p. 1/2, not 1/4', () => {
    // Two users in lockstep (no think, constant 1 ms service, 2 workers per pod so nobody queues), one on
    // each app connection: requests 2t and 2t+1 are picked at the same instant, after both previous ones
    // finished. With one proxy worker the second pick sees the first (active 1) and P2C with replacement
    // only returns that pod when both draws hit it: P(same pod) = 1/4. With two workers each sees no
    // active requests anywhere, ties keep the first, uniform draw: P(same pod) = 1/2.
    const collisions = (workers: number, seed: number) => {
      const seen = arrivals(mesh({ workers, connections: 2, users: 2, pods: 2, podWorkers: 2, lb: { simple: 'LEAST_REQUEST' } }), seed);
      if (workers === 2) expect(separateWorkers(seen)).toBe(true);
      const [even, odd] = byConnection(seen);
      const pairs = Math.min(even!.length, odd!.length);
      for (let t = 0; t < pairs; t++) expect(odd![t]!.at).toBe(even![t]!.at); // in lockstep
      let same = 0;
      for (let t = 0; t < pairs; t++) if (even![t]!.pod === odd![t]!.pod) same++;
      return { same, pairs };
    };
    const one = collisions(1, 3);
    const two = collisions(2, 3); // seed 3 binds the two app connections to different workers (checked)
    expect(one.pairs).toBeGreaterThan(1900);
    expectBinomial(one.same, one.pairs, 1 / 4);
    expectBinomial(two.same, two.pairs, 1 / 2);
  });
});

describe('consistent hash on a header', () => {
  it('one header value sends every request to one pod, the same pod for every worker and replication', async () => {
    const PODS = 6;
    const { v, runs } = await study({
      name: 'hash',
      seed: 17,
      duration: '2s',
      warmup: '200ms',
      replications: 4,
      network: { latency: '0s' },
      mesh: { dataPlane: 'sidecar', proxyWorkers: 2 },
      trafficPolicy: { server: { loadBalancer: { consistentHash: { httpHeaderName: 'x-user' } } } },
      services: {
        client: { replicas: 3, calls: [{ to: 'server', rate: '600/s', connections: 4, hashKeys: 1 }] },
        server: { replicas: PODS, pod: { workers: 4, serviceTime: { distribution: 'exponential', mean: '1ms' } } },
      },
    });
    const hot = new Set<number>();
    for (const r of runs) {
      const loaded = r.pods.filter((p) => p.requests > 0);
      expect(loaded).toHaveLength(1);
      expect(loaded[0]!.requests).toBe(r.requests);
      hot.add(loaded[0]!.pod);
    }
    expect(hot.size).toBe(1);
    expect(v.metrics.podLoadMaxOverMean.mean).toBeCloseTo(PODS, 9);
    expect(v.metrics.idlePodFraction.mean).toBeCloseTo((PODS - 1) / PODS, 9);
  });
});

describe('what the proxies cost', () => {
  const costs = (meshSpec: ScenarioInput['mesh'], events: ScenarioInput['events'] = []): ScenarioInput => ({
    name: 'costs',
    seed: 23,
    duration: '3s',
    warmup: '500ms',
    replications: 3,
    network: { latency: '0s' },
    mesh: meshSpec,
    events,
    services: {
      client: { replicas: 3, calls: [{ to: 'server', rate: '3000/s' }] },
      server: { replicas: 5, pod: { workers: 4, serviceTime: { distribution: 'exponential', mean: '1ms' } } },
    },
  });

  it('proxy CPU = requests/s × 2 proxies × CPU per request (Envoy 0.2 ms, or the override)', async () => {
    // Both the client's and the server's sidecar handle each request. The figure is computed per
    // replication as counted requests × 2 × cpu / measured time, so it is throughput × 2 × cpu exactly,
    // and so are the means over replications.
    for (const [meshSpec, cpu] of [
      [{ dataPlane: 'sidecar' }, 0.2e-3],
      [{ dataPlane: 'sidecar', proxyCpuPerRequest: '1ms' }, 1e-3],
      [{ dataPlane: 'none' }, 0],
    ] as const) {
      const { v } = await study(costs(meshSpec));
      expect(v.metrics.throughputRps.mean).toBeGreaterThan(2800);
      expect(v.metrics.proxyCpuCores.mean).toBeCloseTo(v.metrics.throughputRps.mean * 2 * cpu, 9);
    }
  });

  it('proxy memory = pods × 60 MB for Envoy sidecars, at the largest pod count of the run', async () => {
    // 3 client pods + 5 server pods, each with a sidecar.
    expect((await study(costs({ dataPlane: 'sidecar' }))).v.metrics.proxyMemoryMb.mean).toBe(8 * 60);
    // Scaled to 9 server pods for a while: 3 + 9 sidecars at the peak.
    const scaled = costs({ dataPlane: 'sidecar' }, [
      { at: '1s', scale: { server: 9 } },
      { at: '2s', scale: { server: 4 } },
    ]);
    expect((await study(scaled)).v.metrics.proxyMemoryMb.mean).toBe(12 * 60);
    expect((await study(costs({ dataPlane: 'sidecar', proxyMemoryMb: 10 }))).v.metrics.proxyMemoryMb.mean).toBe(8 * 10);
    expect((await study(costs({ dataPlane: 'none' }))).v.metrics.proxyMemoryMb.mean).toBe(0);
  });

  it('mesh.proxyLatency adds exactly 2 × proxyLatency to a constant-service request', () => {
    // Constant 5 ms service, no network, a worker for every concurrent request: without a mesh every
    // request takes exactly 5 ms; through two sidecars each adding L (half on the way in, half on the
    // way out), exactly 5 ms + 2L.
    const latencies = (meshSpec: ScenarioInput['mesh']) => {
      const probe = recorder();
      const s = build({
        name: 'proxy-latency',
        seed: 5,
        duration: '2s',
        network: { latency: '0s' },
        mesh: meshSpec,
        services: {
          client: { replicas: 2, calls: [{ to: 'server', rate: '400/s' }] },
          server: { replicas: 2, pod: { workers: 100, serviceTime: constant('5ms') } },
        },
      });
      simulate(s, 1, probe);
      return probe.done.map(({ rpc, at }) => at - rpc.start);
    };
    const L = 0.75e-3;
    for (const [meshSpec, expected] of [
      [{ dataPlane: 'none' }, 5e-3],
      [{ dataPlane: 'sidecar', proxyLatency: '750us' }, 5e-3 + 2 * L],
      [{ dataPlane: 'sidecar', proxyLatency: '0s' }, 5e-3],
    ] as const) {
      const all = latencies(meshSpec);
      expect(all.length).toBeGreaterThan(700);
      for (const x of all) expect(Math.abs(x - expected)).toBeLessThan(1e-12);
    }
  });
});
