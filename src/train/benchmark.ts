// The benchmark any user can run (the `?bench` page): training steps and forward passes
// of the canonical recurrent classifier
//   x [B, T, I] → one recurrent layer (LSTM | GRU, H) → h_T → Linear(10) → softmax cross-entropy → Adam
// on a GateScope backend: two warm-up steps (the first compiles), then `steps` timed
// ones with the GPU work awaited; the median. Results are collected as JSON from real
// GPUs (see README, "Benchmark your GPU").
import type { Backend } from '../backend/backend.ts';
import type { AdapterSummary } from '../gpu/device.ts';
import { noGrad } from '../autograd/tape.ts';
import { scope, type Tensor } from '../tensor.ts';
import { backward, zeroGrad } from '../ops/grad.ts';
import { matmul } from '../ops/matmul.ts';
import { initRecurrentParams, recurrent, type RecurrentConfig } from '../ops/recurrent.ts';
import { softmaxCrossEntropy } from '../ops/loss.ts';
import { Adam } from '../optim/adam.ts';
import { Random } from '../random.ts';

export interface BenchConfig {
  name: string;
  cell: 'lstm' | 'gru';
  B: number;
  T: number;
  I: number;
  H: number;
}

/** What every user runs by default: the configs of `npm run bench`'s canonical rows. */
export const CANONICAL_BENCH: BenchConfig[] = [
  { name: 'canonical', cell: 'lstm', B: 32, T: 32, I: 64, H: 128 },
  { name: 'canonical', cell: 'gru', B: 32, T: 32, I: 64, H: 128 },
];

/** A small version for tests (`?bench=quick`): results say "reduced". */
export const REDUCED_BENCH: BenchConfig[] = [
  { name: 'reduced', cell: 'lstm', B: 8, T: 8, I: 16, H: 32 },
  { name: 'reduced', cell: 'gru', B: 8, T: 8, I: 16, H: 32 },
];

/** Timed steps per measurement (after two warm-up steps): canonical, reduced. */
export const BENCH_STEPS = { canonical: 10, reduced: 3 } as const;

export interface BenchTiming {
  /** Median ms of one training step (forward, backward, Adam) / forward pass. */
  trainMs: number;
  forwardMs: number;
  /** Timed steps of each kind. */
  steps: number;
  /** Training FLOPs per step / median step time. */
  gflops: number;
}

/**
 * Training FLOPs a step computes, with G gates (LSTM 4, GRU 3): the forward products
 * X·W_ihᵀ and h·W_hhᵀ (2·B·T·G·H·(I+H)), and in backward dW_ih, dW_hh and dh (another
 * 2·B·T·G·H each of I, H and H). The input is a leaf, so dX is not computed and not
 * counted: 2·G·B·T·H·(2I + 3H).
 */
export const benchFlops = (c: BenchConfig) => 2 * (c.cell === 'lstm' ? 4 : 3) * c.B * c.T * c.H * (2 * c.I + 3 * c.H);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function timeSteps(step: () => Promise<void>, steps: number): Promise<number> {
  for (let i = 0; i < 2; i++) await step();
  const times: number[] = [];
  for (let i = 0; i < steps; i++) {
    const t0 = performance.now();
    await step();
    times.push(performance.now() - t0);
  }
  return median(times);
}

/** The benchmark's input and labels for config `c` (seeded; TF.js in `npm run bench` uses the same). */
export function benchData(c: BenchConfig): { x: Float32Array; y: Int32Array } {
  const data = new Random(7);
  const x = Float32Array.from({ length: c.B * c.T * c.I }, () => data.uniform(-1, 1));
  const y = Int32Array.from({ length: c.B }, () => data.int(10));
  return { x, y };
}

export interface BenchStep {
  /** One training step (forward, backward, Adam) with the GPU work awaited. */
  train(): Promise<void>;
  /** One forward pass with the loss, no gradients. */
  forward(): Promise<void>;
  dispose(): void;
}

/** The canonical model of `c` on `backend`, seeded, and its steps (also `npm run bench`'s). */
export function benchStep(backend: Backend, c: BenchConfig): BenchStep {
  const config: RecurrentConfig = { cell: c.cell, inputSize: c.I, hiddenSize: c.H, numLayers: 1, bidirectional: false, dropout: 0 };
  const p = initRecurrentParams(backend, config, 1);
  const rng = new Random(3);
  const w = backend.fromArray(Float32Array.from({ length: c.H * 10 }, () => rng.uniform(-0.1, 0.1)), [c.H, 10], 'f32', 'bench.w').param();
  const bias = backend.zeros([10], 'f32', 'bench.bias').param();
  const params: Tensor[] = [...p.layers.flatMap((l) => [l.wIh, l.wHh, l.bIh, l.bHh]), w, bias];
  const opt = new Adam(params, { lr: 1e-3 });
  const data = benchData(c);
  const x = backend.fromArray(data.x, [c.B, c.T, c.I], 'f32', 'bench.x').keep();
  const y = backend.fromArray(data.y, [c.B], 'i32', 'bench.y').keep();
  const logits = () => matmul(recurrent(x, null, p, config).hN[0], w, { bias });
  return {
    async train() {
      scope(() => {
        backward(softmaxCrossEntropy(logits(), y).loss);
        opt.update();
        zeroGrad(params);
      });
      await backend.sync();
    },
    async forward() {
      noGrad(() => scope(() => void softmaxCrossEntropy(logits(), y)));
      await backend.sync();
    },
    dispose() {
      opt.dispose();
      for (const t of [...params, x, y]) t.dispose();
    },
  };
}

/** Times the canonical model of `c` on `backend`. */
export async function benchmarkConfig(backend: Backend, c: BenchConfig, steps: number): Promise<BenchTiming> {
  const step = benchStep(backend, c);
  try {
    const trainMs = await timeSteps(() => step.train(), steps);
    const forwardMs = await timeSteps(() => step.forward(), steps);
    return { trainMs, forwardMs, steps, gflops: benchFlops(c) / (trainMs * 1e6) };
  } finally {
    step.dispose();
  }
}

/** One measured row of the benchmark page. */
export interface BenchRow {
  config: string;
  cell: 'lstm' | 'gru';
  B: number;
  T: number;
  I: number;
  H: number;
  backend: 'webgpu' | 'cpu';
  /** Medians and steps; null with `error` when the row could not run. */
  timing: BenchTiming | null;
  error?: string;
  /** WebGPU rows: the kernels the tuner chose for this config, and how they were timed. */
  kernels?: { gemm: string | null; step: string | null; timing: string; fromCache: boolean; gflops: Record<string, number> };
}

export type ToBenchWorker = { type: 'run'; reduced: boolean; tuningEntries: Record<string, string> };

export type FromBenchWorker =
  | { type: 'adapter'; adapter: AdapterSummary | null; limits: Record<string, number> | null; webgpuError: string | null }
  | { type: 'progress'; message: string; done: number; total: number }
  | { type: 'row'; row: BenchRow }
  /** A tuning entry for the page to keep in localStorage (shared with the app). */
  | { type: 'tuningEntry'; key: string; value: string }
  | { type: 'done' }
  | { type: 'failed'; message: string };
