// gRPC connection backoff (grpc/grpc doc/connection-backoff.md) in an app's own channel: after a failed connect the
// channel waits until the attempt's deadline (1 s after the first attempt began, then ×1.6 ± 20 %, at most 120 s)
// and fails RPCs at once meanwhile (TRANSIENT_FAILURE, not wait-for-ready). Exact timing rules, one seeded run.
import { describe, expect, it } from 'vitest';
import { nullProbe, type Probe } from '../../src/model/probe.ts';
import { build, simulate, tapConnections } from './helpers.ts';

const pinned = (crashFor: string) =>
  build({
    name: 'backoff',
    seed: 3,
    duration: '40s',
    warmup: '0s',
    replications: 1,
    network: { latency: '100us' },
    // The endpoints keep listing the crashed pod the whole time (a long propagation delay), so the client keeps
    // trying it: the backoff alone sets the pace.
    mesh: { endpointDelay: '60s' },
    services: {
      client: { calls: [{ to: 'server', rate: '500/s', loadBalancing: 'pick_first' }] },
      server: { replicas: 1, pod: { workers: 4, serviceTime: { distribution: 'constant', value: '1ms' } } },
    },
    faults: [{ at: '2s', target: 'server/0', crash: { restartAfter: crashFor } }],
  });

describe('gRPC connection backoff', () => {
  it('connect attempts follow 1 s, then 1.6^k s ± 20 %; RPCs in between fail at once with UNAVAILABLE', () => {
    const failedFast: number[] = [];
    const probe: Probe = { ...nullProbe, requestDone: (rpc, o, now) => o.flag === 'UF' && now === rpc.start && failedFast.push(now) };
    let attempts: number[] = [];
    simulate(pinned('25s'), 1, probe, (w) => {
      const log = tapConnections(w, 'server');
      w.sim.at(39, () => {
        attempts = [...log.values()].map((c) => c.opened).filter((t) => t > 2 && t < 27);
      });
    });
    // Crash at 2 s: the first attempt is at once (a lost connection goes IDLE, no backoff), then the backoff.
    expect(attempts.length).toBeGreaterThanOrEqual(6);
    expect(attempts[0]!).toBeLessThan(2.01);
    const gaps = attempts.slice(1).map((t, i) => t - attempts[i]!);
    // An attempt starts with the first RPC after its predecessor's deadline: at 500/s, within ~10 ms of it.
    expect(gaps[0]!).toBeGreaterThanOrEqual(1);
    expect(gaps[0]!).toBeLessThan(1.02);
    let backoff = 1;
    for (const gap of gaps.slice(1)) {
      backoff = Math.min(backoff * 1.6, 120);
      expect(gap).toBeGreaterThanOrEqual(0.8 * backoff);
      expect(gap).toBeLessThan(1.2 * backoff + 0.02);
    }
    // Fast failures fill the time between attempts: about 500/s over the crash.
    expect(failedFast.length).toBeGreaterThan(0.8 * 500 * 20);
  });

  it('after the pod is back, the next attempt after the deadline connects and RPCs succeed again', () => {
    const ok: number[] = [];
    const probe: Probe = { ...nullProbe, requestDone: (_rpc, o, now) => o.status === 0 && ok.push(now) };
    simulate(pinned('3s'), 2, probe);
    // Down from 2 s to 5 s; attempts at ~2, 3, 4.6 (±0.32), then 7.2 s at the latest (2.56 s × 1.2 after ~5.1).
    const firstAfter = ok.find((t) => t > 2.01)!;
    expect(firstAfter).toBeGreaterThan(5);
    expect(firstAfter).toBeLessThan(4.92 + 2.56 * 1.2 + 0.05);
  });
});
