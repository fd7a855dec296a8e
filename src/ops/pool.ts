// Pooling with torch semantics: maxPool2d (torch.nn.MaxPool2d, no padding, floor mode,
// the gradient goes to the first maximum of each window) and globalAvgPool (the mean
// over H·W, torch.nn.AdaptiveAvgPool2d(1) flattened to [N, C]).
//   maxPool2d:     y = max over each SIZE×SIZE window, stride S; dx = dy routed to the argmax
//   globalAvgPool: y[n, c] = mean_{h, w} x[n, c, h, w];       dx = dy[n, c] / (H·W)
// maxPool2d and its gradient also run on the WebAssembly engine (wasm/conv.ts).
import maxPoolWgsl from '../../shaders/nn/max_pool2d.wgsl?raw';
import maxPoolBackwardWgsl from '../../shaders/nn/max_pool2d_backward.wgsl?raw';
import avgPoolWgsl from '../../shaders/nn/global_avg_pool.wgsl?raw';
import { grid1d } from '../gpu/grid.ts';
import type { FloatArray, Shape, Tensor } from '../tensor.ts';
import { scale } from './scale.ts';
import { expand } from './expand.ts';
import { expectDtype, runOp, shapeError, type OpDef } from './op.ts';
import { uniformLayout } from '../gpu/uniform-layout.ts';
import { copyIn, copyOut, scoped } from './wasm-arrays.ts';

const GLOBAL_AVG_POOL_PARAMS = uniformLayout('nn/global_avg_pool', { planes: 'u32', HW: 'u32' });

export interface MaxPoolOptions {
  size: number;
  /** Default: size (torch). */
  stride?: number;
}

export interface MaxPoolAttrs {
  size: number;
  stride: number;
}

export interface MaxPoolGradAttrs extends MaxPoolAttrs {
  inputShape: Shape;
}

interface PoolGeometry {
  planes: number;
  H: number;
  W: number;
  OH: number;
  OW: number;
}

function poolGeometry(op: string, inputs: readonly Tensor[], xShape: Shape, { size, stride }: MaxPoolAttrs): PoolGeometry {
  if (!Number.isInteger(size) || size < 1) shapeError(op, inputs, `size must be a positive integer, got ${size}`);
  if (!Number.isInteger(stride) || stride < 1) shapeError(op, inputs, `stride must be a positive integer, got ${stride}`);
  if (xShape.length !== 4) shapeError(op, inputs, 'x must be [N, C, H, W]');
  const [N, C, H, W] = xShape;
  if (H < size || W < size) shapeError(op, inputs, `window ${size} does not fit the ${H}×${W} input`);
  return { planes: N * C, H, W, OH: Math.floor((H - size) / stride) + 1, OW: Math.floor((W - size) / stride) + 1 };
}

/** Uniforms of max_pool2d.wgsl and max_pool2d_backward.wgsl. */
const MAX_POOL_PARAMS = uniformLayout(['nn/max_pool2d', 'nn/max_pool2d_backward'], { planes: 'u32', H: 'u32', W: 'u32', OH: 'u32', OW: 'u32' });

function poolUniforms(g: PoolGeometry): ArrayBuffer {
  return MAX_POOL_PARAMS.pack({ planes: g.planes, H: g.H, W: g.W, OH: g.OH, OW: g.OW });
}

/** x [N, C, H, W] → y [N, C, OH, OW] and argmax [N, C, OH, OW] i32 (index in the H·W plane). */
export const maxPool2dOp: OpDef<MaxPoolAttrs> = {
  outputs(inputs, attrs) {
    expectDtype('maxPool2d', inputs, 0, 'f32');
    const x = inputs[0];
    const g = poolGeometry('maxPool2d', inputs, x.shape, attrs);
    const shape = [x.shape[0], x.shape[1], g.OH, g.OW];
    return [
      { shape, dtype: 'f32', role: 'y' },
      { shape, dtype: 'i32', role: 'argmax' },
    ];
  },
  reference([input], [y, arg], { attrs, inputShapes }) {
    const x = input as FloatArray;
    const { planes, H, W, OH, OW } = poolGeometry('maxPool2d', [], inputShapes[0], attrs);
    const { size, stride: s } = attrs;
    for (let q = 0; q < planes; q++) {
      for (let oy = 0; oy < OH; oy++) {
        for (let ox = 0; ox < OW; ox++) {
          let at = oy * s * W + ox * s;
          let best = x[q * H * W + at];
          for (let kh = 0; kh < size; kh++) {
            for (let kw = 0; kw < size; kw++) {
              const i = (oy * s + kh) * W + ox * s + kw;
              const v = x[q * H * W + i];
              if (v > best || Number.isNaN(v)) {
                best = v;
                at = i;
              }
            }
          }
          const o = (q * OH + oy) * OW + ox;
          y[o] = best;
          arg[o] = at;
        }
      }
    }
  },
  wasm(engine, [x], [y, arg], { attrs, inputShapes }) {
    const { planes, H, W, OH, OW } = poolGeometry('maxPool2d', [], inputShapes[0], attrs);
    scoped(engine, () => {
      const px = copyIn(engine, x as Float32Array);
      const py = engine.alloc(y.length);
      const parg = engine.alloc(arg.length);
      engine.exports.maxPool2d(px, planes, H, W, OH, OW, attrs.size, attrs.stride, py, parg);
      copyOut(engine, py, y as Float32Array);
      copyOut(engine, parg, arg as Int32Array);
    });
  },
  webgpu(gpu, [x], [y, arg], attrs) {
    const g = poolGeometry('maxPool2d', [x], x.shape, attrs);
    gpu.dispatch({
      label: 'maxPool2d.forward',
      shaderKey: 'nn/max_pool2d',
      code: maxPoolWgsl,
      constants: { SIZE: attrs.size, S: attrs.stride },
      reads: [gpu.buffer(x)],
      writes: [gpu.buffer(y), gpu.buffer(arg)],
      uniforms: poolUniforms(g),
      workgroups: grid1d(y.size, 256),
    });
  },
  backward({ inputs: [x], outputs: [, arg], attrs, grads: [dy] }) {
    if (!dy) return [null];
    return [runOp('maxPool2dGrad', maxPool2dGradOp, [dy, arg], { ...attrs, inputShape: x.shape })[0]];
  },
};

