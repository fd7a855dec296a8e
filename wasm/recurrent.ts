// Pointwise recurrent-cell kernels of the WebAssembly engine (AssemblyScript; exported
// through wasm/engine.ts). The driver src/ops/recurrent-wasm.ts runs the GEMMs (input
// projection, h·W_hhᵀ, dG·W_hh) and calls these per timestep on the active rows. The
// math is that of the cells' forwardUnit / backwardUnit (src/ops/cells/*/*.ts), in f32.
//
// Cells: 0 rnn_tanh, 1 rnn_relu, 2 lstm, 3 gru. Per active row q (0 ≤ q < n):
// examples[q] = b (its example) and rows[q] = b·T + t (its row of the [B, T, ·] arrays),
// both i32. A pointer argument of 0 means "absent" (memory from heapBase() on is never 0).
// Saved layouts per (b, t): rnn [pre | h], lstm [i | f | g | o | c_t | c_{t-1}],
// gru [r | z | n | r_n | h_{t-1}] (S·H values per row).

const RNN_TANH: i32 = 0;
const RNN_RELU: i32 = 1;
const LSTM: i32 = 2;
const GRU: i32 = 3;

function ld(p: usize, i: i32): f32 {
  return load<f32>(p + (<usize>i << 2));
}

function st(p: usize, i: i32, v: f32): void {
  store<f32>(p + (<usize>i << 2), v);
}

function ldi(p: usize, i: i32): i32 {
  return load<i32>(p + (<usize>i << 2));
}

/** σ(x) without overflow: e^{-|x|} never exceeds 1. */
function sigmoid(x: f32): f32 {
  if (x >= 0) return 1 / (1 + Mathf.exp(-x));
  const e = Mathf.exp(x);
  return e / (1 + e);
}

/**
 * A[r, :] += b_ih (+ inBias[r / T, :]) for the B·T rows of the input projection A [B·T, G·H].
 * inBias: the first layer's per-example input bias [B, G·H], or 0.
 */
export function recurrentInputBias(a: usize, rowsBT: i32, T: i32, GH: i32, bIh: usize, inBias: usize): void {
  for (let r = 0; r < rowsBT; r++) {
    const ar = a + (<usize>(r * GH) << 2);
    if (inBias != 0) {
      const ib = inBias + (<usize>((r / T) * GH) << 2);
      for (let m = 0; m < GH; m++) st(ar, m, ld(ar, m) + (ld(bIh, m) + ld(ib, m)));
    } else {
      for (let m = 0; m < GH; m++) st(ar, m, ld(ar, m) + ld(bIh, m));
    }
  }
}

/** dst[q, :] = src[examples[q], :] for q < n; rows of `width` values. */
export function recurrentGather(n: i32, width: i32, examples: usize, src: usize, dst: usize): void {
  for (let q = 0; q < n; q++) {
    memory.copy(dst + (<usize>(q * width) << 2), src + (<usize>(ldi(examples, q) * width) << 2), <usize>width << 2);
  }
}

/**
 * One forward step over n active rows. a: input projection with biases [B·T, G·H]; r: the
 * recurrent term W_hh h of the active rows [n, G·H] (row q = example examples[q]); bHh
 * [G·H]; h, c: states [B, H] (c only for the LSTM), updated in place; writes saved
 * [B·T, S·H], hPrev [B·T, H] and y [B·T, DH] at columns dOff .. dOff + H. peep: LSTM
 * peephole weights [3·H] (p_i, p_f, p_o) or 0.
 *   rnn:  h' = act(a + r + b_hh)
 *   lstm: i = σ(a_i + r_i + p_i c), f = σ(a_f + r_f + p_f c), g = tanh(a_g + r_g),
 *         c' = f c + i g, o = σ(a_o + r_o + p_o c'), h' = o tanh(c')
 *   gru:  r = σ(a_r + r_r), z = σ(a_z + r_z), n = tanh(a_n + r ⊙ r_n), h' = (1 − z) n + z h
 * (r_* here includes b_hh.)
 */
