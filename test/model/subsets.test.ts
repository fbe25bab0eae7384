// Subsets and L7 routing between them (docs/canary.md): a weighted split sends each subset its weight's
// share of the requests, header matches come before the split (first matching rule wins), Envoy's
// retries stay in the subset the route picked while Linkerd's pick a backend per try, a fault on a
// subset hits only its pods, and without a mesh nothing routes: subsets only split the replicas.
import { describe, expect, it } from 'vitest';
import type { Pod } from '../../src/model/pod/pod.ts';
import { nullProbe, type Probe, type SubsetTally } from '../../src/model/probe.ts';
import { subsetLayout } from '../../src/model/subsets.ts';
import type { ScenarioInput } from '../../src/scenario/schema.ts';
import { expectBinomial } from './balancer/helpers.ts';
import { type Arrival, build, simulate, study, tapPods } from './helpers.ts';

const constant = (value: string) => ({ distribution: 'constant' as const, value });

type Routes = NonNullable<ScenarioInput['routes']>[string];

/** One client service (2 pods) calling `payments` (v1: 3 pods, v2: 2 pods) through sidecars at `rate` for 2 s. */
function canary(opts: {
  routes?: Routes;
  rate?: string;
  headers?: Record<string, { value: string; fraction?: number }>;
  extra?: Partial<ScenarioInput>;
}): ScenarioInput {
  return {
    name: 'subsets',
    seed: 7,
    duration: '2s',
    warmup: '0s',
    replications: 1,
    network: { latency: '0s' },
    mesh: { dataPlane: 'sidecar', proxyLatency: '0s' },
    services: {
      client: { replicas: 2, calls: [{ to: 'payments', rate: opts.rate ?? '2000/s', deadline: '1s', ...(opts.headers ? { headers: opts.headers } : {}) }] },
      payments: {
        pod: { workers: 8, queue: 100, serviceTime: constant('1ms') },
        subsets: { v1: { replicas: 3 }, v2: { replicas: 2, pod: { workers: 4 } } },
      },
    },
    routes: opts.routes ? { payments: opts.routes } : {},
    ...opts.extra,
  };
}

/** Every try that reached a payments pod, and the requests each subset's route decision took. */
function run(input: ScenarioInput, seed = 1) {
  const seen: Arrival[] = [];
  const tallies = new Map<string, SubsetTally>();
  const subsetTally = (_to: string, subset: string) => {
    if (!tallies.has(subset)) tallies.set(subset, { requests: 0, ok: 0 });
    return tallies.get(subset)!;
  };
  const probe: Probe = { ...nullProbe, subsetTally };
  const world = simulate(build(input), seed, probe, (w) => tapPods(w, 'payments', (a) => seen.push(a)));
  // Requests each subset's route decision took (every request counts: no warm-up).
  const routed = new Map([...tallies].map(([subset, t]) => [subset, t.requests]));
  return { seen, routed, world, pods: world.services.get('payments')!.all };
}

const subsetOf = (a: Arrival) => a.pod.subset;

describe('subsets are blocks of pods of one service', () => {
  it('pods are numbered across subsets in the order given, and a subset pod field overrides the service pod', () => {
    const { pods } = run(canary({}));
    expect(pods.map((p) => `${p.index}:${p.subset}:${p.workers}`)).toEqual(['0:v1:8', '1:v1:8', '2:v1:8', '3:v2:4', '4:v2:4']);
  });

  it('a subset inherits every pod field it does not set (probes included) and replaces those it does', () => {
    const input = canary({});
    input.services!.payments!.pod!.readinessProbe = { periodSeconds: 2 };
    input.services!.payments!.subsets!.v2!.pod = { startupTime: '5s', serviceTime: constant('3ms') };
    const layout = subsetLayout(build(input).services.payments as Parameters<typeof subsetLayout>[0]);
    expect(layout.map((b) => [b.name, b.from, b.to, b.pod.startupTime, b.pod.readinessProbe?.periodSeconds, b.pod.serviceTime])).toEqual([
      ['v1', 0, 3, 0, 2, { distribution: 'constant', value: 0.001 }],
      ['v2', 3, 5, 5, 2, { distribution: 'constant', value: 0.003 }],
    ]);
  });

  it('without a route the mesh balances over the whole service (Istio routes to the default cluster): every pod serves', () => {
    const { seen, world } = run(canary({}));
    expect(world.routed.size).toBe(0);
    for (const p of world.services.get('payments')!.all) expect(seen.some((a) => a.pod === p)).toBe(true);
  });
});

