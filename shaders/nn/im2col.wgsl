// im2col for 2-D convolution: one row of patch values per output pixel.
//   cols[n, q, r] = x[n, c, oy·S − P + kh, ox·S − P + kw]  (0 in the padding)
//   q = oy·OW + ox,  r = (c·K + kh)·K + kw
// x: [N, C, H, W] → cols: [N, OH·OW, C·K·K]; f32 row-major. One invocation writes the K·K
// consecutive values of one (n, q, c): on SwiftShader the per-invocation index arithmetic
// costs more than the copy.
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> cols: array<f32>;

struct Params { N: u32, C: u32, H: u32, W: u32, O: u32, OH: u32, OW: u32 }
@group(1) @binding(0) var<uniform> p: Params;

override K: u32 = 3u;
override S: u32 = 1u;
override P: u32 = 1u;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let idx = gid.x + gid.y * groups.x * 64u;
  let Q = p.OH * p.OW;
  if (idx >= p.N * Q * p.C) { return; }
  let c = idx % p.C;
  let q = (idx / p.C) % Q;
  let n = idx / (p.C * Q);
  let y0 = i32((q / p.OW) * S) - i32(P);
  let x0 = i32((q % p.OW) * S) - i32(P);
  let plane = (n * p.C + c) * p.H * p.W;
  var out = idx * K * K; // = (n·Q + q)·C·K·K + c·K·K
  for (var kh = 0u; kh < K; kh++) {
    let iy = y0 + i32(kh);
    let rowOk = iy >= 0 && iy < i32(p.H);
    for (var kw = 0u; kw < K; kw++) {
      let ix = x0 + i32(kw);
      var v = 0.0;
      if (rowOk && ix >= 0 && ix < i32(p.W)) {
        v = x[plane + u32(iy) * p.W + u32(ix)];
      }
      cols[out] = v;
      out++;
    }
  }
}