export function recurrentForwardStep(
  cell: i32, n: i32, H: i32, rows: usize, examples: usize,
  a: usize, r: usize, bHh: usize, h: usize, c: usize,
  saved: usize, hPrev: usize, y: usize, DH: i32, dOff: i32, peep: usize,
): void {
  const G: i32 = cell == LSTM ? 4 : cell == GRU ? 3 : 1;
  const S: i32 = cell == LSTM ? 6 : cell == GRU ? 5 : 2;
  const GH = G * H;
  for (let q = 0; q < n; q++) {
    const b = ldi(examples, q);
    const row = ldi(rows, q);
    const ap = a + (<usize>(row * GH) << 2);
    const rp = r + (<usize>(q * GH) << 2);
    const sp = saved + (<usize>(row * S * H) << 2);
    const hp = h + (<usize>(b * H) << 2);
    const cp = c + (<usize>(b * H) << 2);
    const hPrevRow = hPrev + (<usize>(row * H) << 2);
    const yp = y + (<usize>(row * DH + dOff) << 2);
    for (let j = 0; j < H; j++) {
      const hOld = ld(hp, j);
      st(hPrevRow, j, hOld);
      let hNew: f32;
      if (cell == LSTM) {
        const cOld = ld(cp, j);
        const pi: f32 = peep != 0 ? ld(peep, j) : 0;
        const pf: f32 = peep != 0 ? ld(peep, H + j) : 0;
        const po: f32 = peep != 0 ? ld(peep, 2 * H + j) : 0;
        const i = sigmoid(ld(ap, j) + (ld(rp, j) + ld(bHh, j)) + pi * cOld);
        const f = sigmoid(ld(ap, H + j) + (ld(rp, H + j) + ld(bHh, H + j)) + pf * cOld);
        const g = Mathf.tanh(ld(ap, 2 * H + j) + (ld(rp, 2 * H + j) + ld(bHh, 2 * H + j)));
        const cNew = f * cOld + i * g;
        const o = sigmoid(ld(ap, 3 * H + j) + (ld(rp, 3 * H + j) + ld(bHh, 3 * H + j)) + po * cNew);
        hNew = o * Mathf.tanh(cNew);
        st(sp, j, i);
        st(sp, H + j, f);
        st(sp, 2 * H + j, g);
        st(sp, 3 * H + j, o);
        st(sp, 4 * H + j, cNew);
        st(sp, 5 * H + j, cOld);
        st(cp, j, cNew);
      } else if (cell == GRU) {
        const rg = sigmoid(ld(ap, j) + (ld(rp, j) + ld(bHh, j)));
        const z = sigmoid(ld(ap, H + j) + (ld(rp, H + j) + ld(bHh, H + j)));
        const hn = ld(rp, 2 * H + j) + ld(bHh, 2 * H + j);
        const nn = Mathf.tanh(ld(ap, 2 * H + j) + rg * hn);
        hNew = (1 - z) * nn + z * hOld;
        st(sp, j, rg);
        st(sp, H + j, z);
        st(sp, 2 * H + j, nn);
        st(sp, 3 * H + j, hn);
        st(sp, 4 * H + j, hOld);
      } else {
        const p = ld(ap, j) + (ld(rp, j) + ld(bHh, j));
        hNew = cell == RNN_TANH ? Mathf.tanh(p) : p > 0 ? p : 0;
        st(sp, j, p);
        st(sp, H + j, hNew);
      }
      st(hp, j, hNew);
      st(yp, j, hNew);
    }
  }
}

/**
 * One backward step over n active rows (reverse time). dh = dhCarry[b] + dy[row, dOff ..]
 * (dy 0: no output gradient). Writes the gate gradients of the row into dGx [B·T, G·H]
 * and, for the GRU, the hidden side into dGh [B·T, G·H] (dGh 0 for the other cells, whose
 * hidden side equals dGx); also the hidden side of row q into dg [n, G·H] for the
 * dG·W_hh GEMM. Updates dc [B, H] in place (LSTM) and sets direct [B, H], the part of
 * dh_{t-1} that does not go through W_hh (GRU: dh ⊙ z; else 0).
 *   rnn:  d pre = dh ⊙ act'(pre)
 *   lstm: do = dh tanh(c) o(1−o); dc_t = dc + dh o (1 − tanh²c) + do p_o;
 *         di = dc_t g i(1−i), df = dc_t c_{t-1} f(1−f), dg = dc_t i (1−g²);
 *         dc_{t-1} = dc_t f + di p_i + df p_f
 *   gru:  dn̂ = dh (1−z)(1−n²), dr = dn̂ r_n r(1−r), dz = dh (h_{t-1} − n) z(1−z);
 *         dGx = [dr, dz, dn̂], dGh = [dr, dz, dn̂ r], direct = dh z
 */
