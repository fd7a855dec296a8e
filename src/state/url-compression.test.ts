// The Compression controls' URL parameters: compress.int8 and compress.sparsity.
import { describe, expect, it } from 'vitest';
import { compressionFromQuery, setupFromQuery } from './url.ts';

describe('compress.int8 / compress.sparsity', () => {
  it('reads valid values and is not reported as unknown', () => {
    expect(compressionFromQuery('?compress.int8=1&compress.sparsity=70')).toEqual({ int8: true, sparsityPct: 70, problems: [] });
    expect(compressionFromQuery('?compress.int8=0')).toEqual({ int8: false, problems: [] });
    expect(setupFromQuery('?compress.int8=1&compress.sparsity=95').problems).toEqual([]);
  });

  it('reports values that do not parse and keeps the defaults', () => {
    const r = compressionFromQuery('?compress.int8=yes&compress.sparsity=72');
    expect(r.int8).toBeUndefined();
    expect(r.sparsityPct).toBeUndefined();
    expect(r.problems).toEqual([
      '"compress.int8=yes": int8 weights must be 1 or 0. Kept 0.',
      '"compress.sparsity=72": the pruning sparsity must be a multiple of 5 from 0 to 95 (percent). Kept 0.',
    ]);
    expect(compressionFromQuery('?compress.sparsity=100').problems).toHaveLength(1);
    expect(setupFromQuery('?compress.sparsity=-5').problems).toHaveLength(1);
  });
});
