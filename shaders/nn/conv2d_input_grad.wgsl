// Direct 2-D convolution, gradient of the input (a gather: no atomics, deterministic):
//   dx[n, c, iy, ix] = Σ_{o, kh, kw} dy[n, o, oy, ox] · w[o, c, kh, kw]
//   over oy = (iy + P − kh) / S, ox = (ix + P − kw) / S where the division is exact and
//   0 ≤ oy < OH, 0 ≤ ox < OW.
// Register-blocked: 4 input channels × 4 neighbouring input columns per invocation.
// dy: [N, O, OH, OW], w: [O, C, K, K] → dx: [N, C, H, W]; f32 row-major.
@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(1) var<storage, read> w: array<f32>;
@group(0) @binding(2) var<storage, read_write> dx: array<f32>;

struct Params { N: u32, C: u32, H: u32, W: u32, O: u32, OH: u32, OW: u32 }
@group(1) @binding(0) var<uniform> p: Params;

override K: u32 = 3u;
override S: u32 = 1u;
override P: u32 = 1u;

// dy[row + ox] for tx = ix + P − kw = ox·S with 0 ≤ ox < OW, else 0.
fn load_dy(row: u32, tx: i32) -> f32 {
  let ox = tx / i32(S);
  let inside = tx >= 0 && ox * i32(S) == tx && ox < i32(p.OW);
  return select(0.0, dy[row + u32(clamp(ox, 0, i32(p.OW) - 1))], inside);
}

fn store_dx(n: u32, c: u32, iy: u32, ix0: u32, v: vec4<f32>) {
  if (c >= p.C) { return; }
  let base = ((n * p.C + c) * p.H + iy) * p.W;
  for (var l = 0u; l < 4u; l++) {
    if (ix0 + l < p.W) { dx[base + ix0 + l] = v[l]; }
  }
}

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let item = gid.x + gid.y * groups.x * 64u;
  let xBlocks = (p.W + 3u) / 4u;
  let cBlocks = (p.C + 3u) / 4u;
  if (item >= p.N * cBlocks * p.H * xBlocks) { return; }
  let bx = item % xBlocks;
  var rest = item / xBlocks;
  let iy = rest % p.H;
  rest = rest / p.H;
  let c0 = (rest % cBlocks) * 4u;
  let n = rest / cBlocks;
  let ix0 = bx * 4u;
  let kk = K * K;
  // Offsets of the four input channels inside a weight row (clamped; extras not stored).
  let wc0 = min(c0, p.C - 1u) * kk;
  let wc1 = min(c0 + 1u, p.C - 1u) * kk;
  let wc2 = min(c0 + 2u, p.C - 1u) * kk;
  let wc3 = min(c0 + 3u, p.C - 1u) * kk;
  var acc0 = vec4<f32>(0.0);
  var acc1 = vec4<f32>(0.0);
  var acc2 = vec4<f32>(0.0);
  var acc3 = vec4<f32>(0.0);
  for (var o = 0u; o < p.O; o++) {
    let plane = (n * p.O + o) * p.OH * p.OW;
    let wo = o * p.C * kk;
    for (var kh = 0u; kh < K; kh++) {
      let ty = i32(iy + P) - i32(kh);
      let oy = ty / i32(S);
      if (ty < 0 || oy * i32(S) != ty || oy >= i32(p.OH)) { continue; }
      let row = plane + u32(oy) * p.OW;
      for (var kw = 0u; kw < K; kw++) {
        let tx = i32(ix0 + P) - i32(kw);
        let gv = vec4<f32>(load_dy(row, tx), load_dy(row, tx + 1), load_dy(row, tx + 2), load_dy(row, tx + 3));
        let t = wo + kh * K + kw;
        acc0 += w[t + wc0] * gv;
        acc1 += w[t + wc1] * gv;
        acc2 += w[t + wc2] * gv;
        acc3 += w[t + wc3] * gv;
      }
    }
  }
  store_dx(n, c0, iy, ix0, acc0);
  store_dx(n, c0 + 1u, iy, ix0, acc1);
  store_dx(n, c0 + 2u, iy, ix0, acc2);
  store_dx(n, c0 + 3u, iy, ix0, acc3);
}
