// conv2d, conv2dInputGrad and conv2dWeightGrad on the WebAssembly SIMD engine (the `wasm`
// implementations of src/ops/conv2d.ts): im2col + GEMM over chunks of the batch. With, for
// a chunk of nb images, col = im2col(x[chunk]) [C·K·K, nb·OH·OW] (wasm/conv.ts), dz = dy ·
// [y > 0] under a fused ReLU (else dy) and dzᵀ the chunk's dz arranged [O, nb·OH·OW]:
//   y[chunk] = w[O, C·K·K] · col → [O, nb, OH·OW], swapped to [nb, O, OH·OW]; then + b, ReLU
//   dx[chunk] = col2im(wᵀ · dzᵀ)
//   dw = Σ_chunks dzᵀ · colᵀ,  db[o] = Σ dz[:, o, :, :]
// A chunk holds as many images as keep its col within COL_BYTES (at least one): one image
// makes products too small to split over the engine's threads (16 × 1024 × 27 at the
// encoder's first layer), and a col of the whole batch (3.5–4.7 MB at the encoder's sizes)
// falls out of cache: on one thread (Node, N 32) the whole-batch products took 10–25 %
// longer than per-image ones, chunks of 3–7 images the same or up to 20 % less (the 32 → 64
// channel layer at 8×8). Every product goes through engine.gemmAt. The arrays are
// copied into the engine's memory, the outputs copied back, and everything allocated here
// is released before returning. A 1×1 convolution with stride 1 and no padding has
// col = x[chunk] as [C, nb·H·W] (a swap, no im2col).
import type { WasmGemm } from '../backend/wasm-gemm.ts';
import { copyIn, copyOut, scoped } from './wasm-arrays.ts';

/** Sizes of one convolution (conv2d.ts imports and re-exports it: this file must not import conv2d.ts). */
export interface ConvGeometry {
  N: number;
  C: number;
  H: number;
  W: number;
  O: number;
  K: number;
  OH: number;
  OW: number;
  stride: number;
  padding: number;
}

/** Upper bound of one chunk's col, bytes. */
const COL_BYTES = 512 * 1024;

const isPointwise = (g: ConvGeometry) => g.K === 1 && g.stride === 1 && g.padding === 0;

/** Images per chunk, and the chunks as [first image, images]. */
function chunks(g: ConvGeometry): { nb: number; list: [number, number][] } {
  const perImage = g.C * g.K * g.K * g.OH * g.OW * 4;
  const nb = Math.max(1, Math.min(g.N, Math.floor(COL_BYTES / perImage)));
  const list: [number, number][] = [];
  for (let n0 = 0; n0 < g.N; n0 += nb) list.push([n0, Math.min(nb, g.N - n0)]);
  return { nb, list };
}

/** col [C·K·K, count·OH·OW] of images n0 .. n0+count of x (at px) into pcol. */
function fillCol(engine: WasmGemm, g: ConvGeometry, px: number, n0: number, count: number, pcol: number): void {
  const R = g.OH * g.OW;
  const image = g.C * g.H * g.W;
  if (isPointwise(g)) {
    engine.exports.swapLeadingDims(px + n0 * image * 4, count, g.C, R, pcol);
    return;
  }
  for (let n = 0; n < count; n++) {
    engine.exports.im2col(px + (n0 + n) * image * 4, g.C, g.H, g.W, g.K, g.stride, g.padding, g.OH, g.OW, pcol + n * R * 4, count * R);
  }
}

/** dz = dy, masked by y > 0 when y is given, in the engine's memory. */
function gradIn(engine: WasmGemm, dy: Float32Array, y: Float32Array | undefined): number {
  const pdz = copyIn(engine, dy);
  if (y) engine.exports.reluMask(pdz, pdz, copyIn(engine, y), dy.length);
  return pdz;
}

