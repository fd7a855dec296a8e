// 2-D convolution with torch.nn.Conv2d semantics (cross-correlation, zero padding,
// square kernel, no dilation or groups):
//   y[n, o, oy, ox] = b[o] + Σ_{c, kh, kw} w[o, c, kh, kw] · x[n, c, oy·s − p + kh, ox·s − p + kw]
//   OH = ⌊(H + 2p − K) / s⌋ + 1, OW likewise.
// Backward: dx[n, c, iy, ix] = Σ dy[n, o, oy, ox] · w[o, c, kh, kw] over the (oy, ox, kh, kw)
// that read x[n, c, iy, ix]; dw[o, c, kh, kw] = Σ_{n, oy, ox} dy · x[…]; db[o] = Σ dy[n, o, :, :].
//
// Two implementations, both exact and tested on every backend:
// - 'direct': register-blocked kernels (forward, dx as a gather, dw/db as per-item
//   partials plus an ordered sum over the batch). No atomics, deterministic.
// - 'im2col': cols = im2col(x) [N, OH·OW, C·K·K], then the shared `matmul` with the
//   bias epilogue, then a batched transpose to NCHW; autograd derives the backward
//   (col2im, two GEMMs, transpose).
// `conv2d` uses CONV2D_DEFAULT_PATH, chosen by measurement (bench/conv2d.ts; the
// numbers are beside the constant).
import conv2dWgsl from '../../shaders/nn/conv2d.wgsl?raw';
import inputGradWgsl from '../../shaders/nn/conv2d_input_grad.wgsl?raw';
import weightGradWgsl from '../../shaders/nn/conv2d_weight_grad.wgsl?raw';
import weightGradReduceWgsl from '../../shaders/nn/conv2d_weight_grad_reduce.wgsl?raw';
import im2colWgsl from '../../shaders/nn/im2col.wgsl?raw';
import col2imWgsl from '../../shaders/nn/col2im.wgsl?raw';
import batchTransposeWgsl from '../../shaders/nn/batch_transpose.wgsl?raw';
import { grid1d } from '../gpu/grid.ts';
import { needsGrad } from '../autograd/tape.ts';
import type { FloatArray, Shape, Tensor } from '../tensor.ts';
import { matmul } from './matmul.ts';
import { expectDtype, runOp, shapeError, type OpDef } from './op.ts';
import { reshape } from './shape.ts';
import { uniformLayout } from '../gpu/uniform-layout.ts';

const BATCH_TRANSPOSE_PARAMS = uniformLayout('nn/batch_transpose', { batch: 'u32', rows: 'u32', cols: 'u32' });
const CONV2D_WEIGHT_GRAD_REDUCE_PARAMS = uniformLayout('nn/conv2d_weight_grad_reduce', { N: 'u32', O: 'u32', R: 'u32' });

export interface Conv2dOptions {
  stride?: number;
  padding?: number;
}

export interface Conv2dAttrs {
  stride: number;
  padding: number;
}

/** Attributes of the gradient and im2col helpers: the convolution plus the shapes it ran on. */
export interface Conv2dShapeAttrs extends Conv2dAttrs {
  /** x: [N, C, H, W]. */
  inputShape: Shape;
  /** w: [O, C, K, K]. */
  weightShape: Shape;
}

export interface Conv2dWeightGradAttrs extends Conv2dShapeAttrs {
  /** Also produce db [O] (second output). */
  bias: boolean;
}

export interface BatchTransposeAttrs {
  /** The input is viewed as [batch, rows, cols]; the output is [batch, cols, rows] … */
  rows: number;
  cols: number;
  /** … with this shape (same size). */
  shape: Shape;
}

export type Conv2dPath = 'direct' | 'im2col';

/** Sizes of one convolution. */
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

