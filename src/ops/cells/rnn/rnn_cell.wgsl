// Elman RNN cell for the recurrent templates (see rnn.ts beside it). ACT: 1 tanh, 3 relu.
// saved: [pre-activation, h_t].
// requires: tanh_stable, ACT, CellOut, CellGrad
// provides: cell_forward, cell_backward
fn cell_forward(a: vec4<f32>, r: vec4<f32>, h_prev: f32, c_prev: f32, pp: vec4<f32>) -> CellOut {
  let pre = a[0] + r[0];
  var h = max(pre, 0.0);
  if (ACT == 1u) { h = tanh_stable(pre); }
  var out: CellOut;
  out.h = h;
  out.saved = array<f32, 6>(pre, h, 0.0, 0.0, 0.0, 0.0);
  return out;
}

fn cell_backward(sv: array<f32, 6>, dh: f32, dc: f32, pp: vec4<f32>) -> CellGrad {
  var d = select(0.0, dh, sv[0] > 0.0);
  if (ACT == 1u) { d = dh * (1.0 - sv[1] * sv[1]); }
  var out: CellGrad;
  out.dgx = vec4<f32>(d, 0.0, 0.0, 0.0);
  out.dgh = out.dgx;
  out.dc = 0.0;
  out.direct = 0.0;
  return out;
}
