// GRU cell math (torch.nn.GRU; ONNX linear_before_reset = 1), per unit j, gate order r, z, n:
//   r = σ(a_r + r_r), z = σ(a_z + r_z), n = tanh(a_n + r ⊙ r_n),  h' = (1 − z) ⊙ n + z ⊙ h
// where a = W_ih x + b_ih and r_* = (W_hh h + b_hh)_* — the reset gate multiplies the
// recurrent term after the matmul. Saved per (b, t): [r | z | n | r_n | h_{t-1}], 5H.
// Backward from dh (incl. dy_t):
//   dn = dh(1−z), dz = dh(h−n), direct dh_{t-1} = dh ⊙ z
//   dn̂ = dn(1−n²), dr = dn̂ ⊙ r_n, d r_n = dn̂ ⊙ r
//   input side  dGx = [dr·r(1−r), dz·z(1−z), dn̂]
//   hidden side dGh = [dr·r(1−r), dz·z(1−z), dn̂ ⊙ r]
import gruWgsl from './gru_cell.wgsl?raw';
import { sigmoidScalar } from '../../activation.ts';
import type { CellSpec } from '../cell.ts';
import { wgslFragment } from '../../../gpu/wgsl.ts';

const GRU_WGSL = wgslFragment('cells/gru/gru_cell', gruWgsl);

export const gruCell: CellSpec = {
  gates: 3,
  saved: 5,
  hasCell: false,
  savedNames: ['r', 'z', 'n', 'hn', 'h_prev'],
  wgsl: GRU_WGSL,
  // ONNX gate order z, r, h; reset after the recurrent matmul as torch.
  naming: { label: 'GRU', onnxOp: 'GRU', onnxGateOrder: [1, 0, 2], onnxAttributes: () => ({ linear_before_reset: 1 }), torchModule: 'nn.GRU', torchArgs: '' },
  // For the GRU, `pre` holds a (input side, incl. b_ih) in [0, 3H) and W_hh h + b_hh in [3H, 6H).
  forwardUnit(H, j, pre, hPrevJ, _cPrevJ, saved, so) {
    const r = sigmoidScalar(pre[j] + pre[3 * H + j]);
    const z = sigmoidScalar(pre[H + j] + pre[4 * H + j]);
    const hn = pre[5 * H + j];
    const n = Math.tanh(pre[2 * H + j] + r * hn);
    saved[so + j] = r;
    saved[so + H + j] = z;
    saved[so + 2 * H + j] = n;
    saved[so + 3 * H + j] = hn;
    saved[so + 4 * H + j] = hPrevJ;
    return (1 - z) * n + z * hPrevJ;
  },
  backwardUnit(H, k, dh, state, saved, so, dGx, dGh, go) {
    const r = saved[so + k];
    const z = saved[so + H + k];
    const n = saved[so + 2 * H + k];
    const hn = saved[so + 3 * H + k];
    const hp = saved[so + 4 * H + k];
    const dnPre = dh * (1 - z) * (1 - n * n);
    const drPre = dnPre * hn * r * (1 - r);
    const dzPre = dh * (hp - n) * z * (1 - z);
    dGx[go + k] = drPre;
    dGx[go + H + k] = dzPre;
    dGx[go + 2 * H + k] = dnPre;
    dGh[go + k] = drPre;
    dGh[go + H + k] = dzPre;
    dGh[go + 2 * H + k] = dnPre * r;
    state.dhDirect = dh * z;
  },
};
