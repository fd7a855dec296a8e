// How the recurrent layers run on WebGPU: which per-step kernels (register-blocked, or
// subgroup-shared where subgroups are 4 wide; overridable per backend for benchmarks and
// tests) and which forward path (one dispatch per step, or one for the whole sequence).
import { fourWideSubgroups } from '../backend/subgroups.ts';
import type { WebGpuBackend } from '../backend/webgpu.ts';
import type { CellSpec } from './cells/cell.ts';
import { blockedStepKernels, sharedStepKernels, STEP_BLOCK, type StepKernel } from './recurrent-kernels.ts';

/** A forward and a backward per-step kernel used together. */
export interface StepKernelPair {
  forward: StepKernel;
  backward: StepKernel;
}

const BLOCKED = blockedStepKernels(STEP_BLOCK.rows, STEP_BLOCK.units);
/** Subgroup-shared kernels by rows per invocation and gates, made on first use. */
const shared = new Map<string, StepKernelPair>();
function sharedKernels(rows: 4 | 16, gates: number): StepKernelPair {
  const key = `${rows}/${gates}`;
  let k = shared.get(key);
  if (!k) shared.set(key, (k = sharedStepKernels(rows, gates)));
  return k;
}
const stepOverride = new WeakMap<WebGpuBackend, StepKernelPair>();

/**
 * The per-step kernels used on this backend for a batch of B and a cell with `gates`
 * gates: subgroup-shared where subgroups are 4 wide (SwiftShader; 16 rows per
 * invocation from B = 16 on, else 4), register-blocked elsewhere.
 */
export function stepKernels(gpu: WebGpuBackend, B: number, gates = 4): StepKernelPair {
  return stepOverride.get(gpu) ?? defaultStepKernels(gpu, B, gates);
}

/** The per-step kernels used without an override (the kernel tuner times them first). */
export function defaultStepKernels(gpu: WebGpuBackend, B: number, gates = 4): StepKernelPair {
  return fourWideSubgroups(gpu) ? sharedKernels(B >= 16 ? 16 : 4, gates) : BLOCKED;
}

/** Makes the recurrent layers use these per-step kernels on this backend (benchmarks, tests). */
export function setStepKernels(gpu: WebGpuBackend, kernels: StepKernelPair | null): void {
  if (kernels) stepOverride.set(gpu, kernels);
  else stepOverride.delete(gpu);
}

export function recurrentConstants(cell: CellSpec, H: number): Record<string, number> {
  return { H, G: cell.gates, S: cell.saved, ACT: cell.activationCode ?? 1 };
}

/**
 * Which forward path to use for a shape and kernel family, by measurement on SwiftShader
 * (2 CPU cores; `npm run bench -- --profile --query "B=…&H=…&paths=step,sequence"`).
 * With the subgroup-shared step kernels the per-step path was as fast or faster for
 * every shape tried (B 1…32, H 32…512; e.g. B 8, H 64: 8 vs 17 ms forward). With the
 * register-blocked kernels the sequence path (one workgroup per batch row looping over
 * t) wins below B·H = 1024, where a step has too few invocations to fill both cores.
 */
export function chooseRecurrencePath(B: number, T: number, H: number, sharedKernels = false): 'step' | 'sequence' {
  void T;
  if (sharedKernels) return 'step';
  return B * H >= 1024 ? 'step' : 'sequence';
}

/** Every per-step kernel pair stepKernels can choose for a cell with `gates` gates (the WGSL compilation test builds them all). */
export function stepKernelChoices(gates: number): StepKernelPair[] {
  return [BLOCKED, sharedKernels(4, gates), sharedKernels(16, gates)];
}
