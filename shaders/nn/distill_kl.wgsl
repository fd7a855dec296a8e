// Distillation term, one invocation per row (numerically stable softmax at temperature T):
//   s = softmax(student[i, :] / T),  t = softmax(teacher[i, :] / T)
//   row_loss[i] = T² · Σ_c t_c (log t_c − log s_c)   (terms with t_c = 0 add 0)
// student, teacher: [N, C] f32 → ps, pt: [N, C] (s and t), rows: [N, 2] = (row_loss_i, 1).
@group(0) @binding(0) var<storage, read> student: array<f32>;
@group(0) @binding(1) var<storage, read> teacher: array<f32>;
@group(0) @binding(2) var<storage, read_write> ps: array<f32>;
@group(0) @binding(3) var<storage, read_write> pt: array<f32>;
@group(0) @binding(4) var<storage, read_write> rows: array<f32>;

struct Params { N: u32, C: u32, T: f32 }
@group(1) @binding(0) var<uniform> p: Params;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let i = gid.x + gid.y * groups.x * 64u;
  if (i >= p.N) { return; }
  let base = i * p.C;
  var ms = student[base] / p.T;
  var mt = teacher[base] / p.T;
  for (var c = 1u; c < p.C; c++) {
    ms = max(ms, student[base + c] / p.T);
    mt = max(mt, teacher[base + c] / p.T);
  }
  var ss = 0.0;
  var st = 0.0;
  for (var c = 0u; c < p.C; c++) {
    ss += exp(student[base + c] / p.T - ms);
    st += exp(teacher[base + c] / p.T - mt);
  }
  let lss = log(ss) + ms;
  let lst = log(st) + mt;
  var kl = 0.0;
  for (var c = 0u; c < p.C; c++) {
    let ls = student[base + c] / p.T - lss;
    let lt = teacher[base + c] / p.T - lst;
    let t = exp(lt);
    ps[base + c] = exp(ls);
    pt[base + c] = t;
    if (t > 0.0) { kl += t * (lt - ls); }
  }
  rows[2u * i] = p.T * p.T * kl;
  rows[2u * i + 1u] = 1.0;
}
