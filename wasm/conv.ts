// Convolution and max-pooling kernels for the WebAssembly SIMD engine (AssemblyScript;
// exported through wasm/engine.ts, driven by the `wasm` implementations in src/ops/conv2d.ts
// and src/ops/pool.ts). The convolutions' products themselves are GEMMs (wasm/gemm.ts,
// called by the loader's gemmAt) over chunks of nb images of the batch; the functions
// below move data between the image layout and the GEMM layout:
//   x   [N, C, H, W]            the batch (NCHW)
//   col [C·K·K, nb·OH·OW]       row (c, kh, kw), column (n, oy, ox) of the chunk:
//                               x[n, c, oy·S − P + kh, ox·S − P + kw], 0 in the padding
// im2col fills the block of one image (its OH·OW columns), col2im sums one back. With
// dzᵀ = the chunk's dz as [O, nb·OH·OW] (swapLeadingDims), y = w[O, C·K·K] · col (then
// swapped to [nb, O, OH, OW]), dx = col2im(wᵀ · dzᵀ), dw += dzᵀ · colᵀ. All arrays are f32
// at byte offsets.

// The output columns ox whose input column ix = ox·S − P + kw lies in [0, W) are [lo, hi).
function columnsFrom(kw: i32, S: i32, P: i32): i32 {
  return kw >= P ? 0 : (P - kw + S - 1) / S;
}

function columnsTo(kw: i32, S: i32, P: i32, W: i32, OW: i32, lo: i32): i32 {
  const last = W - 1 + P - kw;
  return last < 0 ? lo : max(lo, min(OW, last / S + 1));
}

/**
 * col[C·K·K, OH·OW] = the patches of x[C, H, W] (stride S, zero padding P); the rows of
 * col are ld values apart (ld ≥ OH·OW: the block of one image in a batch-wide col).
 */
export function im2col(x: usize, C: i32, H: i32, W: i32, K: i32, S: i32, P: i32, OH: i32, OW: i32, col: usize, ld: i32): void {
  let rowStart = col;
  for (let c = 0; c < C; c++) {
    for (let kh = 0; kh < K; kh++) {
      for (let kw = 0; kw < K; kw++) {
        let d = rowStart;
        rowStart += <usize>ld * 4;
        const lo = columnsFrom(kw, S, P);
        const hi = columnsTo(kw, S, P, W, OW, lo);
        for (let oy = 0; oy < OH; oy++) {
          const iy = oy * S - P + kh;
          if (iy < 0 || iy >= H) {
            memory.fill(d, 0, <usize>OW * 4);
          } else {
            const row = x + <usize>((c * H + iy) * W) * 4;
            if (lo > 0) memory.fill(d, 0, <usize>lo * 4);
            if (S == 1) {
              memory.copy(d + <usize>lo * 4, row + <usize>(lo - P + kw) * 4, <usize>(hi - lo) * 4);
            } else {
              for (let ox = lo; ox < hi; ox++) store<f32>(d + <usize>ox * 4, load<f32>(row + <usize>(ox * S - P + kw) * 4));
            }
            if (hi < OW) memory.fill(d + <usize>hi * 4, 0, <usize>(OW - hi) * 4);
          }
          d += <usize>OW * 4;
        }
      }
    }
  }
}

/** dst[B, A, R] = src[A, B, R]: swaps the two leading dimensions, moving blocks of R values. */
export function swapLeadingDims(src: usize, A: i32, B: i32, R: i32, dst: usize): void {
  const block = <usize>R * 4;
  for (let a = 0; a < A; a++) {
    for (let b = 0; b < B; b++) memory.copy(dst + <usize>(b * A + a) * block, src + <usize>(a * B + b) * block, block);
  }
}

/** dst[0 .. n) += src[0 .. n) (any alignment). */
function addRun(dst: usize, src: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i * 4;
    v128.store(dst + o, f32x4.add(v128.load(dst + o), v128.load(src + o)));
  }
  for (; i < n; i++) {
    const o = <usize>i * 4;
    store<f32>(dst + o, load<f32>(dst + o) + load<f32>(src + o));
  }
}

/**
 * dx[C, H, W] = the sum of col[C·K·K, OH·OW] (rows ld values apart) back onto the input
 * positions each column read (the adjoint of im2col); positions in the padding are
 * dropped. Overwrites dx.
 */