/** y [N, O, OH, OW] = act(conv(x, w) + b). */
export function conv2dForwardWasm(engine: WasmGemm, g: ConvGeometry, x: Float32Array, w: Float32Array, b: Float32Array | undefined, relu: boolean, y: Float32Array): void {
  const R = g.OH * g.OW;
  const taps = g.C * g.K * g.K;
  scoped(engine, () => {
    const px = copyIn(engine, x);
    const pw = copyIn(engine, w);
    const pb = b ? copyIn(engine, b) : 0;
    const py = engine.alloc(y.length);
    const { nb, list } = chunks(g);
    const pcol = engine.alloc(taps * nb * R);
    const pyT = engine.alloc(g.O * nb * R);
    for (const [n0, count] of list) {
      fillCol(engine, g, px, n0, count, pcol);
      // yᵀ [O, count·R] = w · col, then into y[n0 ..] as [count, O, R].
      engine.gemmAt(pw, pcol, pyT, g.O, count * R, taps);
      engine.exports.swapLeadingDims(pyT, g.O, count, R, py + n0 * g.O * R * 4);
    }
    if (b || relu) engine.exports.biasRelu(py, g.N, g.O, R, pb, b ? 1 : 0, relu ? 1 : 0);
    copyOut(engine, py, y);
  });
}

/** dx [N, C, H, W] from dy [N, O, OH, OW] and w (y: the output, for the ReLU mask). */
export function conv2dInputGradWasm(engine: WasmGemm, g: ConvGeometry, dy: Float32Array, w: Float32Array, y: Float32Array | undefined, dx: Float32Array): void {
  const R = g.OH * g.OW;
  const taps = g.C * g.K * g.K;
  const image = g.C * g.H * g.W;
  scoped(engine, () => {
    const pdz = gradIn(engine, dy, y);
    const pw = copyIn(engine, w);
    const pdx = engine.alloc(dx.length);
    const { nb, list } = chunks(g);
    const pdzT = engine.alloc(g.O * nb * R);
    const pdcol = engine.alloc(taps * nb * R);
    for (const [n0, count] of list) {
      engine.exports.swapLeadingDims(pdz + n0 * g.O * R * 4, count, g.O, R, pdzT);
      // dcol [C·K·K, count·R] = wᵀ · dzᵀ.
      engine.gemmAt(pw, pdzT, pdcol, taps, count * R, g.O, true);
      if (isPointwise(g)) engine.exports.swapLeadingDims(pdcol, g.C, count, R, pdx + n0 * image * 4);
      else {
        for (let n = 0; n < count; n++) {
          engine.exports.col2im(pdcol + n * R * 4, g.C, g.H, g.W, g.K, g.stride, g.padding, g.OH, g.OW, pdx + (n0 + n) * image * 4, count * R);
        }
      }
    }
    copyOut(engine, pdx, dx);
  });
}

/** dw [O, C, K, K] (and db [O]) from dy [N, O, OH, OW] and x (y: the output, for the ReLU mask). */
export function conv2dWeightGradWasm(
  engine: WasmGemm,
  g: ConvGeometry,
  dy: Float32Array,
  x: Float32Array,
  y: Float32Array | undefined,
  dw: Float32Array,
  db: Float32Array | undefined,
): void {
  const R = g.OH * g.OW;
  const taps = g.C * g.K * g.K;
  scoped(engine, () => {
    const pdz = gradIn(engine, dy, y);
    const px = copyIn(engine, x);
    const pdw = engine.alloc(dw.length);
    const { nb, list } = chunks(g);
    const pdzT = engine.alloc(g.O * nb * R);
    const pcol = engine.alloc(taps * nb * R);
    for (const [k, [n0, count]] of list.entries()) {
      fillCol(engine, g, px, n0, count, pcol);
      engine.exports.swapLeadingDims(pdz + n0 * g.O * R * 4, count, g.O, R, pdzT);
      // dw (+)= dzᵀ · colᵀ: [O, count·R] · [count·R, C·K·K].
      engine.gemmAt(pdzT, pcol, pdw, g.O, taps, count * R, false, true, k > 0);
    }
    copyOut(engine, pdw, dw);
    if (db) {
      const pdb = engine.alloc(db.length);
      engine.exports.channelSums(pdz, g.N, g.O, R, pdb);
      copyOut(engine, pdb, db);
    }
  });
}
