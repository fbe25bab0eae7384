// Shared helpers for the queueing-theory tests: building scenarios in code, Erlang C, and the
// tolerance rule they all use — the theoretical value must lie inside the 99% Student-t confidence
// interval of the replication means (the summary gives the 95% one; we widen it by t.995/t.975).
import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import type { Figure } from '../../src/observe/types.ts';
import { type ScenarioInput, scenario } from '../../src/scenario/schema.ts';
import { runStudy } from '../../src/study/study.ts';

export const build = (input: ScenarioInput) => scenario.parse(input);

export async function study(input: ScenarioInput) {
  const s = build(input);
  return (await runStudy([{ name: 'base', scenario: s }])).summary.variants[0]!;
}

/** The 95% CI of `f`, widened to 99%, over `n` replications. */
export function ci99(f: Figure, n: number): [number, number] {
  const k = tQuantile(0.995, n - 1) / tQuantile(0.975, n - 1);
  const half = ((f.hi - f.lo) / 2) * k;
  return [f.mean - half, f.mean + half];
}

export function expectInCi(f: Figure, n: number, theory: number): void {
  const [lo, hi] = ci99(f, n);
  if (!(theory >= lo && theory <= hi)) throw new Error(`theory ${theory} outside the 99% CI [${lo}, ${hi}] (mean ${f.mean})`);
}

/** Erlang C: probability an arrival waits in M/M/c with offered load a = λ/μ erlangs (a < c). */
export function erlangC(c: number, a: number): number {
  let term = 1;
  let sum = 1;
  for (let k = 1; k < c; k++) {
    term *= a / k;
    sum += term;
  }
  const last = ((term * a) / c) * (c / (c - a));
  return last / (sum + last);
}