describe('a weighted split', () => {
  it('sends each subset its weight: 95/5 and 70/30 shares within 4 binomial standard deviations (z = 4, n ≈ 4000 requests)', () => {
    for (const [w1, w2] of [
      [95, 5],
      [70, 30],
    ] as const) {
      const { seen, routed } = run(
        canary({
          routes: {
            route: [
              { subset: 'v1', weight: w1 },
              { subset: 'v2', weight: w2 },
            ],
          },
        }),
      );
      const n = (routed.get('v1') ?? 0) + (routed.get('v2') ?? 0);
      expect(n).toBeGreaterThan(3500);
      expectBinomial(routed.get('v2') ?? 0, n, w2 / 100);
      // What was routed to v2 is exactly what v2's pods got (no retries here: nothing fails).
      expect(seen.filter((a) => subsetOf(a) === 'v2').length).toBe(routed.get('v2'));
    }
  });

  it('a destination with weight 0 gets nothing, and a single destination takes everything whatever its weight', () => {
    const zero = run(
      canary({
        routes: {
          route: [
            { subset: 'v1', weight: 100 },
            { subset: 'v2', weight: 0 },
          ],
        },
      }),
    );
    expect(zero.seen.every((a) => subsetOf(a) === 'v1')).toBe(true);
    const single = run(canary({ routes: { route: [{ subset: 'v2', weight: 3 }] } }));
    expect(single.seen.length).toBeGreaterThan(3500);
    expect(single.seen.every((a) => subsetOf(a) === 'v2')).toBe(true);
  });
});

describe('header matches', () => {
  const headers = { 'x-canary': { value: 'true', fraction: 0.2 } };

  it('take precedence over the weighted route: every request with the header goes to v2, even at weight 100/0', () => {
    const { seen } = run(
      canary({ headers, routes: { match: [{ headers: { 'x-canary': { exact: 'true' } }, route: [{ subset: 'v2' }] }], route: [{ subset: 'v1' }] } }),
    );
    const tagged = seen.filter((a) => a.rpc.headers?.['x-canary'] === 'true');
    expect(tagged.length).toBeGreaterThan(0);
    for (const a of seen) expect(subsetOf(a)).toBe(a.rpc.headers?.['x-canary'] === 'true' ? 'v2' : 'v1');
    // The header is drawn per request with probability 0.2 (z = 4 binomial tolerance, n ≈ 4000).
    expectBinomial(tagged.length, seen.length, 0.2);
  });

  it('the first matching rule wins; exact needs the whole value, prefix its start; a missing header matches nothing', () => {
    const routes: Routes = {
      match: [
        { headers: { 'x-canary': { exact: 'tru' } }, route: [{ subset: 'v1' }] },
        { headers: { 'x-canary': { prefix: 'tr' } }, route: [{ subset: 'v2' }] },
        { headers: { 'x-canary': { exact: 'true' } }, route: [{ subset: 'v1' }] },
      ],
      route: [{ subset: 'v1' }],
    };
    const { seen } = run(canary({ headers, routes }));
    for (const a of seen) expect(subsetOf(a)).toBe(a.rpc.headers ? 'v2' : 'v1');
  });

  it('with matches and no default route, a request no rule takes is answered UNIMPLEMENTED with flag NR (Envoy 404)', async () => {
    const { v } = await study(canary({ headers, routes: { match: [{ headers: { 'x-canary': { exact: 'true' } }, route: [{ subset: 'v2' }] }] } }));
    const edge = v.edges.find((e) => e.entry)!;
    expect(edge.flagCounts.NR?.mean).toBeGreaterThan(0);
    expect(edge.statusCounts.UNIMPLEMENTED?.mean).toBe(edge.flagCounts.NR?.mean);
    expect(edge.statusCounts.OK?.mean).toBeCloseTo(v.subsets.find((s) => s.subset === 'v2')!.requests.mean, 6);
  });
});

