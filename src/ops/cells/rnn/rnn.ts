// Elman RNN cell (torch.nn.RNN): h' = act(a + W_hh h + b_hh), act = tanh or relu, with
// a = W_ih x + b_ih. Saved per (b, t): [pre-activation | h_t], 2H.
// Backward: d pre = dh ⊙ act'(pre) (tanh: 1 − h², relu: [pre > 0]).
import rnnWgsl from './rnn_cell.wgsl?raw';
import type { CellSpec } from '../cell.ts';
import { wgslFragment } from '../../../gpu/wgsl.ts';

const RNN_WGSL = wgslFragment('cells/rnn/rnn_cell', rnnWgsl);

function rnnCell(activation: 'tanh' | 'relu'): CellSpec {
  return {
    gates: 1,
    saved: 2,
    hasCell: false,
    savedNames: ['pre', 'h'],
    wgsl: RNN_WGSL,
    naming: {
      label: activation === 'tanh' ? 'RNN (tanh)' : 'RNN (ReLU)',
      onnxOp: 'RNN',
      onnxGateOrder: [0],
      onnxAttributes: (bidirectional) => ({ activations: Array(bidirectional ? 2 : 1).fill(activation === 'tanh' ? 'Tanh' : 'Relu') }),
      torchModule: 'nn.RNN',
      torchArgs: `, nonlinearity='${activation}'`,
    },
    activationCode: activation === 'tanh' ? 1 : 3,
    forwardUnit(H, j, pre, _hPrevJ, _cPrevJ, saved, so) {
      const p = pre[j] + pre[H + j]; // pre = [a (H) | W_hh h + b_hh (H)]
      const h = activation === 'tanh' ? Math.tanh(p) : p > 0 ? p : 0;
      saved[so + j] = p;
      saved[so + H + j] = h;
      return h;
    },
    backwardUnit(H, k, dh, state, saved, so, dGx, dGh, go) {
      const p = saved[so + k];
      const h = saved[so + H + k];
      const d = activation === 'tanh' ? dh * (1 - h * h) : p > 0 ? dh : 0;
      dGx[go + k] = d;
      dGh[go + k] = d;
      state.dhDirect = 0;
    },
  };
}

export const rnnTanhCell = rnnCell('tanh');
export const rnnReluCell = rnnCell('relu');
