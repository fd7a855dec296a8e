// LSTM cell for the recurrent templates (see lstm.ts beside it for the equations).
// a, r: input-side and hidden-side pre-activations of gates i, f, g, o.
// pp: peephole weights (p_i, p_f, p_o, 0) of this unit; zero for a plain LSTM, which
// then computes exactly the plain cell (every peephole term is 0·c).
// saved: [i, f, g, o, c_t, c_{t-1}].
// requires: sigmoid, tanh_stable, CellOut, CellGrad
// provides: cell_forward, cell_backward
fn cell_forward(a: vec4<f32>, r: vec4<f32>, h_prev: f32, c_prev: f32, pp: vec4<f32>) -> CellOut {
  let i = sigmoid(a[0] + r[0] + pp.x * c_prev);
  let f = sigmoid(a[1] + r[1] + pp.y * c_prev);
  let g = tanh_stable(a[2] + r[2]);
  let c = f * c_prev + i * g;
  // The output gate peeks at the new cell state c_t.
  let o = sigmoid(a[3] + r[3] + pp.z * c);
  var out: CellOut;
  out.h = o * tanh_stable(c);
  out.saved = array<f32, 6>(i, f, g, o, c, c_prev);
  return out;
}

fn cell_backward(sv: array<f32, 6>, dh: f32, dc: f32, pp: vec4<f32>) -> CellGrad {
  let i = sv[0];
  let f = sv[1];
  let g = sv[2];
  let o = sv[3];
  let tc = tanh_stable(sv[4]);
  let d_o = dh * tc * o * (1.0 - o);
  let dct = dc + dh * o * (1.0 - tc * tc) + d_o * pp.z;
  let d_i = dct * g * i * (1.0 - i);
  let d_f = dct * sv[5] * f * (1.0 - f);
  let d = vec4<f32>(d_i, d_f, dct * i * (1.0 - g * g), d_o);
  var out: CellGrad;
  out.dgx = d;
  out.dgh = d;
  out.dc = dct * f + d_i * pp.x + d_f * pp.y;
  out.direct = 0.0;
  return out;
}
