// col2im, the adjoint of im2col (a gather: no atomics, deterministic):
//   dx[n, c, iy, ix] = Σ_{kh, kw} dcols[n, oy·OW + ox, (c·K + kh)·K + kw]
//   over oy = (iy + P − kh) / S, ox = (ix + P − kw) / S exact and inside [0, OH) × [0, OW).
// dcols: [N, OH·OW, C·K·K] → dx: [N, C, H, W]; f32 row-major.
@group(0) @binding(0) var<storage, read> dcols: array<f32>;
@group(0) @binding(1) var<storage, read_write> dx: array<f32>;

struct Params { N: u32, C: u32, H: u32, W: u32, O: u32, OH: u32, OW: u32 }
@group(1) @binding(0) var<uniform> p: Params;

override K: u32 = 3u;
override S: u32 = 1u;
override P: u32 = 1u;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let idx = gid.x + gid.y * groups.x * 256u;
  if (idx >= p.N * p.C * p.H * p.W) { return; }
  let ix = idx % p.W;
  let iy = (idx / p.W) % p.H;
  let c = (idx / (p.W * p.H)) % p.C;
  let n = idx / (p.W * p.H * p.C);
  let R = p.C * K * K;
  let base = n * p.OH * p.OW * R + c * K * K;
  var acc = 0.0;
  for (var kh = 0u; kh < K; kh++) {
    let ty = i32(iy + P) - i32(kh);
    let oy = ty / i32(S);
    if (ty < 0 || oy * i32(S) != ty || oy >= i32(p.OH)) { continue; }
    for (var kw = 0u; kw < K; kw++) {
      let tx = i32(ix + P) - i32(kw);
      let ox = tx / i32(S);
      if (tx < 0 || ox * i32(S) != tx || ox >= i32(p.OW)) { continue; }
      acc += dcols[base + (u32(oy) * p.OW + u32(ox)) * R + kh * K + kw];
    }
  }
  dx[idx] = acc;
}
