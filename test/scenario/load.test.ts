// Loading scenario text: a good scenario gives typed values in seconds, every problem is reported at
// once with its position, and hostile input (huge files, alias bombs) is refused without a crash.
import { describe, expect, it } from 'vitest';
import { formatProblems, loadScenario, type Problem } from '../../src/scenario/index.ts';
import { mmc } from './mmc.ts';

const problemsOf = (text: string, options?: Parameters<typeof loadScenario>[2]): Problem[] => {
  const result = loadScenario(text, 'test.yaml', options);
  if (result.ok) throw new Error('expected problems');
  return result.problems;
};

describe('a good scenario', () => {
  it('loads with no problems, values in seconds and per second', () => {
    const result = loadScenario(mmc, 'mmc.yaml');
    if (!result.ok) throw new Error(formatProblems(result.problems, mmc));
    const { scenario } = result;
    expect(scenario.services.server?.pod?.workers).toBe(8);
    expect(scenario.services.client?.calls[0]?.rate).toBe(7200);
    expect(scenario.duration).toBe(600);
    expect(scenario.warmup).toBe(30);
    expect(scenario.services.server?.pod?.serviceTime).toEqual({ distribution: 'exponential', mean: 0.001 });
  });

  it('fills in defaults', () => {
    const result = loadScenario(mmc, 'mmc.yaml');
    if (!result.ok) throw new Error('expected ok');
    expect(result.scenario.window).toBe(1);
    expect(result.scenario.maxEvents).toBe(2e9);
    expect(result.scenario.services.client?.replicas).toBe(1);
    expect(result.scenario.services.server?.calls).toEqual([]);
  });

  it('without variants is its own single variant named base', () => {
    const result = loadScenario(mmc, 'mmc.yaml');
    if (!result.ok) throw new Error('expected ok');
    expect(result.variants).toEqual([{ name: 'base', scenario: result.scenario }]);
  });

  it('accepts YAML merge keys', () => {
    const text = `${mmc}  other:\n    pod:\n      <<: { workers: 2 }\n      serviceTime: { distribution: constant, value: 1ms }\n`;
    const result = loadScenario(text, 'mmc.yaml');
    expect(result.ok && result.scenario.services.other?.pod?.workers).toBe(2);
  });
});

describe('problems', () => {
  it('reports every problem at once, sorted by position', () => {
    const text = mmc.replace('duration: 600s', 'duration: 600').replace('workers: 8', 'workers: -8').replace('replications: 5', 'replicatons: 5');
    const problems = problemsOf(text);
    expect(problems.map((p) => [p.line, p.path])).toEqual([
      [4, 'duration'],
      [6, 'replicatons'],
      [16, 'services.server.pod.workers'],
    ]);
  });

  it('points at the column of the offending value', () => {
    const [p] = problemsOf(mmc.replace('7200/s', '7200 per second'));
    expect(p).toMatchObject({ file: 'test.yaml', line: 12, col: 15, path: 'services.client.calls[0].rate' });
  });

  it('points a missing key at the key of the map that lacks it', () => {
    const [p] = problemsOf(mmc.replace('      serviceTime: { distribution: exponential, mean: 1ms }\n', ''));
    expect(p).toMatchObject({ line: 15, col: 5, path: 'services.server.pod', message: expect.stringContaining('missing required key `serviceTime`') });
  });

  it('suggests the closest service for an unknown reference', () => {
    const [p] = problemsOf(mmc.replace('to: server', 'to: srever'));
    expect(p?.message).toBe('no service named "srever"; did you mean "server"?');
  });

  it('lists the allowed keys when no key is close', () => {
    const [p] = problemsOf(mmc.replace('    replicas: 1\n', '    flavour: 1\n'));
    expect(p?.message).toBe('unknown key `flavour`; expected one of: replicas, pod, subsets, calls, server');
  });

  it('explains a value that matches no branch of a union by the branch of its type', () => {
    const text = mmc.replace('{ distribution: exponential, mean: 1ms }', '{ distribution: empirical, values: [3, { value: 2ms, wieght: 2 }] }');
    expect(problemsOf(text).map((p) => `${p.path}: ${p.message}`)).toEqual([
      'services.server.pod.serviceTime.values[0]: expected a duration with a unit, e.g. "250ms", "30s" or "2h", or a map of keys and values; got the number 3',
      'services.server.pod.serviceTime.values[1]: missing required key `weight`: a number (weight)',
      'services.server.pod.serviceTime.values[1].wieght: unknown key `wieght`; did you mean `weight`?',
    ]);
  });

  it('reports a mistake in an anchor once, at the anchor, however many aliases use it', () => {
    const text = mmc
      .replace('serviceTime: { distribution: exponential, mean: 1ms }', 'serviceTime: &st { distribution: exponential, mean: 1 }')
      .concat('  copy:\n    pod: { serviceTime: *st }\n');
    expect(problemsOf(text)).toEqual([expect.objectContaining({ line: 18, col: 59, path: 'services.server.pod.serviceTime.mean' })]);
  });

  it('reports YAML syntax errors with positions and stops there', () => {
    const problems = problemsOf('name: x\nduration: "60s\n');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ line: 3, path: '', message: expect.stringMatching(/^YAML syntax error: /) });
  });

  it('refuses a second YAML document', () => {
    const [p] = problemsOf(`${mmc}---\nname: other\n`);
    expect(p?.message).toContain('a scenario file holds one YAML document');
  });

  it('refuses a top level that is not a map', () => {
    const [p] = problemsOf('- name: x\n');
    expect(p?.message).toContain('a scenario is a map of keys');
  });

  it('refuses a file over maxBytes before parsing it', () => {
    const [p] = problemsOf(`${mmc}# ${'x'.repeat(2000)}\n`, { maxBytes: 1000 });
    expect(p).toMatchObject({ line: 0, message: expect.stringContaining('over the 1 kB limit') });
    const big = `${mmc}# ${'é'.repeat(3_000_000)}\n`;
    expect(problemsOf(big)[0]?.message).toBe('the file is 6 MB, over the 5 MB limit for a scenario; is this the right file?');
  });

  it('refuses an alias bomb without expanding it', () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 30; i++)
      lines.push(
        `a${i}: &a${i} [${Array(10)
          .fill(`*a${i - 1}`)
          .join(', ')}]`,
      );
    const started = performance.now();
    const problems = problemsOf(lines.join('\n'));
    expect(performance.now() - started).toBeLessThan(2000);
    expect(problems).toEqual([expect.objectContaining({ line: 2, col: 10, path: 'a1[0]', message: expect.stringContaining('billion laughs') })]);
  });

  it('honours a lower maxAliasCount', () => {
    const text = `${mmc}  copy:\n    pod: &pod { serviceTime: { distribution: constant, value: 1ms } }\n  copy2:\n    pod: *pod\n`;
    expect(loadScenario(text, 'x.yaml').ok).toBe(true);
    expect(problemsOf(text, { maxAliasCount: 0 })[0]?.message).toContain('limit of 0 alias uses');
  });

  it('refuses an empty file', () => {
    expect(problemsOf('# nothing\n')[0]?.message).toContain('the file is empty');
  });
});
