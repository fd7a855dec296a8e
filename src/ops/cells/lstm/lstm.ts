// LSTM cell math (torch.nn.LSTM), per hidden unit j, gate order i, f, g, o:
//   i = σ(a_i + r_i), f = σ(a_f + r_f), g = tanh(a_g + r_g), o = σ(a_o + r_o)
//   c' = f ⊙ c + i ⊙ g,   h' = o ⊙ tanh(c')
// where a = W_ih x + b_ih (precomputed for all steps) and r = W_hh h + b_hh.
// Saved per (b, t): [i | f | g | o | c_t | c_{t-1}], 6H values.
// Backward, from dh (incl. dy_t) and the carried dc:
//   dc_t = dc + dh ⊙ o ⊙ (1 − tanh²c'),  do = dh ⊙ tanh c'
//   d(a+r)_i = dc_t ⊙ g ⊙ i(1−i), _f = dc_t ⊙ c ⊙ f(1−f), _g = dc_t ⊙ i ⊙ (1−g²), _o = do ⊙ o(1−o)
//   dc_{t-1} = dc_t ⊙ f
import lstmWgsl from './lstm_cell.wgsl?raw';
import { sigmoidScalar } from '../../activation.ts';
import type { CellSpec } from '../cell.ts';
import { wgslFragment } from '../../../gpu/wgsl.ts';

const LSTM_WGSL = wgslFragment('cells/lstm/lstm_cell', lstmWgsl);

export const lstmCell: CellSpec = {
  gates: 4,
  saved: 6,
  hasCell: true,
  savedNames: ['i', 'f', 'g', 'o', 'c', 'c_prev'],
  wgsl: LSTM_WGSL,
  // ONNX gate order i, o, f, c.
  naming: { label: 'LSTM', onnxOp: 'LSTM', onnxGateOrder: [0, 3, 1, 2], onnxAttributes: () => ({}), torchModule: 'nn.LSTM', torchArgs: '' },
  forwardUnit(H, j, pre, hPrevJ, cPrevJ, saved, so) {
    // pre = [a (4H) | W_hh h + b_hh (4H)]
    const i = sigmoidScalar(pre[j] + pre[4 * H + j]);
    const f = sigmoidScalar(pre[H + j] + pre[5 * H + j]);
    const g = Math.tanh(pre[2 * H + j] + pre[6 * H + j]);
    const o = sigmoidScalar(pre[3 * H + j] + pre[7 * H + j]);
    const c = f * cPrevJ + i * g;
    const h = o * Math.tanh(c);
    saved[so + j] = i;
    saved[so + H + j] = f;
    saved[so + 2 * H + j] = g;
    saved[so + 3 * H + j] = o;
    saved[so + 4 * H + j] = c;
    saved[so + 5 * H + j] = cPrevJ;
    void hPrevJ;
    return h;
  },
  backwardUnit(H, k, dh, state, saved, so, dGx, dGh, go) {
    const i = saved[so + k];
    const f = saved[so + H + k];
    const g = saved[so + 2 * H + k];
    const o = saved[so + 3 * H + k];
    const c = saved[so + 4 * H + k];
    const cp = saved[so + 5 * H + k];
    const tc = Math.tanh(c);
    const dct = state.dc + dh * o * (1 - tc * tc);
    const di = dct * g * i * (1 - i);
    const df = dct * cp * f * (1 - f);
    const dg = dct * i * (1 - g * g);
    const dO = dh * tc * o * (1 - o);
    dGx[go + k] = di;
    dGx[go + H + k] = df;
    dGx[go + 2 * H + k] = dg;
    dGx[go + 3 * H + k] = dO;
    dGh[go + k] = di;
    dGh[go + H + k] = df;
    dGh[go + 2 * H + k] = dg;
    dGh[go + 3 * H + k] = dO;
    state.dc = dct * f;
    state.dhDirect = 0;
  },
};
