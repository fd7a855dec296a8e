// Cases for max pooling (non-overlapping, overlapping windows, floor mode leftovers)
// and global average pooling. Values are distinct within each window (seeded uniform),
// so the argmax is unique and finite differences are valid; ties are tested in pool.test.ts.
import type { OpCase } from './ops.support.ts';
import { globalAvgPool, maxPool2d } from './pool.ts';

export const cases: OpCase[] = [
  { ops: ['maxPool2d', 'maxPool2dGrad'], name: 'maxPool2d 2×2 stride 2, [2, 3, 6, 6]', inputs: [{ shape: [2, 3, 6, 6] }], run: ([x]) => maxPool2d(x, { size: 2 }) },
  {
    ops: ['maxPool2d', 'maxPool2dGrad'],
    name: 'maxPool2d 3×3 stride 2 (overlapping), [1, 2, 7, 9]',
    inputs: [{ shape: [1, 2, 7, 9] }],
    run: ([x]) => maxPool2d(x, { size: 3, stride: 2 }),
  },
  {
    ops: ['maxPool2d', 'maxPool2dGrad'],
    name: 'maxPool2d 2×2 stride 2, [2, 3, 4, 21] (10 windows a row: the engine’s four-wide steps and leftovers)',
    inputs: [{ shape: [2, 3, 4, 21] }],
    run: ([x]) => maxPool2d(x, { size: 2 }),
  },
  { ops: ['maxPool2d', 'maxPool2dGrad'], name: 'maxPool2d 2×2 floor mode, [2, 2, 5, 7]', inputs: [{ shape: [2, 2, 5, 7] }], run: ([x]) => maxPool2d(x, { size: 2 }) },
  { ops: ['maxPool2d', 'maxPool2dGrad'], name: 'maxPool2d 3×3 stride 3 floor mode, [1, 2, 7, 8]', inputs: [{ shape: [1, 2, 7, 8] }], run: ([x]) => maxPool2d(x, { size: 3 }) },
  { ops: ['maxPool2d', 'maxPool2dGrad'], name: 'maxPool2d over the whole plane (global max), [3, 2, 4, 4]', inputs: [{ shape: [3, 2, 4, 4] }], run: ([x]) => maxPool2d(x, { size: 4 }) },
  { ops: ['globalAvgPool', 'expand', 'scale'], name: 'globalAvgPool [3, 4, 5, 6]', inputs: [{ shape: [3, 4, 5, 6] }], run: ([x]) => globalAvgPool(x) },
];
