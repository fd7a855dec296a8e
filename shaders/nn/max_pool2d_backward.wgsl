// Max pooling backward as a gather (windows may overlap when S < SIZE; no atomics):
//   dx[n, c, iy, ix] = Σ dy[n, c, oy, ox] over the windows (oy, ox) that contain (iy, ix)
//                      and whose argmax is (iy, ix).
// dy: [N, C, OH, OW] f32, arg: [N, C, OH, OW] i32 (index in the H·W plane) → dx: [N, C, H, W] f32.
@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(1) var<storage, read> arg: array<i32>;
@group(0) @binding(2) var<storage, read_write> dx: array<f32>;

struct Params { planes: u32, H: u32, W: u32, OH: u32, OW: u32 }
@group(1) @binding(0) var<uniform> p: Params;

override SIZE: u32 = 2u;
override S: u32 = 2u;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let idx = gid.x + gid.y * groups.x * 256u;
  if (idx >= p.planes * p.H * p.W) { return; }
  let i = idx % (p.H * p.W);
  let ix = i % p.W;
  let iy = i / p.W;
  let out = (idx / (p.H * p.W)) * p.OH * p.OW;
  // Windows containing (iy, ix): oy·S ≤ iy < oy·S + SIZE.
  let oyLo = select(0u, (iy - SIZE) / S + 1u, iy >= SIZE);
  let oxLo = select(0u, (ix - SIZE) / S + 1u, ix >= SIZE);
  let oyHi = min(iy / S + 1u, p.OH);
  let oxHi = min(ix / S + 1u, p.OW);
  var acc = 0.0;
  for (var oy = oyLo; oy < oyHi; oy++) {
    for (var ox = oxLo; ox < oxHi; ox++) {
      let o = out + oy * p.OW + ox;
      if (u32(arg[o]) == i) { acc += dy[o]; }
    }
  }
  dx[idx] = acc;
}

// Non-overlapping windows (S == SIZE): one invocation per cell of the ⌈H/S⌉ × ⌈W/S⌉ grid
// writes its S×S block of dx: dy at the window's argmax, 0 elsewhere (also 0 in the rows
// and columns that floor mode leaves outside every window).
@compute @workgroup_size(64)
fn tiles(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let idx = gid.x + gid.y * groups.x * 64u;
  let GH = (p.H + S - 1u) / S;
  let GW = (p.W + S - 1u) / S;
  if (idx >= p.planes * GH * GW) { return; }
  let gx = idx % GW;
  let gy = (idx / GW) % GH;
  let plane = idx / (GW * GH);
  let inWindow = gy < p.OH && gx < p.OW;
  let o = (plane * p.OH + min(gy, p.OH - 1u)) * p.OW + min(gx, p.OW - 1u);
  var at = 0xffffffffu;
  var g = 0.0;
  if (inWindow) {
    at = u32(arg[o]);
    g = dy[o];
  }
  let base = plane * p.H * p.W;
  for (var kh = 0u; kh < S; kh++) {
    let iy = gy * S + kh;
    if (iy >= p.H) { break; }
    for (var kw = 0u; kw < S; kw++) {
      let ix = gx * S + kw;
      if (ix >= p.W) { break; }
      let i = iy * p.W + ix;
      dx[base + i] = select(0.0, g, i == at);
    }
  }
}
