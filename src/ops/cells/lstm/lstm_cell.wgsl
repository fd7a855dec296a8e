// LSTM cell for the recurrent templates (see lstm.ts beside it for the equations).
// a, r: input-side and hidden-side pre-activations of gates i, f, g, o.
// saved: [i, f, g, o, c_t, c_{t-1}].
// requires: sigmoid, tanh_stable, CellOut, CellGrad
// provides: cell_forward, cell_backward
fn cell_forward(a: vec4<f32>, r: vec4<f32>, h_prev: f32, c_prev: f32) -> CellOut {
  let i = sigmoid(a[0] + r[0]);
  let f = sigmoid(a[1] + r[1]);
  let g = tanh_stable(a[2] + r[2]);
  let o = sigmoid(a[3] + r[3]);
  let c = f * c_prev + i * g;
  var out: CellOut;
  out.h = o * tanh_stable(c);
  out.saved = array<f32, 6>(i, f, g, o, c, c_prev);
  return out;
}

fn cell_backward(sv: array<f32, 6>, dh: f32, dc: f32) -> CellGrad {
  let i = sv[0];
  let f = sv[1];
  let g = sv[2];
  let o = sv[3];
  let tc = tanh_stable(sv[4]);
  let dct = dc + dh * o * (1.0 - tc * tc);
  let d = vec4<f32>(dct * g * i * (1.0 - i), dct * sv[5] * f * (1.0 - f), dct * i * (1.0 - g * g), dh * tc * o * (1.0 - o));
  var out: CellGrad;
  out.dgx = d;
  out.dgh = d;
  out.dc = dct * f;
  out.direct = 0.0;
  return out;
}
