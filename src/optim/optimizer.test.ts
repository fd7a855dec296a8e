// Optimizers on the CPU against torch.optim golden values (every kind and option),
// checkpoint resume, and the configuration errors.
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../backend/cpu.ts';
import { TOLERANCES } from '../autograd/gradcheck.ts';
import { checkOptimFixture, checkOptimResume, optimFixtures } from './optim.support.ts';
import { createOptimizer } from './optimizer.ts';

const fixtures = optimFixtures();

describe('optimizers match torch.optim on the CPU (f64, 1e-12)', () => {
  it('has fixtures for every kind', () => {
    expect(new Set(fixtures.map((f) => f.config.kind))).toEqual(new Set(['sgd', 'rmsprop', 'adam', 'adamw']));
  });
  for (const f of fixtures) {
    it(f.name, async () => {
      const reports = await checkOptimFixture(new CpuBackend({ precision: 'f64' }), f, { atol: 1e-12, rtol: 1e-12 });
      for (const r of reports) expect(r.ok, r.message).toBe(true);
    });
  }
});

describe('optimizers match torch.optim on the CPU (f32)', () => {
  for (const f of fixtures) {
    it(f.name, async () => {
      const reports = await checkOptimFixture(new CpuBackend(), f, TOLERANCES.gpuVsCpu);
      for (const r of reports) expect(r.ok, r.message).toBe(true);
    });
  }
});

describe('checkpoint: state() then loadState() resumes exactly', () => {
  for (const f of fixtures.filter((x) => !x.name.includes('skipped'))) {
    it(f.name, async () => {
      const reports = await checkOptimResume(new CpuBackend({ precision: 'f64' }), f, { atol: 1e-6, rtol: 1e-6 });
      for (const r of reports) expect(r.ok, r.message).toBe(true);
    });
  }
});

describe('optimizer configuration', () => {
  const cpu = new CpuBackend();
  it('rejects torch-invalid options, naming the optimizer', () => {
    const p = [cpu.zeros([2]).param()];
    expect(() => createOptimizer(p, { kind: 'sgd', lr: 0.1, nesterov: true })).toThrow(/optimizer sgd: nesterov needs momentum > 0 and dampening 0/);
    expect(() => createOptimizer(p, { kind: 'adam', lr: 0.1, beta2: 1 })).toThrow(/optimizer adam: beta2 must be in \[0, 1\)/);
    expect(() => createOptimizer(p, { kind: 'rmsprop', lr: -1 })).toThrow(/optimizer rmsprop: lr must be a finite number ≥ 0/);
    expect(() => createOptimizer([cpu.zeros([2], 'i32')], { kind: 'sgd', lr: 0.1 })).toThrow(/is i32, not f32/);
  });
  it('loadState rejects unknown names and wrong sizes', () => {
    const opt = createOptimizer([cpu.zeros([2]).param()], { kind: 'adam', lr: 0.1 });
    expect(() => opt.loadState(1, { 'param0.momentum_buffer': new Float32Array(2) })).toThrow(/unknown state "param0.momentum_buffer"/);
    expect(() => opt.loadState(1, { 'param0.exp_avg': new Float32Array(3), 'param0.exp_avg_sq': new Float32Array(3) })).toThrow(/state "param0.exp_avg" has 3 values, "zeros" has 2/);
  });
  it('skips parameters without a gradient and leaves them unchanged', async () => {
    const a = cpu.fromArray([1, 2], [2]).param();
    const b = cpu.fromArray([3, 4], [2]).param();
    const opt = createOptimizer([a, b], { kind: 'sgd', lr: 0.5 });
    a.grad = cpu.fromArray([1, -1], [2]);
    opt.update(0.5);
    expect(Array.from(await a.read())).toEqual([0.5, 2.5]);
    expect(Array.from(await b.read())).toEqual([3, 4]);
    expect(opt.step).toBe(1);
  });
});

describe('dispose', () => {
  it('frees the state tensors and keeps the parameters', async () => {
    const cpu = new CpuBackend();
    const p = cpu.fromArray([1, 2, 3], [3]).param();
    const opt = createOptimizer([p], { kind: 'adam', lr: 0.1 });
    p.grad = cpu.fromArray([0.5, -0.5, 1], [3]).keep();
    opt.update(0.1);
    const state = Object.values(opt.state().tensors);
    expect(state.length).toBe(2); // Adam's exp_avg and exp_avg_sq
    opt.dispose();
    for (const t of state) expect(t.disposed).toBe(true);
    expect(Object.keys(opt.state().tensors)).toEqual([]);
    expect(p.disposed).toBe(false);
    // An update after dispose starts from fresh (zero) moments: a first Adam step moves each
    // weight by lr against its gradient's sign (continued moments would not, for this gradient).
    p.grad = cpu.fromArray([-2, 0.25, 1], [3]).keep();
    opt.update(0.1);
    const w = await p.read();
    expect(Array.from(w).map((v) => Number(v.toFixed(4)))).toEqual([1, 2, 2.8]);
  });
});
