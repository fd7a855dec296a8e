// Gradient checks: float64 central differences on the CPU reference, and allclose
// for comparing backends. Tolerances are the caller's; see TOLERANCES for defaults.
import { CpuBackend } from '../backend/cpu.ts';
import { backward } from './tape.ts';
import { scope, type Tensor } from '../tensor.ts';

/** f32 tolerances for GPU vs CPU comparisons and f64 tolerances for finite differences. */
export const TOLERANCES = {
  /** GPU (f32, different summation order) vs CPU reference (f32). */
  gpuVsCpu: { atol: 1e-5, rtol: 1e-4 },
  /** Analytic vs central-difference gradients in float64, eps = 1e-6. */
  finiteDifference: { atol: 1e-7, rtol: 1e-5, eps: 1e-6 },
} as const;

export interface CloseReport {
  ok: boolean;
  maxAbs: number;
  maxRel: number;
  worstIndex: number;
  message: string;
}

/** |a − b| ≤ atol + rtol·|b| elementwise (b is the reference). */
export function allclose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  atol: number,
  rtol: number,
  what = 'values',
): CloseReport {
  if (actual.length !== expected.length) {
    return { ok: false, maxAbs: Infinity, maxRel: Infinity, worstIndex: -1, message: `${what}: length ${actual.length} vs ${expected.length}` };
  }
  let ok = true;
  let maxAbs = 0;
  let maxRel = 0;
  let worstIndex = -1;
  let worstExcess = -Infinity;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i];
    const e = expected[i];
    const d = Math.abs(a - e);
    if (!(d <= atol + rtol * Math.abs(e))) ok = false;
    if (Number.isNaN(d)) ok = false;
    const excess = Number.isNaN(d) ? Infinity : d - (atol + rtol * Math.abs(e));
    if (excess > worstExcess) {
      worstExcess = excess;
      worstIndex = i;
    }
    if (d > maxAbs || Number.isNaN(d)) maxAbs = Number.isNaN(d) ? NaN : d;
    const rel = d / Math.max(Math.abs(e), 1e-12);
    if (rel > maxRel) maxRel = rel;
  }
  const message = ok
    ? `${what}: ok (max abs ${maxAbs.toExponential(2)})`
    : `${what}: mismatch at ${worstIndex}: ${actual[worstIndex]} vs ${expected[worstIndex]} (max abs ${maxAbs}, atol ${atol}, rtol ${rtol})`;
  return { ok, maxAbs, maxRel, worstIndex, message };
}

export interface GradcheckResult {
  ok: boolean;
  reports: CloseReport[];
}

/**
 * Checks the gradients of `f` with respect to each float input by float64 central
 * differences. `f` builds a scalar from tensors on the given f64 CPU backend.
 * Inputs are given as host arrays with shapes; integer inputs (labels) are held fixed.
 */
export function gradcheck(
  f: (inputs: Tensor[], backend: CpuBackend) => Tensor,
  inputs: { data: ArrayLike<number>; shape: readonly number[]; dtype?: 'f32' | 'i32'; grad?: boolean }[],
  tol: { atol: number; rtol: number; eps: number } = TOLERANCES.finiteDifference,
): GradcheckResult {
  const backend = new CpuBackend({ precision: 'f64' });
  const values = inputs.map((i) => Float64Array.from(i.data));
  const evaluate = (): number =>
    scope(() => {
      const ts = inputs.map((inp, k) => backend.fromArray(values[k], inp.shape, inp.dtype ?? 'f32', `input${k}`));
      const out = f(ts, backend);
      if (out.size !== 1) throw new Error(`gradcheck: f must return a scalar, got [${out.shape.join(', ')}]`);
      return backend.data(out)[0];
    });

  const analytic: Float64Array[] = scope(() => {
    const ts = inputs.map((inp, k) => {
      const t = backend.fromArray(values[k], inp.shape, inp.dtype ?? 'f32', `input${k}`);
      if ((inp.dtype ?? 'f32') === 'f32' && inp.grad !== false) t.requiresGrad = true;
      return t;
    });
    const out = f(ts, backend);
    backwardOnHost(backend, out);
    return ts.map((t) => (t.grad ? Float64Array.from(backend.data(t.grad)) : new Float64Array(t.size)));
  });

  const reports: CloseReport[] = [];
  inputs.forEach((inp, k) => {
    if ((inp.dtype ?? 'f32') !== 'f32' || inp.grad === false) return;
    const numeric = new Float64Array(values[k].length);
    for (let i = 0; i < values[k].length; i++) {
      const orig = values[k][i];
      values[k][i] = orig + tol.eps;
      const up = evaluate();
      values[k][i] = orig - tol.eps;
      const down = evaluate();
      values[k][i] = orig;
      numeric[i] = (up - down) / (2 * tol.eps);
    }
    reports.push(allclose(analytic[k], numeric, tol.atol, tol.rtol, `d/d input${k}`));
  });
  return { ok: reports.every((r) => r.ok), reports };
}

/**
 * The tape's backward with gradients accumulated by float64 host arithmetic on the CPU
 * backend (the same sums the add op's reference makes), so that the check depends on
 * no op but the ones `f` uses.
 */
function backwardOnHost(backend: CpuBackend, loss: Tensor): void {
  const hostCopy = (t: Tensor, values: ArrayLike<number>, label: string) => backend.fromArray(values, t.shape, 'f32', label);
  backward(loss, {
    add: (a, b) => {
      const x = backend.data(a);
      const y = backend.data(b);
      return hostCopy(a, Float64Array.from(x, (v, i) => v + y[i]), 'grad.sum');
    },
    copy: (t) => hostCopy(t, backend.data(t), 'grad.copy'),
    ones: (like) => backend.full(like.shape, 1, 'f32', 'grad.seed'),
  });
}
