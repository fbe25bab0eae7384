// Metastable failure (scenarios/metastable.yaml, smaller and shorter): a trigger pushes the api into
// a state where every try times out; whether it stays there after the trigger ends depends only on
// the sustaining condition below, which the test checks on both sides.
//
// The sustaining condition. The api has C = pods × workers / mean service = 2 × 4 / 20 ms = 400
// requests/s of capacity. The sidecars retry a try that takes longer than the per-try timeout
// (150 ms), up to n = 3 tries per request, and the pods do not honour cancellation, so every try that
// was sent is worked on, even after the router has reset it. Once the queue is long enough that the
// wait exceeds the per-try timeout, every try times out, so every request sends n tries and the work
// offered is λ·n:
//   - λ·n > C: the queue cannot drain (it stays full, the refusals shed the rest), the wait stays
//     above the per-try timeout, every try keeps timing out: stuck, goodput ≈ 0 with the pods 100 %
//     busy, long after the trigger is gone.
//   - λ·n ≤ C: the queue drains at C − λ·n, the wait falls under the per-try timeout and tries
//     succeed again: it recovers.
// Base case λ = 280/s (70 % load): λ·n = 840 > 400, stuck. It recovers with (a) no retries, n = 1:
// 280 ≤ 400; (b) retries kept but λ = 80/s: λ·n = 240 ≤ 400; (c) `honorsCancellation: true`: a try
// reset by the router leaves the queue unworked, so work is only done for tries someone still waits
// for, at most one per request at a time: ≤ λ = 280 ≤ 400.
// The trigger is the same for every case: a 10x slowdown (capacity 40/s) from 5 s to 10 s, enough to
// put even λ = 80/s into the every-try-times-out state. The queue (300 per pod) drains after it in at
// most 600 / (C − λ·n) ≤ 600 / 120 = 5 s, so every recovering case is back by 15 s; the checks look at
// [20 s, 30 s).
import { beforeAll, describe, expect, it } from 'vitest';
import type { EdgeTimeSeriesRow, PodTimeSeriesRow, TimeSeriesRow } from '../../src/observe/types.ts';
import { mergePatch } from '../../src/scenario/merge.ts';
import { scenario } from '../../src/scenario/schema.ts';
import { runStudy } from '../../src/study/study.ts';

const PODS = 2;
const WORKERS = 4;
const MEAN_SERVICE = 0.02;
const C = (PODS * WORKERS) / MEAN_SERVICE;
const TRIES = 3;
const REPLICATIONS = 2;

const base = {
  name: 'metastable-small',
  seed: 3,
  duration: '30s',
  warmup: '2s',
  replications: REPLICATIONS,
  window: '1s',
  mesh: { dataPlane: 'sidecar' },
  services: {
    frontend: { replicas: 2, calls: [{ to: 'api', method: 'api.Api/Get', rate: '280/s', deadline: '1s' }] },
    api: { replicas: PODS, pod: { workers: WORKERS, queue: 300, serviceTime: { distribution: 'exponential', mean: `${MEAN_SERVICE * 1000}ms` } } },
  },
  trafficPolicy: { api: { loadBalancer: { simple: 'LEAST_REQUEST' } } },
  routes: { api: { retries: { attempts: TRIES - 1, perTryTimeout: '150ms', retryOn: 'unavailable,gateway-error' } } },
  faults: [{ at: '5s', for: '5s', target: 'api', slowdown: '10x' }],
};

const cases = {
  stuck: { lambda: 280, tries: TRIES, patch: {} },
  'no-retries': { lambda: 280, tries: 1, patch: { routes: { api: { retries: { attempts: 0 } } } } },
  'lower-rate': {
    lambda: 80,
    tries: TRIES,
    patch: { services: { frontend: { calls: [{ to: 'api', method: 'api.Api/Get', rate: '80/s', deadline: '1s' }] } } },
  },
  // Work is only done for live tries: at most one per request at a time.
  'cancellation-honoured': { lambda: 280, tries: 1, patch: { services: { api: { pod: { honorsCancellation: true } } } } },
} as const;

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const within = (from: number, to: number) => (w: { t: number }) => w.t >= from && w.t < to;

