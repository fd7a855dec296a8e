// Embedding table gradient without float atomics, from an inverted index built on the
// host (positions grouped by id, CSR):
//   dTable[rows[u], e] = Σ_{k = offsets[u]}^{offsets[u+1]-1} dOut[positions[k], e]
// One invocation per (used row u, column e); each sums its positions in ascending
// order, so the result is deterministic. Rows of dTable that no id uses are zeroed by a
// fill dispatch before this one.
// dOut: [P, E] f32; index: [U + (U + 1) + P] i32 = rows[U] | offsets[U + 1] | positions[P];
// dTable: [V, E] f32.
@group(0) @binding(0) var<storage, read> dOut: array<f32>;
@group(0) @binding(1) var<storage, read> index: array<i32>;
@group(0) @binding(2) var<storage, read_write> dTable: array<f32>;

struct Params { U: u32, E: u32 }
@group(1) @binding(0) var<uniform> p: Params;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let i = gid.x + gid.y * groups.x * 64u;
  if (i >= p.U * p.E) { return; }
  let u = i / p.E;
  let e = i % p.E;
  let row = u32(index[u]);
  let start = u32(index[p.U + u]);
  let end = u32(index[p.U + u + 1u]);
  let positions = 2u * p.U + 1u;
  var acc = 0.0;
  for (var k = start; k < end; k++) {
    acc += dOut[u32(index[positions + k]) * p.E + e];
  }
  dTable[row * p.E + e] = acc;
}