describe('retries and faults', () => {
  const bad = { faults: [{ target: 'payments@v2', errors: { rate: 1, status: 'UNAVAILABLE' as const } }] };
  const split = {
    route: [
      { subset: 'v1', weight: 50 },
      { subset: 'v2', weight: 50 },
    ],
  };

  it('a fault on a subset hits only its pods', () => {
    const { pods } = run(canary({ routes: split, extra: bad }));
    const answeredOk = (p: Pod) => p.ok;
    for (const p of pods) {
      expect(p.requests).toBeGreaterThan(0);
      expect(answeredOk(p)).toBe(p.subset === 'v1' ? p.requests : 0);
    }
  });

  it('Envoy: the subset is chosen once per request, so every retry stays in it (3 tries, all on v2, across its 2 pods)', () => {
    const { seen } = run(canary({ routes: split, extra: bad }));
    const byRpc = new Map<number, Arrival[]>();
    for (const a of seen) byRpc.set(a.rpc.id, [...(byRpc.get(a.rpc.id) ?? []), a]);
    let retried = 0;
    const retryPods = new Set<number>();
    for (const tries of byRpc.values()) {
      const subsets = new Set(tries.map(subsetOf));
      expect(subsets.size).toBe(1);
      if (subsets.has('v2')) {
        expect(tries.length).toBe(3); // Istio's default: 2 retries on unavailable
        for (const t of tries.slice(1)) retryPods.add(t.pod.index);
        retried++;
      } else expect(tries.length).toBe(1);
    }
    expect(retried).toBeGreaterThan(500);
    // The retries spread over v2's own two pods (3 and 4), never beyond.
    expect([...retryPods].sort()).toEqual([3, 4]);
  });

  it('Linkerd: retries sit above the backends, so a retry draws the backend again and may leave the bad subset', () => {
    const input = canary({ routes: { ...split, linkerdRetries: { limit: 2, grpc: 'unavailable' } }, extra: bad });
    input.mesh = { dataPlane: 'sidecar', proxy: 'linkerd', proxyLatency: '0s' };
    const { seen } = run(input);
    const byRpc = new Map<number, Arrival[]>();
    for (const a of seen) byRpc.set(a.rpc.id, [...(byRpc.get(a.rpc.id) ?? []), a]);
    const firstOnV2 = [...byRpc.values()].filter((t) => subsetOf(t[0]!) === 'v2' && t.length > 1);
    const movedToV1 = firstOnV2.filter((t) => subsetOf(t[1]!) === 'v1').length;
    // Each retry lands on v1 with probability 1/2 (z = 4 binomial tolerance over the first retries).
    expectBinomial(movedToV1, firstOnV2.length, 0.5);
  });

  it('the summary counts per subset: share as routed and the success rate after retries', async () => {
    const { v } = await study(canary({ routes: { ...split, retries: { attempts: 0 } }, extra: bad }));
    const [v1, v2] = v.subsets;
    expect(v1).toMatchObject({ service: 'payments', subset: 'v1', countedAt: 'route' });
    expect(v1!.successRate.mean).toBe(1);
    expect(v2!.successRate.mean).toBe(0);
    expect(v1!.share.mean + v2!.share.mean).toBeCloseTo(1, 12);
    expect(v.pods.map((p) => p.subset)).toEqual(['v1', 'v1', 'v1', 'v2', 'v2']);
    expect(v.pods.filter((p) => p.service === 'client').every((p) => p.subset === undefined)).toBe(true);
  });
});