export function col2im(col: usize, C: i32, H: i32, W: i32, K: i32, S: i32, P: i32, OH: i32, OW: i32, dx: usize, ld: i32): void {
  memory.fill(dx, 0, <usize>(C * H * W) * 4);
  let rowStart = col;
  for (let c = 0; c < C; c++) {
    for (let kh = 0; kh < K; kh++) {
      for (let kw = 0; kw < K; kw++) {
        let s = rowStart;
        rowStart += <usize>ld * 4;
        const lo = columnsFrom(kw, S, P);
        const hi = columnsTo(kw, S, P, W, OW, lo);
        for (let oy = 0; oy < OH; oy++) {
          const iy = oy * S - P + kh;
          if (iy >= 0 && iy < H) {
            const row = dx + <usize>((c * H + iy) * W) * 4;
            if (S == 1) {
              addRun(row + <usize>(lo - P + kw) * 4, s + <usize>lo * 4, hi - lo);
            } else {
              for (let ox = lo; ox < hi; ox++) {
                const p = row + <usize>(ox * S - P + kw) * 4;
                store<f32>(p, load<f32>(p) + load<f32>(s + <usize>ox * 4));
              }
            }
          }
          s += <usize>OW * 4;
        }
      }
    }
  }
}

/**
 * The forward epilogue over y[N, O, R] (R = OH·OW): y += b[o] when hasBias, then
 * y = max(y, 0) when relu (NaN stays NaN only without relu, as in the reference: !(y > 0) → 0).
 */
export function biasRelu(y: usize, N: i32, O: i32, R: i32, b: usize, hasBias: i32, relu: i32): void {
  const zero = f32x4.splat(0);
  for (let n = 0; n < N; n++) {
    for (let o = 0; o < O; o++) {
      const bias: f32 = hasBias != 0 ? load<f32>(b + <usize>o * 4) : 0;
      const bv = f32x4.splat(bias);
      const base = y + <usize>((n * O + o) * R) * 4;
      let i = 0;
      for (; i + 4 <= R; i += 4) {
        const p = base + <usize>i * 4;
        let v = f32x4.add(v128.load(p), bv);
        // Keep v where v > 0 (a NaN compares false and becomes 0, as in the reference).
        if (relu != 0) v = v128.and(v, f32x4.gt(v, zero));
        v128.store(p, v);
      }
      for (; i < R; i++) {
        const p = base + <usize>i * 4;
        const v = load<f32>(p) + bias;
        store<f32>(p, relu != 0 && !(v > 0) ? 0 : v);
      }
    }
  }
}

/** dz[0 .. n) = dy where y > 0, else 0 (the gradient through a fused ReLU). */
export function reluMask(dz: usize, dy: usize, y: usize, n: i32): void {
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i * 4;
    v128.store(dz + o, v128.and(v128.load(dy + o), f32x4.gt(v128.load(y + o), zero)));
  }
  for (; i < n; i++) {
    const o = <usize>i * 4;
    store<f32>(dz + o, load<f32>(y + o) > 0 ? load<f32>(dy + o) : 0);
  }
}

/** db[o] = Σ_{n, r} dz[n, o, r] over dz[N, O, R]. Overwrites db. */
export function channelSums(dz: usize, N: i32, O: i32, R: i32, db: usize): void {
  for (let o = 0; o < O; o++) {
    let acc = f32x4.splat(0);
    let tail: f32 = 0;
    for (let n = 0; n < N; n++) {
      const base = dz + <usize>((n * O + o) * R) * 4;
      let i = 0;
      for (; i + 4 <= R; i += 4) acc = f32x4.add(acc, v128.load(base + <usize>i * 4));
      for (; i < R; i++) tail += load<f32>(base + <usize>i * 4);
    }
    store<f32>(db + <usize>o * 4, f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3) + tail);
  }
}

/**
 * Max pooling over x[planes, H, W] (windows size × size, stride S, no padding) into
 * y[planes, OH, OW] and argmax[planes, OH, OW] (i32, index in the H·W plane): the first
 * maximum of each window; a NaN wins over numbers and a later NaN over an earlier one, as
 * in src/ops/pool.ts's reference.
 */
