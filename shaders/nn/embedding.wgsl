// Embedding lookup: out[p, e] = table[ids[p], e]   (0 where the id lies outside [0, V)).
// table: [V, E] f32 row-major, ids: [P] i32 (P = B·T), out: [P, E] f32.
@group(0) @binding(0) var<storage, read> table: array<f32>;
@group(0) @binding(1) var<storage, read> ids: array<i32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;

struct Params { P: u32, E: u32, V: u32 }
@group(1) @binding(0) var<uniform> p: Params;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let i = gid.x + gid.y * groups.x * 256u;
  if (i >= p.P * p.E) { return; }
  let pos = i / p.E;
  let e = i % p.E;
  let id = ids[pos];
  var v = 0.0;
  if (id >= 0 && u32(id) < p.V) { v = table[u32(id) * p.E + e]; }
  out[i] = v;
}
