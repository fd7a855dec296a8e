// 2-D convolution with torch.nn.Conv2d semantics (cross-correlation, zero padding,
// square kernel, no dilation or groups), optionally followed by a fused ReLU:
//   y[n, o, oy, ox] = act(b[o] + Σ_{c, kh, kw} w[o, c, kh, kw] · x[n, c, oy·s − p + kh, ox·s − p + kw])
//   OH = ⌊(H + 2p − K) / s⌋ + 1, OW likewise; act = ReLU when `relu`, else the identity.
// Backward, with dz = dy · [y > 0] under the ReLU (else dz = dy), applied where dy is read:
//   dx[n, c, iy, ix] = Σ dz[n, o, oy, ox] · w[o, c, kh, kw] over the (oy, ox, kh, kw) that read
//   x[n, c, iy, ix]; dw[o, c, kh, kw] = Σ_{n, oy, ox} dz · x[…]; db[o] = Σ dz[n, o, :, :].
// On WebGPU all three are implicit GEMMs (src/ops/conv2d-kernels.ts): the patches of x and
// the gather of dz are read in place, so there is no im2col / col2im buffer and no
// layout transpose; x, y and the weights stay NCHW / [O, C, K, K] as in PyTorch. No
// atomics: dx is a gather, dw sums split-K partials in a fixed order. On the WebAssembly
// engine (a CPU backend with one) they are im2col + GEMM (src/ops/conv2d-wasm.ts).
import { convKernel, convTile, tileExtent, type ConvPass } from './conv2d-kernels.ts';
import { fourWideSubgroups } from '../backend/subgroups.ts';
import weightGradReduceWgsl from '../../shaders/nn/conv2d_weight_grad_reduce.wgsl?raw';
import { grid1d } from '../gpu/grid.ts';
import type { WebGpuBackend } from '../backend/webgpu.ts';
import { needsGrad } from '../autograd/tape.ts';
import type { FloatArray, Shape, Tensor } from '../tensor.ts';
import { expectDtype, runOp, shapeError, type OpDef } from './op.ts';
import { uniformLayout } from '../gpu/uniform-layout.ts';
import { conv2dForwardWasm, conv2dInputGradWasm, conv2dWeightGradWasm, type ConvGeometry } from './conv2d-wasm.ts';

const CONV2D_PARAMS = uniformLayout(['nn/conv2d_forward', 'nn/conv2d_input_grad'], { N: 'u32' });
const CONV2D_WEIGHT_GRAD_PARAMS = uniformLayout('nn/conv2d_weight_grad', { N: 'u32', chunk: 'u32' });
const CONV2D_WEIGHT_GRAD_REDUCE_PARAMS = uniformLayout('nn/conv2d_weight_grad_reduce', { Z: 'u32', O: 'u32', R: 'u32' });

export interface Conv2dOptions {
  stride?: number;
  padding?: number;
  /** Apply ReLU to the output (fused into the kernel, and its gradient into the backward kernels). */
  relu?: boolean;
}

export interface Conv2dAttrs {
  stride: number;
  padding: number;
  relu: boolean;
}

/**
 * Attributes of the gradient helpers: the convolution plus the shapes it ran on. With
 * `relu` the helpers take the forward output y as a last input and use dz = dy · [y > 0].
 */
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

export type { ConvGeometry };

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

/** Override constants of the implicit-GEMM kernels: every size but the batch. */
function geometryConstants(g: ConvGeometry): Record<string, number> {
  return { C: g.C, H: g.H, W: g.W, O: g.O, OH: g.OH, OW: g.OW, K: g.K, S: g.stride, P: g.padding };
}

/**
 * Backends whose convolutions use the plain register-blocked tiles even where subgroups
 * are 4 wide: the kernels every other adapter runs, for tests and bench/conv2d.ts.
 */
const plainTilesOnly = new WeakSet<WebGpuBackend>();

/** Makes `gpu` run the plain (no-subgroup) convolution tiles, or its default again. */
export function setPlainConvTiles(gpu: WebGpuBackend, plain: boolean): void {
  if (plain) plainTilesOnly.add(gpu);
  else plainTilesOnly.delete(gpu);
}

/** Records one implicit-GEMM pass over a rows × cols output (× z chunks of K). */
function dispatchPass(
  gpu: WebGpuBackend,
  pass: ConvPass,
  label: string,
  rows: number,
  cols: number,
  z: number,
  req: { constants: Record<string, number>; reads: GPUBuffer[]; writes: GPUBuffer[]; uniforms: ArrayBuffer },
): void {
  const kernel = convKernel(pass, convTile(pass, rows, cols, fourWideSubgroups(gpu) && !plainTilesOnly.has(gpu)));
  const extent = tileExtent(kernel.tile);
  gpu.dispatch({
    label,
    shaderKey: kernel.key,
    code: kernel.code,
    ...req,
    workgroups: [Math.ceil(cols / extent.cols), Math.ceil(rows / extent.rows), z],
  });
}

