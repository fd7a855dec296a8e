// Pointwise recurrent-cell kernels of the WebAssembly engine (AssemblyScript; exported
// through wasm/engine.ts). The driver src/ops/recurrent-wasm.ts runs the GEMMs (input
// projection, h·W_hhᵀ, dG·W_hh) and calls these per timestep on the active rows. The
// math is that of the cells' forwardUnit / backwardUnit (src/ops/cells/*/*.ts), in f32:
// four units at a time in f32x4 (forwardVector / backwardVector, with e^x, σ and tanh
// below), the last H mod 4 units by the scalar loops (the same functions on one lane).
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

// The scalar loops use the same approximations as the vector ones (one lane), so a unit's
// value does not depend on whether H mod 4 put it in the tail; and the module then needs no
// lookup tables (Mathf.exp has one), so the shared build has no data segment that a
// helper thread's instantiation would write into the shared memory again.
function sigmoid(x: f32): f32 {
  return f32x4.extract_lane(sigmoid4(f32x4.splat(x)), 0);
}

function tanhf(x: f32): f32 {
  return f32x4.extract_lane(tanh4(f32x4.splat(x)), 0);
}

// a·b + c: fused (or not: the engine chooses) in the relaxed-SIMD builds, else a multiply
// and an add. The polynomials below use it; the results differ from the plain build's in
// the last bits only.
function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return v128.relaxed_madd<f32>(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

// f32x4 e^x, σ and tanh for the vector loops (four units at a time). e^x as Cephes expf:
// x = n·ln2 + r (|r| ≤ ln2/2), e^r by a degree-5 polynomial, times 2^n written into the
// exponent bits (n rounded by adding 1.5·2^23); x clamped to [−87.3, 88.3] so that 2^n stays a normal float (relative
// error about 2e-7). tanh: the odd polynomial of Cephes tanhf for |x| < 0.625, else
// 1 − 2/(e^{2|x|} + 1) with x's sign.
function exp4(x: v128): v128 {
  // pmax / pmin (x < lo ? lo : x) compile to one instruction and keep a NaN a NaN.
  x = f32x4.pmin(f32x4.pmax(x, f32x4.splat(-87.3)), f32x4.splat(88.3));
  // t = x·log2(e) + 1.5·2^23 rounds to an integer n held in t's low mantissa bits.
  const t = madd(x, f32x4.splat(1.44269504089), f32x4.splat(12582912.0));
  const n = f32x4.sub(t, f32x4.splat(12582912.0));
  let r = madd(n, f32x4.splat(-0.693359375), x);
  r = madd(n, f32x4.splat(2.12194440e-4), r);
  let y = f32x4.splat(1.9875691500e-4);
  y = madd(y, r, f32x4.splat(1.3981999507e-3));
  y = madd(y, r, f32x4.splat(8.3334519073e-3));
  y = madd(y, r, f32x4.splat(4.1665795894e-2));
  y = madd(y, r, f32x4.splat(1.6666665459e-1));
  y = madd(y, r, f32x4.splat(5.0000001201e-1));
  y = f32x4.add(madd(y, f32x4.mul(r, r), r), f32x4.splat(1));
  // 2^n: t's bits are 0x4B400000 + n, and shifting left by 23 keeps only n·2^23.
  const scale = i32x4.add(i32x4.shl(t, 23), i32x4.splat(0x3f800000));
  return f32x4.mul(y, scale);
}

function sigmoid4(x: v128): v128 {
  const one = f32x4.splat(1);
  return f32x4.div(one, f32x4.add(one, exp4(f32x4.neg(x))));
}

function tanh4(x: v128): v128 {
  const ax = f32x4.abs(x);
  const one = f32x4.splat(1);
  const large = f32x4.sub(one, f32x4.div(f32x4.splat(2), f32x4.add(exp4(f32x4.add(ax, ax)), one)));
  const signed = v128.or(large, v128.and(x, i32x4.splat(0x80000000)));
  const z = f32x4.mul(x, x);
  let p = f32x4.splat(-5.70498872745e-3);
  p = madd(p, z, f32x4.splat(2.06390887954e-2));
  p = madd(p, z, f32x4.splat(-5.37397155531e-2));
  p = madd(p, z, f32x4.splat(1.33314422036e-1));
  p = madd(p, z, f32x4.splat(-3.33332819422e-1));
  const small = madd(f32x4.mul(p, z), x, x);
  return v128.bitselect(small, signed, f32x4.lt(ax, f32x4.splat(0.625)));
}

/** v128 at p + 4·i bytes. */
function ld4(p: usize, i: i32): v128 {
  return v128.load(p + (<usize>i << 2));
}

function st4(p: usize, i: i32, v: v128): void {
  v128.store(p + (<usize>i << 2), v);
}

/** a + (r + b): the gate pre-activation of four units (same order as the scalar loop). */
function pre4(ap: usize, rp: usize, bHh: usize, i: i32): v128 {
  return f32x4.add(ld4(ap, i), f32x4.add(ld4(rp, i), ld4(bHh, i)));
}

// Forward of units 0 .. H & ~3 of one row, four at a time; returns where the scalar loop
// continues. Pointers as in recurrentForwardStep, already offset to the row / example.
function forwardVector(cell: i32, H: i32, ap: usize, rp: usize, bHh: usize, hp: usize, cp: usize, sp: usize, hPrevRow: usize, yp: usize, peep: usize): i32 {
  const one = f32x4.splat(1);
  const zero = f32x4.splat(0);
  let j = 0;
  for (; j + 4 <= H; j += 4) {
    const hOld = ld4(hp, j);
    st4(hPrevRow, j, hOld);
    let hNew: v128;
    if (cell == LSTM) {
      const cOld = ld4(cp, j);
      const pi = peep != 0 ? ld4(peep, j) : zero;
      const pf = peep != 0 ? ld4(peep, H + j) : zero;
      const po = peep != 0 ? ld4(peep, 2 * H + j) : zero;
      const i = sigmoid4(f32x4.add(pre4(ap, rp, bHh, j), f32x4.mul(pi, cOld)));
      const f = sigmoid4(f32x4.add(pre4(ap, rp, bHh, H + j), f32x4.mul(pf, cOld)));
      const g = tanh4(pre4(ap, rp, bHh, 2 * H + j));
      const cNew = f32x4.add(f32x4.mul(f, cOld), f32x4.mul(i, g));
      const o = sigmoid4(f32x4.add(pre4(ap, rp, bHh, 3 * H + j), f32x4.mul(po, cNew)));
      hNew = f32x4.mul(o, tanh4(cNew));
      st4(sp, j, i);
      st4(sp, H + j, f);
      st4(sp, 2 * H + j, g);
      st4(sp, 3 * H + j, o);
      st4(sp, 4 * H + j, cNew);
      st4(sp, 5 * H + j, cOld);
      st4(cp, j, cNew);
    } else if (cell == GRU) {
      const rg = sigmoid4(pre4(ap, rp, bHh, j));
      const z = sigmoid4(pre4(ap, rp, bHh, H + j));
      const hn = f32x4.add(ld4(rp, 2 * H + j), ld4(bHh, 2 * H + j));
      const nn = tanh4(f32x4.add(ld4(ap, 2 * H + j), f32x4.mul(rg, hn)));
      hNew = f32x4.add(f32x4.mul(f32x4.sub(one, z), nn), f32x4.mul(z, hOld));
      st4(sp, j, rg);
      st4(sp, H + j, z);
      st4(sp, 2 * H + j, nn);
      st4(sp, 3 * H + j, hn);
      st4(sp, 4 * H + j, hOld);
    } else {
      const p = pre4(ap, rp, bHh, j);
      hNew = cell == RNN_TANH ? tanh4(p) : f32x4.max(p, zero);
      st4(sp, j, p);
      st4(sp, H + j, hNew);
    }
    st4(hp, j, hNew);
    st4(yp, j, hNew);
  }
  return j;
}

// Backward of units 0 .. H & ~3 of one row, four at a time; returns where the scalar loop
// continues. Pointers as in recurrentBackwardStep, offset to the row / example (dyp 0: no dy;
// gh 0: no separate hidden side).
function backwardVector(cell: i32, H: i32, sp: usize, dyp: usize, carry: usize, dcp: usize, dir: usize, gx: usize, gh: usize, gq: usize, peep: usize): i32 {
  const one = f32x4.splat(1);
  const zero = f32x4.splat(0);
  let k = 0;
  for (; k + 4 <= H; k += 4) {
    const dh = dyp != 0 ? f32x4.add(ld4(carry, k), ld4(dyp, k)) : ld4(carry, k);
    if (cell == LSTM) {
      const i = ld4(sp, k);
      const f = ld4(sp, H + k);
      const g = ld4(sp, 2 * H + k);
      const o = ld4(sp, 3 * H + k);
      const cc = ld4(sp, 4 * H + k);
      const cPrev = ld4(sp, 5 * H + k);
      const tc = tanh4(cc);
      const dO = f32x4.mul(f32x4.mul(f32x4.mul(dh, tc), o), f32x4.sub(one, o));
      let dct = f32x4.add(ld4(dcp, k), f32x4.mul(f32x4.mul(dh, o), f32x4.sub(one, f32x4.mul(tc, tc))));
      if (peep != 0) dct = f32x4.add(dct, f32x4.mul(dO, ld4(peep, 2 * H + k)));
      const di = f32x4.mul(f32x4.mul(f32x4.mul(dct, g), i), f32x4.sub(one, i));
      const df = f32x4.mul(f32x4.mul(f32x4.mul(dct, cPrev), f), f32x4.sub(one, f));
      const dgg = f32x4.mul(f32x4.mul(dct, i), f32x4.sub(one, f32x4.mul(g, g)));
      st4(gx, k, di);
      st4(gx, H + k, df);
      st4(gx, 2 * H + k, dgg);
      st4(gx, 3 * H + k, dO);
      st4(gq, k, di);
      st4(gq, H + k, df);
      st4(gq, 2 * H + k, dgg);
      st4(gq, 3 * H + k, dO);
      let dcNext = f32x4.mul(dct, f);
      if (peep != 0) dcNext = f32x4.add(dcNext, f32x4.add(f32x4.mul(di, ld4(peep, k)), f32x4.mul(df, ld4(peep, H + k))));
      st4(dcp, k, dcNext);
      st4(dir, k, zero);
    } else if (cell == GRU) {
      const rg = ld4(sp, k);
      const z = ld4(sp, H + k);
      const nn = ld4(sp, 2 * H + k);
      const hn = ld4(sp, 3 * H + k);
      const hp = ld4(sp, 4 * H + k);
      const dnPre = f32x4.mul(f32x4.mul(dh, f32x4.sub(one, z)), f32x4.sub(one, f32x4.mul(nn, nn)));
      const drPre = f32x4.mul(f32x4.mul(f32x4.mul(dnPre, hn), rg), f32x4.sub(one, rg));
      const dzPre = f32x4.mul(f32x4.mul(f32x4.mul(dh, f32x4.sub(hp, nn)), z), f32x4.sub(one, z));
      const dnh = f32x4.mul(dnPre, rg);
      st4(gx, k, drPre);
      st4(gx, H + k, dzPre);
      st4(gx, 2 * H + k, dnPre);
      st4(gh, k, drPre);
      st4(gh, H + k, dzPre);
      st4(gh, 2 * H + k, dnh);
      st4(gq, k, drPre);
      st4(gq, H + k, dzPre);
      st4(gq, 2 * H + k, dnh);
      st4(dir, k, f32x4.mul(dh, z));
    } else {
      let d: v128;
      if (cell == RNN_TANH) {
        const hh = ld4(sp, H + k);
        d = f32x4.mul(dh, f32x4.sub(one, f32x4.mul(hh, hh)));
      } else {
        d = v128.and(dh, f32x4.gt(ld4(sp, k), zero));
      }
      st4(gx, k, d);
      st4(gq, k, d);
      st4(dir, k, zero);
    }
  }
  return k;
}

/**
 * A[r, :] += b_ih (+ inBias[r / T, :]) for the B·T rows of the input projection A [B·T, G·H].
 * inBias: the first layer's per-example input bias [B, G·H], or 0.
 */
export function recurrentInputBias(a: usize, rowsBT: i32, T: i32, GH: i32, bIh: usize, inBias: usize): void {
  for (let r = 0; r < rowsBT; r++) {
    const ar = a + (<usize>(r * GH) << 2);
    let m = 0;
    if (inBias != 0) {
      const ib = inBias + (<usize>((r / T) * GH) << 2);
      for (; m + 4 <= GH; m += 4) st4(ar, m, f32x4.add(ld4(ar, m), f32x4.add(ld4(bIh, m), ld4(ib, m))));
      for (; m < GH; m++) st(ar, m, ld(ar, m) + (ld(bIh, m) + ld(ib, m)));
    } else {
      for (; m + 4 <= GH; m += 4) st4(ar, m, f32x4.add(ld4(ar, m), ld4(bIh, m)));
      for (; m < GH; m++) st(ar, m, ld(ar, m) + ld(bIh, m));
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
    // Four units at a time, then the last H mod 4 one by one.
    for (let j = forwardVector(cell, H, ap, rp, bHh, hp, cp, sp, hPrevRow, yp, peep); j < H; j++) {
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
        const g = tanhf(ld(ap, 2 * H + j) + (ld(rp, 2 * H + j) + ld(bHh, 2 * H + j)));
        const cNew = f * cOld + i * g;
        const o = sigmoid(ld(ap, 3 * H + j) + (ld(rp, 3 * H + j) + ld(bHh, 3 * H + j)) + po * cNew);
        hNew = o * tanhf(cNew);
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
        const nn = tanhf(ld(ap, 2 * H + j) + rg * hn);
        hNew = (1 - z) * nn + z * hOld;
        st(sp, j, rg);
        st(sp, H + j, z);
        st(sp, 2 * H + j, nn);
        st(sp, 3 * H + j, hn);
        st(sp, 4 * H + j, hOld);
      } else {
        const p = ld(ap, j) + (ld(rp, j) + ld(bHh, j));
        hNew = cell == RNN_TANH ? tanhf(p) : p > 0 ? p : 0;
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
    const gh = dGh != 0 ? dGh + (<usize>(row * GH) << 2) : 0;
    // Four units at a time, then the last H mod 4 one by one.
    for (let k = backwardVector(cell, H, sp, dy != 0 ? dyp : 0, carry, dcp, dir, gx, gh, gq, peep); k < H; k++) {
      const dh = ld(carry, k) + (dy != 0 ? ld(dyp, k) : <f32>0);
      if (cell == LSTM) {
        const i = ld(sp, k);
        const f = ld(sp, H + k);
        const g = ld(sp, 2 * H + k);
        const o = ld(sp, 3 * H + k);
        const cc = ld(sp, 4 * H + k);
        const cPrev = ld(sp, 5 * H + k);
        const tc = tanhf(cc);
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
