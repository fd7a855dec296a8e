// GRU cell for the recurrent templates (see gru.ts beside it for the equations).
// a, r: input-side and hidden-side (W_hh h + b_hh) pre-activations of gates r, z, n.
// saved: [r, z, n, r_n, h_{t-1}].
// requires: sigmoid, tanh_stable, CellOut, CellGrad
// provides: cell_forward, cell_backward
fn cell_forward(a: vec4<f32>, r: vec4<f32>, h_prev: f32, c_prev: f32, pp: vec4<f32>) -> CellOut {
  let rg = sigmoid(a[0] + r[0]);
  let z = sigmoid(a[1] + r[1]);
  let n = tanh_stable(a[2] + rg * r[2]);
  var out: CellOut;
  out.h = (1.0 - z) * n + z * h_prev;
  out.saved = array<f32, 6>(rg, z, n, r[2], h_prev, 0.0);
  return out;
}

fn cell_backward(sv: array<f32, 6>, dh: f32, dc: f32, pp: vec4<f32>) -> CellGrad {
  let rg = sv[0];
  let z = sv[1];
  let n = sv[2];
  let hn = sv[3];
  let hp = sv[4];
  let dn = dh * (1.0 - z) * (1.0 - n * n);
  let dr = dn * hn * rg * (1.0 - rg);
  let dz = dh * (hp - n) * z * (1.0 - z);
  var out: CellGrad;
  out.dgx = vec4<f32>(dr, dz, dn, 0.0);
  out.dgh = vec4<f32>(dr, dz, dn * rg, 0.0);
  out.dc = 0.0;
  out.direct = dh * z;
  return out;
}
