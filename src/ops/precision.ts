// Training precision on a WebGPU backend (the Train panel's "Precision", TrainConfig.precision):
//   f32             everything f32 (default).
//   f16 weights     mixed precision: the weights that GEMMs and the recurrent step read are
//                   rounded to f16 copies, packed two per u32 on the GPU for each use
//                   (encodePackF16); the optimizer updates the f32 master weights; all
//                   arithmetic and accumulation stays f32.
//   f16 arithmetic  as f16 weights, and the GEMMs that read a weight also form their
//                   products in f16 (the activations are converted to f16 as they are
//                   loaded), summing in f32. Needs the adapter feature `shader-f16`.
// Which products read f16 (both f16 modes):
//   - every matmul whose B operand is a trained parameter (Tensor.requiresGrad): the
//     forward X·Wᵀ of every layer (recurrent input projections, fusion and head layers)
//     and, in backward, the input gradient dX = dZ·W that reads the same weight;
//   - the recurrent forward step's W_hh·h (setRecurrentWeights, f32 arithmetic in both modes).
// Which stay f32: the weight gradients (dW = Xᵀ·dZ, dW_hh = H_prevᵀ·dG: no weight is
// read), the recurrent backward step (reads f32 W_hh), a matmul whose weight is its A
// operand (not used by the models' forward), convolutions, embeddings, norms, the loss,
// the optimizer and its state. See src/ops/gemm-f16.ts for the error bounds.
import type { WebGpuBackend } from '../backend/webgpu.ts';
import { F16_WEIGHT_ARITHMETIC_GEMM_VARIANTS, F16_WEIGHT_GEMM_VARIANTS } from './gemm-f16.ts';
import type { TiledVariant } from './gemm-tiled.ts';
import { setRecurrentWeights } from './recurrent-f16.ts';
import { PRECISION_LABELS, precisionUnavailableFor, type Precision } from './precision-names.ts';

const chosen = new WeakMap<WebGpuBackend, Precision>();
/** The tuner's choice among the weight variants of the current precision. */
const tunedWeightGemm = new WeakMap<WebGpuBackend, TiledVariant>();

/** Whether this backend can run `p` (null), or why not. */
export function precisionUnavailable(gpu: WebGpuBackend, p: Precision): string | null {
  return precisionUnavailableFor(gpu.device.features as ReadonlySet<string>, p);
}

/** Sets the precision of this backend's GEMMs and recurrent forward steps; throws when the adapter cannot run it. */
export function setPrecision(gpu: WebGpuBackend, p: Precision): void {
  const why = precisionUnavailable(gpu, p);
  if (why) throw new Error(`Precision "${PRECISION_LABELS[p]}" cannot run here: ${why}.`);
  if (p === 'f32') chosen.delete(gpu);
  else chosen.set(gpu, p);
  tunedWeightGemm.delete(gpu);
  setRecurrentWeights(gpu, p === 'f32' ? 'f32' : 'f16');
}

export function precisionOf(gpu: WebGpuBackend): Precision {
  return chosen.get(gpu) ?? 'f32';
}

/** The GEMM variants that read an f16 weight under this backend's precision (empty for f32). */
export function weightGemmVariants(gpu: WebGpuBackend): TiledVariant[] {
  const p = precisionOf(gpu);
  return p === 'f32' ? [] : p === 'f16' ? F16_WEIGHT_GEMM_VARIANTS : F16_WEIGHT_ARITHMETIC_GEMM_VARIANTS;
}

/** The weight variant matmul starts from (the tuner's, else the 64×64 tile with 8×4 per invocation); null for f32. */
export function weightGemmVariant(gpu: WebGpuBackend): TiledVariant | null {
  const family = weightGemmVariants(gpu);
  if (!family.length) return null;
  return tunedWeightGemm.get(gpu) ?? family.find((v) => v.name.startsWith('wt64x64t8x4k16')) ?? family[0];
}

/** Makes `variant` (one of weightGemmVariants) the weight variant of this backend; null restores the default. */
export function setTunedWeightGemm(gpu: WebGpuBackend, variant: TiledVariant | null): void {
  if (variant && !weightGemmVariants(gpu).includes(variant)) throw new Error(`matmul: ${variant.name} is not a weight variant of precision ${precisionOf(gpu)}`);
  if (variant) tunedWeightGemm.set(gpu, variant);
  else tunedWeightGemm.delete(gpu);
}
