// Cases for expand (new axis first, middle, last) and sumAxis (every position).
import type { OpCase } from './ops.support.ts';
import { expand, sumAxis } from './expand.ts';
import { mul } from './elementwise.ts';

export const cases: OpCase[] = [
  { ops: ['expand', 'sumAxis'], name: 'expand [3, 4] axis 1 n 5 → [3, 5, 4]', inputs: [{ shape: [3, 4] }], run: ([x]) => expand(x, 1, 5) },
  { ops: ['expand', 'sumAxis'], name: 'expand [2, 3] axis 0 n 4', inputs: [{ shape: [2, 3] }], run: ([x]) => expand(x, 0, 4) },
  { ops: ['expand', 'sumAxis'], name: 'expand [2, 3] axis -1 (last) n 2', inputs: [{ shape: [2, 3] }], run: ([x]) => expand(x, -1, 2) },
  {
    ops: ['expand', 'mul'],
    name: 'expand then mul: [B, F] features broadcast over T',
    inputs: [{ shape: [2, 3] }, { shape: [2, 4, 3] }],
    run: ([f, h]) => mul(expand(f, 1, 4), h),
  },
  { ops: ['sumAxis', 'expand'], name: 'sumAxis [3, 4, 5] axis 1', inputs: [{ shape: [3, 4, 5] }], run: ([x]) => sumAxis(x, 1) },
  { ops: ['sumAxis', 'expand'], name: 'sumAxis [3, 4, 5] axis 0', inputs: [{ shape: [3, 4, 5] }], run: ([x]) => sumAxis(x, 0) },
  { ops: ['sumAxis', 'expand'], name: 'sumAxis [3, 4, 5] axis -1', inputs: [{ shape: [3, 4, 5] }], run: ([x]) => sumAxis(x, -1) },
];
