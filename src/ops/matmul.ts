// matmul: C = act(op(A)·op(B) + bias) with optional transposes, bias and activation
// epilogue. A may carry leading batch dims when not transposed ([..., M, K] is
// treated as [prod(...)·M, K]).
//
// Backward (Z = op(A)·op(B) + bias, C = act(Z), dZ = dC ⊙ act'(Z)):
//   dA = dZ·op(B)ᵀ (or op(B)·dZᵀ when A is transposed), dB = op(A)ᵀ·dZ (or dZᵀ·op(A)),
//   dbias = Σ_rows dZ.
import type { FloatArray, Shape, Tensor } from '../tensor.ts';
import { activate, activationGrad, type Activation } from './activation.ts';
import { expectDtype, runOp, shapeError, type OpDef } from './op.ts';
import { sumRows } from './reduce.ts';
import { SPLITK_REDUCE_WGSL } from './wgsl-modules.ts';
import { DEFAULT_GEMM, DEFAULT_SUBGROUP_GEMM, MATMUL_PARAMS, NAIVE, shapeVariants, type GemmVariant } from './gemm-kernels.ts';
import { grid1d } from '../gpu/grid.ts';
import { fourWideSubgroups } from '../backend/subgroups.ts';
import type { WebGpuBackend } from '../backend/webgpu.ts';
import { reshape } from './shape.ts';
import { gemm } from './matmul-cpu.ts';
import { uniformLayout } from '../gpu/uniform-layout.ts';
import { weightGemmVariant, weightGemmVariants } from './precision.ts';
import { encodePackF16 } from './recurrent-f16.ts';

const MATMUL_SPLITK_REDUCE_PARAMS = uniformLayout('linalg/matmul_splitk_reduce', { MN: 'u32', N: 'u32', S: 'u32' });

export interface MatmulAttrs {
  transA: boolean;
  transB: boolean;
  activation: Activation | 'none';
}

const ACT_CODE = { none: 0, tanh: 1, sigmoid: 2, relu: 3 } as const;

const chosen = new WeakMap<WebGpuBackend, GemmVariant>();
/** The in-app tuner's choice (src/ops/gemm-tuning.ts, tuneKernels): a default that shape adaptation may still replace. */
const tuned = new WeakMap<WebGpuBackend, GemmVariant>();

/**
 * The GEMM variant matmul uses on this backend: the one set by the tuner
 * (src/ops/gemm-tuning.ts), else the subgroup-shared default where subgroups are 4 wide,
 * else the register-blocked default.
 */
export function matmulVariant(gpu: WebGpuBackend): GemmVariant {
  return chosen.get(gpu) ?? tuned.get(gpu) ?? (fourWideSubgroups(gpu) ? DEFAULT_SUBGROUP_GEMM : DEFAULT_GEMM);
}

/**
 * How one GEMM runs: the variant, and the K chunk when K is split over workgroups (0: not
 * split). A pinned variant (setMatmulVariant) runs every shape. Otherwise the variant of
 * the default's family whose tiles waste the least work on this M × N is used when it
 * saves at least a quarter (the default wins ties): conv layers make outputs 16 or 32
 * wide, where the default tile would compute half or more discarded columns. K is split
 * when the output has too few tiles to occupy the adapter and K is long (a conv layer's
 * weight gradient sums over every pixel of the batch: 16 × 27 outputs, K = 32,768 — one
 * workgroup without the split). With `family` (the f16-weight variants of
 * src/ops/precision.ts) the variant and the shape adaptation come from that family.
 */
export function gemmPlan(
  gpu: WebGpuBackend,
  { M, N, K }: { M: number; N: number; K: number },
  family: { variant: GemmVariant; variants: readonly GemmVariant[] } | null = null,
): { variant: GemmVariant; kChunk: number } {
  let variant = family?.variant ?? matmulVariant(gpu);
  if (family || !chosen.has(gpu)) {
    const padded = (v: GemmVariant) => Math.ceil(M / v.tileM) * v.tileM * Math.ceil(N / v.tileN) * v.tileN;
    let best = padded(variant);
    for (const v of family?.variants ?? shapeVariants(fourWideSubgroups(gpu))) {
      const area = padded(v);
      if (area < best && area <= 0.75 * padded(variant)) {
        best = area;
        variant = v;
      }
    }
  }
  const tiles = Math.ceil(N / variant.tileN) * Math.ceil(M / variant.tileM);
  const target = gpu.gpu.info.isFallbackAdapter ? SPLIT_TARGET_TILES_FALLBACK : SPLIT_TARGET_TILES;
  const splits = Math.min(Math.ceil(target / tiles), Math.floor(K / SPLIT_MIN_CHUNK));
  if (tiles >= target || splits < 2) return { variant, kChunk: 0 };
  return { variant, kChunk: Math.ceil(K / splits) };
}

