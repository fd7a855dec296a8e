// d student[i, c] = g · T · (s_ic − t_ic) / N   (the derivative of the mean T²·KL row loss).
// ps, pt: [N, C] from distill_kl.wgsl, g: [1] → dstudent: [N, C].
@group(0) @binding(0) var<storage, read> ps: array<f32>;
@group(0) @binding(1) var<storage, read> pt: array<f32>;
@group(0) @binding(2) var<storage, read> g: array<f32>;
@group(0) @binding(3) var<storage, read_write> dstudent: array<f32>;

struct Params { N: u32, C: u32, T: f32 }
@group(1) @binding(0) var<uniform> p: Params;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let idx = gid.x + gid.y * groups.x * 256u;
  if (idx >= p.N * p.C) { return; }
  dstudent[idx] = g[0] * p.T * (ps[idx] - pt[idx]) / f32(p.N);
}
