// Subgroup facts of a WebGPU backend's adapter, for choosing kernels. Kept apart from
// webgpu.ts, which touches GPU globals when it loads, so that ops can import these in
// Node (where the CPU backend runs the same op files).
import type { WebGpuBackend } from './webgpu.ts';

/** Subgroup size range the adapter reports (Chrome 134+), or null when unknown. */
export function subgroupSizes(gpu: WebGpuBackend): { min: number; max: number } | null {
  const info = gpu.gpu.adapter.info as GPUAdapterInfo & { subgroupMinSize?: number; subgroupMaxSize?: number };
  if (!gpu.hasSubgroups || typeof info.subgroupMinSize !== 'number' || typeof info.subgroupMaxSize !== 'number') return null;
  return { min: info.subgroupMinSize, max: info.subgroupMaxSize };
}

/**
 * Whether kernels written for 4-wide subgroups may run here. The subgroup-shared kernels
 * (GEMM and the recurrent step kernels) assume 4-wide subgroups laid over consecutive
 * invocations, as on SwiftShader.
 */
export function fourWideSubgroups(gpu: WebGpuBackend): boolean {
  const s = subgroupSizes(gpu);
  return s !== null && s.min === 4 && s.max === 4;
}
