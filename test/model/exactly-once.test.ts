// Every RPC completes exactly once, however retries, hedges, per-try and route timeouts, deadlines,
// cancellation, crashes and errors race (fast-check over random configurations).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildWorld } from '../../src/model/build.ts';
import { nullProbe, type Probe } from '../../src/model/probe.ts';
import { scenario } from '../../src/scenario/schema.ts';

const config = fc.record({
  mesh: fc.constantFrom('none', 'sidecar'),
  retries: fc.integer({ min: 0, max: 3 }),
  perTry: fc.option(fc.integer({ min: 1, max: 30 })),
  routeTimeout: fc.option(fc.integer({ min: 5, max: 80 })),
  deadline: fc.option(fc.integer({ min: 2, max: 60 })),
  hedge: fc.boolean(),
  errorRate: fc.double({ min: 0, max: 1, noNaN: true }),
  inTrailers: fc.boolean(),
  honorsCancellation: fc.boolean(),
  dropExpired: fc.boolean(),
  crash: fc.boolean(),
  tiers: fc.integer({ min: 1, max: 2 }),
  seed: fc.integer({ min: 0, max: 1000 }),
});

describe('exactly one completion per RPC', () => {
  it('holds over random races (property)', () => {
    fc.assert(
      fc.property(config, (c) => {
        const ms = (n: number | null) => (n === null ? undefined : `${n}ms`);
        const serviceConfig = c.hedge
          ? { hedgingPolicy: { maxAttempts: 3, hedgingDelay: '3ms', nonFatalStatusCodes: ['UNAVAILABLE'] } }
          : {
              retryPolicy: {
                maxAttempts: 3,
                initialBackoff: '1ms',
                maxBackoff: '5ms',
                backoffMultiplier: 2,
                retryableStatusCodes: ['UNAVAILABLE', 'DEADLINE_EXCEEDED'],
              },
            };
        const pod = (handler: unknown[]) => ({
          workers: 2,
          queue: 20,
          serviceTime: { distribution: 'exponential', mean: '5ms' },
          honorsCancellation: c.honorsCancellation,
          dropExpired: c.dropExpired,
          handler,
        });
        const s = scenario.parse({
          name: 'race',
          seed: c.seed,
          duration: '2s',
          replications: 1,
          mesh: { dataPlane: c.mesh },
          services: {
            client: { replicas: 2, calls: [{ to: 'a', rate: '200/s', deadline: ms(c.deadline), serviceConfig }] },
            a: { replicas: 2, pod: pod(c.tiers > 1 ? [{ call: { to: 'b', serviceConfig } }] : []) },
            b: { replicas: 2, pod: pod([]) },
          },
          routes: Object.fromEntries(
            ['a', 'b'].map((d) => [
              d,
              { timeout: ms(c.routeTimeout), retries: { attempts: c.retries, perTryTimeout: ms(c.perTry), retryOn: 'unavailable,gateway-error,reset' } },
            ]),
          ),
          faults: [
            { target: 'a', errors: { rate: c.errorRate, in: c.inTrailers ? 'trailers' : 'headers' } },
            ...(c.crash ? [{ at: '500ms', target: 'a/0', crash: { restartAfter: '300ms' } }] : []),
          ],
        });
        const issued = new Map<number, number>();
        const probe: Probe = {
          ...nullProbe,
          requestIssued: (rpc) => issued.set(rpc.id, 0),
          requestDone: (rpc) => issued.set(rpc.id, (issued.get(rpc.id) ?? Number.NaN) + 1),
        };
        const world = buildWorld(s, c.seed, probe);
        world.sim.run(60);
        expect(issued.size).toBeGreaterThan(0);
        for (const [id, n] of issued) if (n !== 1) throw new Error(`rpc ${id} completed ${n} times`);
      }),
      { numRuns: 60 },
    );
  });
});
