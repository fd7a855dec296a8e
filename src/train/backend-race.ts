// Which backend trains a model faster on a fallback adapter (`isFallbackAdapter`, e.g.
// SwiftShader, a software rasteriser): the user's model, built afresh from its config,
// trained for a moment on the WebGPU backend and on the CPU backend by the trainer's own
// run loop (statistics read back as configured), compared by ms per step. Timing bare
// single steps instead misjudged small models: a single step waits for the device, the
// run loop keeps two steps in flight. The result is cached per model shape, adapter and browser in the page's
// localStorage (under the tuning prefix, so it travels to the worker with the tuning
// entries).
import type { Backend } from '../backend/backend.ts';
import { hashBytes } from '../data/hash.ts';
import type { AdapterIdentity } from '../ops/tuning-cache.ts';
import { TUNING_KEY_PREFIX } from '../ops/tuning-cache.ts';
import type { PreparedDataset } from '../data/types.ts';
import type { ModelConfig } from '../models/config.ts';
import type { TrainConfig } from './config.ts';
import { Trainer, type TrainerEvent } from './trainer.ts';

export interface BackendComparison {
  webgpuMs: number;
  cpuMs: number;
  /** Timed steps per backend (after the warm-up). */
  webgpuSteps: number;
  cpuSteps: number;
  faster: 'webgpu' | 'cpu';
  /** The adapter's description, for the sentence shown ("SwiftShader Device (Subzero)"). */
  adapter: string;
  /** The CPU backend's description ("CPU (WebAssembly SIMD, 1 thread)"): a comparison holds only for that engine. */
  cpu: string;
  userAgent: string;
}

/** Time allowance of the timed steps per backend, ms (at least one step is timed). */
export const RACE_MS_PER_BACKEND = 3000;

/** localStorage key of a comparison: adapter and model shape (model config, batch size, readback interval, text length). */
export function comparisonKey(adapter: AdapterIdentity, model: ModelConfig, train: TrainConfig, dataset: Pick<PreparedDataset, 'maxLength' | 'imageSize'>): string {
  const shape = JSON.stringify({ model, batch: train.batchSize, readback: train.readbackEvery, maxLength: dataset.maxLength, imageSize: dataset.imageSize });
  return `${TUNING_KEY_PREFIX}backend|${adapter.vendor}|${adapter.architecture}|${adapter.device}|${adapter.description}|${hashBytes(new TextEncoder().encode(shape))}`;
}

/**
 * A cached comparison, or null when missing, corrupt, from another browser version, or (when
 * `cpu` is given) timed on another CPU engine (e.g. one thread where there are now more).
 */
export function readComparison(raw: string | undefined, userAgent: string, cpu?: string): BackendComparison | null {
  if (!raw) return null;
  try {
    const v = JSON.parse(raw) as Partial<BackendComparison>;
    if (v.userAgent !== userAgent || !(Number(v.webgpuMs) > 0) || !(Number(v.cpuMs) > 0) || (v.faster !== 'webgpu' && v.faster !== 'cpu')) return null;
    if (typeof v.cpu !== 'string' || (cpu !== undefined && v.cpu !== cpu)) return null;
    return v as BackendComparison;
  } catch {
    return null;
  }
}

/** Least time the run loop is timed per backend (ms), once at least MIN_TIMED_STEPS are done. */
export const RACE_MIN_MS = 400;
/** Steps timed at least (unless RACE_MS_PER_BACKEND runs out first). */
const MIN_TIMED_STEPS = 3;

/**
 * Ms per training step of a fresh model on `backend`, timed as the run will train: one
 * warm-up step (it compiles the GPU pipelines), then the trainer's own run loop — with its
 * statistics read back every `readbackEvery` steps, its host copies and any epoch end that
 * falls in the timed steps — until at least MIN_TIMED_STEPS steps and RACE_MIN_MS have
 * passed, or RACE_MS_PER_BACKEND. The clock stops when the loop has wound down and the
 * last step's statistics are read, so work still queued on the device is counted.
 */
async function msPerStep(backend: Backend, dataset: PreparedDataset, model: ModelConfig, train: TrainConfig, features: Float32Array | undefined): Promise<{ ms: number; steps: number }> {
  let t0 = 0;
  let first = -1;
  let last = -1;
  let trainer: Trainer | null = null;
  const onEvent = (e: TrainerEvent) => {
    if (e.type !== 'progress' || first < 0 || !trainer) return;
    last = e.step;
    const elapsed = performance.now() - t0;
    if ((last - first >= MIN_TIMED_STEPS && elapsed >= RACE_MIN_MS) || elapsed >= RACE_MS_PER_BACKEND) trainer.pause();
  };
  trainer = new Trainer(backend, dataset, model, { ...train, epochs: Math.max(train.epochs, 1000) }, onEvent, { features });
  try {
    await trainer.stepOnce();
    first = last = trainer.step;
    t0 = performance.now();
    await trainer.start();
    await trainer.flushStats();
    const steps = last - first;
    if (steps < 1) throw new Error(`the timed run on the ${backend.kind} backend took no step`);
    return { ms: (performance.now() - t0) / steps, steps };
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
  return { webgpuMs: g.ms, cpuMs: c.ms, webgpuSteps: g.steps, cpuSteps: c.steps, faster: c.ms < g.ms ? 'cpu' : 'webgpu', adapter, cpu: cpu.description, userAgent };
}

/** The sentence shown in the badge and the Performance section. */
export function comparisonText(c: BackendComparison): string {
  const gpu = `on the fallback GPU (${c.adapter})`;
  return c.faster === 'cpu'
    ? `${c.cpu} is faster for this model: ${c.cpuMs.toFixed(0)} ms/step vs ${c.webgpuMs.toFixed(0)} ms/step ${gpu}`
    : `WebGPU is faster for this model: ${c.webgpuMs.toFixed(0)} ms/step ${gpu} vs ${c.cpuMs.toFixed(0)} ms/step on the ${c.cpu}`;
}
