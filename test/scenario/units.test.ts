// Durations and rates as written in scenarios, and the JSON Schema patterns that editors check them with:
// the parser and the pattern must accept exactly the same texts.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { duration, formatDuration, parseDuration, parseRate, rate } from '../../src/scenario/index.ts';

describe('parseDuration', () => {
  it.each([
    ['250ms', 0.25],
    ['30s', 30],
    ['1.5s', 1.5],
    ['.5s', 0.5],
    ['2m', 120],
    ['2min', 120],
    ['1h30m', 5400],
    ['1d', 86400],
    ['10us', 1e-5],
    ['10µs', 1e-5],
    ['100ns', 1e-7],
    [' 30s ', 30],
  ])('%s is %f seconds', (text, seconds) => {
    expect(parseDuration(text)).toBeCloseTo(seconds, 12);
  });

  it.each(['30 s', '30', 's', '', '1h30', '-5s', '5sec', '1e3s', '30S'])('refuses %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});

describe('parseRate', () => {
  it.each([
    ['3000/s', 3000],
    ['120/min', 2],
    ['120/m', 2],
    ['3600/h', 1],
    ['2/ms', 2000],
    ['1.5/s', 1.5],
    ['1e3/s', 1000],
    ['100 / s', 100],
  ])('%s is %f per second', (text, perSecond) => {
    expect(parseRate(text)).toBeCloseTo(perSecond, 12);
  });

  it.each(['3000', '3000 per second', '/s', 's/3000', '-1/s', '3000/d'])('refuses %j', (text) => {
    expect(parseRate(text)).toBeUndefined();
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [0.0025, '2.5ms'],
    [5e-6, '5us'],
    [30, '30s'],
    [600, '10m'],
    [86400, '24h'],
  ])('%f → %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });
});

describe('JSON Schema patterns agree with the parsers', () => {
  const patternOf = (schema: z.ZodType) => new RegExp(z.globalRegistry.get(schema)?.pattern as string, 'u');
  const durations = ['250ms', '.5s', '1h30m', ' 30s ', '10µs', '30 s', '30', '1h30', '5sec', '', 'ms'];
  const rates = ['3000/s', '120/min', '1e3/s', '100 / s', '3000', '/s', '3000/d', '1.5/h'];

  it.each(durations)('duration %j', (text) => {
    expect(patternOf(duration).test(text)).toBe(parseDuration(text) !== undefined);
  });

  it.each(rates)('rate %j', (text) => {
    expect(patternOf(rate).test(text)).toBe(parseRate(text) !== undefined);
  });
});
