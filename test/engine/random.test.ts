// Named streams: reproducible, independent of each other and of which other streams exist.
import { describe, expect, it } from 'vitest';
import { RandomStreams, Reseedable, replicationSeed } from '../../src/engine/index.ts';

const draw = (s: { next(): number }, n: number) => Array.from({ length: n }, () => s.next());

describe('random streams', () => {
  it('the same seed and name give the same sequence', () => {
    expect(draw(new RandomStreams(7).stream('client/a/arrivals'), 5)).toEqual(draw(new RandomStreams(7).stream('client/a/arrivals'), 5));
  });

  it('a stream is unchanged when an unrelated stream is added and drawn from', () => {
    const alone = draw(new RandomStreams(7).stream('client/a/arrivals'), 100);
    const streams = new RandomStreams(7);
    const other = streams.stream('client/b/arrivals');
    draw(other, 37);
    const a = streams.stream('client/a/arrivals');
    const interleaved: number[] = [];
    for (let i = 0; i < 100; i++) {
      interleaved.push(a.next());
      other.next();
    }
    expect(interleaved).toEqual(alone);
  });

  it('different names and different seeds give different sequences', () => {
    const streams = new RandomStreams(7);
    expect(draw(streams.stream('x'), 3)).not.toEqual(draw(streams.stream('y'), 3));
    expect(draw(new RandomStreams(8).stream('x'), 3)).not.toEqual(draw(new RandomStreams(7).stream('x'), 3));
  });

  it('refuses to hand out the same stream twice', () => {
    const streams = new RandomStreams(1);
    streams.stream('pod/a/0');
    expect(() => streams.stream('pod/a/0')).toThrow(/already taken/);
  });

  it('replication seeds are distinct and replication 0 keeps the scenario seed', () => {
    const seeds = Array.from({ length: 50 }, (_, r) => replicationSeed(42, r));
    expect(seeds[0]).toBe(42);
    expect(new Set(seeds).size).toBe(50);
  });

  it('a reseedable generator repeats a request’s numbers from its seed', () => {
    const g = new Reseedable();
    const a = draw(g.reset(123456), 4);
    draw(g.reset(99), 10);
    expect(draw(g.reset(123456), 4)).toEqual(a);
    expect(a.every((x) => x >= 0 && x < 1)).toBe(true);
  });
});
