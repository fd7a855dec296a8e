// Direct 2-D convolution, weight and bias gradients, first pass: one partial sum per
// batch item (no atomics; the second pass sums over n in order).
//   part[n, o, r] = Σ_{oy, ox} dy[n, o, oy, ox] · tap_r(n, oy, ox),   r ∈ [0, R], R = C·K·K
//   tap_r = x[n, c, oy·S − P + kh, ox·S − P + kw] for r = (c·K + kh)·K + kw < R (0 outside),
//   tap_R = 1 (the bias tap: part[n, o, R] = Σ dy[n, o, :, :]).
// Register-blocked: 4 output channels × 4 taps per invocation (vec4 lanes = taps).
// dy: [N, O, OH, OW], x: [N, C, H, W] → part: [N, O, R + 1]; f32 row-major.
@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> part: array<f32>;

struct Params { N: u32, C: u32, H: u32, W: u32, O: u32, OH: u32, OW: u32 }
@group(1) @binding(0) var<uniform> p: Params;

override K: u32 = 3u;
override S: u32 = 1u;
override P: u32 = 1u;

// Where tap r reads: base offset of its channel plane in x, (kh − P, kw − P), and kind
// (0 = input value, 1 = the constant bias tap, 2 = past the end).
struct Tap { plane: u32, dy: i32, dx: i32, kind: u32 }

fn tap(n: u32, r: u32) -> Tap {
  let R = p.C * K * K;
  if (r > R) { return Tap(0u, 0, 0, 2u); }
  if (r == R) { return Tap(0u, 0, 0, 1u); }
  let c = r / (K * K);
  let k = r % (K * K);
  return Tap((n * p.C + c) * p.H * p.W, i32(k / K) - i32(P), i32(k % K) - i32(P), 0u);
}

fn load_tap(t: Tap, iy0: i32, ix0: i32) -> f32 {
  if (t.kind == 1u) { return 1.0; }
  let iy = iy0 + t.dy;
  let ix = ix0 + t.dx;
  let inside = t.kind == 0u && iy >= 0 && iy < i32(p.H) && ix >= 0 && ix < i32(p.W);
  let at = u32(clamp(iy, 0, i32(p.H) - 1)) * p.W + u32(clamp(ix, 0, i32(p.W) - 1));
  return select(0.0, x[t.plane + at], inside);
}

fn store_part(n: u32, o: u32, r0: u32, v: vec4<f32>) {
  let R1 = p.C * K * K + 1u;
  if (o >= p.O) { return; }
  let base = (n * p.O + o) * R1;
  for (var l = 0u; l < 4u; l++) {
    if (r0 + l < R1) { part[base + r0 + l] = v[l]; }
  }
}

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let item = gid.x + gid.y * groups.x * 64u;
  let R1 = p.C * K * K + 1u;
  let rBlocks = (R1 + 3u) / 4u;
  let oBlocks = (p.O + 3u) / 4u;
  if (item >= p.N * oBlocks * rBlocks) { return; }
  let r0 = (item % rBlocks) * 4u;
  let rest = item / rBlocks;
  let o0 = (rest % oBlocks) * 4u;
  let n = rest / oBlocks;
  let t0 = tap(n, r0);
  let t1 = tap(n, r0 + 1u);
  let t2 = tap(n, r0 + 2u);
  let t3 = tap(n, r0 + 3u);
  let pix = p.OH * p.OW;
  // dy planes of the four output channels (clamped; extra channels are not stored).
  let g0 = (n * p.O + min(o0, p.O - 1u)) * pix;
  let g1 = (n * p.O + min(o0 + 1u, p.O - 1u)) * pix;
  let g2 = (n * p.O + min(o0 + 2u, p.O - 1u)) * pix;
  let g3 = (n * p.O + min(o0 + 3u, p.O - 1u)) * pix;
  var acc0 = vec4<f32>(0.0);
  var acc1 = vec4<f32>(0.0);
  var acc2 = vec4<f32>(0.0);
  var acc3 = vec4<f32>(0.0);
  for (var oy = 0u; oy < p.OH; oy++) {
    let iy0 = i32(oy * S);
    for (var ox = 0u; ox < p.OW; ox++) {
      let ix0 = i32(ox * S);
      let xv = vec4<f32>(load_tap(t0, iy0, ix0), load_tap(t1, iy0, ix0), load_tap(t2, iy0, ix0), load_tap(t3, iy0, ix0));
      let q = oy * p.OW + ox;
      acc0 += dy[g0 + q] * xv;
      acc1 += dy[g1 + q] * xv;
      acc2 += dy[g2 + q] * xv;
      acc3 += dy[g3 + q] * xv;
    }
  }
  store_part(n, o0, r0, acc0);
  store_part(n, o0 + 1u, r0, acc1);
  store_part(n, o0 + 2u, r0, acc2);
  store_part(n, o0 + 3u, r0, acc3);
}
