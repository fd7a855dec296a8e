// Gradient norms and the clip factor on the device, without any readback
// (torch.nn.utils.clip_grad_norm_ semantics):
//   norm_p = ‖grad_p‖₂ (0 for a parameter without grad),  global = √(Σ_p norm_p²),
//   factor = min(1, maxNorm / (global + 1e-6))   (1 when maxNorm is 0; NaN when global is NaN)
// WebGPU: one fill of the partial-sum slots, one fused sum-of-squares dispatch per
// gradient (up to SLOTS workgroups each, partials in fixed slots: deterministic), and
// one single-workgroup finalize. The trainer passes `factor` to optimizer.update as the
// gradient scale and reads `values` back asynchronously every few steps (also to detect
// NaN/Inf).
import sumsqWgsl from '../../shaders/optim/clip_sumsq.wgsl?raw';
import finalizeWgsl from '../../shaders/optim/clip_finalize.wgsl?raw';
import { FILL_PARAMS, FILL_WGSL } from '../gpu/fill.ts';
import type { CpuBackend } from '../backend/cpu.ts';
import type { WebGpuBackend } from '../backend/webgpu.ts';
import { grid1d } from '../gpu/grid.ts';
import type { Tensor } from '../tensor.ts';
import { uniformLayout } from '../gpu/uniform-layout.ts';

const CLIP_FINALIZE_PARAMS = uniformLayout('optim/clip_finalize', { P: 'u32', slots: 'u32', maxNorm: 'f32' });
const CLIP_SUMSQ_PARAMS = uniformLayout('optim/clip_sumsq', { n: 'u32', slot0: 'u32' });

export interface GradNorms {
  /** [P + 2] f32: norm of each param's grad, then the global
   *  norm, then the clip factor min(1, maxNorm / (global + 1e-6)) (1 when maxNorm is 0). */
  values: Tensor;
  /** [1] f32: the clip factor alone (the same value as values[P + 1]), for optimizer.update. */
  factor: Tensor;
}

/** Partial-sum slots per parameter (the most workgroups one gradient's reduction uses). */
const SLOTS = 32;
/** Elements per workgroup before another workgroup is added. */
const ELEMENTS_PER_WORKGROUP = 8192;

/** Norms of the gradients of `params` and the clip factor for `maxNorm` (0: no clipping). */
export function gradNorms(params: Tensor[], maxNorm: number): GradNorms {
  if (!(maxNorm >= 0) || !Number.isFinite(maxNorm)) throw new RangeError(`gradNorms: maxNorm must be a finite number ≥ 0, got ${maxNorm}`);
  if (params.length === 0) throw new Error('gradNorms: no parameters');
  const backend = params[0].backend;
  params.forEach((p, i) => {
    if (p.backend !== backend) throw new Error(`gradNorms: parameter ${i} "${p.label}" lives on another backend`);
    if (p.grad && p.grad.dtype !== 'f32') throw new Error(`gradNorms: gradient of "${p.label}" is ${p.grad.dtype}, not f32`);
  });
  const P = params.length;
  const values = backend.empty([P + 2], 'f32', 'gradNorms.values');
  const factor = backend.empty([1], 'f32', 'gradNorms.factor');
  if (backend.kind === 'cpu') {
    const cpu = backend as CpuBackend;
    const out = cpu.data(values);
    let total = 0;
    params.forEach((p, i) => {
      let s = 0;
      if (p.grad) for (const g of cpu.data(p.grad)) s += g * g;
      out[i] = Math.sqrt(s);
      total += out[i] * out[i];
    });
    const global = Math.sqrt(total);
    const f = maxNorm === 0 ? 1 : Number.isNaN(global) ? NaN : Math.min(1, maxNorm / (global + 1e-6));
    out[P] = global;
    out[P + 1] = f;
    cpu.data(factor)[0] = f;
    return { values, factor };
  }
  const gpu = backend as WebGpuBackend;
  // partials: [P, SLOTS] f32, zeroed so unused slots and parameters without grad add 0.
  const partials = gpu.empty([P * SLOTS], 'f32', 'gradNorms.partials');
  gpu.dispatch({
    label: 'gradNorms.zero',
    shaderKey: 'nn/fill',
    code: FILL_WGSL,
    reads: [],
    writes: [gpu.buffer(partials)],
    uniforms: FILL_PARAMS.pack({ n: P * SLOTS, bits: 0 }),
    workgroups: grid1d(P * SLOTS, 256),
  });
  params.forEach((p, i) => {
    if (!p.grad || p.grad.size === 0) return;
    gpu.dispatch({
      label: 'gradNorms.sumOfSquares',
      shaderKey: 'optim/clip_sumsq',
      code: sumsqWgsl,
      reads: [gpu.buffer(p.grad)],
      writes: [gpu.buffer(partials)],
      uniforms: CLIP_SUMSQ_PARAMS.pack({ n: p.grad.size, slot0: i * SLOTS }),
      workgroups: [Math.min(SLOTS, Math.max(1, Math.ceil(p.grad.size / ELEMENTS_PER_WORKGROUP)))],
    });
  });
  gpu.dispatch({
    label: 'gradNorms.finalize',
    shaderKey: 'optim/clip_finalize',
    code: finalizeWgsl,
    reads: [gpu.buffer(partials)],
    writes: [gpu.buffer(values), gpu.buffer(factor)],
    uniforms: CLIP_FINALIZE_PARAMS.pack({ P, slots: SLOTS, maxNorm }),
    workgroups: [1],
  });
  partials.dispose();
  return { values, factor };
}
