// out[i] = value for i < n. out: [n] f32 (or i32 bits written as f32 bit patterns via bitcast).
@group(0) @binding(0) var<storage, read_write> out: array<u32>;

struct Params { n: u32, bits: u32 }
@group(1) @binding(0) var<uniform> p: Params;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let i = gid.x + gid.y * groups.x * 256u;
  if (i >= p.n) { return; }
  out[i] = p.bits;
}
