// Readiness, liveness and endpoint propagation (docs/health.md): when a bad pod leaves the endpoints
// and when it comes back, computed from its probe grid, the probe thresholds and mesh.endpointDelay;
// what a crash, a liveness restart and `restart` faults do; readiness gates.
import { describe, expect, it } from 'vitest';
import type { Pod } from '../../src/model/pod/pod.ts';
import { nullProbe, type Probe } from '../../src/model/probe.ts';
import type { Outcome } from '../../src/model/status.ts';
import type { World } from '../../src/model/world.ts';
import { type ScenarioInput, scenario } from '../../src/scenario/schema.ts';
import { type Arrival, build, simulate, study, tapConnections, tapPods } from './helpers.ts';

const EPS = 1e-9;

/** Three server pods behind round robin (so a bad pod keeps its share until it leaves the endpoints). */
function churn(over: Partial<ScenarioInput> & { pod?: Record<string, unknown>; endpointDelay?: string; dataPlane?: 'none' | 'sidecar' }): ScenarioInput {
  const { pod, endpointDelay, dataPlane, ...rest } = over;
  return {
    name: 'readiness',
    seed: 11,
    duration: '40s',
    replications: 1,
    network: { latency: '0s', connectRtts: 0 },
    mesh: { dataPlane: dataPlane ?? 'sidecar', endpointDelay: endpointDelay ?? '1500ms' },
    trafficPolicy: dataPlane === 'none' ? {} : { server: { loadBalancer: { simple: 'ROUND_ROBIN' } } },
    routes: { server: { retries: { attempts: 0 } } },
    services: {
      client: { replicas: 6, calls: [{ to: 'server', rate: '600/s', deadline: '300ms' }] },
      server: { replicas: 3, pod: { workers: 1000, queue: 1000, serviceTime: { distribution: 'constant', value: '1ms' }, ...pod } },
    },
    ...rest,
  };
}

/** The first tick of a probe grid (phase + k × period) at or after `t`. */
const tickAtOrAfter = (phase: number, period: number, t: number) => phase + Math.ceil((t - phase) / period - EPS) * period;

/** Times at which `pod` entered or left the endpoints the subscribers see. */
function visibility(world: World, service: string, pod: Pod): { at: number; visible: boolean }[] {
  const log: { at: number; visible: boolean }[] = [];
  const set = world.services.get(service)!;
  let was = set.current.includes(pod);
  set.onChange((pods) => {
    const is = pods.includes(pod);
    if (is !== was) log.push({ at: world.sim.now, visible: is });
    was = is;
  });
  return log;
}

function run(input: ScenarioInput, watch: (world: World) => void = () => {}, probe?: Probe) {
  const arrivals: Arrival[] = [];
  let changes: { at: number; visible: boolean }[] = [];
  let pod0: Pod | undefined;
  const world = simulate(build(input), 1, probe, (w) => {
    pod0 = w.services.get('server')!.all[0]!;
    changes = visibility(w, 'server', pod0);
    tapPods(w, 'server', (a) => arrivals.push(a));
    watch(w);
  });
  return { world, pod0: pod0 as Pod, changes, at0: arrivals.filter((a) => a.pod === pod0).map((a) => a.at) };
}