export function maxPool2d(x: usize, planes: i32, H: i32, W: i32, OH: i32, OW: i32, size: i32, S: i32, y: usize, arg: usize): void {
  let o: usize = 0;
  // 2×2 windows at stride 2 (the CNN encoder's pooling): four windows per step in f32x4.
  const pairs = size == 2 && S == 2 ? OW & ~3 : 0;
  for (let q = 0; q < planes; q++) {
    const plane = x + <usize>(q * H * W) * 4;
    for (let oy = 0; oy < OH; oy++) {
      for (let ox = 0; ox < pairs; ox += 4) {
        maxPool4(plane, W, oy, ox, y + o, arg + o);
        o += 16;
      }
      for (let ox = pairs; ox < OW; ox++) {
        let at = oy * S * W + ox * S;
        let best = load<f32>(plane + <usize>at * 4);
        for (let kh = 0; kh < size; kh++) {
          const row = (oy * S + kh) * W + ox * S;
          for (let kw = 0; kw < size; kw++) {
            const v = load<f32>(plane + <usize>(row + kw) * 4);
            // Branch-free (select): on real data which value wins is unpredictable.
            const take = (v > best) | (v != v);
            best = select<f32>(v, best, take);
            at = select<i32>(row + kw, at, take);
          }
        }
        store<f32>(y + o, best);
        store<i32>(arg + o, at);
        o += 4;
      }
    }
  }
}

/**
 * The 2×2, stride-2 windows ox .. ox+3 of output row oy of one plane: their maxima to y and
 * argmaxes to arg (4 values each), visiting each window's values in the scalar order
 * (row 0: left, right; row 1: left, right) with the same tie and NaN rules.
 */
function maxPool4(plane: usize, W: i32, oy: i32, ox: i32, y: usize, arg: usize): void {
  const top = 2 * oy * W + 2 * ox;
  const r0 = plane + <usize>top * 4;
  const r1 = r0 + <usize>W * 4;
  // The 8 values of each row split into the windows' left (even) and right (odd) columns.
  const a0 = v128.load(r0);
  const a1 = v128.load(r0, 16);
  const b0 = v128.load(r1);
  const b1 = v128.load(r1, 16);
  const topLeft = v128.shuffle<f32>(a0, a1, 0, 2, 4, 6);
  const topRight = v128.shuffle<f32>(a0, a1, 1, 3, 5, 7);
  const bottomLeft = v128.shuffle<f32>(b0, b1, 0, 2, 4, 6);
  const bottomRight = v128.shuffle<f32>(b0, b1, 1, 3, 5, 7);
  // Index in the plane of each candidate: top + 2·lane (+1 right, +W bottom).
  const lanes = i32x4.add(i32x4.splat(top), i32x4(0, 2, 4, 6));
  let best = topLeft;
  let at = lanes;
  let take = v128.or(f32x4.gt(topRight, best), f32x4.ne(topRight, topRight));
  best = v128.bitselect(topRight, best, take);
  at = v128.bitselect(i32x4.add(lanes, i32x4.splat(1)), at, take);
  take = v128.or(f32x4.gt(bottomLeft, best), f32x4.ne(bottomLeft, bottomLeft));
  best = v128.bitselect(bottomLeft, best, take);
  at = v128.bitselect(i32x4.add(lanes, i32x4.splat(W)), at, take);
  take = v128.or(f32x4.gt(bottomRight, best), f32x4.ne(bottomRight, bottomRight));
  best = v128.bitselect(bottomRight, best, take);
  at = v128.bitselect(i32x4.add(lanes, i32x4.splat(W + 1)), at, take);
  v128.store(y, best);
  v128.store(arg, at);
}

/** dx[planes, H, W] = dy[planes, OH, OW] added at each window's argmax (maxPool2d's backward). Overwrites dx. */
export function maxPool2dGrad(dy: usize, arg: usize, planes: i32, H: i32, W: i32, OH: i32, OW: i32, dx: usize): void {
  memory.fill(dx, 0, <usize>(planes * H * W) * 4);
  const R = OH * OW;
  for (let q = 0; q < planes; q++) {
    const plane = dx + <usize>(q * H * W) * 4;
    const base = <usize>(q * R) * 4;
    for (let i = 0; i < R; i++) {
      const o = base + <usize>i * 4;
      const p = plane + <usize>load<i32>(arg + o) * 4;
      store<f32>(p, load<f32>(p) + load<f32>(dy + o));
    }
  }
}
