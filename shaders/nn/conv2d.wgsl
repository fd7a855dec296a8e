// Direct 2-D convolution forward (torch.nn.Conv2d, cross-correlation, zero padding):
//   y[n, o, oy, ox] = b[o] + Σ_{c, kh, kw} w[o, c, kh, kw] · x[n, c, oy·S − P + kh, ox·S − P + kw]
// Register-blocked: each invocation computes 4 output channels × 4 neighbouring output
// columns (four named vec4 accumulators, lanes = columns), so every loaded input value
// is used 4 times and every weight 4 times.
// x: [N, C, H, W], w: [O, C, K, K], b: [O] (read only when HAS_BIAS), y: [N, O, OH, OW];
// all f32 row-major. K, S (stride), P (padding) are override constants.
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> w: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read_write> y: array<f32>;

struct Params { N: u32, C: u32, H: u32, W: u32, O: u32, OH: u32, OW: u32 }
@group(1) @binding(0) var<uniform> p: Params;

override K: u32 = 3u;
override S: u32 = 1u;
override P: u32 = 1u;
override HAS_BIAS: bool = false;

// x[row + ix] when 0 ≤ ix < W, else 0 (zero padding).
fn load_x(row: u32, ix: i32) -> f32 {
  let inside = ix >= 0 && ix < i32(p.W);
  return select(0.0, x[row + u32(clamp(ix, 0, i32(p.W) - 1))], inside);
}

fn store_y(n: u32, o: u32, oy: u32, ox0: u32, v: vec4<f32>) {
  if (o >= p.O) { return; }
  var bias = 0.0;
  if (HAS_BIAS) { bias = b[o]; }
  let base = ((n * p.O + o) * p.OH + oy) * p.OW;
  for (var l = 0u; l < 4u; l++) {
    if (ox0 + l < p.OW) { y[base + ox0 + l] = v[l] + bias; }
  }
}

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let item = gid.x + gid.y * groups.x * 64u;
  let xBlocks = (p.OW + 3u) / 4u;
  let oBlocks = (p.O + 3u) / 4u;
  if (item >= p.N * oBlocks * p.OH * xBlocks) { return; }
  let bx = item % xBlocks;
  var rest = item / xBlocks;
  let oy = rest % p.OH;
  rest = rest / p.OH;
  let o0 = (rest % oBlocks) * 4u;
  let n = rest / oBlocks;
  let ox0 = bx * 4u;
  let iy0 = i32(oy * S) - i32(P);
  let ix0 = i32(ox0 * S) - i32(P);
  let kk = K * K;
  let wStride = p.C * kk;
  // Weight rows of the four output channels (clamped; extra channels are not stored).
  let w0 = min(o0, p.O - 1u) * wStride;
  let w1 = min(o0 + 1u, p.O - 1u) * wStride;
  let w2 = min(o0 + 2u, p.O - 1u) * wStride;
  let w3 = min(o0 + 3u, p.O - 1u) * wStride;
  var acc0 = vec4<f32>(0.0);
  var acc1 = vec4<f32>(0.0);
  var acc2 = vec4<f32>(0.0);
  var acc3 = vec4<f32>(0.0);
  for (var c = 0u; c < p.C; c++) {
    let plane = (n * p.C + c) * p.H * p.W;
    for (var kh = 0u; kh < K; kh++) {
      let iy = iy0 + i32(kh);
      if (iy < 0 || iy >= i32(p.H)) { continue; }
      let row = plane + u32(iy) * p.W;
      let wk = (c * K + kh) * K;
      for (var kw = 0u; kw < K; kw++) {
        let ix = ix0 + i32(kw);
        let xv = vec4<f32>(
          load_x(row, ix),
          load_x(row, ix + i32(S)),
          load_x(row, ix + 2 * i32(S)),
          load_x(row, ix + 3 * i32(S)),
        );
        let t = wk + kw;
        acc0 += w[w0 + t] * xv;
        acc1 += w[w1 + t] * xv;
        acc2 += w[w2 + t] * xv;
        acc3 += w[w3 + t] * xv;
      }
    }
  }
  store_y(n, o0, oy, ox0, acc0);
  store_y(n, o0 + 1u, oy, ox0, acc1);
  store_y(n, o0 + 2u, oy, ox0, acc2);
  store_y(n, o0 + 3u, oy, ox0, acc3);
}
