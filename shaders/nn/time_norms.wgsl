// Gradient profile over real tokens, aligned on each example's last real token:
//   out[k] = mean_{b : L_b > k} sqrt(Σ_f x[b, L_b − 1 − k, f]²),  NaN where no b has k.
// One workgroup per k; each invocation takes whole examples (strided over b), so no
// barrier is needed per example; then a tree reduction of (sum, count) in workgroup memory.
// x: [B, T, F] f32 row-major, lengths: [B] i32 (≤ 0: no text, skipped) → out: [T] f32.
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> lengths: array<i32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;

// nanBits: a quiet NaN's bits (a NaN constant is a shader-creation error).
struct Params { B: u32, T: u32, F: u32, nanBits: u32 }
@group(1) @binding(0) var<uniform> p: Params;

const WG: u32 = 64u;
var<workgroup> partialSum: array<f32, WG>;
var<workgroup> partialCount: array<f32, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let k = wid.x;
  var total = 0.0;
  var count = 0.0;
  for (var b = lid; b < p.B; b += WG) {
    let L = u32(clamp(lengths[b], 0, i32(p.T)));
    if (L > k) {
      let base = (b * p.T + (L - 1u - k)) * p.F;
      var sq = 0.0;
      for (var f = 0u; f < p.F; f++) {
        let v = x[base + f];
        sq += v * v;
      }
      total += sqrt(sq);
      count += 1.0;
    }
  }
  partialSum[lid] = total;
  partialCount[lid] = count;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s >>= 1u) {
    if (lid < s) {
      partialSum[lid] += partialSum[lid + s];
      partialCount[lid] += partialCount[lid + s];
    }
    workgroupBarrier();
  }
  if (lid == 0u) {
    let c = partialCount[0];
    out[k] = select(bitcast<f32>(p.nanBits), partialSum[0] / max(c, 1.0), c > 0.0);
  }
}