export function convGeometry(op: string, inputs: readonly Tensor[], xShape: Shape, wShape: Shape, attrs: Conv2dAttrs): ConvGeometry {
  const { stride, padding } = attrs;
  if (!Number.isInteger(stride) || stride < 1) shapeError(op, inputs, `stride must be a positive integer, got ${stride}`);
  if (!Number.isInteger(padding) || padding < 0) shapeError(op, inputs, `padding must be a non-negative integer, got ${padding}`);
  if (xShape.length !== 4) shapeError(op, inputs, 'x must be [N, C, H, W]');
  if (wShape.length !== 4 || wShape[2] !== wShape[3]) shapeError(op, inputs, 'w must be [O, C, K, K]');
  const [N, C, H, W] = xShape;
  const [O, Cw, K] = wShape;
  if (Cw !== C) shapeError(op, inputs, `w has ${Cw} input channels, x has ${C}`);
  if (K < 1) shapeError(op, inputs, 'kernel size must be at least 1');
  const OH = Math.floor((H + 2 * padding - K) / stride) + 1;
  const OW = Math.floor((W + 2 * padding - K) / stride) + 1;
  if (OH < 1 || OW < 1) shapeError(op, inputs, `kernel ${K} with padding ${padding} does not fit the ${H}×${W} input`);
  return { N, C, H, W, O, K, OH, OW, stride, padding };
}

/** Uniforms of the kernels that take the whole convolution geometry. */
const GEOMETRY_PARAMS = uniformLayout(['nn/conv2d', 'nn/conv2d_input_grad', 'nn/conv2d_weight_grad', 'nn/im2col', 'nn/col2im'], {
  N: 'u32',
  C: 'u32',
  H: 'u32',
  W: 'u32',
  O: 'u32',
  OH: 'u32',
  OW: 'u32',
});

function geometryUniforms(g: ConvGeometry): ArrayBuffer {
  return GEOMETRY_PARAMS.pack({ N: g.N, C: g.C, H: g.H, W: g.W, O: g.O, OH: g.OH, OW: g.OW });
}

function geometryConstants(g: ConvGeometry): Record<string, number> {
  return { K: g.K, S: g.stride, P: g.padding };
}

// ---- direct path ------------------------------------------------------------------

/** Inputs: x [N, C, H, W], w [O, C, K, K], optional b [O]. Output y [N, O, OH, OW]. */
export const conv2dOp: OpDef<Conv2dAttrs> = {
  outputs(inputs, attrs) {
    inputs.forEach((_, k) => expectDtype('conv2d', inputs, k, 'f32'));
    const [x, w, b] = inputs;
    const g = convGeometry('conv2d', inputs, x.shape, w.shape, attrs);
    if (b && (b.rank !== 1 || b.shape[0] !== g.O)) shapeError('conv2d', inputs, `bias must be [${g.O}]`);
    return [{ shape: [g.N, g.O, g.OH, g.OW], dtype: 'f32' }];
  },
  reference(inputs, [y], { attrs, inputShapes }) {
    const [x, w, b] = inputs as FloatArray[];
    const { N, C, H, W, O, K, OH, OW, stride: s, padding: p } = convGeometry('conv2d', [], inputShapes[0], inputShapes[1], attrs);
    for (let n = 0; n < N; n++) {
      for (let o = 0; o < O; o++) {
        for (let oy = 0; oy < OH; oy++) {
          for (let ox = 0; ox < OW; ox++) {
            let acc = b ? b[o] : 0;
            for (let c = 0; c < C; c++) {
              for (let kh = 0; kh < K; kh++) {
                const iy = oy * s - p + kh;
                if (iy < 0 || iy >= H) continue;
                for (let kw = 0; kw < K; kw++) {
                  const ix = ox * s - p + kw;
                  if (ix < 0 || ix >= W) continue;
                  acc += w[((o * C + c) * K + kh) * K + kw] * x[((n * C + c) * H + iy) * W + ix];
                }
              }
            }
            y[((n * O + o) * OH + oy) * OW + ox] = acc;
          }
        }
      }
    }
  },
  webgpu(gpu, inputs, [y], attrs) {
    const [x, w, b] = inputs;
    const g = convGeometry('conv2d', inputs, x.shape, w.shape, attrs);
    gpu.dispatch({
      label: 'conv2d.forward',
      shaderKey: 'nn/conv2d',
      code: conv2dWgsl,
      constants: { ...geometryConstants(g), HAS_BIAS: b ? 1 : 0 },
      reads: [gpu.buffer(x), gpu.buffer(w), gpu.buffer(b ?? w)],
      writes: [gpu.buffer(y)],
      uniforms: geometryUniforms(g),
      workgroups: grid1d(g.N * Math.ceil(g.O / 4) * g.OH * Math.ceil(g.OW / 4), 64),
    });
  },
  backward({ inputs, attrs, grads: [dy] }) {
    if (!dy) return inputs.map(() => null);
    const [x, w, b] = inputs;
    const shapes = { ...attrs, inputShape: x.shape, weightShape: w.shape };
    const dx = needsGrad(x) ? runOp('conv2dInputGrad', conv2dInputGradOp, [dy, w], shapes)[0] : null;
    let dw: Tensor | null = null;
    let db: Tensor | null = null;
    if (needsGrad(w) || (b && needsGrad(b))) {
      [dw, db = null] = runOp('conv2dWeightGrad', conv2dWeightGradOp, [dy, x], { ...shapes, bias: !!b });
    }
    return b ? [dx, dw, db] : [dx, dw];
  },
};