describe('outlier detection per subset cluster', () => {
  it('ejecting v2’s pods empties the v2 cluster: its requests fail with UH (panic off) instead of moving to v1', async () => {
    const input = canary({
      routes: {
        route: [
          { subset: 'v1', weight: 50 },
          { subset: 'v2', weight: 50 },
        ],
        retries: { attempts: 0 },
      },
      extra: {
        faults: [{ target: 'payments@v2', errors: { rate: 1, status: 'UNAVAILABLE' } }],
        trafficPolicy: { payments: { outlierDetection: { consecutive5xxErrors: 3, maxEjectionPercent: 100 } } },
      },
    });
    const { v, runs } = await study(input);
    const [v1, v2] = v.subsets;
    // Both client sidecars' v2 clusters hold v2's pods ejected for the whole second window: the ejected share
    // counts only the clusters that could eject them (the 2 toward v2, not all 4 toward payments).
    const v2Windows = runs[0]!.podTimeseries.filter((w) => w.service === 'payments' && w.pod >= 3 && w.t === 1);
    expect(v2Windows.map((w) => w.ejected)).toEqual([1, 1]);
    // The route still sends v2 half of the requests (z = 4 binomial tolerance, n ≈ 4000)…
    expectBinomial(Math.round(v2!.requests.mean), Math.round(v1!.requests.mean + v2!.requests.mean), 0.5);
    // …none of them succeed, and most end as no-healthy-upstream once both v2 pods are ejected.
    expect(v2!.successRate.mean).toBe(0);
    expect(v1!.successRate.mean).toBe(1);
    const edge = v.edges.find((e) => e.entry)!;
    expect(edge.flagCounts.UH!.mean).toBeGreaterThan(0.8 * v2!.requests.mean);
    // v1's pods served exactly what was routed to v1: nothing spilled over.
    const v1Pods = v.pods.filter((p) => p.subset === 'v1').reduce((n, p) => n + p.requests.mean, 0);
    expect(v1Pods).toBe(v1!.requests.mean);
  });
});

describe('ambient', () => {
  it('a waypoint routes like a sidecar (Envoy): the split holds; without a waypoint ztunnel ignores it', () => {
    const routes: Routes = {
      route: [
        { subset: 'v1', weight: 100 },
        { subset: 'v2', weight: 0 },
      ],
    };
    const waypoint = canary({ routes });
    waypoint.mesh = { dataPlane: 'ambient', waypoint: true };
    const viaWaypoint = run(waypoint);
    expect(viaWaypoint.seen.length).toBeGreaterThan(3500);
    expect(viaWaypoint.seen.every((a) => subsetOf(a) === 'v1')).toBe(true);
    const l4 = canary({ routes });
    l4.mesh = { dataPlane: 'ambient' };
    // 2 clients × 10 connections, each pinned to one of 5 pods: all miss v2's 2 pods with probability 0.6²⁰ ≈ 4e-5.
    l4.services!.client!.calls![0]!.connections = 10;
    expect(run(l4).seen.some((a) => subsetOf(a) === 'v2')).toBe(true);
  });
});

describe('without L7 routing', () => {
  it('no mesh: routes are ignored, the subsets only split the replicas, and the summary counts at the pods', async () => {
    const input = canary({
      routes: {
        route: [
          { subset: 'v1', weight: 100 },
          { subset: 'v2', weight: 0 },
        ],
      },
    });
    input.mesh = { dataPlane: 'none' };
    input.services!.client!.calls![0]!.loadBalancing = 'round_robin';
    const { v } = await study(input);
    const v2 = v.subsets.find((s) => s.subset === 'v2')!;
    expect(v2.countedAt).toBe('pods');
    // gRPC round_robin over 5 pods: v2's 2 pods take 2/5 of the requests, whatever the route's weights.
    expect(v2.share.mean).toBeCloseTo(2 / 5, 2);
    expect(v2.successRate.mean).toBe(1);
  });
});

it('a request keeps its headers on its handler calls (as an app that propagates them)', () => {
  const input = canary({ headers: { 'x-canary': { value: 'true', fraction: 0.5 } }, routes: { route: [{ subset: 'v1' }] } });
  input.services!.ledger = { replicas: 1, pod: { workers: 8, serviceTime: constant('1ms') } };
  input.services!.payments!.pod!.handler = [{ call: { to: 'ledger' } }];
  const seen: Arrival[] = [];
  simulate(build(input), 1, nullProbe, (w) => tapPods(w, 'ledger', (a) => seen.push(a)));
  expect(seen.some((a) => a.rpc.headers?.['x-canary'] === 'true')).toBe(true);
  expect(seen.some((a) => a.rpc.headers === undefined)).toBe(true);
});
