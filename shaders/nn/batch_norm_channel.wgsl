// The per-channel reduction both batch-norm passes share (batch_norm_train.wgsl,
// batch_norm_backward.wgsl; joined in src/ops/batch-norm.ts): one workgroup of WG lanes
// per channel, each lane walking a fixed strided slice of the channel's N·H·W values, and
// a fixed tree adding the lanes, so sums do not depend on timing. Reads the pass's
// uniform `p` (its C and HW).
// requires: p
// provides: WG, partial, workgroup_sum, Walk, walk_start, walk_next, walk_index
const WG: u32 = 256u;
var<workgroup> partial: array<f32, WG>;

/** Σ over the workgroup of every lane's v, added in a fixed tree order. */
fn workgroup_sum(lane: u32, v: f32) -> f32 {
  partial[lane] = v;
  workgroupBarrier();
  for (var stride = WG / 2u; stride > 0u; stride >>= 1u) {
    if (lane < stride) { partial[lane] += partial[lane + stride]; }
    workgroupBarrier();
  }
  let total = partial[0];
  workgroupBarrier();
  return total;
}

/**
 * Walks channel c's values i = lane, lane + WG, … < N·HW as indices into x without a
 * division per value: i = b·HW + j is carried as (b, j), and each stride of WG adds
 * step = (WG / HW, WG % HW) with a carry.
 */
struct Walk { b: u32, j: u32 }

fn walk_start(lane: u32) -> Walk {
  return Walk(lane / p.HW, lane % p.HW);
}

fn walk_next(w: Walk, step: Walk) -> Walk {
  var b = w.b + step.b;
  var j = w.j + step.j;
  if (j >= p.HW) {
    j -= p.HW;
    b += 1u;
  }
  return Walk(b, j);
}

fn walk_index(c: u32, w: Walk) -> u32 {
  return (w.b * p.C + c) * p.HW + w.j;
}
