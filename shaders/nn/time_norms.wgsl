// Per-timestep L2 norm over batch and features (for the vanishing-gradient view):
//   out[t] = sqrt(Σ_{b, f} x[b, t, f]²)
// One workgroup per t: strided partial sums, then a tree reduction in workgroup memory.
// x: [B, T, F] f32 row-major → out: [T] f32.
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;

struct Params { B: u32, T: u32, F: u32, pad: u32 }
@group(1) @binding(0) var<uniform> p: Params;

const WG: u32 = 64u;
var<workgroup> partial: array<f32, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let t = wid.x;
  var acc = 0.0;
  for (var i = lid; i < p.B * p.F; i += WG) {
    let v = x[((i / p.F) * p.T + t) * p.F + i % p.F];
    acc += v * v;
  }
  partial[lid] = acc;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s >>= 1u) {
    if (lid < s) { partial[lid] += partial[lid + s]; }
    workgroupBarrier();
  }
  if (lid == 0u) { out[t] = sqrt(partial[0]); }
}
