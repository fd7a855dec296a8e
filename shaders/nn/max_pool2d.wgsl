// 2-D max pooling (torch.nn.MaxPool2d, no padding, floor mode):
//   y[n, c, oy, ox] = max_{kh, kw < SIZE} x[n, c, oy·S + kh, ox·S + kw]
//   arg[n, c, oy, ox] = (oy·S + kh)·W + (ox·S + kw) of the first maximum in row-major
//   window order (a later value replaces it only when strictly greater, or NaN).
// x: [N, C, H, W] f32 → y: [N, C, OH, OW] f32, arg: [N, C, OH, OW] i32 (index in the H·W plane).
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<storage, read_write> arg: array<i32>;

struct Params { planes: u32, H: u32, W: u32, OH: u32, OW: u32 }
@group(1) @binding(0) var<uniform> p: Params;

override SIZE: u32 = 2u;
override S: u32 = 2u;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let idx = gid.x + gid.y * groups.x * 256u;
  if (idx >= p.planes * p.OH * p.OW) { return; }
  let ox = idx % p.OW;
  let oy = (idx / p.OW) % p.OH;
  let plane = (idx / (p.OW * p.OH)) * p.H * p.W;
  var best = x[plane + oy * S * p.W + ox * S];
  var at = oy * S * p.W + ox * S;
  for (var kh = 0u; kh < SIZE; kh++) {
    for (var kw = 0u; kw < SIZE; kw++) {
      let i = (oy * S + kh) * p.W + ox * S + kw;
      let v = x[plane + i];
      if (v > best || v != v) {
        best = v;
        at = i;
      }
    }
  }
  y[idx] = best;
  arg[idx] = i32(at);
}
