// Variant patches merge over the base like JSON Merge Patch (RFC 7386).
import { describe, expect, it } from 'vitest';
import { mergePatch } from '../../src/scenario/index.ts';

describe('mergePatch', () => {
  it('merges maps key by key, recursively', () => {
    const base = { a: 1, b: { c: 2, d: { e: 3, f: 4 } } };
    expect(mergePatch(base, { b: { d: { f: 5 }, g: 6 } })).toEqual({ a: 1, b: { c: 2, d: { e: 3, f: 5 }, g: 6 } });
  });

  it('replaces lists and scalars wholesale', () => {
    expect(mergePatch({ calls: [{ to: 'a' }, { to: 'b' }], n: 1 }, { calls: [{ rate: '1/s' }], n: 'x' })).toEqual({ calls: [{ rate: '1/s' }], n: 'x' });
  });

  it('deletes a key patched with null, also inside new maps', () => {
    expect(mergePatch({ a: 1, b: { c: 2, d: 3 } }, { a: null, b: { c: null }, x: { y: null, z: 1 } })).toEqual({ b: { d: 3 }, x: { z: 1 } });
  });

  it('replaces a scalar with a map and a map with a scalar', () => {
    expect(mergePatch({ a: 1, b: { c: 2 } }, { a: { x: 1 }, b: 5 })).toEqual({ a: { x: 1 }, b: 5 });
  });

  it('an empty patch gives an equal copy', () => {
    const base = { a: { b: [1, 2] } };
    const merged = mergePatch(base, {});
    expect(merged).toEqual(base);
    expect(merged).not.toBe(base);
  });

  it('leaves both inputs unchanged', () => {
    const base = { a: { b: 1, c: 2 } };
    const patch = { a: { b: null, d: 3 } };
    mergePatch(base, patch);
    expect(base).toEqual({ a: { b: 1, c: 2 } });
    expect(patch).toEqual({ a: { b: null, d: 3 } });
  });

  it('treats a __proto__ key as data, not as the prototype', () => {
    const patch = JSON.parse('{"__proto__": {"polluted": true}}') as unknown;
    const merged = mergePatch({}, patch) as Record<string, unknown>;
    expect(Object.hasOwn(merged, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('mergePatch: a change of kind replaces the map', () => {
  it('a variant that switches a lognormal to an exponential does not inherit median and p99', () => {
    const base = { serviceTime: { distribution: 'lognormal', median: '2ms', p99: '20ms' } };
    expect(mergePatch(base, { serviceTime: { distribution: 'exponential', mean: '5ms' } })).toEqual({
      serviceTime: { distribution: 'exponential', mean: '5ms' },
    });
  });

  it('a patch that keeps the kind still merges', () => {
    const base = { serviceTime: { distribution: 'lognormal', median: '2ms', p99: '20ms' } };
    expect(mergePatch(base, { serviceTime: { distribution: 'lognormal', p99: '40ms' } })).toEqual({
      serviceTime: { distribution: 'lognormal', median: '2ms', p99: '40ms' },
    });
  });
});