describe('a hung pod and its readiness probe', () => {
  const probe = { periodSeconds: 2, timeoutSeconds: 1, failureThreshold: 3, successThreshold: 2 };
  const input = churn({ pod: { readinessProbe: probe }, faults: [{ at: '10s', for: '10s', target: 'server/0', hang: true }] });

  it('leaves the endpoints failureThreshold probes (each timing out) plus endpointDelay after it hangs, and not before', () => {
    const { pod0, changes, at0 } = run(input);
    const phase = pod0.health.readiness!.phase;
    expect(phase).toBeGreaterThanOrEqual(0);
    expect(phase).toBeLessThan(2);
    // Probes at t1, t1 + 2, t1 + 4 each fail after the 1 s timeout; the third failure flips the verdict.
    const t1 = tickAtOrAfter(phase, 2, 10);
    const unready = t1 + 2 * 2 + 1;
    const gone = unready + 1.5;
    expect(changes[0]!.visible).toBe(false);
    expect(changes[0]!.at).toBeCloseTo(gone, 9);
    // Round robin keeps sending it a third of the traffic until then (200/s: a gap over 50 ms is unlikely)…
    const before = at0.filter((t) => t <= gone + EPS);
    expect(gone - before[before.length - 1]!).toBeLessThan(0.05);
    // …and nothing from then until it is back.
    const back = changes[1]!.at;
    expect(at0.filter((t) => t > gone + EPS && t < back - EPS)).toEqual([]);
  });

  it('comes back after successThreshold passing probes once the hang ends, plus endpointDelay', () => {
    const { pod0, changes, at0 } = run(input);
    const phase = pod0.health.readiness!.phase;
    // The hang ends at 20 s; a probe started before then still times out. Passes at t, t + 2: ready at the second.
    const firstPass = tickAtOrAfter(phase, 2, 20);
    const back = firstPass + 2 + 1.5;
    expect(changes[1]).toEqual({ at: expect.closeTo(back, 9), visible: true });
    expect(at0.filter((t) => t > back - EPS)[0]! - back).toBeLessThan(0.05);
  });

  it('counts the seconds it was ready in the measured interval', () => {
    const { world, changes } = run(input);
    const pods = world.services.get('server')!.all;
    // The API server's view leads the endpoints by endpointDelay at both edges, so the unready time is the same.
    const unready = changes[1]!.at - changes[0]!.at;
    expect(pods[0]!.health.readyTime.measuredArea()).toBeCloseTo(40 - unready, 9);
    expect(pods[1]!.health.readyTime.measuredArea()).toBeCloseTo(40, 9);
  });
});

describe('a crashed pod', () => {
  it('is seen by the kubelet at its next relist (not by probes) and leaves the endpoints endpointDelay later; until then it costs connect failures', () => {
    const input = churn({
      pod: { readinessProbe: { periodSeconds: 10, failureThreshold: 3 } },
      faults: [{ at: '10.3s', target: 'server/0', crash: {} }],
    });
    let conns = new Map<unknown, { pod: Pod; opened: number }>();
    const { pod0, changes } = run(input, (w) => {
      conns = tapConnections(w, 'server');
    });
    // PLEG relists every second: at 11 s the container is seen stopped; 1.5 s later nobody routes to it.
    expect(changes).toEqual([{ at: expect.closeTo(12.5, 9), visible: false }]);
    const attempts = [...conns.values()].filter((c) => c.pod === pod0 && c.opened > 10.3).map((c) => c.opened);
    expect(attempts.length).toBeGreaterThan(0);
    expect(Math.max(...attempts)).toBeLessThanOrEqual(12.5 + EPS);
  });

  it('with endpointDelay 0 leaves at the relist itself', () => {
    const { changes } = run(churn({ endpointDelay: '0s', faults: [{ at: '10.3s', target: 'server/0', crash: {} }] }));
    expect(changes).toEqual([{ at: expect.closeTo(11, 9), visible: false }]);
  });
});