/** Split K until the dispatch has this many workgroups … */
const SPLIT_TARGET_TILES = 32;
/**
 * … or this many on a fallback (CPU) adapter, where a split costs the partial products'
 * stores and a reduce dispatch. Profiled on SwiftShader (2 cores), relative to the
 * forward steps of the same run: the GRU's recurrent weight gradient at B 32, T 32, H 128
 * (24 tiles) took 0.74 of them split in two (11.2 ms + 1.4 ms reduce), 0.66 unsplit; the
 * LSTM's input weight gradient (16 tiles) 0.34 split in two, 0.37–0.41 unsplit.
 */
const SPLIT_TARGET_TILES_FALLBACK = 24;
/** … with chunks of at least this many k. */
const SPLIT_MIN_CHUNK = 256;

/** Makes matmul use `variant` for every shape on this backend (the tuner and tests call it); null restores the default. */
export function setMatmulVariant(gpu: WebGpuBackend, variant: GemmVariant | null): void {
  if (variant?.subgroups && !fourWideSubgroups(gpu)) {
    throw new Error(`matmul: variant ${variant.name} needs 4-wide subgroups, which ${gpu.description} does not have`);
  }
  if (variant) chosen.set(gpu, variant);
  else chosen.delete(gpu);
}

/**
 * Makes `variant` the default of this backend (the in-app tuner calls it): unlike
 * setMatmulVariant, gemmPlan may still pick a variant with other tiles for an output the
 * default tiles badly. null restores the built-in default.
 */
export function setTunedGemm(gpu: WebGpuBackend, variant: GemmVariant | null): void {
  if (variant?.subgroups && !gpu.hasSubgroups) throw new Error(`matmul: variant ${variant.name} needs subgroups, which ${gpu.description} does not have`);
  if (variant) tuned.set(gpu, variant);
  else tuned.delete(gpu);
}

export { NAIVE, DEFAULT_GEMM };

/**
 * Records one GEMM dispatch of `variant`: C[M, N] = act(op(A)·op(B) + bias). With
 * kChunk > 0 it writes the partial products of ⌈K / kChunk⌉ chunks to C[chunk, M, N]
 * instead, and the caller passes no bias and no activation (encodeGemmSplit sums them).
 */
export function encodeGemm(
  gpu: WebGpuBackend,
  variant: GemmVariant,
  buffers: { a: GPUBuffer; b: GPUBuffer; bias: GPUBuffer | null; c: GPUBuffer },
  { M, N, K }: { M: number; N: number; K: number },
  attrs: MatmulAttrs,
  kChunk = 0,
): void {
  if (kChunk > 0 && (buffers.bias || attrs.activation !== 'none')) throw new Error('encodeGemm: split-K partials take no epilogue');
  gpu.dispatch({
    label: 'matmul.forward',
    shaderKey: `linalg/matmul_${variant.name}`,
    code: variant.code,
    constants: { TRANS_A: attrs.transA ? 1 : 0, TRANS_B: attrs.transB ? 1 : 0, HAS_BIAS: buffers.bias ? 1 : 0, ACT: ACT_CODE[attrs.activation] },
    // Without a bias, A fills the (unread) bias binding.
    reads: [buffers.a, buffers.b, buffers.bias ?? buffers.a],
    writes: [buffers.c],
    uniforms: MATMUL_PARAMS.pack({ M, N, K, kChunk }),
    workgroups: [Math.ceil(N / variant.tileN), Math.ceil(M / variant.tileM), kChunk > 0 ? Math.ceil(K / kChunk) : 1],
  });
}

