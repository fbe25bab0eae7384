// Identity wired into traffic (REFERENCE §6): expiry breaks new handshakes only, a CA outage bites at the earliest
// expiry of a certificate whose renewal fell inside it, and a mass restart queues its CSRs at the CA.
import { describe, expect, it } from 'vitest';
import { istioRotationConfig, istioSchedule, outageTimeline } from '../../../src/model/identity/index.ts';
import type { ScenarioInput } from '../../../src/scenario/schema.ts';
import { build, collect } from '../helpers.ts';
import { seeded } from './helpers.ts';

const MIN = 60;

/** One client pod calling one server pod through sidecars, 10-minute certificates, no retries. */
const pair = (extra: Partial<ScenarioInput> = {}): ScenarioInput => ({
  name: 'pair',
  seed: 3,
  duration: '30m',
  replications: 1,
  mesh: { dataPlane: 'sidecar', proxy: 'envoy', proxyWorkers: 1 },
  identity: { certTtl: '10m' },
  routes: { server: { retries: { attempts: 0 } } },
  faults: [{ at: '0s', target: 'ca', outage: true }],
  services: {
    client: { replicas: 1, calls: [{ to: 'server', rate: '20/s' }] },
    server: { replicas: 1, pod: { workers: 4, serviceTime: { distribution: 'constant', value: '1ms' } } },
  },
  ...extra,
});

describe('expiry breaks new handshakes only', () => {
  it('an established connection keeps carrying RPCs for 20 minutes after both certificates expired', () => {
    const r = collect(build(pair()));
    const id = r.identity!;
    const expiries = id.certificates.map((c) => c.to);
    expect(expiries).toHaveLength(2);
    expect(Math.max(...expiries)).toBeLessThan(10 * MIN);
    expect(id.expiredPeak).toBe(2);
    // One connection, set up at the first RPC with valid certificates, never closed: every RPC succeeds.
    expect(id.handshakes).toBe(1);
    expect(id.handshakeFailures).toBe(0);
    expect(r.statusCounts).toEqual({ OK: r.requests });
  });

  it('the connection fails over when it closes: the first failed handshake is the first reconnect after an expiry', () => {
    const r = collect(build(pair({ trafficPolicy: { server: { connectionPool: { tcp: { maxConnectionDuration: '4m' } } } } })));
    const id = r.identity!;
    const firstExpiry = Math.min(...id.certificates.map((c) => c.to));
    const first = id.firstHandshakeFailureAt!;
    // Reconnects come every 4 minutes (plus the set-up); none fails before the expiry, the first one after it does.
    expect(first).toBeGreaterThanOrEqual(firstExpiry);
    expect(first).toBeLessThanOrEqual(firstExpiry + 4 * MIN + 1);
    expect(id.handshakes).toBeGreaterThan(1);
    expect(r.statusCounts.UNAVAILABLE).toBeGreaterThan(0);
  });
});

describe('CA outage timeline', () => {
  for (const mode of ['requests', 'flows'] as const) {
    it(`${mode}: the first failed handshake comes at the earliest expiry of a certificate whose renewal fell inside the outage, never before`, () => {
      const outage = { start: 40 * MIN, end: 100 * MIN };
      const s = build({
        name: 'outage',
        seed: 11,
        duration: '150m',
        replications: 1,
        traffic: { mode },
        mesh: { dataPlane: 'sidecar', proxy: 'envoy', proxyWorkers: 1 },
        // No jitter and instant signing: every renewal lands on the agent's 10 s check grid, so the schedule below
        // replays exactly what the agents do.
        identity: { certTtl: '1h', istio: { gracePeriodRatioJitter: 0, rotationCheckInterval: '10s' }, ca: { signingTime: '0s' } },
        trafficPolicy: { server: { connectionPool: { tcp: { maxConnectionDuration: '30s' } } } },
        routes: { server: { retries: { attempts: 0 } } },
        faults: [{ at: '40m', for: '60m', target: 'ca', outage: true }],
        services: {
          client: { replicas: 6, calls: [{ to: 'server', rate: '60/s' }] },
          server: { replicas: 6, pod: { workers: 4, serviceTime: { distribution: 'constant', value: '1ms' } } },
        },
      });
      const id = collect(s).identity!;
      const initial = id.certificates
        .filter((c) => !c.renewal)
        .map((c) => ({ serial: c.serial, subject: c.workload, issuer: 'root-1', notBefore: c.from, notAfter: c.to }));
      expect(initial).toHaveLength(12);
      const config = istioRotationConfig({ secretTtl: 3600, gracePeriodRatioJitter: 0, rotationCheckInterval: 10 });
      const timeline = outageTimeline(initial, outage, istioSchedule(config, seeded('unused')));
      const expected = timeline.firstExpiry!;
      expect(expected).toBeGreaterThan(outage.start);
      // Every client talks to every server and reconnects every 30 s: the expiry is seen within one lifetime.
      expect(id.firstHandshakeFailureAt!).toBeGreaterThanOrEqual(expected);
      expect(id.firstHandshakeFailureAt!).toBeLessThanOrEqual(expected + 30 + 1);
      // Workloads that lapse, as the schedule says.
      expect(id.expiredPeak).toBe(timeline.fates.filter((f) => f.expiredAt !== undefined).length);
    });
  }
});

