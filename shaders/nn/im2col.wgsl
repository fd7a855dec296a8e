// im2col for 2-D convolution: one row of patch values per output pixel.
//   cols[n, q, r] = x[n, c, oy·S − P + kh, ox·S − P + kw]  (0 in the padding)
//   q = oy·OW + ox,  r = (c·K + kh)·K + kw
// x: [N, C, H, W] → cols: [N, OH·OW, C·K·K]; f32 row-major.
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> cols: array<f32>;

struct Params { N: u32, C: u32, H: u32, W: u32, O: u32, OH: u32, OW: u32, pad: u32 }
@group(1) @binding(0) var<uniform> p: Params;

override K: u32 = 3u;
override S: u32 = 1u;
override P: u32 = 1u;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let idx = gid.x + gid.y * groups.x * 256u;
  let R = p.C * K * K;
  let Q = p.OH * p.OW;
  if (idx >= p.N * Q * R) { return; }
  let r = idx % R;
  let q = (idx / R) % Q;
  let n = idx / (R * Q);
  let c = r / (K * K);
  let kh = (r / K) % K;
  let kw = r % K;
  let iy = i32((q / p.OW) * S + kh) - i32(P);
  let ix = i32((q % p.OW) * S + kw) - i32(P);
  var v = 0.0;
  if (iy >= 0 && iy < i32(p.H) && ix >= 0 && ix < i32(p.W)) {
    v = x[((n * p.C + c) * p.H + u32(iy)) * p.W + u32(ix)];
  }
  cols[idx] = v;
}