export function recurrentBackwardStep(
  cell: i32, n: i32, H: i32, rows: usize, examples: usize,
  saved: usize, dy: usize, DH: i32, dOff: i32,
  dhCarry: usize, dc: usize, direct: usize,
  dGx: usize, dGh: usize, dg: usize, peep: usize,
): void {
  const G: i32 = cell == LSTM ? 4 : cell == GRU ? 3 : 1;
  const S: i32 = cell == LSTM ? 6 : cell == GRU ? 5 : 2;
  const GH = G * H;
  for (let q = 0; q < n; q++) {
    const b = ldi(examples, q);
    const row = ldi(rows, q);
    const sp = saved + (<usize>(row * S * H) << 2);
    const carry = dhCarry + (<usize>(b * H) << 2);
    const dcp = dc + (<usize>(b * H) << 2);
    const dir = direct + (<usize>(b * H) << 2);
    const gx = dGx + (<usize>(row * GH) << 2);
    const gq = dg + (<usize>(q * GH) << 2);
    const dyp = dy + (<usize>(row * DH + dOff) << 2);
    for (let k = 0; k < H; k++) {
      const dh = ld(carry, k) + (dy != 0 ? ld(dyp, k) : <f32>0);
      if (cell == LSTM) {
        const i = ld(sp, k);
        const f = ld(sp, H + k);
        const g = ld(sp, 2 * H + k);
        const o = ld(sp, 3 * H + k);
        const cc = ld(sp, 4 * H + k);
        const cPrev = ld(sp, 5 * H + k);
        const tc = Mathf.tanh(cc);
        const dO = dh * tc * o * (1 - o);
        let dct = ld(dcp, k) + dh * o * (1 - tc * tc);
        if (peep != 0) dct += dO * ld(peep, 2 * H + k);
        const di = dct * g * i * (1 - i);
        const df = dct * cPrev * f * (1 - f);
        const dgg = dct * i * (1 - g * g);
        st(gx, k, di);
        st(gx, H + k, df);
        st(gx, 2 * H + k, dgg);
        st(gx, 3 * H + k, dO);
        st(gq, k, di);
        st(gq, H + k, df);
        st(gq, 2 * H + k, dgg);
        st(gq, 3 * H + k, dO);
        let dcNext = dct * f;
        if (peep != 0) dcNext += di * ld(peep, k) + df * ld(peep, H + k);
        st(dcp, k, dcNext);
        st(dir, k, 0);
      } else if (cell == GRU) {
        const rg = ld(sp, k);
        const z = ld(sp, H + k);
        const nn = ld(sp, 2 * H + k);
        const hn = ld(sp, 3 * H + k);
        const hp = ld(sp, 4 * H + k);
        const dnPre = dh * (1 - z) * (1 - nn * nn);
        const drPre = dnPre * hn * rg * (1 - rg);
        const dzPre = dh * (hp - nn) * z * (1 - z);
        st(gx, k, drPre);
        st(gx, H + k, dzPre);
        st(gx, 2 * H + k, dnPre);
        const gh = dGh + (<usize>(row * GH) << 2);
        st(gh, k, drPre);
        st(gh, H + k, dzPre);
        st(gh, 2 * H + k, dnPre * rg);
        st(gq, k, drPre);
        st(gq, H + k, dzPre);
        st(gq, 2 * H + k, dnPre * rg);
        st(dir, k, dh * z);
      } else {
        const p = ld(sp, k);
        const hh = ld(sp, H + k);
        const d: f32 = cell == RNN_TANH ? dh * (1 - hh * hh) : p > 0 ? dh : 0;
        st(gx, k, d);
        st(gq, k, d);
        st(dir, k, 0);
      }
    }
  }
}

/** dhCarry[examples[q], :] = direct[examples[q], :] + through[q, :] for q < n (rows of H). */
export function recurrentCarry(n: i32, H: i32, examples: usize, direct: usize, through: usize, dhCarry: usize): void {
  for (let q = 0; q < n; q++) {
    const b = ldi(examples, q);
    const dst = dhCarry + (<usize>(b * H) << 2);
    const dir = direct + (<usize>(b * H) << 2);
    const th = through + (<usize>(q * H) << 2);
    let k = 0;
    for (; k + 4 <= H; k += 4) {
      const o = <usize>k << 2;
      v128.store(dst + o, f32x4.add(v128.load(dir + o), v128.load(th + o)));
    }
    for (; k < H; k++) st(dst, k, ld(dir, k) + ld(th, k));
  }
}

/** dst[j] = Σ_r src[r, j] for a [rows, cols] array (cols values per row). */
export function recurrentColumnSums(src: usize, rows: i32, cols: i32, dst: usize): void {
  memory.fill(dst, 0, <usize>cols << 2);
  for (let r = 0; r < rows; r++) {
    const sr = src + (<usize>(r * cols) << 2);
    let j = 0;
    for (; j + 4 <= cols; j += 4) {
      const o = <usize>j << 2;
      v128.store(dst + o, f32x4.add(v128.load(dst + o), v128.load(sr + o)));
    }
    for (; j < cols; j++) st(dst, j, ld(dst, j) + ld(sr, j));
  }
}

/**
 * LSTM peephole gradients over all rows: dp_i[j] = Σ_r dGx[r, i, j] c_{t-1}[r, j],
 * dp_f[j] = Σ_r dGx[r, f, j] c_{t-1}[r, j], dp_o[j] = Σ_r dGx[r, o, j] c_t[r, j]. dGx
 * [rows, 4·H], saved [rows, 6·H]; dp [3·H].
 */
export function recurrentPeepholeGrad(rowsBT: i32, H: i32, dGx: usize, saved: usize, dp: usize): void {
  memory.fill(dp, 0, <usize>(3 * H) << 2);
  for (let r = 0; r < rowsBT; r++) {
    const gx = dGx + (<usize>(r * 4 * H) << 2);
    const sp = saved + (<usize>(r * 6 * H) << 2);
    for (let j = 0; j < H; j++) {
      const cPrev = ld(sp, 5 * H + j);
      st(dp, j, ld(dp, j) + ld(gx, j) * cPrev);
      st(dp, H + j, ld(dp, H + j) + ld(gx, H + j) * cPrev);
      st(dp, 2 * H + j, ld(dp, 2 * H + j) + ld(gx, 3 * H + j) * ld(sp, 4 * H + j));
    }
  }
}