/** (dy, argmax) → dx [N, C, H, W]; a helper of maxPool2d's backward. */
export const maxPool2dGradOp: OpDef<MaxPoolGradAttrs> = {
  outputs(inputs, attrs) {
    expectDtype('maxPool2dGrad', inputs, 0, 'f32');
    expectDtype('maxPool2dGrad', inputs, 1, 'i32');
    const g = poolGeometry('maxPool2dGrad', inputs, attrs.inputShape, attrs);
    if (inputs[0].size !== g.planes * g.OH * g.OW || inputs[1].size !== inputs[0].size) {
      shapeError('maxPool2dGrad', inputs, `dy and argmax must be [${attrs.inputShape[0]}, ${attrs.inputShape[1]}, ${g.OH}, ${g.OW}]`);
    }
    return [{ shape: attrs.inputShape, dtype: 'f32' }];
  },
  reference([dy, arg], [dx], { attrs }) {
    const { planes, H, W, OH, OW } = poolGeometry('maxPool2dGrad', [], attrs.inputShape, attrs);
    dx.fill(0);
    for (let q = 0; q < planes; q++) {
      for (let o = 0; o < OH * OW; o++) dx[q * H * W + arg[q * OH * OW + o]] += dy[q * OH * OW + o];
    }
  },
  wasm(engine, [dy, arg], [dx], { attrs }) {
    const { planes, H, W, OH, OW } = poolGeometry('maxPool2dGrad', [], attrs.inputShape, attrs);
    scoped(engine, () => {
      const pdx = engine.alloc(dx.length);
      engine.exports.maxPool2dGrad(copyIn(engine, dy as Float32Array), copyIn(engine, arg as Int32Array), planes, H, W, OH, OW, pdx);
      copyOut(engine, pdx, dx as Float32Array);
    });
  },
  webgpu(gpu, [dy, arg], [dx], attrs) {
    const g = poolGeometry('maxPool2dGrad', [dy, arg], attrs.inputShape, attrs);
    // Non-overlapping windows: one invocation per window writes its block ('tiles');
    // otherwise one per dx element gathers from the windows that contain it ('main').
    const tiles = attrs.stride === attrs.size;
    const S = attrs.stride;
    gpu.dispatch({
      label: 'maxPool2d.backward',
      shaderKey: 'nn/max_pool2d_backward',
      code: maxPoolBackwardWgsl,
      entryPoint: tiles ? 'tiles' : 'main',
      constants: { SIZE: attrs.size, S },
      reads: [gpu.buffer(dy), gpu.buffer(arg)],
      writes: [gpu.buffer(dx)],
      uniforms: poolUniforms(g),
      workgroups: tiles ? grid1d(g.planes * Math.ceil(g.H / S) * Math.ceil(g.W / S), 64) : grid1d(dx.size, 256),
    });
  },
  backward: 'nondifferentiable',
};

/** x [N, C, H, W] → [N, C], the mean of each plane. */
export const globalAvgPoolOp: OpDef<object> = {
  outputs(inputs) {
    expectDtype('globalAvgPool', inputs, 0, 'f32');
    const x = inputs[0];
    if (x.rank !== 4) shapeError('globalAvgPool', inputs, 'x must be [N, C, H, W]');
    if (x.shape[2] * x.shape[3] === 0) shapeError('globalAvgPool', inputs, 'empty planes');
    return [{ shape: [x.shape[0], x.shape[1]], dtype: 'f32' }];
  },
  reference([x], [y], { inputShapes }) {
    const HW = inputShapes[0][2] * inputShapes[0][3];
    for (let q = 0; q < y.length; q++) {
      let acc = 0;
      for (let i = 0; i < HW; i++) acc += x[q * HW + i];
      y[q] = acc / HW;
    }
  },
  webgpu(gpu, [x], [y]) {
    gpu.dispatch({
      label: 'globalAvgPool.forward',
      shaderKey: 'nn/global_avg_pool',
      code: avgPoolWgsl,
      reads: [gpu.buffer(x)],
      writes: [gpu.buffer(y)],
      uniforms: GLOBAL_AVG_POOL_PARAMS.pack({ planes: y.size, HW: x.shape[2] * x.shape[3] }),
      workgroups: grid1d(y.size, 64),
    });
  },
  backward({ inputs: [x], grads: [g] }) {
    if (!g) return [null];
    const [, , H, W] = x.shape;
    return [expand(expand(scale(g, 1 / (H * W)), 2, H), 3, W)];
  },
};

/** 2-D max pooling (torch.nn.MaxPool2d(size, stride), no padding, floor mode). */
export function maxPool2d(x: Tensor, options: MaxPoolOptions): Tensor {
  return runOp('maxPool2d', maxPool2dOp, [x], { size: options.size, stride: options.stride ?? options.size })[0];
}

/** Mean over H and W: [N, C, H, W] → [N, C]. */
export function globalAvgPool(x: Tensor): Tensor {
  return runOp('globalAvgPool', globalAvgPoolOp, [x], {})[0];
}
