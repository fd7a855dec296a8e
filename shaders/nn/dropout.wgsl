// Inverted dropout with a counter-based mask: element i is kept when
// hash(seed ⊕ hash(i)) / 2³² ≥ p, and kept values are scaled by 1/(1 − p). The CPU
// reference (src/ops/dropout.ts) computes the same hash, so both masks are identical.
// x: [n] f32 → out: [n] f32.
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;

struct Params { n: u32, seed: u32, threshold: u32, scale: f32 }
@group(1) @binding(0) var<uniform> p: Params;

fn hash(v: u32) -> u32 {
  var h = v * 747796405u + 2891336453u;
  h = ((h >> ((h >> 28u) + 4u)) ^ h) * 277803737u;
  return (h >> 22u) ^ h;
}

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let i = gid.x + gid.y * groups.x * 256u;
  if (i >= p.n) { return; }
  let keep = hash(p.seed ^ hash(i)) >= p.threshold;
  out[i] = select(0.0, x[i] * p.scale, keep);
}
