// Elementwise unary op: out[i] = f(x[i]) * alpha + beta.
// x: [n] f32, out: [n] f32. F (override): 0 identity, 1 tanh, 2 sigmoid, 3 relu.
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;

struct Params { n: u32, alpha: f32, beta: f32, pad: u32 }
@group(1) @binding(0) var<uniform> p: Params;

override F: u32 = 0u;
override WG: u32 = 256u;

fn sigmoid(v: f32) -> f32 {
  // Split by sign so exp never overflows.
  if (v >= 0.0) { return 1.0 / (1.0 + exp(-v)); }
  let e = exp(v);
  return e / (1.0 + e);
}

fn stable_tanh(v: f32) -> f32 {
  // tanh(v) = sign(v) (1 - e) / (1 + e), e = exp(-2|v|): no overflow for large |v|.
  let e = exp(-2.0 * abs(v));
  return sign(v) * (1.0 - e) / (1.0 + e);
}

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let i = gid.x + gid.y * groups.x * WG;
  if (i >= p.n) { return; }
  let v = x[i];
  var r: f32;
  switch F {
    case 1u: { r = stable_tanh(v); }
    case 2u: { r = sigmoid(v); }
    case 3u: { r = max(v, 0.0); }
    default: { r = v; }
  }
  out[i] = r * p.alpha + p.beta;
}