/** dz = dy · [y > 0] under a fused ReLU, else dy (CPU references). */
function reluMasked(dy: FloatArray, y: FloatArray | undefined, i: number): number {
  return y && !(y[i] > 0) ? 0 : dy[i];
}

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
            y[((n * O + o) * OH + oy) * OW + ox] = attrs.relu && !(acc > 0) ? 0 : acc;
          }
        }
      }
    }
  },
  wasm(engine, inputs, [y], { attrs, inputShapes }) {
    const [x, w, b] = inputs as Float32Array[];
    const g = convGeometry('conv2d', [], inputShapes[0], inputShapes[1], attrs);
    conv2dForwardWasm(engine, g, x, w, b, attrs.relu, y as Float32Array);
  },
  webgpu(gpu, inputs, [y], attrs) {
    const [x, w, b] = inputs;
    const g = convGeometry('conv2d', inputs, x.shape, w.shape, attrs);
    dispatchPass(gpu, 'forward', 'conv2d.forward', g.N * g.OH * g.OW, g.O, 1, {
      constants: { ...geometryConstants(g), HAS_BIAS: b ? 1 : 0, RELU: attrs.relu ? 1 : 0 },
      reads: [gpu.buffer(x), gpu.buffer(w), gpu.buffer(b ?? w)],
      writes: [gpu.buffer(y)],
      uniforms: CONV2D_PARAMS.pack({ N: g.N }),
    });
  },
  backward({ inputs, outputs: [y], attrs, grads: [dy] }) {
    if (!dy) return inputs.map(() => null);
    const [x, w, b] = inputs;
    const shapes = { ...attrs, inputShape: x.shape, weightShape: w.shape };
    const mask = attrs.relu ? [y] : [];
    const dx = needsGrad(x) ? runOp('conv2dInputGrad', conv2dInputGradOp, [dy, w, ...mask], shapes)[0] : null;
    let dw: Tensor | null = null;
    let db: Tensor | null = null;
    if (needsGrad(w) || (b && needsGrad(b))) {
      [dw, db = null] = runOp('conv2dWeightGrad', conv2dWeightGradOp, [dy, x, ...mask], { ...shapes, bias: !!b });
    }
    return b ? [dx, dw, db] : [dx, dw];
  },
};

/** dy must be the convolution's output shape, and so must y when the ReLU mask is an input. */
function checkGradInputs(op: string, inputs: readonly Tensor[], g: ConvGeometry, relu: boolean): void {
  const want = [g.N, g.O, g.OH, g.OW];
  const isOut = (t: Tensor | undefined) => !!t && t.rank === 4 && t.shape.every((d, i) => d === want[i]);
  if (!isOut(inputs[0])) shapeError(op, inputs, `dy must be [${want.join(', ')}]`);
  if (relu !== (inputs.length === 3)) shapeError(op, inputs, relu ? 'the ReLU mask y is missing' : 'a mask y is given without relu');
  if (relu && !isOut(inputs[2])) shapeError(op, inputs, `y must be [${want.join(', ')}]`);
}

