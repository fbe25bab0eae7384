// CSV text: RFC 4180 quoting, empty cells for null, numbers to 6 significant digits, stable headers.
import { describe, expect, it } from 'vitest';
import { formatCell, toCsv } from '../../src/report/csv.ts';

describe('formatCell', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['cr\rlf', '"cr\rlf"'],
    ['', ''],
    [' padded ', ' padded '],
  ])('quotes %j as %j', (input, expected) => {
    expect(formatCell(input)).toBe(expected);
  });

  it.each([
    [null, ''],
    [undefined, ''],
    [0, '0'],
    [-0, '0'],
    [42, '42'],
    [1234567, '1234567'],
    [Math.PI, '3.14159'],
    [2 / 3, '0.666667'],
    [123456.789, '123457'],
    [0.1 + 0.2, '0.3'],
    [1e-7 / 3, '3.33333e-8'],
    [Number.NaN, ''],
    [Number.POSITIVE_INFINITY, ''],
    [true, 'true'],
  ])('prints %j as %j', (input, expected) => {
    expect(formatCell(input)).toBe(expected);
  });
});

describe('toCsv', () => {
  it('takes the header from the keys in order of first appearance and ends every line with \\n', () => {
    const rows = [
      { variant: 'l4', t: 0, p99Ms: null },
      { variant: 'l7, rr', t: 1, p99Ms: 12.3456789, extra: 'x' },
    ];
    expect(toCsv(rows)).toBe('variant,t,p99Ms,extra\nl4,0,,\n"l7, rr",1,12.3457,x\n');
  });
  it('follows explicit columns, leaving missing cells empty', () => {
    expect(toCsv([{ a: 1 }], ['b', 'a'])).toBe('b,a\n,1\n');
  });
  it('writes just the header when there are no rows, nothing when there are no columns', () => {
    expect(toCsv([], ['a', 'b'])).toBe('a,b\n');
    expect(toCsv([])).toBe('');
  });
});
