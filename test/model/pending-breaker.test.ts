// Envoy's pending-request breaker (Istio http1MaxPendingRequests, which also applies to HTTP/2): requests
// that would wait for a connection or a stream slot beyond the limit get a local UNAVAILABLE, flag UO
// (REFERENCE §2.5).
import { describe, expect, it } from 'vitest';
import { scenario } from '../../src/scenario/schema.ts';
import { runStudy } from '../../src/study/study.ts';

describe('Envoy connection-pool breakers', () => {
  const pooled = (http: Record<string, unknown>, tcp: Record<string, unknown> = {}) =>
    scenario.parse({
      name: 'pool',
      seed: 6,
      duration: '5s',
      replications: 1,
      mesh: { dataPlane: 'sidecar', proxyWorkers: 1 },
      network: { latency: '20ms' }, // connecting takes 2 round trips: 80 ms during which requests are pending
      services: {
        client: { calls: [{ to: 'server', rate: '500/s' }] },
        server: { replicas: 2, pod: { workers: 64, queue: 100, serviceTime: { distribution: 'constant', value: '1ms' } } },
      },
      trafficPolicy: { server: { connectionPool: { http, tcp } } },
    });

  it('http1MaxPendingRequests: requests beyond the limit while connections open are refused UO, and only then', async () => {
    const v = (await runStudy([{ name: 'p', scenario: pooled({ http1MaxPendingRequests: 2 }) }])).summary.variants[0]!;
    const edge = v.edges[0]!;
    expect(edge.overflows.mean).toBeGreaterThan(0);
    expect(edge.flagCounts.UO?.mean).toBe(edge.overflows.mean);
    // At 500/s, 80 ms of connecting holds ~40 requests; two may wait, so most of the first ones are refused,
    // and afterwards a ready connection leaves nothing pending.
    expect(edge.overflows.mean).toBeLessThan(60);
  });
});
