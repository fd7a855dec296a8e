// f32 values → the same values rounded to binary16 and stored as f32 again, with the
// rounding of pack_f16.wgsl (pack2x16float, so the same value as a packed copy holds).
// The recurrent backward step reads W_hh like this under f16 weights
// (src/ops/recurrent-layer.ts), so that backward sees the weights the forward saw.
// x: [n] f32, y: [n] f32.
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;

struct Params { n: u32 }
@group(1) @binding(0) var<uniform> p: Params;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let i = gid.x + gid.y * groups.x * 64u;
  if (i >= p.n) { return; }
  y[i] = unpack2x16float(pack2x16float(vec2<f32>(x[i], 0.0))).x;
}
