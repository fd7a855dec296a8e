// Bias gradients of a recurrent layer direction from its gate gradients:
//   rows_ih[b, m] = Σ_t dgx[b, t, m]   (also the gradient of a per-example input bias)
//   rows_hh[b, m] = Σ_t dgh[b, t, m]   (only when SEPARATE: the GRU's hidden side)
//   db_ih[m] = Σ_b rows_ih[b, m],  db_hh[m] = Σ_b rows_hh[b, m] (= db_ih unless SEPARATE)
// Entry `per_example`: one invocation per (b, m); entry `total`: one per m, after it.
//   dgx, dgh: [B, T, GH]   rows_ih, rows_hh: [B, GH]   db_ih, db_hh: [GH]
@group(0) @binding(0) var<storage, read> dgx: array<f32>;
@group(0) @binding(1) var<storage, read> dgh: array<f32>;
@group(0) @binding(2) var<storage, read_write> rows_ih: array<f32>;
@group(0) @binding(3) var<storage, read_write> rows_hh: array<f32>;
@group(0) @binding(4) var<storage, read_write> db_ih: array<f32>;
@group(0) @binding(5) var<storage, read_write> db_hh: array<f32>;

struct Params { B: u32, T: u32, GH: u32 }
@group(1) @binding(0) var<uniform> p: Params;

override SEPARATE: bool = false;

@compute @workgroup_size(64)
fn per_example(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let idx = gid.x + gid.y * groups.x * 64u;
  if (idx >= p.B * p.GH) { return; }
  let b = idx / p.GH;
  let m = idx % p.GH;
  var sx = 0.0;
  var sh = 0.0;
  for (var t = 0u; t < p.T; t++) {
    let i = (b * p.T + t) * p.GH + m;
    sx += dgx[i];
    if (SEPARATE) { sh += dgh[i]; }
  }
  rows_ih[idx] = sx;
  if (SEPARATE) { rows_hh[idx] = sh; }
}

@compute @workgroup_size(64)
fn total(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let m = gid.x + gid.y * groups.x * 64u;
  if (m >= p.GH) { return; }
  var sx = 0.0;
  var sh = 0.0;
  for (var b = 0u; b < p.B; b++) {
    sx += rows_ih[b * p.GH + m];
    if (SEPARATE) { sh += rows_hh[b * p.GH + m]; }
  }
  db_ih[m] = sx;
  db_hh[m] = select(sx, sh, SEPARATE);
}
