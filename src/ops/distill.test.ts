// The distillation loss against PyTorch (float64 fixtures from
// scripts/make_distill_fixtures.py: F.kl_div(log_softmax(z_s/T), softmax(z_t/T),
// reduction="batchmean") · T² · α + (1 − α) · F.cross_entropy) on the f64 CPU backend:
// the loss and its gradient with respect to the student logits.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../backend/cpu.ts';
import { allclose } from '../autograd/gradcheck.ts';
import { distillationLoss } from './distill.ts';
import { backward } from './grad.ts';

interface DistillFixture {
  name: string;
  temperature: number;
  alpha: number;
  shape: [number, number];
  student: number[];
  teacher: number[];
  labels: number[];
  loss: number;
  grad: number[];
}

const fixtures = (JSON.parse(readFileSync(new URL('./fixtures/distill.json', import.meta.url), 'utf8')) as { cases: DistillFixture[] }).cases;

describe('distillation loss matches PyTorch (CPU f64)', () => {
  const cpu = new CpuBackend({ precision: 'f64' });
  it('has cases', () => expect(fixtures.length).toBeGreaterThanOrEqual(4));
  for (const f of fixtures) {
    it(f.name, async () => {
      const s = cpu.fromArray(f.student, f.shape, 'f32', 'student');
      s.requiresGrad = true;
      const t = cpu.fromArray(f.teacher, f.shape, 'f32', 'teacher');
      const y = cpu.fromArray(f.labels, [f.shape[0]], 'i32', 'labels');
      const loss = distillationLoss(s, t, y, f.temperature, f.alpha);
      backward(loss);
      const reports = [allclose(await loss.read(), [f.loss], 1e-10, 1e-10, `${f.name} loss`), allclose(await s.grad!.read(), f.grad, 1e-10, 1e-10, `${f.name} d student`)];
      for (const r of reports) expect(r.ok, r.message).toBe(true);
    });
  }
  it('rejects α outside [0, 1] and T ≤ 0', () => {
    const s = cpu.fromArray([0, 1], [1, 2], 'f32', 's');
    const y = cpu.fromArray([0], [1], 'i32', 'y');
    expect(() => distillationLoss(s, s, y, 2, 1.5)).toThrow(/α = 1.5 must be from 0 to 1/);
    expect(() => distillationLoss(s, s, y, 0, 0.5)).toThrow(/temperature 0 must be above 0/);
  });
});
