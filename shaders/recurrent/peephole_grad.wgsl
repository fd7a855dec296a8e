// Gradient of the peephole weights of one LSTM direction (src/ops/cells/lstm/lstm.ts):
//   dp_i[j] = Σ_{b,t} dgx[b, t, i, j] · c_{t-1}[b, t, j]
//   dp_f[j] = Σ_{b,t} dgx[b, t, f, j] · c_{t-1}[b, t, j]
//   dp_o[j] = Σ_{b,t} dgx[b, t, o, j] · c_t[b, t, j]
// (padded steps hold zeros in both, so they add nothing). One invocation per (gate, j).
//   dgx:   [B, T, 4·H]  gate gradients, gate order i, f, g, o
//   saved: [B, T, 6·H]  [i, f, g, o, c_t, c_{t-1}] from forward
//   dpeep: [3, H]       p_i, p_f, p_o
@group(0) @binding(0) var<storage, read> dgx: array<f32>;
@group(0) @binding(1) var<storage, read> saved: array<f32>;
@group(0) @binding(2) var<storage, read_write> dpeep: array<f32>;

struct Params { rows: u32, H: u32 }
@group(1) @binding(0) var<uniform> p: Params;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let m = gid.x + gid.y * groups.x * 64u;
  if (m >= 3u * p.H) { return; }
  let k = m / p.H;
  let j = m % p.H;
  // Gate block in dgx (i 0, f 1, o 3) and saved slot of the cell state it peeks at.
  let gate = select(k, 3u, k == 2u);
  let slot = select(5u, 4u, k == 2u);
  var sum = 0.0;
  for (var r = 0u; r < p.rows; r++) {
    sum += dgx[r * 4u * p.H + gate * p.H + j] * saved[r * 6u * p.H + slot * p.H + j];
  }
  dpeep[m] = sum;
}
