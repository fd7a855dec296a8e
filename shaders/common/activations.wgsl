// Activations shared by every kernel that needs them (composed in by src/gpu/wgsl.ts).
// Both are split so that exp never overflows:
//   sigmoid(v) = 1 / (1 + e^−v) for v ≥ 0, else e^v / (1 + e^v)
//   tanh(v) = sign(v) (1 − e) / (1 + e), e = e^(−2|v|)
// activate(v, code): 0 identity, 1 tanh, 2 sigmoid, 3 relu (the ACT / F codes of the kernels).
// provides: sigmoid, tanh_stable, activate

fn sigmoid(v: f32) -> f32 {
  if (v >= 0.0) { return 1.0 / (1.0 + exp(-v)); }
  let e = exp(v);
  return e / (1.0 + e);
}

fn tanh_stable(v: f32) -> f32 {
  let e = exp(-2.0 * abs(v));
  return sign(v) * (1.0 - e) / (1.0 + e);
}

fn activate(v: f32, code: u32) -> f32 {
  switch code {
    case 1u: { return tanh_stable(v); }
    case 2u: { return sigmoid(v); }
    case 3u: { return max(v, 0.0); }
    default: { return v; }
  }
}