/** Inputs: dy [N, O, OH, OW], w [O, C, K, K]. Output dx [N, C, H, W]; a helper of conv2d's backward. */
export const conv2dInputGradOp: OpDef<Conv2dShapeAttrs> = {
  outputs(inputs, attrs) {
    const g = convGeometry('conv2dInputGrad', inputs, attrs.inputShape, attrs.weightShape, attrs);
    const dy = inputs[0];
    if (dy.rank !== 4 || dy.shape[0] !== g.N || dy.shape[1] !== g.O || dy.shape[2] !== g.OH || dy.shape[3] !== g.OW) {
      shapeError('conv2dInputGrad', inputs, `dy must be [${g.N}, ${g.O}, ${g.OH}, ${g.OW}]`);
    }
    return [{ shape: attrs.inputShape, dtype: 'f32' }];
  },
  reference(inputs, [dx], { attrs }) {
    const [dy, w] = inputs as FloatArray[];
    const { N, C, H, W, O, K, OH, OW, stride: s, padding: p } = convGeometry('conv2dInputGrad', [], attrs.inputShape, attrs.weightShape, attrs);
    dx.fill(0);
    for (let n = 0; n < N; n++) {
      for (let o = 0; o < O; o++) {
        for (let oy = 0; oy < OH; oy++) {
          for (let ox = 0; ox < OW; ox++) {
            const g = dy[((n * O + o) * OH + oy) * OW + ox];
            for (let c = 0; c < C; c++) {
              for (let kh = 0; kh < K; kh++) {
                const iy = oy * s - p + kh;
                if (iy < 0 || iy >= H) continue;
                for (let kw = 0; kw < K; kw++) {
                  const ix = ox * s - p + kw;
                  if (ix < 0 || ix >= W) continue;
                  dx[((n * C + c) * H + iy) * W + ix] += g * w[((o * C + c) * K + kh) * K + kw];
                }
              }
            }
          }
        }
      }
    }
  },
  webgpu(gpu, [dy, w], [dx], attrs) {
    const g = convGeometry('conv2dInputGrad', [dy, w], attrs.inputShape, attrs.weightShape, attrs);
    gpu.dispatch({
      label: 'conv2d.inputGrad',
      shaderKey: 'nn/conv2d_input_grad',
      code: inputGradWgsl,
      constants: geometryConstants(g),
      reads: [gpu.buffer(dy), gpu.buffer(w)],
      writes: [gpu.buffer(dx)],
      uniforms: geometryUniforms(g),
      workgroups: grid1d(g.N * Math.ceil(g.C / 4) * g.H * Math.ceil(g.W / 4), 64),
    });
  },
  backward: 'nondifferentiable',
};

