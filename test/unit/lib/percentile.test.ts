import { percentile } from '../../../src/lib/percentile';

describe('percentile', () => {
  it.each<[string, number[], number, number | null]>([
    ['an empty sample has none', [], 0.5, null],
    ['one value is every percentile', [7], 0.95, 7],
    ['the median of an odd sample is its middle value', [3, 1, 2], 0.5, 2],
    ['the median of an even sample lies between the middle two', [4, 1, 3, 2], 0.5, 2.5],
    [
      'p95 of 1..20 interpolates between the 19th and 20th',
      [...Array(20).keys()].map((i) => i + 1),
      0.95,
      19.05,
    ],
    ['p0 is the minimum', [5, 9, 1], 0, 1],
    ['p100 is the maximum', [5, 9, 1], 1, 9],
    ['values that are not finite numbers are left out', [Number.NaN, 10, Infinity, 20], 0.5, 15],
  ])('%s', (_, values, p, expected) => {
    const got = percentile(values, p);
    if (expected === null) expect(got).toBeNull();
    else expect(got).toBeCloseTo(expected, 9);
  });

  it('does not reorder the caller array', () => {
    const values = [3, 1, 2];
    percentile(values, 0.5);
    expect(values).toEqual([3, 1, 2]);
  });

  it('refuses a percentile outside 0..1', () => {
    expect(() => percentile([1], 95)).toThrow(RangeError);
    expect(() => percentile([1], Number.NaN)).toThrow(RangeError);
  });
});
