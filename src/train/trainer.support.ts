// Trainer runs for the backend-parity tests: the same fresh model trained a few single
// steps on each backend, and the step statistics compared.
import { expect } from 'vitest';
import type { Backend } from '../backend/backend.ts';
import type { PreparedDataset } from '../data/types.ts';
import type { ModelConfig } from '../models/config.ts';
import type { TrainConfig } from './config.ts';
import { Trainer, type StepStats, type TrainerOptions } from './trainer.ts';

/**
 * Statistics of `steps` single steps of a fresh model on `backend`; `read` takes what else
 * the test needs from the trainer before it and its model are disposed.
 */
export async function stepStats<T = undefined>(
  backend: Backend,
  data: PreparedDataset,
  model: ModelConfig,
  config: TrainConfig,
  steps: number,
  o: { options?: TrainerOptions; read?: (t: Trainer) => Promise<T> } = {},
): Promise<{ stats: StepStats[]; read: T }> {
  const stats: StepStats[] = [];
  const t = new Trainer(backend, data, model, config, (e) => e.type === 'steps' && stats.push(...e.stats), o.options);
  try {
    for (let k = 0; k < steps; k++) await t.stepOnce();
    return { stats, read: (o.read ? await o.read(t) : undefined) as T };
  } finally {
    t.dispose();
    t.model.dispose();
  }
}

/**
 * The WebGPU steps equal the CPU's: as many, losses to 4 decimals, global gradient norms
 * to 1e-3 relative, and gradient norms over time (NaN where the CPU has NaN) to 1e-3.
 */
export function expectSameSteps(web: StepStats[], cpu: StepStats[], label: string): void {
  console.log(`${label}: losses cpu ${cpu.map((s) => s.loss.toFixed(5)).join(' ')} | webgpu ${web.map((s) => s.loss.toFixed(5)).join(' ')}`);
  expect(web).toHaveLength(cpu.length);
  web.forEach((s, k) => {
    expect(s.loss).toBeCloseTo(cpu[k].loss, 4);
    expect(Math.abs(s.gradNorm - cpu[k].gradNorm)).toBeLessThan(1e-3 * cpu[k].gradNorm + 1e-5);
    expect(s.timeNorms).toHaveLength(cpu[k].timeNorms.length);
    s.timeNorms.forEach((v, t) => {
      if (Number.isNaN(cpu[k].timeNorms[t])) expect(v).toBeNaN();
      else expect(Math.abs(v - cpu[k].timeNorms[t])).toBeLessThan(1e-3 * cpu[k].timeNorms[t] + 1e-5);
    });
  });
}
