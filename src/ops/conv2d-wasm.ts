// conv2d, conv2dInputGrad and conv2dWeightGrad on the WebAssembly SIMD engine (the `wasm`
// implementations of src/ops/conv2d.ts): im2col + GEMM, one image at a time. For image n,
// with col_n = im2col(x[n]) [C·K·K, OH·OW] (wasm/conv.ts) and dz = dy · [y > 0] under a
// fused ReLU (else dy):
//   y[n]  = w[O, C·K·K] · col_n, then + b and the ReLU over the whole batch
//   dx[n] = col2im(wᵀ · dz[n])
//   dw    = Σ_n dz[n] · col_nᵀ,  db[o] = Σ dz[:, o, :, :]
// Every product goes through engine.gemmAt. The arrays are copied into the engine's memory,
// the outputs copied back, and everything allocated here is released before returning.
// A 1×1 convolution with stride 1 and no padding reads x[n] as its own col_n (no copy).
import type { WasmGemm } from '../backend/wasm-gemm.ts';
import { copyIn, copyOut, scoped } from './wasm-arrays.ts';

/** Sizes of one convolution (conv2d.ts's ConvGeometry; declared here so the two files do not import each other). */
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

const isPointwise = (g: ConvGeometry) => g.K === 1 && g.stride === 1 && g.padding === 0;

/** im2col of image n of x (at px) into pcol, or x[n] itself for a pointwise convolution: the col_n pointer. */
function colOf(engine: WasmGemm, g: ConvGeometry, px: number, n: number, pcol: number): number {
  const image = px + n * g.C * g.H * g.W * 4;
  if (isPointwise(g)) return image;
  engine.exports.im2col(image, g.C, g.H, g.W, g.K, g.stride, g.padding, g.OH, g.OW, pcol);
  return pcol;
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
    const pcol = isPointwise(g) ? 0 : engine.alloc(taps * R);
    for (let n = 0; n < g.N; n++) engine.gemmAt(pw, colOf(engine, g, px, n, pcol), py + n * g.O * R * 4, g.O, R, taps);
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
    const pcol = isPointwise(g) ? 0 : engine.alloc(taps * R);
    for (let n = 0; n < g.N; n++) {
      const pdxn = pdx + n * image * 4;
      // dcol = wᵀ · dz[n]: [C·K·K, O] · [O, OH·OW]; pointwise, dcol is dx[n].
      engine.gemmAt(pw, pdz + n * g.O * R * 4, isPointwise(g) ? pdxn : pcol, taps, R, g.O, true);
      if (!isPointwise(g)) engine.exports.col2im(pcol, g.C, g.H, g.W, g.K, g.stride, g.padding, g.OH, g.OW, pdxn);
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
    const pcol = isPointwise(g) ? 0 : engine.alloc(taps * R);
    // dw (+)= dz[n] · col_nᵀ: [O, OH·OW] · [OH·OW, C·K·K].
    for (let n = 0; n < g.N; n++) engine.gemmAt(pdz + n * g.O * R * 4, colOf(engine, g, px, n, pcol), pdw, g.O, taps, R, false, true, n > 0);
    copyOut(engine, pdw, dw);
    if (db) {
      const pdb = engine.alloc(db.length);
      engine.exports.channelSums(pdz, g.N, g.O, R, pdb);
      copyOut(engine, pdb, db);
    }
  });
}
