// `--set path=value` overrides: applied to the document before validation, values read as YAML,
// and mistakes (in the option itself or in the value it sets) attributed to the option.
import { describe, expect, it } from 'vitest';
import { formatProblems, loadScenario, parseSetPath, type Scenario } from '../../src/scenario/index.ts';
import { mmc } from './mmc.ts';

const load = (...sets: string[]): Scenario => {
  const result = loadScenario(mmc, 'mmc.yaml', { sets });
  if (!result.ok) throw new Error(formatProblems(result.problems, mmc));
  return result.scenario;
};
const problems = (...sets: string[]) => {
  const result = loadScenario(mmc, 'mmc.yaml', { sets });
  if (result.ok) throw new Error('expected problems');
  return formatProblems(result.problems, mmc);
};

describe('parseSetPath', () => {
  it.each([
    ['services.server.pod.workers', ['services', 'server', 'pod', 'workers']],
    ['services.client.calls.0.rate', ['services', 'client', 'calls', '0', 'rate']],
    ['services.client.calls[0].rate', ['services', 'client', 'calls', '0', 'rate']],
    ['services["api.v1"].replicas', ['services', 'api.v1', 'replicas']],
    ['duration', ['duration']],
  ])('%s', (text, segments) => {
    expect(parseSetPath(text)).toEqual(segments);
  });

  it.each(['', '.duration', 'a..b', 'a.', 'a[x]', 'calls[0]rate'])('refuses %j', (text) => {
    expect(typeof parseSetPath(text)).toBe('string');
  });
});

describe('--set', () => {
  it('sets a number', () => {
    expect(load('services.server.pod.workers=4').services.server?.pod?.workers).toBe(4);
  });

  it('sets a duration string', () => {
    expect(load('duration=45s').duration).toBe(45);
  });

  it('indexes lists either way', () => {
    expect(load('services.client.calls.0.rate=10/s').services.client?.calls[0]?.rate).toBe(10);
    expect(load('services.client.calls[0].rate=20/s').services.client?.calls[0]?.rate).toBe(20);
  });

  it('sets a map from a YAML flow collection', () => {
    const s = load('services.server.pod.serviceTime={distribution: constant, value: 2ms}');
    expect(s.services.server?.pod?.serviceTime).toEqual({ distribution: 'constant', value: 0.002 });
  });

  it('creates missing maps on the way', () => {
    const s = load('services.extra.replicas=3');
    expect(s.services.extra).toEqual({ replicas: 3, calls: [], server: {} });
  });

  it('deletes a key set to null, so its default applies', () => {
    expect(load('warmup=null').warmup).toBe(0);
  });

  it('finds a key with dots in it, written plainly or quoted', () => {
    const text = `${mmc}variants:\n  rho-0.50: { seed: 2 }\n`;
    for (const set of ['variants.rho-0.50.seed=5', 'variants["rho-0.50"].seed=5']) {
      const result = loadScenario(text, 'mmc.yaml', { sets: [set] });
      expect(result.ok && result.variants[0]?.scenario.seed).toBe(5);
    }
  });

  it('applies in order, the last one winning', () => {
    expect(load('seed=2', 'seed=3').seed).toBe(3);
  });

  it('attributes an invalid value to the option', () => {
    expect(problems('services.server.pod.workers=abc')).toBe(
      '--set services.server.pod.workers=abc: services.server.pod.workers: expected a whole number, got the string "abc"\n',
    );
  });

  it('attributes an unknown key it creates to the option, with a suggestion', () => {
    expect(problems('services.server.pod.workerz=4')).toBe(
      '--set services.server.pod.workerz=4: services.server.pod.workerz: unknown key `workerz`; did you mean `workers`?\n',
    );
  });

  it('attributes a problem inside a map it created to the option', () => {
    expect(problems('services.extra.pod.workers=2')).toBe(
      '--set services.extra.pod.workers=2: services.extra.pod: missing required key `serviceTime`: ' +
        'a distribution (constant, exponential, uniform, lognormal, erlang, gamma, pareto or empirical)\n',
    );
  });

  it('refuses malformed options', () => {
    expect(problems('duration')).toBe('--set duration: expected path=value, e.g. --set services.server.pod.workers=4\n');
    expect(problems('a..b=1')).toContain('--set a..b=1: cannot read the path at "..b"');
    expect(problems('duration.unit=s')).toBe('--set duration.unit=s: duration.unit: `duration` holds a value (600s), not a map; cannot set `unit` inside it\n');
    expect(problems('services.client.calls.5.rate=1/s')).toContain('`services.client.calls` is a list of 1; expected an index from 0 to 1, got "5"');
    expect(problems('seed=[1, 2')).toContain('--set seed=[1, 2: seed: the value is not valid YAML');
  });

  it('reports option problems before file problems, in option order', () => {
    const result = loadScenario(mmc.replace('seed: 1', 'seed: x'), 'mmc.yaml', { sets: ['b', 'a'] });
    expect(!result.ok && result.problems.map((p) => p.file)).toEqual(['--set b', '--set a', 'mmc.yaml']);
  });
});
