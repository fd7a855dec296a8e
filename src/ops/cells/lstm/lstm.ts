// LSTM cell math (torch.nn.LSTM), per hidden unit j, gate order i, f, g, o:
//   i = σ(a_i + r_i + p_i c), f = σ(a_f + r_f + p_f c), g = tanh(a_g + r_g)
//   c' = f ⊙ c + i ⊙ g,   o = σ(a_o + r_o + p_o c'),   h' = o ⊙ tanh(c')
// where a = W_ih x + b_ih (precomputed for all steps), r = W_hh h + b_hh, c = c_{t-1}
// and p = (p_i, p_f, p_o) are the optional diagonal peephole weights (Gers &
// Schmidhuber; ONNX LSTM input P), [3·H] per layer·direction in the order i, f, o.
// Without peepholes p = 0: the plain torch.nn.LSTM cell. The output gate peeks at c_t.
// Saved per (b, t): [i | f | g | o | c_t | c_{t-1}], 6H values.
// Backward, from dh (incl. dy_t) and the carried dc:
//   do = dh ⊙ tanh c' ⊙ o(1−o)   (gradient of o's pre-activation)
//   dc_t = dc + dh ⊙ o ⊙ (1 − tanh²c') + do ⊙ p_o
//   d(a+r)_i = dc_t ⊙ g ⊙ i(1−i), _f = dc_t ⊙ c ⊙ f(1−f), _g = dc_t ⊙ i ⊙ (1−g²), _o = do
//   dc_{t-1} = dc_t ⊙ f + d_i ⊙ p_i + d_f ⊙ p_f
//   dp_i = Σ_{b,t} d_i ⊙ c_{t-1},  dp_f = Σ d_f ⊙ c_{t-1},  dp_o = Σ do ⊙ c_t
//   (summed after the loop: ../../recurrent-backward.ts, shaders/recurrent/peephole_grad.wgsl)
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
  forwardUnit(H, j, pre, hPrevJ, cPrevJ, saved, so, peep) {
    // pre = [a (4H) | W_hh h + b_hh (4H)]
    const pi = peep ? peep[j] : 0;
    const pf = peep ? peep[H + j] : 0;
    const po = peep ? peep[2 * H + j] : 0;
    const i = sigmoidScalar(pre[j] + pre[4 * H + j] + pi * cPrevJ);
    const f = sigmoidScalar(pre[H + j] + pre[5 * H + j] + pf * cPrevJ);
    const g = Math.tanh(pre[2 * H + j] + pre[6 * H + j]);
    const c = f * cPrevJ + i * g;
    const o = sigmoidScalar(pre[3 * H + j] + pre[7 * H + j] + po * c);
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
  backwardUnit(H, k, dh, state, saved, so, dGx, dGh, go, peep) {
    const i = saved[so + k];
    const f = saved[so + H + k];
    const g = saved[so + 2 * H + k];
    const o = saved[so + 3 * H + k];
    const c = saved[so + 4 * H + k];
    const cp = saved[so + 5 * H + k];
    const tc = Math.tanh(c);
    const dO = dh * tc * o * (1 - o);
    const dct = state.dc + dh * o * (1 - tc * tc) + (peep ? dO * peep[2 * H + k] : 0);
    const di = dct * g * i * (1 - i);
    const df = dct * cp * f * (1 - f);
    const dg = dct * i * (1 - g * g);
    dGx[go + k] = di;
    dGx[go + H + k] = df;
    dGx[go + 2 * H + k] = dg;
    dGx[go + 3 * H + k] = dO;
    dGh[go + k] = di;
    dGh[go + H + k] = df;
    dGh[go + 2 * H + k] = dg;
    dGh[go + 3 * H + k] = dO;
    state.dc = dct * f + (peep ? di * peep[k] + df * peep[H + k] : 0);
    state.dhDirect = 0;
  },
};

/** Our peephole blocks (i, f, o) in ONNX LSTM's P order: i, o, f. */
export const ONNX_PEEPHOLE_ORDER: readonly number[] = [0, 2, 1];

/** ONNX LSTM input P [D, 3·H] from each direction's peephole weights [3·H] (ours i, f, o). */
export function onnxPeephole(H: number, directions: ArrayLike<number>[]): Float32Array {
  const out = new Float32Array(directions.length * 3 * H);
  directions.forEach((p, d) => {
    ONNX_PEEPHOLE_ORDER.forEach((src, dst) => {
      for (let j = 0; j < H; j++) out[(d * 3 + dst) * H + j] = p[src * H + j];
    });
  });
  return out;
}
