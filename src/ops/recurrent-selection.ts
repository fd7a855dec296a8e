// How the recurrent layers run on WebGPU: which per-step kernels (register-blocked, or
// subgroup-shared where subgroups are 4 wide; the workgroup-memory family of
// recurrent-kernels-any.ts for any subgroup size is offered to the tuner; overridable
// per backend for the tuner, benchmarks and tests) and which forward path (one dispatch
// per step, or one for the whole sequence).
import { fourWideSubgroups } from '../backend/subgroups.ts';
import type { WebGpuBackend } from '../backend/webgpu.ts';
import type { CellSpec } from './cells/cell.ts';
import { blockedStepKernels, sharedStepKernels, STEP_BLOCK, type StepKernel } from './recurrent-kernels.ts';
import { workgroupStepKernels } from './recurrent-kernels-any.ts';

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
/** Workgroup-memory kernels by rows per workgroup and gates, made on first use. */
const workgroupShared = new Map<string, StepKernelPair>();
function workgroupKernels(rows: 4 | 16, gates: number): StepKernelPair {
  const key = `${rows}/${gates}`;
  let k = workgroupShared.get(key);
  if (!k) workgroupShared.set(key, (k = workgroupStepKernels(rows, gates)));
  return k;
}
const stepOverride = new WeakMap<WebGpuBackend, StepKernelPair>();

/**
 * The per-step kernels used on this backend for a batch of B and a cell with `gates`
 * gates: the ones set by setStepKernels (the tuner, benchmarks, tests), else
 * subgroup-shared where subgroups are 4 wide (SwiftShader; 16 rows per invocation from
 * B = 16 on, else 4), else register-blocked. The workgroup-memory family is not the
 * default anywhere: it has only been measured on SwiftShader, where it is slower; on
 * other adapters the tuner picks it by measurement.
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

/** The families of per-step kernels: register-blocked, subgroup-shared (4-wide subgroups), workgroup-memory (any adapter). */
export type StepFamily = 'blocked' | 'subgroup' | 'workgroup';

/** Which family a kernel pair belongs to. */
export function stepFamily(pair: StepKernelPair): StepFamily {
  if (pair.forward.subgroups) return 'subgroup';
  return pair.forward.name.startsWith('fwdwg') ? 'workgroup' : 'blocked';
}

/**
 * Which forward path to use for a shape and the step-kernel family in use. Every
 * threshold here was measured on SwiftShader (2 CPU cores; `npm run bench -- --profile
 * --query "B=…&H=…&paths=step,sequence"`), the only adapter measured so far; on a real
 * GPU they are guesses.
 *   subgroup:  the per-step path was as fast or faster for every shape tried (B 1…32,
 *              H 32…512; e.g. B 8, H 64: 8 vs 17 ms forward).
 *   blocked:   the sequence path (one workgroup per batch row looping over t) wins below
 *              B·H = 1024, where a step has too few invocations to fill both cores.
 *   workgroup: the blocked threshold, unmeasured for this family (a step of it has B·H/4
 *              invocations in workgroups of 64, so it fills an adapter no sooner).
 */
export function chooseRecurrencePath(B: number, T: number, H: number, family: StepFamily | boolean): 'step' | 'sequence' {
  void T;
  // A boolean (bench/bench.ts) says whether the subgroup-shared family is in use.
  if (family === 'subgroup' || family === true) return 'step';
  return B * H >= 1024 ? 'step' : 'sequence';
}

/** Every per-step kernel pair stepKernels can choose for a cell with `gates` gates (the WGSL compilation test builds them all). */
export function stepKernelChoices(gates: number): StepKernelPair[] {
  return [BLOCKED, sharedKernels(4, gates), sharedKernels(16, gates), workgroupKernels(4, gates), workgroupKernels(16, gates)];
}

/**
 * The pairs the in-app tuner times. Where subgroups are 4 wide: the subgroup-shared
 * family and the register-blocked one (the workgroup-memory family was 10–25× slower on
 * SwiftShader for the canonical LSTM, and timing it would spend the tuning budget).
 * Elsewhere: register-blocked and workgroup-memory (the subgroup-shared kernels assume
 * 4-wide subgroups and would compute wrong results on wider ones).
 */
export function stepTuningCandidates(gates: number, fourWideSubgroups: boolean): StepKernelPair[] {
  return fourWideSubgroups ? [sharedKernels(4, gates), sharedKernels(16, gates), BLOCKED] : [BLOCKED, workgroupKernels(4, gates), workgroupKernels(16, gates)];
}