describe('liveness', () => {
  it('restarts a hung container after failureThreshold probes: in-flight work is reset, connections close', () => {
    const input = churn({
      pod: { livenessProbe: { periodSeconds: 2, timeoutSeconds: 1, failureThreshold: 2 } },
      faults: [{ at: '10s', for: '10s', target: 'server/0', hang: true }],
    });
    const starts: number[] = [];
    const outcomes: { at: number; o: Outcome }[] = [];
    let conns = new Map<unknown, { pod: Pod; opened: number; closed?: number }>();
    let now = () => 0;
    const probe: Probe = { ...nullProbe, requestDone: (_rpc, o) => outcomes.push({ at: now(), o }) };
    const { pod0 } = run(
      input,
      (w) => {
        now = () => w.sim.now;
        w.services.get('server')!.all[0]!.onStart(() => starts.push(w.sim.now));
        conns = tapConnections(w, 'server');
      },
      probe,
    );
    const phase = pod0.health.liveness!.phase;
    const l1 = tickAtOrAfter(phase, 2, 10);
    // Failures at l1 + 1 and l1 + 3 (each after the timeout): the kubelet restarts the container then.
    const restart = l1 + 2 + 1;
    expect(starts[0]).toBeCloseTo(restart, 9);
    // The new container hangs too (the fault lasts 10 s): the run of failures starts over, two more probes.
    expect(starts[1]).toBeCloseTo(restart + 4, 9);
    // Every connection into pod 0 that was open before the restart closed at the restart.
    const before = [...conns.values()].filter((c) => c.pod === pod0 && c.opened < restart - EPS && (c.closed ?? Number.POSITIVE_INFINITY) > restart - EPS);
    expect(before.length).toBeGreaterThan(0);
    for (const c of before) expect(c.closed).toBeCloseTo(restart, 9);
    // The requests still waiting on the hung app (deadline 300 ms) are reset: UNAVAILABLE, flag UC, at the restart.
    const reset = outcomes.filter((r) => r.o.flag === 'UC');
    expect(reset.length).toBeGreaterThan(0);
    expect(reset.filter((r) => Math.abs(r.at - restart) < EPS).length).toBeGreaterThan(0);
  });

  it('a liveness probe that starts before the app is up restarts it again and again (the initialDelaySeconds trap)', () => {
    const input = (initialDelaySeconds: number) =>
      churn({
        pod: { startupTime: '5s', livenessProbe: { periodSeconds: 1, failureThreshold: 3, initialDelaySeconds } },
        faults: [{ at: '10s', target: 'server', restart: 'all' }],
      });
    const starts: number[] = [];
    run(input(0), (w) => {
      w.services.get('server')!.all[0]!.onStart(() => starts.push(w.sim.now));
    });
    // Refused at once for 5 s after each start; three failures 1 s apart kill it after 2–3 s: it never comes up.
    expect(starts.length).toBeGreaterThan(5);
    const fixed: number[] = [];
    const { pod0 } = run(input(6), (w) => {
      w.services.get('server')!.all[0]!.onStart(() => fixed.push(w.sim.now));
    });
    expect(fixed).toEqual([10]);
    expect(pod0.accepting).toBe(true);
  });
});

describe('restart faults', () => {
  it('restart: all restarts every container at once; each is ready again at its first passing probe after its start-up time', () => {
    const input = churn({
      endpointDelay: '0s',
      pod: { startupTime: '3s', readinessProbe: { periodSeconds: 1 } },
      faults: [{ at: '10s', target: 'server', restart: 'all' }],
    });
    const starts: number[] = [];
    const { world } = run(input, (w) => {
      for (const p of w.services.get('server')!.all) p.onStart(() => starts.push(w.sim.now));
    });
    expect(starts).toEqual([10, 10, 10]);
    for (const p of world.services.get('server')!.all) {
      // Unready from the restart (a new container starts unready) until the first probe at or after 13 s passes.
      const back = tickAtOrAfter(p.health.readiness!.phase, 1, 13);
      expect(p.health.readyTime.measuredArea()).toBeCloseTo(40 - (back - 10), 9);
    }
  });

  it('a rolling restart goes from the highest index down, each after the previous is ready again plus minReadySeconds', () => {
    const input = churn({
      pod: { startupTime: '2s', readinessProbe: { periodSeconds: 1 } },
      faults: [{ at: '10s', target: 'server', restart: { rolling: { minReadySeconds: 2 } } }],
    });
    const starts: { pod: number; at: number }[] = [];
    const { world } = run(input, (w) => {
      for (const p of w.services.get('server')!.all) p.onStart(() => starts.push({ pod: p.index, at: w.sim.now }));
    });
    const pods = world.services.get('server')!.all;
    expect(starts.map((s) => s.pod)).toEqual([2, 1, 0]);
    let at = 10;
    for (const s of starts) {
      expect(s.at).toBeCloseTo(at, 9);
      at = tickAtOrAfter(pods[s.pod]!.health.readiness!.phase, 1, at + 2) + 2;
    }
  });
});

