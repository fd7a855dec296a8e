// Mean of the weighted row losses: out = [Σ w_i·loss_i / Σ w_i, Σ w_i] (0 when Σ w_i = 0).
// rows: [N, 2] f32 from softmax_xent.wgsl, out: [2] f32. One workgroup.
@group(0) @binding(0) var<storage, read> rows: array<f32>;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;

struct Params { N: u32 }
@group(1) @binding(0) var<uniform> p: Params;

var<workgroup> partial: array<vec2<f32>, 256>;

@compute @workgroup_size(256)
fn main(@builtin(local_invocation_index) lid: u32) {
  var acc = vec2<f32>(0.0);
  for (var i = lid; i < p.N; i += 256u) { acc += vec2<f32>(rows[2u * i], rows[2u * i + 1u]); }
  partial[lid] = acc;
  workgroupBarrier();
  for (var s = 128u; s > 0u; s >>= 1u) {
    if (lid < s) { partial[lid] += partial[lid + s]; }
    workgroupBarrier();
  }
  if (lid == 0u) {
    let t = partial[0];
    out[0] = select(0.0, t.x / t.y, t.y > 0.0);
    out[1] = t.y;
  }
}