/** Inputs: dy [N, O, OH, OW], x [N, C, H, W]. Outputs dw [O, C, K, K] (and db [O]); a helper of conv2d's backward. */
export const conv2dWeightGradOp: OpDef<Conv2dWeightGradAttrs> = {
  outputs(inputs, attrs) {
    const g = convGeometry('conv2dWeightGrad', inputs, attrs.inputShape, attrs.weightShape, attrs);
    const specs = [{ shape: attrs.weightShape, dtype: 'f32' as const, role: 'dw' }];
    if (attrs.bias) specs.push({ shape: [g.O], dtype: 'f32', role: 'db' });
    return specs;
  },
  reference(inputs, [dw, db], { attrs }) {
    const [dy, x] = inputs as FloatArray[];
    const { N, C, H, W, O, K, OH, OW, stride: s, padding: p } = convGeometry('conv2dWeightGrad', [], attrs.inputShape, attrs.weightShape, attrs);
    dw.fill(0);
    if (db) db.fill(0);
    for (let n = 0; n < N; n++) {
      for (let o = 0; o < O; o++) {
        for (let oy = 0; oy < OH; oy++) {
          for (let ox = 0; ox < OW; ox++) {
            const g = dy[((n * O + o) * OH + oy) * OW + ox];
            if (db) db[o] += g;
            for (let c = 0; c < C; c++) {
              for (let kh = 0; kh < K; kh++) {
                const iy = oy * s - p + kh;
                if (iy < 0 || iy >= H) continue;
                for (let kw = 0; kw < K; kw++) {
                  const ix = ox * s - p + kw;
                  if (ix < 0 || ix >= W) continue;
                  dw[((o * C + c) * K + kh) * K + kw] += g * x[((n * C + c) * H + iy) * W + ix];
                }
              }
            }
          }
        }
      }
    }
  },
  webgpu(gpu, [dy, x], outputs, attrs) {
    const g = convGeometry('conv2dWeightGrad', [dy, x], attrs.inputShape, attrs.weightShape, attrs);
    const R = g.C * g.K * g.K;
    // part: [N, O, R + 1] per-item partial sums (the last column is the bias tap).
    const part = gpu.empty([g.N, g.O, R + 1], 'f32', 'conv2d.weightGrad.partials');
    gpu.dispatch({
      label: 'conv2d.weightGrad.partials',
      shaderKey: 'nn/conv2d_weight_grad',
      code: weightGradWgsl,
      constants: geometryConstants(g),
      reads: [gpu.buffer(dy), gpu.buffer(x)],
      writes: [gpu.buffer(part)],
      uniforms: geometryUniforms(g),
      workgroups: grid1d(g.N * Math.ceil(g.O / 4) * Math.ceil((R + 1) / 4), 64),
    });
    // Without a bias a scratch buffer fills the db binding (writable bindings must not alias).
    const db = attrs.bias ? outputs[1] : gpu.empty([1], 'f32', 'conv2d.weightGrad.unused');
    gpu.dispatch({
      label: 'conv2d.weightGrad.reduce',
      shaderKey: 'nn/conv2d_weight_grad_reduce',
      code: weightGradReduceWgsl,
      constants: { HAS_BIAS: attrs.bias ? 1 : 0 },
      reads: [gpu.buffer(part)],
      writes: [gpu.buffer(outputs[0]), gpu.buffer(db)],
      uniforms: CONV2D_WEIGHT_GRAD_REDUCE_PARAMS.pack({ N: g.N, O: g.O, R }),
      workgroups: grid1d(g.O * (R + 1), 64),
    });
    part.dispose();
    if (!attrs.bias) db.dispose();
  },
  backward: 'nondifferentiable',
};

// ---- im2col path ------------------------------------------------------------------

/** x [N, C, H, W] → cols [N, OH·OW, C·K·K] (attrs carry the weight shape). */
export const im2colOp: OpDef<Conv2dShapeAttrs> = {
  outputs(inputs, attrs) {
    expectDtype('im2col', inputs, 0, 'f32');
    const g = convGeometry('im2col', inputs, inputs[0].shape, attrs.weightShape, attrs);
    return [{ shape: [g.N, g.OH * g.OW, g.C * g.K * g.K], dtype: 'f32' }];
  },
  reference([x], [cols], { attrs, inputShapes }) {
    const { N, C, H, W, K, OH, OW, stride: s, padding: p } = convGeometry('im2col', [], inputShapes[0], attrs.weightShape, attrs);
    const R = C * K * K;
    for (let n = 0; n < N; n++) {
      for (let oy = 0; oy < OH; oy++) {
        for (let ox = 0; ox < OW; ox++) {
          const row = (n * OH * OW + oy * OW + ox) * R;
          for (let c = 0; c < C; c++) {
            for (let kh = 0; kh < K; kh++) {
              for (let kw = 0; kw < K; kw++) {
                const iy = oy * s - p + kh;
                const ix = ox * s - p + kw;
                const inside = iy >= 0 && iy < H && ix >= 0 && ix < W;
                cols[row + (c * K + kh) * K + kw] = inside ? x[((n * C + c) * H + iy) * W + ix] : 0;
              }
            }
          }
        }
      }
    }
  },
  webgpu(gpu, [x], [cols], attrs) {
    const g = convGeometry('im2col', [x], x.shape, attrs.weightShape, attrs);
    gpu.dispatch({
      label: 'im2col.forward',
      shaderKey: 'nn/im2col',
      code: im2colWgsl,
      constants: geometryConstants(g),
      reads: [gpu.buffer(x)],
      writes: [gpu.buffer(cols)],
      uniforms: geometryUniforms(g),
      workgroups: grid1d(g.N * g.OH * g.OW * g.C, 64),
    });
  },
  backward({ attrs, grads: [g] }) {
    return [g ? runOp('col2im', col2imOp, [g], attrs)[0] : null];
  },
};

