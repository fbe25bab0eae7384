// The event budget: means of every distribution kind, the rough event estimate for open and closed
// loops, and the problem that refuses an oversized study at the maxEvents (or duration) line.
import { describe, expect, it } from 'vitest';
import { checkBudget, type DistributionSpec, estimateEvents, loadScenario, meanOf, type Scenario } from '../../src/scenario/index.ts';
import { mmc } from './mmc.ts';

const load = (text: string, sets: string[] = []): Scenario => {
  const result = loadScenario(text, 'b.yaml', { sets });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.scenario;
};

describe('meanOf', () => {
  it.each<[string, DistributionSpec, number]>([
    ['constant', { distribution: 'constant', value: 0.004 }, 0.004],
    ['exponential', { distribution: 'exponential', mean: 0.001 }, 0.001],
    ['uniform', { distribution: 'uniform', min: 0.001, max: 0.003 }, 0.002],
    ['erlang', { distribution: 'erlang', k: 3, mean: 0.01 }, 0.01],
    ['gamma', { distribution: 'gamma', shape: 0.5, mean: 0.02 }, 0.02],
    ['lognormal(mean, cv)', { distribution: 'lognormal', mean: 0.01, cv: 2 }, 0.01],
    // σ = ln(25/4)/z99 = 0.78776; mean = 4ms · exp(σ²/2) = 5.4627ms
    ['lognormal(median, p99)', { distribution: 'lognormal', median: 0.004, p99: 0.025 }, 0.004 * Math.exp((Math.log(25 / 4) / 2.3263478740408408) ** 2 / 2)],
    // bounded Pareto α=2 on [1, 10]: α/(α−1) · L · (1 − L/H) / (1 − (L/H)²) = 2 · 0.9 / 0.99
    ['pareto α=2', { distribution: 'pareto', alpha: 2, min: 1, max: 10 }, 1.8 / 0.99],
    // α=1: H·L/(H−L) · ln(H/L)
    ['pareto α=1', { distribution: 'pareto', alpha: 1, min: 1, max: 10 }, (10 / 9) * Math.log(10)],
    ['empirical', { distribution: 'empirical', values: [0.001, { value: 0.004, weight: 3 }] }, (0.001 + 0.012) / 4],
  ])('%s', (_, dist, mean) => {
    expect(meanOf(dist)).toBeCloseTo(mean, 10);
  });

  it('the pareto mean is continuous at α = 1', () => {
    const at = (alpha: number) => meanOf({ distribution: 'pareto', alpha, min: 0.001, max: 1 });
    expect(at(1 + 1e-7)).toBeCloseTo(at(1), 6);
  });
});

describe('estimateEvents', () => {
  it('open loop: rate × duration × 4 events × replications × variants', () => {
    expect(estimateEvents(load(mmc), 1)).toBe(7200 * 600 * 4 * 5);
    expect(estimateEvents(load(mmc), 3)).toBe(7200 * 600 * 4 * 5 * 3);
  });

  it('schedule: the highest step', () => {
    const s = load(mmc, ['services.client.calls.0.rate=null', 'services.client.calls.0.schedule=[{at: 0s, rate: 10/s}, {at: 60s, rate: 50/s}]']);
    expect(estimateEvents(s, 1)).toBe(50 * 600 * 4 * 5);
  });

  it('closed loop: concurrency × duration / (think time + service time)', () => {
    const s = load(mmc, [
      'services.client.calls.0.rate=null',
      'services.client.calls.0.concurrency=10',
      'services.client.calls.0.thinkTime={distribution: constant, value: 9ms}',
    ]);
    expect(estimateEvents(s, 1)).toBeCloseTo(((10 * 600) / 0.01) * 4 * 5, 3);
  });

  it('closed loop with zero think and service time stays finite', () => {
    const s = load(mmc, [
      'services.client.calls.0.rate=null',
      'services.client.calls.0.concurrency=1',
      'services.server.pod.serviceTime={distribution: constant, value: 0s}',
    ]);
    expect(estimateEvents(s, 1)).toBeCloseTo((600 / 1e-6) * 4 * 5, 0);
  });
});

describe('checkBudget', () => {
  it('accepts a study within maxEvents', () => {
    expect(checkBudget(load(mmc), 1)).toBeUndefined();
  });

  it('points at maxEvents when the file sets it, saying how to lower the estimate or raise the limit', () => {
    const text = mmc.replace('replications: 5', 'replications: 5\nmaxEvents: 1e8');
    expect(checkBudget(load(text), 2)).toEqual({
      file: 'b.yaml',
      line: 7,
      col: 12,
      path: 'maxEvents',
      message:
        'this scenario needs about 1.7e8 events (2 variants × 5 replications), more than maxEvents = 1.0e8; ' +
        'shorten duration, lower rates, concurrency or replications, or raise maxEvents to 1.8e8',
    });
  });

  it('points at duration when the file does not set maxEvents, also on a shallow copy', () => {
    const scenario = load(mmc.replace('duration: 600s', 'duration: 40000s'));
    expect(checkBudget(scenario, 1)).toMatchObject({ file: 'b.yaml', line: 4, col: 11, path: 'duration' });
    expect(checkBudget({ ...scenario, replications: 1 }, 1)).toBeUndefined();
    expect(checkBudget({ ...scenario, replications: 2 }, 1)).toMatchObject({ line: 4, message: expect.stringContaining('1 variant × 2 replications') });
  });

  it('points at the --set that raised maxEvents too little', () => {
    expect(checkBudget(load(mmc, ['maxEvents=1000']), 1)).toMatchObject({ file: '--set maxEvents=1000', line: 0, path: 'maxEvents' });
  });

  it('sums the variants’ own estimates when given their scenarios', () => {
    const result = loadScenario(`${mmc}maxEvents: 1.5e8\nvariants:\n  a: {}\n  b: { replications: 1 }\n`, 'b.yaml');
    if (!result.ok) throw new Error('expected ok');
    expect(checkBudget(result.scenario, result.variants.length)).toBeDefined();
    expect(
      checkBudget(
        result.scenario,
        result.variants.map((v) => v.scenario),
      ),
    ).toBeUndefined();
  });
});
