// Gradient norms, first pass: partial sums of squares of one gradient tensor.
//   partials[slot0 + w] = Σ_{i ≡ lanes of workgroup w} grad[i]²   for w < num_workgroups
// Each of the W workgroups strides over the tensor, then reduces its 256 lanes in
// workgroup memory. Slots of this parameter beyond W were zeroed before the dispatch.
// grad: [n] f32 read → partials: [P · SLOTS] f32 (this parameter's slots start at slot0).
@group(0) @binding(0) var<storage, read> grad: array<f32>;
@group(0) @binding(1) var<storage, read_write> partials: array<f32>;

struct Params { n: u32, slot0: u32 }
@group(1) @binding(0) var<uniform> p: Params;

const WG: u32 = 256u;
var<workgroup> lanes: array<f32, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) groups: vec3u, @builtin(local_invocation_index) lid: u32) {
  var acc = 0.0;
  for (var i = wid.x * WG + lid; i < p.n; i += groups.x * WG) {
    let g = grad[i];
    acc += g * g;
  }
  lanes[lid] = acc;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s >>= 1u) {
    if (lid < s) { lanes[lid] += lanes[lid + s]; }
    workgroupBarrier();
  }
  if (lid == 0u) { partials[p.slot0 + wid.x] = lanes[0]; }
}