describe('CSR storm', () => {
  it('a mass restart queues at the CA as a batch at a D/D/c station: the k-th CSR waits ⌊k/c⌋·s', () => {
    const n = 40;
    const c = 2;
    const signing = 0.05;
    const r = collect(
      build({
        name: 'storm',
        seed: 2,
        duration: '2m',
        replications: 1,
        mesh: { dataPlane: 'sidecar', proxy: 'linkerd' },
        identity: { ca: { signingTime: '50ms', capacity: c } },
        faults: [{ at: '60s', target: 'server', restart: 'all' }],
        services: {
          client: { replicas: 2, calls: [{ to: 'server', rate: '100/s' }] },
          server: { replicas: n, pod: { workers: 4, serviceTime: { distribution: 'constant', value: '1ms' } } },
        },
      }),
    );
    const id = r.identity!;
    expect(id.csrIssued).toBe(n);
    // Mean of ⌊k/c⌋·s over k = 0..n−1 with n a multiple of c: s·(n/c − 1)/2; the last waits s·(n/c − 1).
    expect(id.csrWaitMeanMs).toBeCloseTo(((signing * (n / c - 1)) / 2) * 1e3, 6);
    expect(id.csrWaitMaxMs).toBeCloseTo(signing * (n / c - 1) * 1e3, 6);
    // Each restarted pod held no certificate until signed: all n at once, right after the restart.
    expect(id.missingPeak).toBe(n);
  });
});

describe('control-plane outage', () => {
  it('proxies keep stale endpoints: a removed pod is still tried (UF), new pods never become ready until it is back', () => {
    const s = build({
      name: 'cp',
      seed: 4,
      duration: '6m',
      replications: 1,
      mesh: { dataPlane: 'sidecar', proxy: 'envoy', proxyWorkers: 1 },
      routes: { server: { retries: { attempts: 0 } } },
      events: [
        { at: '2m', scale: { server: 3 } },
        { at: '3m', scale: { server: 6 } },
      ],
      faults: [{ at: '1m', for: '3m', target: 'control-plane', outage: true }],
      services: {
        client: { replicas: 2, calls: [{ to: 'server', rate: '200/s' }] },
        server: { replicas: 4, pod: { workers: 4, serviceTime: { distribution: 'constant', value: '1ms' } } },
      },
    });
    const failures: number[] = [];
    const r = collect(s, () => {}, { requestDone: (_rpc, o, now) => (o.status === 14 ? failures.push(now) : undefined) });
    // Scaling in at 2 min removes server/3, which the proxies still list: tries to it fail from then until 4 min.
    expect(failures.length).toBeGreaterThan(0);
    expect(Math.min(...failures)).toBeGreaterThanOrEqual(120);
    expect(Math.max(...failures)).toBeLessThan(240 + 1);
    // About a quarter of the 200/s × 120 s requests in [2 min, 4 min) went to the gone pod. The binomial spread is
    // 0.3 points; LEAST_REQUEST leans a little toward a pod that fails fast, so allow 3 points.
    const during = failures.filter((t) => t >= 120 && t < 240).length / (200 * 120);
    expect(Math.abs(during - 0.25)).toBeLessThan(0.03);
    // The three pods added at 3 min (indices 4–6: scaled from 3 back to 6) could not get a certificate before 4 min;
    // each got one when the control plane came back.
    const id = r.identity!;
    const added = id.certificates.filter((c) => ['server/4', 'server/5', 'server/6'].includes(c.workload));
    expect(added).toHaveLength(3);
    expect(added.every((c) => c.installedAt >= 240)).toBe(true);
    expect(id.missingPeak).toBe(3);
    expect(id.controlPlaneReconnects).toBeGreaterThan(0);
  });
});

describe('clock skew', () => {
  for (const proxy of ['envoy', 'linkerd'] as const) {
    it(`${proxy}: each side judges the other's certificate on its own clock${proxy === 'linkerd' ? ', 20 s lenient' : ''}`, () => {
      const s = build(
        pair({
          mesh: { dataPlane: 'sidecar', proxy, proxyWorkers: 1 },
          identity: { certTtl: '10m', clockSkew: '2m' },
          trafficPolicy: { server: { connectionPool: { tcp: { maxConnectionDuration: '5s' } } } },
        }),
      );
      let skew = { client: 0, server: 0 };
      const r = collect(s, (world) => {
        // The server pod is created first (node 0), the client pod next (node 1).
        skew = { server: world.identity!.skewOf(0), client: world.identity!.skewOf(1) };
      });
      const id = r.identity!;
      const at = (w: string) => id.certificates.find((c) => c.workload === w)!.to;
      const allowance = proxy === 'linkerd' ? 20 : 0;
      // A certificate fails on the verifier's clock at notAfter + allowance, i.e. at notAfter + allowance − its skew.
      const expected = Math.min(at('client/0') + allowance - skew.server, at('server/0') + allowance - skew.client);
      expect(Math.max(Math.abs(skew.client), Math.abs(skew.server))).toBeGreaterThan(1);
      expect(id.firstHandshakeFailureAt!).toBeGreaterThanOrEqual(expected);
      // Reconnects every 5 s (plus the set-up).
      expect(id.firstHandshakeFailureAt!).toBeLessThanOrEqual(expected + 5 + 1);
    });
  }
});