/** cols [N, OH·OW, C·K·K] → x-shaped [N, C, H, W] summing every patch value back (adjoint of im2col). */
export const col2imOp: OpDef<Conv2dShapeAttrs> = {
  outputs(inputs, attrs) {
    expectDtype('col2im', inputs, 0, 'f32');
    const g = convGeometry('col2im', inputs, attrs.inputShape, attrs.weightShape, attrs);
    if (inputs[0].size !== g.N * g.OH * g.OW * g.C * g.K * g.K) shapeError('col2im', inputs, `cols must be [${g.N}, ${g.OH * g.OW}, ${g.C * g.K * g.K}]`);
    return [{ shape: attrs.inputShape, dtype: 'f32' }];
  },
  reference([cols], [dx], { attrs }) {
    const { N, C, H, W, K, OH, OW, stride: s, padding: p } = convGeometry('col2im', [], attrs.inputShape, attrs.weightShape, attrs);
    const R = C * K * K;
    dx.fill(0);
    for (let n = 0; n < N; n++) {
      for (let oy = 0; oy < OH; oy++) {
        for (let ox = 0; ox < OW; ox++) {
          const row = (n * OH * OW + oy * OW + ox) * R;
          for (let c = 0; c < C; c++) {
            for (let kh = 0; kh < K; kh++) {
              for (let kw = 0; kw < K; kw++) {
                const iy = oy * s - p + kh;
                const ix = ox * s - p + kw;
                if (iy >= 0 && iy < H && ix >= 0 && ix < W) dx[((n * C + c) * H + iy) * W + ix] += cols[row + (c * K + kh) * K + kw];
              }
            }
          }
        }
      }
    }
  },
  webgpu(gpu, [cols], [dx], attrs) {
    const g = convGeometry('col2im', [cols], attrs.inputShape, attrs.weightShape, attrs);
    gpu.dispatch({
      label: 'col2im.forward',
      shaderKey: 'nn/col2im',
      code: col2imWgsl,
      constants: geometryConstants(g),
      reads: [gpu.buffer(cols)],
      writes: [gpu.buffer(dx)],
      uniforms: geometryUniforms(g),
      workgroups: grid1d(dx.size, 256),
    });
  },
  backward({ attrs, grads: [g] }) {
    return [g ? runOp('im2col', im2colOp, [g], attrs)[0] : null];
  },
};

