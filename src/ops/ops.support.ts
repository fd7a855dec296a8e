// Shared machinery for op tests: a case describes inputs and a function of tensors;
// the suite checks float64 finite-difference gradients on the CPU and compares any
// backend (CPU f32, WebGPU) with the float64 CPU reference, forward and backward.
// Cases live beside their ops in `src/ops/<op>.support.ts` and are collected by glob.
import { CpuBackend } from '../backend/cpu.ts';
import type { Backend } from '../backend/backend.ts';
import { backward } from './grad.ts';
import { allclose, gradcheck, TOLERANCES, type CloseReport } from '../autograd/gradcheck.ts';
import { scope, type HostArray, type Tensor } from '../tensor.ts';
import { add as addScalar, mul } from './elementwise.ts';
import { sum } from './reduce.ts';
import type { OpName } from './index.ts';

export interface CaseInput {
  shape: number[];
  dtype?: 'f32' | 'i32';
  /** Values; default: seeded uniform in [-1, 1) (i32 inputs need explicit data). */
  data?: number[];
  /** Whether to check the gradient of this input (default true for f32). */
  grad?: boolean;
}

export interface OpCase {
  /** Ops this case exercises (every op in the table must appear in some case). */
  ops: OpName[];
  name: string;
  inputs: CaseInput[];
  /** Builds outputs from input tensors; returns one tensor or several. */
  run: (inputs: Tensor[]) => Tensor | Tensor[];
  /** Skip the finite-difference check (e.g. kinks like relu at 0 are avoided by data instead). */
  skipGradcheck?: boolean;
  /** Override tolerances for the backend comparison. */
  tolerance?: { atol: number; rtol: number };
}

/** Deterministic uniform values in [lo, hi). */
export function seededValues(n: number, seed: number, lo = -1, hi = 1): number[] {
  let s = seed >>> 0 || 1;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    out.push(lo + ((s >>> 0) / 4294967296) * (hi - lo));
  }
  return out;
}

function materialize(c: OpCase): { data: number[]; shape: number[]; dtype: 'f32' | 'i32'; grad: boolean }[] {
  return c.inputs.map((inp, k) => {
    const n = inp.shape.reduce((a, b) => a * b, 1);
    const dtype = inp.dtype ?? 'f32';
    const data = inp.data ?? seededValues(n, 1234 + 97 * k + c.name.length);
    return { data, shape: inp.shape, dtype, grad: dtype === 'f32' && inp.grad !== false };
  });
}

/** Scalar loss Σ w ⊙ out over all outputs with fixed pseudo-random weights. */
function weightedLoss(outs: Tensor[]): Tensor {
  let total: Tensor | null = null;
  outs.forEach((o, k) => {
    if (o.dtype !== 'f32') return;
    const w = o.backend.fromArray(seededValues(o.size, 777 + k, 0.5, 1.5), o.shape, 'f32', 'loss.weights');
    const s = sum(mul(o, w));
    total = total ? addScalar(total, s) : s;
  });
  if (!total) throw new Error('case has no float outputs');
  return total;
}


export interface BackendResult {
  outputs: HostArray[];
  grads: (HostArray | null)[];
}

/** Runs a case forward and backward on a backend; returns host copies. */
export async function runCase(c: OpCase, backend: Backend): Promise<BackendResult> {
  const inputs = materialize(c);
  const pending = scope(() => {
    const ts = inputs.map((inp, k) => {
      const t = backend.fromArray(inp.data, inp.shape, inp.dtype, `input${k}`);
      if (inp.grad) t.requiresGrad = true;
      return t;
    });
    const result = c.run(ts);
    const outs = Array.isArray(result) ? result : [result];
    const loss = weightedLoss(outs);
    backward(loss);
    const reads = outs.map((o) => o.read());
    const gradReads = ts.map((t) => (t.grad ? t.grad.read() : null));
    backend.flush();
    return { reads, gradReads };
  });
  return {
    outputs: await Promise.all(pending.reads),
    grads: await Promise.all(pending.gradReads.map((p) => p ?? Promise.resolve(null))),
  };
}

/** Compares a backend's results with the float64 CPU reference. */
export async function compareWithReference(c: OpCase, backend: Backend): Promise<CloseReport[]> {
  const reference = await runCase(c, new CpuBackend({ precision: 'f64' }));
  const actual = await runCase(c, backend);
  const tol = c.tolerance ?? TOLERANCES.gpuVsCpu;
  const reports: CloseReport[] = [];
  reference.outputs.forEach((r, k) => reports.push(allclose(actual.outputs[k], r, tol.atol, tol.rtol, `${c.name} output ${k}`)));
  reference.grads.forEach((r, k) => {
    if (!r) return;
    const a = actual.grads[k];
    if (!a) reports.push({ ok: false, maxAbs: Infinity, maxRel: Infinity, worstIndex: -1, message: `${c.name}: no gradient for input ${k}` });
    else reports.push(allclose(a, r, tol.atol, tol.rtol, `${c.name} grad ${k}`));
  });
  return reports;
}

/** Finite-difference check of a case on the f64 CPU reference. */
export function gradcheckCase(c: OpCase): CloseReport[] {
  const inputs = materialize(c);
  const result = gradcheck((ts) => {
    const r = c.run(ts);
    return weightedLoss(Array.isArray(r) ? r : [r]);
  }, inputs);
  return result.reports;
}

/** Every case from `src/ops/<op>.support.ts` (this file and the parity helpers hold none). */
export function allCases(): OpCase[] {
  const modules = import.meta.glob<{ cases: OpCase[] }>(['./*.support.ts', '!./ops.support.ts', '!./*-parity.support.ts'], { eager: true });
  return Object.values(modules).flatMap((m) => m.cases);
}

export { TOLERANCES };
