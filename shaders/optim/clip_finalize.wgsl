// Gradient norms, second pass (one workgroup), torch.nn.utils.clip_grad_norm_ semantics:
//   norm_p = √(Σ_s partials[p·SLOTS + s])                  (values[p], p < P)
//   global = √(Σ_p norm_p²)                                 (values[P])
//   factor = min(1, maxNorm / (global + 1e-6)), 1 when maxNorm = 0, NaN when global is NaN
//                                                           (values[P + 1] and factor[0])
// partials: [P · SLOTS] f32 → values: [P + 2] f32, factor: [1] f32.
@group(0) @binding(0) var<storage, read> partials: array<f32>;
@group(0) @binding(1) var<storage, read_write> values: array<f32>;
@group(0) @binding(2) var<storage, read_write> factor: array<f32>;

struct Params { P: u32, slots: u32, maxNorm: f32 }
@group(1) @binding(0) var<uniform> p: Params;

const WG: u32 = 256u;
var<workgroup> lanes: array<f32, WG>;

// NaN test on the bits (a comparison x != x may be folded away by optimising compilers).
fn is_nan(x: f32) -> bool {
  return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u;
}

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_index) lid: u32) {
  var acc = 0.0;
  for (var q = lid; q < p.P; q += WG) {
    var s = 0.0;
    for (var k = 0u; k < p.slots; k++) { s += partials[q * p.slots + k]; }
    let norm = sqrt(s);
    values[q] = norm;
    acc += norm * norm;
  }
  lanes[lid] = acc;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s >>= 1u) {
    if (lid < s) { lanes[lid] += lanes[lid + s]; }
    workgroupBarrier();
  }
  if (lid == 0u) {
    let total = sqrt(lanes[0]);
    var f = 1.0;
    if (p.maxNorm > 0.0) {
      f = min(1.0, p.maxNorm / (total + 1e-6));
      if (is_nan(total)) { f = total; }
    }
    values[p.P] = total;
    values[p.P + 1u] = f;
    factor[0] = f;
  }
}