type Tables = Awaited<ReturnType<typeof runStudy>>['tables'];

/** Per replication of `name`: the api edge's, the entry's and the api pods' time series. */
function series(tables: Tables, name: string, r: number) {
  return {
    edge: tables.edgeTimeseries.filter((w: EdgeTimeSeriesRow) => w.variant === name && w.replication === r && w.to === 'api'),
    total: tables.timeseries.filter((w: TimeSeriesRow) => w.variant === name && w.replication === r),
    pods: tables.podTimeseries.filter((w: PodTimeSeriesRow) => w.variant === name && w.replication === r && w.service === 'api'),
  };
}

describe('metastable failure after a trigger', () => {
  const names = Object.keys(cases) as (keyof typeof cases)[];
  let tables: Tables;
  beforeAll(async () => {
    tables = (await runStudy(names.map((name) => ({ name, scenario: scenario.parse(mergePatch(base, cases[name].patch)) })))).tables;
  });

  it('the cases sit on the sides of λ·n = C they are meant to', () => {
    expect(C).toBe(400);
    for (const [name, c] of Object.entries(cases)) expect(c.lambda * c.tries > C, name).toBe(name === 'stuck');
  });

  it('every case serves its load before the trigger and none does in its last second', () => {
    for (const name of names)
      for (let r = 0; r < REPLICATIONS; r++) {
        const { edge } = series(tables, name, r);
        const lambda = cases[name].lambda;
        expect(mean(edge.filter(within(2, 5)).map((w) => w.goodputRps)), `${name} #${r + 1}`).toBeGreaterThan(0.85 * lambda);
        expect(edge.find((w) => w.t === 9)!.goodputRps, `${name} #${r + 1}`).toBeLessThan(0.2 * lambda);
      }
  });

  it('λ·n > C: after the trigger goodput stays near zero while the pods stay saturated by more than C tries/s', () => {
    for (let r = 0; r < REPLICATIONS; r++) {
      const { edge, total, pods } = series(tables, 'stuck', r);
      const goodput = mean(edge.filter(within(20, 30)).map((w) => w.goodputRps));
      // The same from the entry's series: throughput − errors.
      expect(mean(total.filter(within(20, 30)).map((w) => w.throughputRps - w.errorRps))).toBeCloseTo(goodput, 6);
      expect(goodput).toBeLessThan(0.05 * cases.stuck.lambda);
      expect(mean(pods.filter(within(20, 30)).map((w) => w.utilization))).toBeGreaterThan(0.97);
      expect(mean(edge.filter(within(20, 30)).map((w) => w.attemptedRps))).toBeGreaterThan(C);
    }
  });

  it.each(['no-retries', 'lower-rate', 'cancellation-honoured'] as const)(
    'λ·n ≤ C (%s): goodput recovers to ≥ 90 %% of λ and the pods to the plain load λ/C',
    (name) => {
      const lambda = cases[name].lambda;
      for (let r = 0; r < REPLICATIONS; r++) {
        const { edge, total, pods } = series(tables, name, r);
        const goodput = mean(edge.filter(within(20, 30)).map((w) => w.goodputRps));
        expect(mean(total.filter(within(20, 30)).map((w) => w.throughputRps - w.errorRps))).toBeCloseTo(goodput, 6);
        expect(goodput).toBeGreaterThanOrEqual(0.9 * lambda);
        // Not working on dead tries any more: utilization back near λ/C (70 % or 20 %).
        expect(mean(pods.filter(within(20, 30)).map((w) => w.utilization))).toBeLessThan(lambda / C + 0.1);
      }
    },
  );
});