/** C = act(op(A)·op(B) + bias) as split-K partials into a scratch buffer, then their ordered sum with the epilogue. */
function encodeGemmSplit(
  gpu: WebGpuBackend,
  variant: GemmVariant,
  { a, b, bias }: { a: GPUBuffer; b: GPUBuffer; bias: GPUBuffer | null },
  c: Tensor,
  dims: { M: number; N: number; K: number },
  attrs: MatmulAttrs,
  kChunk: number,
): void {
  const S = Math.ceil(dims.K / kChunk);
  const MN = dims.M * dims.N;
  const part = gpu.empty([S, dims.M, dims.N], 'f32', 'matmul.splitK.partials');
  encodeGemm(gpu, variant, { a, b, bias: null, c: gpu.buffer(part) }, dims, { ...attrs, activation: 'none' }, kChunk);
  gpu.dispatch({
    label: 'matmul.splitK.reduce',
    shaderKey: 'linalg/matmul_splitk_reduce',
    code: SPLITK_REDUCE_WGSL,
    constants: { HAS_BIAS: bias ? 1 : 0, ACT: ACT_CODE[attrs.activation] },
    // Without a bias, the partials fill the (unread) bias binding.
    reads: [gpu.buffer(part), bias ?? gpu.buffer(part)],
    writes: [gpu.buffer(c)],
    uniforms: MATMUL_SPLITK_REDUCE_PARAMS.pack({ MN, N: dims.N, S }),
    workgroups: grid1d(MN, 64),
  });
  part.dispose();
}

/** M, N, K of op(A)·op(B) for the given inputs, validating shapes. */
export function matmulDims(inputs: readonly Tensor[], attrs: MatmulAttrs): { M: number; N: number; K: number } {
  const [a, b, bias] = inputs;
  expectDtype('matmul', inputs, 0, 'f32');
  expectDtype('matmul', inputs, 1, 'f32');
  if (b.rank !== 2) shapeError('matmul', inputs, 'B must be 2-D');
  if (a.rank < 2 || (attrs.transA && a.rank !== 2)) shapeError('matmul', inputs, 'A must be 2-D (or [..., M, K] without transA)');
  const aCols = a.shape[a.rank - 1];
  const aRows = a.size / Math.max(1, aCols);
  const [M, Ka] = attrs.transA ? [aCols, aRows] : [aRows, aCols];
  const [Kb, N] = attrs.transB ? [b.shape[1], b.shape[0]] : [b.shape[0], b.shape[1]];
  if (Ka !== Kb) shapeError('matmul', inputs, `inner dimensions differ (${Ka} vs ${Kb})`);
  if (bias && (bias.rank !== 1 || bias.shape[0] !== N)) shapeError('matmul', inputs, `bias must be [${N}]`);
  return { M, N, K: Ka };
}

/** M, N, K of a matmul from its input shapes and host array lengths. */
function hostDims(inputShapes: readonly Shape[], aLength: number, cLength: number, attrs: MatmulAttrs): { M: number; N: number; K: number } {
  const aCols = inputShapes[0][inputShapes[0].length - 1];
  const aRows = aLength / Math.max(1, aCols);
  const M = attrs.transA ? aCols : aRows;
  return { M, N: cLength / Math.max(1, M), K: attrs.transA ? aRows : aCols };
}

/** c = activation(out + bias), row by row (out may be c itself). */
function epilogue(out: ArrayLike<number>, c: FloatArray, bias: FloatArray | undefined, M: number, N: number, activation: Activation | 'none'): void {
  for (let i = 0; i < M; i++) {
    const co = i * N;
    for (let j = 0; j < N; j++) {
      const v = bias ? out[co + j] + bias[j] : out[co + j];
      c[co + j] = activation === 'none' ? v : activate(activation, v);
    }
  }
}

