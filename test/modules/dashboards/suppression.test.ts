/**
 * Small-count protection as pure functions: which cells of a table are suppressed, and when
 * a share may be shown. Cases read like a truth table.
 */
import { isSmallCount, protectedPercentage, shareShown, suppressedCells, SumRelation } from '../../../src/modules/dashboards/suppression';

const K = 5;
const table = (entries: Record<string, number>) => new Map(Object.entries(entries));
const suppress = (values: Record<string, number>, relations: SumRelation[]) => [...suppressedCells(table(values), relations, K)].sort();

describe('primary suppression', () => {
  test.each([
    [0, false], [1, true], [3, true], [5, true], [6, false], [100, false],
  ])('a count of %i is small: %s', (count, small) => {
    expect(isSmallCount(count, K)).toBe(small);
  });

  test('without relations, exactly the counts from 1 to k', () => {
    expect(suppress({ a: 0, b: 1, c: 5, d: 6 }, [])).toEqual(['b', 'c']);
  });
});

describe('complementary suppression', () => {
  const total = (parent: string, ...children: string[]): SumRelation => ({ parent, children });

  test('one small child under a shown total takes the smallest other non-zero child with it', () => {
    expect(suppress({ all: 20, a: 3, b: 9, c: 8, z: 0 }, [total('all', 'a', 'b', 'c', 'z')])).toEqual(['a', 'c']);
  });

  test('two small children need nothing more', () => {
    expect(suppress({ all: 20, a: 3, b: 4, c: 13 }, [total('all', 'a', 'b', 'c')])).toEqual(['a', 'b']);
  });

  test('a single non-zero sibling that is larger is taken; zeros never are', () => {
    expect(suppress({ all: 10, a: 3, b: 0, c: 7 }, [total('all', 'a', 'b', 'c')])).toEqual(['a', 'c']);
  });

  test('a small total takes its only non-zero child', () => {
    expect(suppress({ all: 4, a: 4, b: 0 }, [total('all', 'a', 'b')])).toEqual(['a', 'all']);
  });

  test('suppression spreads through linked relations until none has exactly one suppressed member', () => {
    // Windstreek W = schools s1 + s2; the partnership = W + V; V = school s3.
    const values = { all: 17, W: 10, V: 7, s1: 2, s2: 8, s3: 7 };
    const relations = [total('all', 'W', 'V'), total('W', 's1', 's2'), total('V', 's3')];
    const hidden = suppress(values, relations);
    expect(hidden).toEqual(['s1', 's2']);
    for (const r of relations) expect([r.parent, ...r.children].filter((k) => hidden.includes(k)).length).not.toBe(1);
  });

  test('in a two-way table (schools by months with totals) no line keeps a single suppressed cell', () => {
    const values: Record<string, number> = { 's1|m1': 3, 's1|m2': 9, 's2|m1': 7, 's2|m2': 8, 's1|Q': 12, 's2|Q': 15, 'all|m1': 10, 'all|m2': 17, 'all|Q': 27 };
    const relations = [
      total('s1|Q', 's1|m1', 's1|m2'), total('s2|Q', 's2|m1', 's2|m2'), total('all|Q', 'all|m1', 'all|m2'),
      total('all|m1', 's1|m1', 's2|m1'), total('all|m2', 's1|m2', 's2|m2'), total('all|Q', 's1|Q', 's2|Q'),
    ];
    const hidden = suppress(values, relations);
    expect(hidden).toContain('s1|m1');
    for (const r of relations) expect([r.parent, ...r.children].filter((k) => hidden.includes(k)).length).not.toBe(1);
  });

  test('the same table always gives the same answer', () => {
    const values = { all: 30, a: 2, b: 9, c: 9, d: 10 };
    const relations = [total('all', 'a', 'b', 'c', 'd')];
    expect(suppress(values, relations)).toEqual(suppress(values, relations));
    expect(suppress(values, relations)).toEqual(['a', 'b']);
  });
});

describe('shares', () => {
  test.each([
    [0, 40, 5], [1, 40, 5], [20, 40, 50], [39, 40, 95], [40, 40, 95], [7, 9, 78],
  ])('%i of %i is shown as %i percent (rounded, clamped to 5–95)', (numerator, denominator, percent) => {
    expect(protectedPercentage(numerator, denominator)).toBe(percent);
  });

  test.each([
    [20, 40, false, false, true, 'both counts shown and neither part small'],
    [3, 40, false, false, false, 'the numerator is a small count (3 of 40 would be 8 % → 3.2)'],
    [37, 40, false, false, false, 'the rest is a small count (40 − 37 = 3)'],
    [20, 40, true, false, false, 'the numerator is suppressed (complementary)'],
    [20, 40, false, true, false, 'the denominator is suppressed'],
    [0, 4, false, false, false, 'the denominator is a small count'],
    [0, 0, false, false, false, 'nothing to divide'],
    [0, 12, false, false, true, 'none of 12 (0 is no small count, 12 − 0 neither)'],
  ])('%i of %i (numerator suppressed %s, denominator %s): shown %s — %s', (numerator, denominator, numSup, denSup, shown) => {
    expect(shareShown(numerator, denominator, K, numSup, denSup)).toBe(shown);
  });
});
