// Per-adapter kernel choices. The subgroup-shared kernels (GEMM and the recurrent step
// kernels) assume 4-wide subgroups laid over consecutive invocations, as on SwiftShader;
// `fourWideSubgroups` says whether this adapter has them. `tuneGemm` times the GEMM
// candidates once per adapter and caches the winner in localStorage.
import type { WebGpuBackend } from '../backend/webgpu.ts';

/** Subgroup size range the adapter reports (Chrome 134+), or null when unknown. */
export function subgroupSizes(gpu: WebGpuBackend): { min: number; max: number } | null {
  const info = gpu.gpu.adapter.info as GPUAdapterInfo & { subgroupMinSize?: number; subgroupMaxSize?: number };
  if (!gpu.hasSubgroups || typeof info.subgroupMinSize !== 'number' || typeof info.subgroupMaxSize !== 'number') return null;
  return { min: info.subgroupMinSize, max: info.subgroupMaxSize };
}

/** Whether kernels written for 4-wide subgroups may run here. */
export function fourWideSubgroups(gpu: WebGpuBackend): boolean {
  const s = subgroupSizes(gpu);
  return s !== null && s.min === 4 && s.max === 4;
}
