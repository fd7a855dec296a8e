// Which backend trains a model faster on a fallback adapter (`isFallbackAdapter`, e.g.
// SwiftShader, a software rasteriser): a few training steps of the user's model, built
// afresh from its config, on the WebGPU backend and on the CPU backend (one warm-up step
// each, then up to three timed ones within a time allowance), compared by median ms per
// step. The result is cached per model shape, adapter and browser in the page's
// localStorage (under the tuning prefix, so it travels to the worker with the tuning
// entries).
import type { Backend } from '../backend/backend.ts';
import { hashBytes } from '../data/hash.ts';
import type { AdapterIdentity } from '../ops/tuning-cache.ts';
import { TUNING_KEY_PREFIX } from '../ops/tuning-cache.ts';
import type { PreparedDataset } from '../data/types.ts';
import type { ModelConfig } from '../models/config.ts';
import type { TrainConfig } from './config.ts';
import { Trainer } from './trainer.ts';

export interface BackendComparison {
  webgpuMs: number;
  cpuMs: number;
  /** Timed steps per backend (after the warm-up). */
  webgpuSteps: number;
  cpuSteps: number;
  faster: 'webgpu' | 'cpu';
  /** The adapter's description, for the sentence shown ("SwiftShader Device (Subzero)"). */
  adapter: string;
  userAgent: string;
}

/** Time allowance of the timed steps per backend, ms (at least one step is timed). */
export const RACE_MS_PER_BACKEND = 3000;

/** localStorage key of a comparison: adapter and model shape (model config, batch size, text length). */
export function comparisonKey(adapter: AdapterIdentity, model: ModelConfig, train: TrainConfig, dataset: Pick<PreparedDataset, 'maxLength' | 'imageSize'>): string {
  const shape = JSON.stringify({ model, batch: train.batchSize, maxLength: dataset.maxLength, imageSize: dataset.imageSize });
  return `${TUNING_KEY_PREFIX}backend|${adapter.vendor}|${adapter.architecture}|${adapter.device}|${adapter.description}|${hashBytes(new TextEncoder().encode(shape))}`;
}

/** A cached comparison, or null when missing, corrupt or from another browser version. */
export function readComparison(raw: string | undefined, userAgent: string): BackendComparison | null {
  if (!raw) return null;
  try {
    const v = JSON.parse(raw) as Partial<BackendComparison>;
    if (v.userAgent !== userAgent || !(Number(v.webgpuMs) > 0) || !(Number(v.cpuMs) > 0) || (v.faster !== 'webgpu' && v.faster !== 'cpu')) return null;
    return v as BackendComparison;
  } catch {
    return null;
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Median ms per training step of a fresh model on `backend`. */
async function msPerStep(backend: Backend, dataset: PreparedDataset, model: ModelConfig, train: TrainConfig, features: Float32Array | undefined): Promise<{ ms: number; steps: number }> {
  const trainer = new Trainer(backend, dataset, model, train, () => {}, { features });
  try {
    await trainer.stepOnce(); // warm-up: compiles the GPU pipelines
    const times: number[] = [];
    const start = performance.now();
    while (times.length < 3 && (times.length === 0 || performance.now() - start < RACE_MS_PER_BACKEND)) {
      const t0 = performance.now();
      await trainer.stepOnce();
      times.push(performance.now() - t0);
    }
    return { ms: median(times), steps: times.length };
  } finally {
    trainer.dispose();
    trainer.model.dispose();
  }
}

/** Times the model on both backends. */
export async function compareBackends(
  gpu: Backend,
  cpu: Backend,
  adapter: string,
  userAgent: string,
  m: { dataset: PreparedDataset; model: ModelConfig; train: TrainConfig; features?: Float32Array },
): Promise<BackendComparison> {
  const g = await msPerStep(gpu, m.dataset, m.model, m.train, m.features);
  const c = await msPerStep(cpu, m.dataset, m.model, m.train, m.features);
  return { webgpuMs: g.ms, cpuMs: c.ms, webgpuSteps: g.steps, cpuSteps: c.steps, faster: c.ms < g.ms ? 'cpu' : 'webgpu', adapter, userAgent };
}

/** The sentence shown in the badge and the Performance section. */
export function comparisonText(c: BackendComparison): string {
  const gpu = `on the fallback GPU (${c.adapter})`;
  return c.faster === 'cpu'
    ? `CPU is faster for this model: ${c.cpuMs.toFixed(0)} ms/step vs ${c.webgpuMs.toFixed(0)} ms/step ${gpu}`
    : `WebGPU is faster for this model: ${c.webgpuMs.toFixed(0)} ms/step ${gpu} vs ${c.cpuMs.toFixed(0)} ms/step on the CPU`;
}
