// The distillation loss trains a student: a linear classifier learns a fixed two-layer
// teacher's decisions from the teacher's logits softened at T = 2 (α = 0.9), full batch,
// Adam, on the CPU backend. The loss falls and the student's agreement with the teacher's
// argmax reaches 90 % within 150 steps (measured: 43 % → 94 %).
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../backend/cpu.ts';
import { allocateParams, linear, linearSpecs } from '../models/params.ts';
import { createOptimizer } from '../optim/optimizer.ts';
import { Random } from '../random.ts';
import { scope } from '../tensor.ts';
import { distillationLoss } from './distill.ts';
import { backward, zeroGrad } from './grad.ts';

const N = 256;
const F = 6;
const C = 4;
const STEPS = 150;

function argmaxRows(z: ArrayLike<number>): number[] {
  return Array.from({ length: z.length / C }, (_, i) => {
    let best = 0;
    for (let c = 1; c < C; c++) if (z[i * C + c] > z[i * C + best]) best = c;
    return best;
  });
}

describe('distillation trains a student', () => {
  it(`a linear student reaches 90 % agreement with an MLP teacher within ${STEPS} steps`, async () => {
    const cpu = new CpuBackend();
    const rng = new Random(9);
    const xs = Float32Array.from({ length: N * F }, () => rng.uniform(-1, 1));
    // Teacher: z_t = 3 · W2 · tanh(W1 x + b1), fixed random weights.
    const w1 = Float32Array.from({ length: 16 * F }, () => rng.normal() * 0.6);
    const b1 = Float32Array.from({ length: 16 }, () => rng.normal() * 0.2);
    const w2 = Float32Array.from({ length: C * 16 }, () => rng.normal() * 0.5);
    const zt = new Float32Array(N * C);
    for (let i = 0; i < N; i++) {
      const h = Array.from({ length: 16 }, (_, j) => Math.tanh(b1[j] + Array.from({ length: F }, (_, k) => w1[j * F + k] * xs[i * F + k]).reduce((a, b) => a + b, 0)));
      for (let c = 0; c < C; c++) zt[i * C + c] = 3 * h.reduce((a, v, j) => a + w2[c * 16 + j] * v, 0);
    }
    const teacherClass = argmaxRows(zt);
    const x = cpu.fromArray(xs, [N, F], 'f32', 'x').keep();
    const teacher = cpu.fromArray(zt, [N, C], 'f32', 'teacher').keep();
    const labels = cpu.fromArray(teacherClass, [N], 'i32', 'labels').keep();
    const params = allocateParams(cpu, linearSpecs('student', F, C), 1);
    const weights = [params.get('student.weight'), params.get('student.bias')];
    const opt = createOptimizer(weights, { kind: 'adam', lr: 0.05 });
    const agreement = async () => {
      const z = await scope(() => linear(params, 'student', x).keep()).read();
      return argmaxRows(z).filter((c, i) => c === teacherClass[i]).length / N;
    };
    const before = await agreement();
    const losses: number[] = [];
    for (let step = 0; step < STEPS; step++) {
      const loss = scope(() => {
        const l = distillationLoss(linear(params, 'student', x), teacher, labels, 2, 0.9);
        backward(l);
        return l.keep();
      });
      losses.push((await loss.read())[0]);
      loss.dispose();
      opt.update(0.05);
      zeroGrad(weights);
    }
    const after = await agreement();
    console.log(`distillation: agreement ${before.toFixed(3)} → ${after.toFixed(3)}, loss ${losses[0].toFixed(3)} → ${losses[STEPS - 1].toFixed(3)}`);
    expect(before).toBeLessThan(0.6);
    expect(after).toBeGreaterThanOrEqual(0.9);
    expect(losses[STEPS - 1]).toBeLessThan(0.5 * losses[0]);
  });
});