describe('L4: a client pinned to a hung pod', () => {
  it('keeps sending to it after it left the endpoints, until its connection is re-established (here by a liveness restart)', () => {
    const input = churn({
      dataPlane: 'none',
      endpointDelay: '1s',
      pod: {
        readinessProbe: { periodSeconds: 1, failureThreshold: 1 },
        livenessProbe: { periodSeconds: 5, timeoutSeconds: 1, failureThreshold: 3 },
      },
      faults: [{ at: '10s', for: '20s', target: 'server/0', hang: true }],
    });
    const starts: number[] = [];
    const { pod0, changes, at0 } = run(input, (w) => {
      w.services.get('server')!.all[0]!.onStart(() => starts.push(w.sim.now));
    });
    const gone = changes[0]!.at;
    const restart = starts[0]!;
    expect(gone).toBeCloseTo(tickAtOrAfter(pod0.health.readiness!.phase, 1, 10) + 1 + 1, 9);
    expect(restart).toBeGreaterThan(gone + 5);
    // kube-proxy forgot pod 0, but the clients' connections to it stay open: their RPCs still arrive there (and hang).
    expect(at0.filter((t) => t > gone + 1 && t < restart).length).toBeGreaterThan(100);
    // The restart closes those connections; the clients reconnect to the pods kube-proxy still lists.
    expect(at0.filter((t) => t > restart + EPS && t < 30)).toEqual([]);
  });
});

describe('readiness gates', () => {
  it('a closed gate takes a running pod out of the endpoints after endpointDelay; opening it brings it back', () => {
    const { changes, pod0 } = run(churn({}), (w) => {
      const pod = w.services.get('server')!.all[0]!;
      w.sim.at(5, () => pod.setGate('identity', false));
      w.sim.at(8, () => pod.setGate('identity', true));
    });
    expect(changes).toEqual([
      { at: expect.closeTo(6.5, 9), visible: false },
      { at: expect.closeTo(9.5, 9), visible: true },
    ]);
    expect(pod0.ready).toBe(true);
  });
});

describe('probe values in the schema', () => {
  const problems = (pod: Record<string, unknown>) => {
    const r = scenario.safeParse(churn({ pod }));
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  it('rejects a zero period, a liveness successThreshold other than 1, fractional and string seconds', () => {
    expect(problems({ readinessProbe: { periodSeconds: 0 } })).toEqual(['services.server.pod.readinessProbe.periodSeconds: periodSeconds must be at least 1']);
    expect(problems({ livenessProbe: { successThreshold: 2 } })).toEqual([
      'services.server.pod.livenessProbe.successThreshold: a livenessProbe must have successThreshold 1 (Kubernetes rejects any other value)',
    ]);
    expect(problems({ readinessProbe: { timeoutSeconds: 1.5 } })).toEqual([
      'services.server.pod.readinessProbe.timeoutSeconds: expected whole seconds (timeoutSeconds)',
    ]);
    expect(problems({ readinessProbe: { periodSeconds: '10s' } })).toEqual([
      'services.server.pod.readinessProbe.periodSeconds: expected whole seconds (periodSeconds)',
    ]);
    expect(problems({ readinessProbe: { failureThreshold: 0 } })).toEqual([
      'services.server.pod.readinessProbe.failureThreshold: failureThreshold must be at least 1',
    ]);
  });

  it('fills in the Kubernetes defaults', () => {
    const s = build(churn({ pod: { readinessProbe: {} } }));
    expect(s.services.server!.pod!.readinessProbe).toEqual({
      initialDelaySeconds: 0,
      periodSeconds: 10,
      timeoutSeconds: 1,
      successThreshold: 1,
      failureThreshold: 3,
    });
  });
});

describe('pods[].ready in the summary', () => {
  it('is the measured interval for a pod that was always ready, and less for one that restarted inside it', async () => {
    const input = churn({
      duration: '10s',
      warmup: '4s',
      pod: { startupTime: '1s', readinessProbe: { periodSeconds: 1 } },
      faults: [{ at: '6s', target: 'server/1', restart: 'all' }],
    });
    const { v } = await study(input);
    expect(v.pods.map((p) => p.ready.mean)).toEqual([6, expect.any(Number), 6]);
    // Unready from 6 s until its first probe at or after 7 s passes: between 1 and 2 s.
    expect(v.pods[1]!.ready.mean).toBeGreaterThan(4 - EPS);
    expect(v.pods[1]!.ready.mean).toBeLessThanOrEqual(5 + EPS);
  });
});
