// Runs the torch.optim golden fixtures (src/optim/fixtures/*.json, made by
// scripts/make_optim_fixtures.py) on a backend: the given gradients, learning rates
// and gradient scales step by step, comparing the parameters after every step and the
// final named state with torch's float64 values.
import type { Backend } from '../backend/backend.ts';
import { allclose, type CloseReport } from '../autograd/gradcheck.ts';
import type { Tensor } from '../tensor.ts';
import { createOptimizer, type Optimizer, type OptimizerConfig } from './optimizer.ts';

export interface OptimFixture {
  name: string;
  config: OptimizerConfig;
  shapes: number[][];
  initial: number[][];
  steps: { lr: number; scale: number | null; grads: (number[] | null)[]; params: number[][] }[];
  state: Record<string, number[]>;
}

export function optimFixtures(): OptimFixture[] {
  const files = import.meta.glob<{ default: OptimFixture }>('./fixtures/*.json', { eager: true });
  return Object.values(files).map((m) => m.default);
}

/** Applies fixture steps [from, to) to params through opt; one report per parameter per step. */
async function applySteps(backend: Backend, f: OptimFixture, opt: Optimizer, params: Tensor[], from: number, to: number, tol: { atol: number; rtol: number }): Promise<CloseReport[]> {
  const reports: CloseReport[] = [];
  for (let k = from; k < to; k++) {
    const step = f.steps[k];
    params.forEach((p, i) => {
      p.grad?.dispose();
      const g = step.grads[i];
      p.grad = g ? backend.fromArray(g, p.shape, 'f32', `grad${i}`) : null;
    });
    const scale = step.scale === null ? undefined : backend.fromArray([step.scale], [1], 'f32', 'gradScale');
    opt.update(step.lr, scale);
    const values = await Promise.all(params.map((p) => p.read()));
    scale?.dispose();
    values.forEach((v, i) => reports.push(allclose(v, step.params[i], tol.atol, tol.rtol, `${f.name} step ${k + 1} param ${i}`)));
  }
  return reports;
}

function makeParams(backend: Backend, f: OptimFixture, values: number[][] = f.initial): Tensor[] {
  return f.shapes.map((shape, i) => backend.fromArray(values[i], shape, 'f32', `param${i}`).param());
}

/** Every step of a fixture, then the state names and values. */
export async function checkOptimFixture(backend: Backend, f: OptimFixture, tol: { atol: number; rtol: number }): Promise<CloseReport[]> {
  const params = makeParams(backend, f);
  const opt = createOptimizer(params, f.config);
  const reports = await applySteps(backend, f, opt, params, 0, f.steps.length, tol);
  const state = opt.state();
  const names = Object.keys(state.tensors).sort();
  const expected = Object.keys(f.state).sort();
  reports.push({
    ok: names.join() === expected.join() && state.step === f.steps.length,
    maxAbs: 0,
    maxRel: 0,
    worstIndex: -1,
    message: `${f.name} state: names [${names.join(', ')}] step ${state.step}, torch [${expected.join(', ')}] step ${f.steps.length}`,
  });
  for (const name of expected) {
    if (state.tensors[name]) reports.push(allclose(await state.tensors[name].read(), f.state[name], tol.atol, tol.rtol, `${f.name} state ${name}`));
  }
  for (const p of params) {
    p.grad?.dispose();
    p.dispose();
  }
  for (const t of Object.values(state.tensors)) t.dispose();
  return reports;
}

/** Two steps, a checkpoint (state() read back), a fresh optimizer restored with loadState, two more steps. */
export async function checkOptimResume(backend: Backend, f: OptimFixture, tol: { atol: number; rtol: number }): Promise<CloseReport[]> {
  const first = makeParams(backend, f);
  const opt = createOptimizer(first, f.config);
  const reports = await applySteps(backend, f, opt, first, 0, 2, tol);
  const saved = opt.state();
  const tensors: Record<string, Float32Array> = {};
  for (const [name, t] of Object.entries(saved.tensors)) tensors[name] = Float32Array.from(await t.read());
  const values = await Promise.all(first.map(async (p) => Array.from(await p.read())));
  const params = makeParams(backend, f, values);
  const resumed = createOptimizer(params, f.config);
  resumed.loadState(saved.step, tensors);
  reports.push(...(await applySteps(backend, f, resumed, params, 2, f.steps.length, tol)));
  return reports;
}