/** [batch, rows, cols] → [batch, cols, rows] (output shape given by attrs.shape). */
export const batchTransposeOp: OpDef<BatchTransposeAttrs> = {
  outputs(inputs, { rows, cols, shape }) {
    expectDtype('batchTranspose', inputs, 0, 'f32');
    const x = inputs[0];
    const n = shape.reduce((a, d) => a * d, 1);
    if (rows * cols === 0 || x.size % (rows * cols) !== 0 || n !== x.size) {
      shapeError('batchTranspose', inputs, `cannot view as [batch, ${rows}, ${cols}] and return [${shape.join(', ')}]`);
    }
    return [{ shape, dtype: 'f32' }];
  },
  reference([x], [out], { attrs }) {
    const { rows, cols } = attrs;
    const batch = x.length / (rows * cols);
    for (let b = 0; b < batch; b++) {
      for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[(b * cols + j) * rows + i] = x[(b * rows + i) * cols + j];
    }
  },
  webgpu(gpu, [x], [out], attrs) {
    gpu.dispatch({
      label: 'batchTranspose.forward',
      shaderKey: 'nn/batch_transpose',
      code: batchTransposeWgsl,
      reads: [gpu.buffer(x)],
      writes: [gpu.buffer(out)],
      uniforms: BATCH_TRANSPOSE_PARAMS.pack({ batch: x.size / (attrs.rows * attrs.cols), rows: attrs.rows, cols: attrs.cols }),
      workgroups: grid1d((x.size / (attrs.rows * attrs.cols)) * Math.ceil(attrs.rows / 4) * Math.ceil(attrs.cols / 4), 64),
    });
  },
  backward({ inputs: [x], attrs, grads: [g] }) {
    return [g ? batchTranspose(g, attrs.cols, attrs.rows, x.shape) : null];
  },
};

/** Views x as [batch, rows, cols] and returns [batch, cols, rows] with the given shape. */
export function batchTranspose(x: Tensor, rows: number, cols: number, shape: Shape): Tensor {
  return runOp('batchTranspose', batchTransposeOp, [x], { rows, cols, shape })[0];
}

// ---- entry point ------------------------------------------------------------------

/**
 * Path used by conv2d when the caller does not choose, by measurement
 * (`node scripts/bench-conv2d.mjs`, N 32, K 3, pad 1, median ms of forward+backward):
 *   SwiftShader   C3→16 H32: direct 86 / im2col 77;  C16→32 H16: 187 / 109;  C32→32 H8: 104 / 51
 *   CPU backend   C3→16 H32: direct 164 / im2col 108; C16→32 H16: 340 / 158; C32→32 H8: 158 / 77
 * Over all 18 sizes (C ∈ {3, 16, 32}, O ∈ {16, 32}, H ∈ {32, 16, 8}) im2col + matmul
 * was faster forward+backward in every size in one run and in all but the two
 * C = 3, H = 8 sizes (by ~1.5 ms of ~10) in a second run on a loaded machine; the
 * direct forward alone wins some small-C sizes by up to ~25 %. im2col also gains
 * from every GEMM improvement; the direct kernels stay available (`path`).
 */
export const CONV2D_DEFAULT_PATH: Conv2dPath = 'im2col';

/** conv2d through im2col + matmul; every step is an op, so autograd builds the backward. */
function conv2dIm2col(x: Tensor, w: Tensor, b: Tensor | null, attrs: Conv2dAttrs): Tensor {
  const inputs = b ? [x, w, b] : [x, w];
  const g = convGeometry('conv2d', inputs, x.shape, w.shape, attrs);
  if (b && (b.rank !== 1 || b.shape[0] !== g.O)) shapeError('conv2d', inputs, `bias must be [${g.O}]`);
  const shapes: Conv2dShapeAttrs = { ...attrs, inputShape: x.shape, weightShape: w.shape };
  const cols = runOp('im2col', im2colOp, [x], shapes)[0]; // [N, OH·OW, C·K·K]
  const rows = matmul(cols, reshape(w, [g.O, g.C * g.K * g.K]), { transB: true, bias: b ?? undefined }); // [N, OH·OW, O]
  return batchTranspose(rows, g.OH * g.OW, g.O, [g.N, g.O, g.OH, g.OW]);
}

/**
 * 2-D convolution (torch.nn.Conv2d): x [N, C, H, W], w [O, C, K, K], optional bias [O]
 * → [N, O, OH, OW] with OH = ⌊(H + 2·padding − K) / stride⌋ + 1. `path` picks the
 * implementation (default CONV2D_DEFAULT_PATH).
 */
export function conv2d(x: Tensor, w: Tensor, b: Tensor | null, options: Conv2dOptions & { path?: Conv2dPath } = {}): Tensor {
  const attrs: Conv2dAttrs = { stride: options.stride ?? 1, padding: options.padding ?? 0 };
  const path = options.path ?? CONV2D_DEFAULT_PATH;
  if (path === 'im2col') return conv2dIm2col(x, w, b, attrs);
  return runOp('conv2d', conv2dOp, b ? [x, w, b] : [x, w], attrs)[0];
}
