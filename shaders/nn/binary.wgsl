// Elementwise binary op with suffix broadcasting: out[i] = a[i % na] (op) b[i % nb].
// a: [na] f32, b: [nb] f32, out: [n] f32, n = max(na, nb); the smaller length divides n.
// OP (override): 0 add, 1 sub, 2 mul, 3 broadcast a alone (b unused).
@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> b: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;

struct Params { n: u32, na: u32, nb: u32 }
@group(1) @binding(0) var<uniform> p: Params;

override OP: u32 = 0u;
override WG: u32 = 256u;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let i = gid.x + gid.y * groups.x * WG;
  if (i >= p.n) { return; }
  let x = a[i % p.na];
  let y = b[i % p.nb];
  var r: f32;
  switch OP {
    case 0u: { r = x + y; }
    case 1u: { r = x - y; }
    case 2u: { r = x * y; }
    default: { r = x; }
  }
  out[i] = r;
}
