// The flow level against the request level on a scenario small enough for both (docs/certificates.md): a CA outage
// longer than half a 10-minute certificate lifetime, sidecars whose upstream connections are cycled every minute,
// one retry on connect failure. Both levels draw the same certificates (the same named streams), so each replication
// is a paired comparison; tolerances are stated beside each assertion.
import { describe, expect, it } from 'vitest';
import type { ScenarioInput } from '../../../src/scenario/schema.ts';
import { study } from '../helpers.ts';

const base = (mode: 'requests' | 'flows', requestWindows: { at: string; for: string }[] = []): ScenarioInput => ({
  name: `agreement-${mode}`,
  seed: 5,
  duration: '30m',
  replications: 4,
  window: '1m',
  traffic: { mode, requestWindows },
  mesh: { dataPlane: 'sidecar', proxy: 'envoy', proxyWorkers: 1 },
  identity: { certTtl: '10m', istio: { rotationCheckInterval: '10s' } },
  trafficPolicy: { server: { connectionPool: { tcp: { maxConnectionDuration: '60s' } } } },
  routes: { server: { retries: { attempts: 1, retryOn: 'connect-failure' } } },
  faults: [{ at: '2m', for: '20m', target: 'ca', outage: true }],
  services: {
    client: { replicas: 4, calls: [{ to: 'server', rate: '100/s' }] },
    server: { replicas: 4, pod: { workers: 8, serviceTime: { distribution: 'exponential', mean: '2ms' } } },
  },
});

describe('flow level vs request level', () => {
  it('agree on success rate, failed handshakes, the first failure and per-pod shares', async () => {
    const requests = await study(base('requests'));
    const flows = await study(base('flows'));
    expect(flows.v.mode).toBe('flows');
    const successRate = (x: (typeof requests.runs)[number]) => (x.statusCounts.OK ?? 0) / x.requests;
    requests.runs.forEach((req, i) => {
      const flow = flows.runs[i]!;
      // Paired by replication (same certificates): the outage costs ~40 points of success rate and replications
      // spread by ~3 points, so agreeing within 1 point pins the timing and the share of failing connections.
      expect(Math.abs(successRate(flow) - successRate(req))).toBeLessThan(0.01);
      // Failed handshakes follow from the same failing connections and the renewal-cycle rate of retried
      // connections (retry-odds.ts): within 3 %.
      const hr = req.identity!.handshakeFailures;
      expect(Math.abs(flow.identity!.handshakeFailures - hr) / hr).toBeLessThan(0.03);
      // The first failure: the flow level's connections cycle on the minute from 0 s, the request level's from the
      // first RPC each carried, so they may differ by up to one connection lifetime (60 s).
      expect(Math.abs(flow.identity!.firstHandshakeFailureAt! - req.identity!.firstHandshakeFailureAt!)).toBeLessThanOrEqual(60);
    });
    // Per-pod shares of what was served: each pod's mean share agrees within 1 point (4 pods, fair share 25 %).
    requests.v.pods.forEach((p, i) => {
      expect(Math.abs(flows.v.pods[i]!.share.mean - p.share.mean)).toBeLessThan(0.01);
    });
  }, 120_000);

  it('a request window inside a flow-level run carries on where the flows were, and measures latency only inside', async () => {
    // The window spans the first expiries (~7–9 min): the request level must take over the open connections
    // (no handshake) and fail only the new ones, as the flows would.
    const flows = await study({ ...base('flows'), replications: 2 });
    const mixed = await study({ ...base('flows', [{ at: '6m', for: '4m' }]), replications: 2 });
    mixed.runs.forEach((m, i) => {
      const f = flows.runs[i]!;
      const rate = (x: typeof m) => (x.statusCounts.OK ?? 0) / x.requests;
      // Tolerances as for the request level above: 1 point of success rate, 3 % of failed handshakes.
      expect(Math.abs(rate(m) - rate(f))).toBeLessThan(0.01);
      expect(Math.abs(m.identity!.handshakeFailures - f.identity!.handshakeFailures) / f.identity!.handshakeFailures).toBeLessThan(0.03);
      const measured = m.timeseries.filter((w) => w.p99Ms !== null).map((w) => w.t);
      expect(measured.length).toBeGreaterThan(0);
      expect(Math.min(...measured)).toBeGreaterThanOrEqual(6 * 60);
      expect(Math.max(...measured)).toBeLessThan(10 * 60 + 60);
    });
  }, 120_000);
});