export const matmulOp: OpDef<MatmulAttrs> = {
  outputs(inputs, attrs) {
    const { M, N } = matmulDims(inputs, attrs);
    const a = inputs[0];
    const shape = !attrs.transA && a.rank > 2 ? [...a.shape.slice(0, -1), N] : [M, N];
    return [{ shape, dtype: 'f32' }];
  },
  reference(inputs, [c], { attrs, inputShapes }) {
    const [a, b, bias] = inputs as FloatArray[];
    const { M, N, K } = hostDims(inputShapes, a.length, c.length, attrs);
    // Float64 accumulation over k (src/ops/matmul-cpu.ts), then the epilogue.
    const out = new Float64Array(M * N);
    gemm({ data: a, trans: attrs.transA }, { data: b, trans: attrs.transB }, out, M, N, K);
    epilogue(out, c as FloatArray, bias, M, N, attrs.activation);
  },
  wasm(engine, inputs, [c], { attrs, inputShapes }) {
    const [a, b, bias] = inputs as Float32Array[];
    const { M, N, K } = hostDims(inputShapes, a.length, c.length, attrs);
    engine.gemm(a, b, M, N, K, attrs.transA, attrs.transB, c as Float32Array);
    if (bias || attrs.activation !== 'none') epilogue(c, c as FloatArray, bias, M, N, attrs.activation);
  },
  webgpu(gpu, inputs, [c], attrs) {
    const dims = matmulDims(inputs, attrs);
    const [a, b, bias] = inputs;
    // f16 weights (src/ops/precision.ts): a trained B is read from an f16 copy made for this product.
    const half = b.requiresGrad ? weightGemmVariant(gpu) : null;
    const packed = half ? encodePackF16(gpu, b, 'matmul.b_f16') : null;
    const { variant, kChunk } = gemmPlan(gpu, dims, half ? { variant: half, variants: weightGemmVariants(gpu) } : null);
    const buffers = { a: gpu.buffer(a), b: gpu.buffer(packed ?? b), bias: bias ? gpu.buffer(bias) : null };
    if (kChunk > 0) encodeGemmSplit(gpu, variant, buffers, c, dims, attrs, kChunk);
    else encodeGemm(gpu, variant, { ...buffers, c: gpu.buffer(c) }, dims, attrs);
    packed?.dispose();
  },
  backward({ inputs, outputs: [c], attrs, grads: [g], needs }) {
    if (!g) return inputs.map(() => null);
    const [a, b, bias] = inputs;
    const dz2 = attrs.activation === 'none' ? g : activationGrad(attrs.activation, g, c);
    const N = dz2.shape[dz2.rank - 1];
    const dz = dz2.rank > 2 ? reshape(dz2, [dz2.size / N, N]) : dz2;
    const a2 = !attrs.transA && a.rank > 2 ? reshape(a, [a.size / a.shape[a.rank - 1], a.shape[a.rank - 1]]) : a;
    // op(A) = A or Aᵀ, op(B) = B or Bᵀ; Z = op(A)·op(B).
    // Only the gradients some input needs are computed (an image fed to the first layer needs none).
    let dA: Tensor | null = null;
    if (needs[0]) {
      const da = !attrs.transA
        ? matmul(dz, b, { transB: !attrs.transB }) // dA = dZ·op(B)ᵀ
        : matmul(b, dz, { transA: attrs.transB, transB: true }); // dA = (dZ·op(B)ᵀ)ᵀ = op(B)·dZᵀ
      dA = da.shape.length === a.shape.length ? da : reshape(da, a.shape);
    }
    let db: Tensor | null = null;
    if (needs[1]) {
      db = !attrs.transB
        ? matmul(a2, dz, { transA: !attrs.transA }) // dB = op(A)ᵀ·dZ
        : matmul(dz, a2, { transA: true, transB: attrs.transA }); // dB = dZᵀ·op(A)
    }
    const grads: (Tensor | null)[] = [dA, db];
    if (bias) grads.push(needs[2] ? sumRows(dz, bias.shape) : null);
    return grads;
  },
};

export interface MatmulOptions {
  transA?: boolean;
  transB?: boolean;
  bias?: Tensor;
  activation?: Activation | 'none';
}

/** act(op(A)·op(B) + bias). */
export function matmul(a: Tensor, b: Tensor, options: MatmulOptions = {}): Tensor {
  const attrs: MatmulAttrs = {
    transA: options.transA ?? false,
    transB: options.transB ?? false,
    activation: options.activation ?? 'none',
  };
  const inputs = options.bias ? [a, b, options.bias] : [a, b];
  return runOp('matmul', matmulOp, inputs, attrs)[0];
}
