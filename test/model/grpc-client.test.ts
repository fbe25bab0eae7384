// gRPC's client-side behaviours beyond its retry policy (gRFC A6): server pushback sets the exact
// delay of the next retry, or stops retrying; a transparent retry resends, once, an RPC that never
// reached the server (its connection closed while the RPC still waited on it).
import { describe, expect, it } from 'vitest';
import { nullProbe, type Probe } from '../../src/model/probe.ts';
import type { Rpc } from '../../src/model/rpc.ts';
import type { Outcome } from '../../src/model/status.ts';
import { scenario } from '../../src/scenario/schema.ts';
import { runStudy } from '../../src/study/study.ts';
import { simulate } from './helpers.ts';

const pushback = (value: string) =>
  scenario.parse({
    name: 'pushback',
    seed: 3,
    duration: '5s',
    replications: 1,
    network: { latency: '0s', connectRtts: 0 },
    services: {
      client: {
        calls: [
          {
            to: 'server',
            rate: '20/s',
            serviceConfig: {
              retryPolicy: { maxAttempts: 3, initialBackoff: '10ms', maxBackoff: '50ms', backoffMultiplier: 2, retryableStatusCodes: ['UNAVAILABLE'] },
            },
          },
        ],
      },
      server: { pod: { workers: 100, queue: 10, serviceTime: { distribution: 'constant', value: '1ms' } } },
    },
    faults: [{ target: 'server', errors: { rate: 1, status: 'UNAVAILABLE', pushback: value } }],
  });

describe('server pushback', () => {
  it('grpc-retry-pushback-ms sets the exact delay of every retry: 3 tries, 2 × 200 ms + 3 × 1 ms', async () => {
    const v = (await runStudy([{ name: 'p', scenario: pushback('200ms') }])).summary.variants[0]!;
    expect(v.metrics.attemptsPerRequest.mean).toBe(3);
    expect(v.metrics.latencyMs.mean.mean).toBeCloseTo(403, 6);
  });

  it('a negative pushback ("stop") ends the call after one try', async () => {
    const v = (await runStudy([{ name: 'p', scenario: pushback('stop') }])).summary.variants[0]!;
    expect(v.metrics.attemptsPerRequest.mean).toBe(1);
  });
});

describe('transparent retry', () => {
  it('an RPC left waiting on a connection that closes is resent once, and nobody sees the refusal', () => {
    const s = scenario.parse({
      name: 'transparent',
      seed: 1,
      duration: '1s',
      replications: 1,
      network: { latency: '20ms' }, // connections take 80 ms to open
      services: {
        client: { replicas: 4, calls: [{ to: 'server', rate: '400/s' }] },
        server: { replicas: 2, pod: { workers: 8, queue: 100, serviceTime: { distribution: 'constant', value: '1ms' } } },
      },
      // Pod 0 crashes at 40 ms, while the first connections to it are still opening.
      faults: [{ at: '40ms', target: 'server/0', crash: { restartAfter: '1ms' } }],
    });
    const finals: Outcome[] = [];
    const sent = new Map<number, number>();
    const probe: Probe = {
      ...nullProbe,
      requestDone: (_rpc: Rpc, o: Outcome) => finals.push(o),
      attempt: (rpc: Rpc) => sent.set(rpc.id, (sent.get(rpc.id) ?? 0) + 1),
    };
    simulate(s, 1, probe);
    const resent = [...sent.values()].filter((n) => n === 2).length;
    expect(resent).toBeGreaterThan(0);
    expect([...sent.values()].every((n) => n <= 2)).toBe(true);
    expect(finals.some((o) => o.flag === 'RS')).toBe(false);
  });
});