/** Inputs: dy [N, O, OH, OW], w [O, C, K, K] (and y [N, O, OH, OW] with relu). Output dx [N, C, H, W]; a helper of conv2d's backward. */
export const conv2dInputGradOp: OpDef<Conv2dShapeAttrs> = {
  outputs(inputs, attrs) {
    const g = convGeometry('conv2dInputGrad', inputs, attrs.inputShape, attrs.weightShape, attrs);
    checkGradInputs('conv2dInputGrad', inputs, g, attrs.relu);
    return [{ shape: attrs.inputShape, dtype: 'f32' }];
  },
  reference(inputs, [dx], { attrs }) {
    const [dy, w, y] = inputs as FloatArray[];
    const { N, C, H, W, O, K, OH, OW, stride: s, padding: p } = convGeometry('conv2dInputGrad', [], attrs.inputShape, attrs.weightShape, attrs);
    dx.fill(0);
    for (let n = 0; n < N; n++) {
      for (let o = 0; o < O; o++) {
        for (let oy = 0; oy < OH; oy++) {
          for (let ox = 0; ox < OW; ox++) {
            const g = reluMasked(dy, y, ((n * O + o) * OH + oy) * OW + ox);
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
  wasm(engine, inputs, [dx], { attrs }) {
    const [dy, w, y] = inputs as Float32Array[];
    const g = convGeometry('conv2dInputGrad', [], attrs.inputShape, attrs.weightShape, attrs);
    conv2dInputGradWasm(engine, g, dy, w, y, dx as Float32Array);
  },
  webgpu(gpu, inputs, [dx], attrs) {
    const [dy, w, y] = inputs;
    const g = convGeometry('conv2dInputGrad', inputs, attrs.inputShape, attrs.weightShape, attrs);
    dispatchPass(gpu, 'inputGrad', 'conv2d.inputGrad', g.N * g.H * g.W, g.C, 1, {
      constants: { ...geometryConstants(g), RELU_MASK: attrs.relu ? 1 : 0 },
      reads: [gpu.buffer(dy), gpu.buffer(w), gpu.buffer(y ?? dy)],
      writes: [gpu.buffer(dx)],
      uniforms: CONV2D_PARAMS.pack({ N: g.N }),
    });
  },
  backward: 'nondifferentiable',
};

/**
 * Pixels (n, oy, ox) per split-K chunk of the weight gradient: the GEMM's K is N·OH·OW
 * (8,192–32,768 in the encoder) and its output only O × (C·K·K + 1), so without the
 * split a few invocations would loop over every pixel.
 */
const WEIGHT_GRAD_CHUNK = 256;

/** Inputs: dy [N, O, OH, OW], x [N, C, H, W] (and y [N, O, OH, OW] with relu). Outputs dw [O, C, K, K] (and db [O]); a helper of conv2d's backward. */
export const conv2dWeightGradOp: OpDef<Conv2dWeightGradAttrs> = {
  outputs(inputs, attrs) {
    const g = convGeometry('conv2dWeightGrad', inputs, attrs.inputShape, attrs.weightShape, attrs);
    checkGradInputs('conv2dWeightGrad', inputs, g, attrs.relu);
    const specs = [{ shape: attrs.weightShape, dtype: 'f32' as const, role: 'dw' }];
    if (attrs.bias) specs.push({ shape: [g.O], dtype: 'f32', role: 'db' });
    return specs;
  },
  reference(inputs, [dw, db], { attrs }) {
    const [dy, x, y] = inputs as FloatArray[];
    const { N, C, H, W, O, K, OH, OW, stride: s, padding: p } = convGeometry('conv2dWeightGrad', [], attrs.inputShape, attrs.weightShape, attrs);
    dw.fill(0);
    if (db) db.fill(0);
    for (let n = 0; n < N; n++) {
      for (let o = 0; o < O; o++) {
        for (let oy = 0; oy < OH; oy++) {
          for (let ox = 0; ox < OW; ox++) {
            const g = reluMasked(dy, y, ((n * O + o) * OH + oy) * OW + ox);
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
  wasm(engine, inputs, [dw, db], { attrs }) {
    const [dy, x, y] = inputs as Float32Array[];
    const g = convGeometry('conv2dWeightGrad', [], attrs.inputShape, attrs.weightShape, attrs);
    conv2dWeightGradWasm(engine, g, dy, x, y, dw as Float32Array, db as Float32Array | undefined);
  },
  webgpu(gpu, inputs, outputs, attrs) {
    const [dy, x, y] = inputs;
    const g = convGeometry('conv2dWeightGrad', inputs, attrs.inputShape, attrs.weightShape, attrs);
    const R = g.C * g.K * g.K;
    const pixels = g.N * g.OH * g.OW;
    const Z = Math.ceil(pixels / WEIGHT_GRAD_CHUNK);
    // part: [Z, O, R + 1] partial sums over each chunk of pixels (the last column is db's).
    const part = gpu.empty([Z, g.O, R + 1], 'f32', 'conv2d.weightGrad.partials');
    dispatchPass(gpu, 'weightGrad', 'conv2d.weightGrad.partials', g.O, R + 1, Z, {
      constants: { ...geometryConstants(g), RELU_MASK: attrs.relu ? 1 : 0 },
      reads: [gpu.buffer(dy), gpu.buffer(x), gpu.buffer(y ?? dy)],
      writes: [gpu.buffer(part)],
      uniforms: CONV2D_WEIGHT_GRAD_PARAMS.pack({ N: g.N, chunk: WEIGHT_GRAD_CHUNK }),
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
      uniforms: CONV2D_WEIGHT_GRAD_REDUCE_PARAMS.pack({ Z, O: g.O, R }),
      workgroups: grid1d(g.O * (R + 1), 64),
    });
    part.dispose();
    if (!attrs.bias) db.dispose();
  },
  backward: 'nondifferentiable',
};

/**
 * 2-D convolution (torch.nn.Conv2d): x [N, C, H, W], w [O, C, K, K], optional bias [O]
 * → [N, O, OH, OW] with OH = ⌊(H + 2·padding − K) / stride⌋ + 1; with `relu` the
 * output is ReLU(conv), fused (one kernel forward, the mask inside the backward kernels).
 */
export function conv2d(x: Tensor, w: Tensor, b: Tensor | null, options: Conv2dOptions = {}): Tensor {
  const attrs: Conv2dAttrs = { stride: options.stride ?? 1, padding: options.padding ?? 0, relu: options.relu ?? false };
  return runOp('conv2d', conv2dOp, b ? [x, w, b] : [x, w], attrs)[0];
}
