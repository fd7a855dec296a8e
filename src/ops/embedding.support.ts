// Cases for the embedding lookup: repeated ids (the gradient sums them), unused rows
// (their gradient is zero) and a [B, T] batch.
import type { OpCase } from './ops.support.ts';
import { embedding } from './embedding.ts';

const IDS = [3, 0, 3, 5, 1, 3, 0, 2];

export const cases: OpCase[] = [
  {
    ops: ['embedding', 'embeddingGrad'],
    name: 'embedding [2, 4] ids into a [7, 5] table (repeats, unused rows)',
    inputs: [{ shape: [7, 5] }, { shape: [2, 4], dtype: 'i32', data: IDS }],
    run: ([table, ids]) => embedding(table, ids, Int32Array.from(IDS)),
  },
  {
    ops: ['embedding', 'embeddingGrad'],
    name: 'embedding [1, 300] ids into a [4, 3] table (long position lists)',
    inputs: [{ shape: [4, 3] }, { shape: [1, 300], dtype: 'i32', data: Array.from({ length: 300 }, (_, i) => (i * 7) % 4) }],
    run: ([table, ids]) => embedding(table, ids, Int32Array.from({ length: 300 }, (_, i) => (i * 7) % 4)),
  },
];
