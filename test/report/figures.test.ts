// Human-readable summary figures: "mean ±half-width", locale-independent.
import { describe, expect, it } from 'vitest';
import { formatFigure } from '../../src/report/figures.ts';

describe('formatFigure', () => {
  it('prints the mean to 3 significant digits and the half-width to the same decimals', () => {
    expect(formatFigure({ mean: 4.1234, lo: 4.0, hi: 4.2 })).toBe('4.12 ±0.10');
    expect(formatFigure({ mean: 212.4, lo: 190, hi: 235 })).toBe('212 ±23');
  });
  it('groups thousands with commas', () => {
    expect(formatFigure({ mean: 12345.6, lo: 12300, hi: 12391.2 }, { digits: 4 })).toBe('12,346 ±46');
  });
  it('scales percentages and keeps fixed decimals', () => {
    expect(formatFigure({ mean: 0.99957, lo: 0.9995, hi: 0.99964 }, { scale: 100, decimals: 2 })).toBe('99.96 ±0.01');
  });
  it('drops the ± part when there is no interval (one replication)', () => {
    expect(formatFigure({ mean: 2.61, lo: 2.61, hi: 2.61 })).toBe('2.61');
  });
  it('never prints a negative zero', () => {
    expect(formatFigure({ mean: -0.0001, lo: -0.0001, hi: -0.0001 }, { decimals: 2 })).toBe('0.00');
  });
});
