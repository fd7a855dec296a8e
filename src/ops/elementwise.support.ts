// Test cases for add/sub/mul/scale, activations, reductions and reshape.
import type { OpCase } from './ops.support.ts';
import { add, mul, sub } from './elementwise.ts';
import { scale } from './scale.ts';
import { activation } from './activation.ts';
import { broadcastTo, mean, sum, sumRows } from './reduce.ts';
import { reshape } from './shape.ts';

export const cases: OpCase[] = [
  { ops: ['add'], name: 'add same shape', inputs: [{ shape: [3, 5] }, { shape: [3, 5] }], run: ([a, b]) => add(a, b) },
  { ops: ['add'], name: 'add broadcast [B,N]+[N]', inputs: [{ shape: [4, 3, 5] }, { shape: [5] }], run: ([a, b]) => add(a, b) },
  { ops: ['add'], name: 'add broadcast [N]+[B,N]', inputs: [{ shape: [6] }, { shape: [2, 6] }], run: ([a, b]) => add(a, b) },
  { ops: ['sub'], name: 'sub broadcast', inputs: [{ shape: [4, 7] }, { shape: [7] }], run: ([a, b]) => sub(a, b) },
  { ops: ['mul'], name: 'mul broadcast', inputs: [{ shape: [3, 4] }, { shape: [4] }], run: ([a, b]) => mul(a, b) },
  { ops: ['mul'], name: 'mul same tensor twice', inputs: [{ shape: [9] }], run: ([a]) => mul(a, a) },
  { ops: ['scale'], name: 'scale', inputs: [{ shape: [2, 3] }], run: ([a]) => scale(a, -2.5, 0.75) },
  { ops: ['tanh', 'activationGrad'], name: 'tanh', inputs: [{ shape: [5, 6] }], run: ([a]) => activation('tanh', scale(a, 3)) },
  { ops: ['sigmoid', 'activationGrad'], name: 'sigmoid', inputs: [{ shape: [5, 6] }], run: ([a]) => activation('sigmoid', scale(a, 4)) },
  {
    ops: ['relu', 'activationGrad'],
    name: 'relu (values away from the kink)',
    inputs: [{ shape: [12], data: [-1, -0.5, -0.25, 0.3, 0.7, 1.1, -2, 2, -0.1, 0.1, 0.05, -0.05] }],
    run: ([a]) => activation('relu', a),
  },
  { ops: ['sum'], name: 'sum', inputs: [{ shape: [4, 70] }], run: ([a]) => sum(a) },
  { ops: ['sum'], name: 'mean', inputs: [{ shape: [3, 3] }], run: ([a]) => mean(a) },
  { ops: ['sumRows'], name: 'sumRows', inputs: [{ shape: [5, 2, 3] }], run: ([a]) => sumRows(a, [2, 3]) },
  { ops: ['broadcastTo'], name: 'broadcastTo', inputs: [{ shape: [4] }], run: ([a]) => broadcastTo(a, [3, 4]) },
  { ops: ['reshape'], name: 'reshape', inputs: [{ shape: [2, 6] }], run: ([a]) => mul(reshape(a, [3, 4]), reshape(a, [3, 4])) },
];
