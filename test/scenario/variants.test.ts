// Variants: patches merged over the base, each validated with the full schema; a problem points
// into the variant's patch when the path is there, else at the base node, naming the variant.
import { describe, expect, it } from 'vitest';
import { formatProblems, loadScenario } from '../../src/scenario/index.ts';
import { mmc } from './mmc.ts';

const withVariants = (variants: string) => `${mmc}variants:\n${variants}`;

describe('variants', () => {
  it('merges each patch over the base, in file order', () => {
    const text = withVariants(
      '  "10": { services: { server: { replicas: 10 } } }\n  slow:\n    services:\n      server:\n        pod: { workers: 1 }\n  same: {}\n',
    );
    const result = loadScenario(text, 'v.yaml');
    if (!result.ok) throw new Error(formatProblems(result.problems, text));
    expect(result.variants.map((v) => v.name)).toEqual(['10', 'slow', 'same']);
    const [ten, slow, same] = result.variants.map((v) => v.scenario);
    expect(ten?.services.server?.replicas).toBe(10);
    expect(slow?.services.server?.pod?.workers).toBe(1);
    expect(slow?.services.server?.pod?.queue).toBe(100000);
    expect(slow?.services.server?.pod?.serviceTime).toEqual({ distribution: 'exponential', mean: 0.001 });
    const { variants: _, ...base } = result.scenario;
    expect(same).toEqual(base);
  });

  it('removes the variants key from each merged scenario', () => {
    const result = loadScenario(withVariants('  a: { seed: 7 }\n'), 'v.yaml');
    expect(result.ok && result.variants[0]?.scenario).not.toHaveProperty('variants');
    expect(result.ok && result.variants[0]?.scenario.seed).toBe(7);
  });

  it('deletes a key patched with null', () => {
    const result = loadScenario(withVariants('  no-warmup: { warmup: null }\n'), 'v.yaml');
    expect(result.ok && result.variants[0]?.scenario.warmup).toBe(0);
  });

  it('points at the node inside the patch when the path is there', () => {
    const text = withVariants('  bad:\n    services:\n      server:\n        pod: { workers: 0 }\n');
    const result = loadScenario(text, 'v.yaml');
    expect(!result.ok && result.problems).toEqual([
      { file: 'v.yaml', line: 23, col: 25, path: 'variants.bad.services.server.pod.workers', message: 'must be at least 1 (got 0)' },
    ]);
  });

  it('points at the base node when the patch does not hold the path, naming the variant', () => {
    const result = loadScenario(withVariants('  short: { duration: 20s }\n'), 'v.yaml');
    expect(!result.ok && result.problems).toEqual([
      { file: 'v.yaml', line: 5, col: 9, path: 'warmup', message: 'warmup (30s) must be shorter than duration (20s) (in variant `short`)' },
    ]);
  });

  it('points at a deletion that removes a required key', () => {
    const result = loadScenario(withVariants('  nameless: { name: null }\n'), 'v.yaml');
    expect(!result.ok && result.problems[0]).toMatchObject({
      line: 20,
      col: 21,
      path: 'variants.nameless',
      message: expect.stringMatching(/^missing required key `name`/),
    });
  });

  it('suggests a key for a typo in a patch', () => {
    const result = loadScenario(withVariants('  typo: { replicatons: 2 }\n'), 'v.yaml');
    expect(!result.ok && result.problems[0]).toMatchObject({ line: 20, col: 11, path: 'variants.typo.replicatons' });
    expect(!result.ok && result.problems[0]?.message).toContain('did you mean `replications`?');
  });

  it('reports a problem of the base once, not once per variant', () => {
    const text = withVariants('  a: { seed: 2 }\n  b: { seed: 3 }\n').replace('workers: 8', 'workers: 0');
    const result = loadScenario(text, 'v.yaml');
    expect(!result.ok && result.problems.map((p) => p.message)).toEqual(['must be at least 1 (got 0)']);
  });

  it('groups one base problem caused by several variants', () => {
    const text = withVariants('  a: { warmup: 700s }\n  b: { warmup: 700s }\n  c: { services: { server: { replicas: 0 } } }\n');
    const result = loadScenario(text, 'v.yaml');
    expect(!result.ok && result.problems.map((p) => `${p.line}:${p.col} ${p.path}`)).toEqual([
      '20:16 variants.a.warmup',
      '21:16 variants.b.warmup',
      '22:40 variants.c.services.server.replicas',
    ]);
    const viaBase = loadScenario(withVariants('  a: { duration: 10s }\n  b: { duration: 10s }\n'), 'v.yaml');
    expect(!viaBase.ok && viaBase.problems.map((p) => p.message)).toEqual(['warmup (30s) must be shorter than duration (10s) (in variants `a`, `b`)']);
  });

  it('refuses a patch that is not a map and a badly named variant', () => {
    const result = loadScenario(withVariants('  a: 3\n  Big: {}\n'), 'v.yaml');
    expect(!result.ok && result.problems.map((p) => [p.line, p.path, p.message])).toEqual([
      [20, 'variants.a', 'expected a map of keys and values, got the number 3'],
      [21, 'variants.Big', '"Big" is not a valid variant name: expected a lowercase name: letters, digits, ".", "_" or "-"'],
    ]);
  });
});
