// Compression checked in ONNX Runtime: the float32 and the int8-weight exports run on the
// same validation examples (their task metric against the labels, and the largest output
// difference between them), and the magnitude-pruning sweep (the task metric of the
// exported model with its weight matrices pruned to each sparsity). Runs in the page with
// onnxruntime-web, like the export check in verify.ts.
import type { PreparedDataset } from '../data/types.ts';
import type { ModelConfig } from '../models/config.ts';
import { openSession } from '../models/ort-session.ts';
import { exportOnnx, onnxFeeds } from './onnx.ts';
import { compressibleParams, countZeros, pruneWeights } from './prune.ts';
import { mainOutputName } from './pytorch.ts';

/** Validation examples the compression checks run on, at most. */
export const COMPRESSION_EXAMPLES = 512;

export interface CompressionInput {
  config: ModelConfig;
  weights: Record<string, Float32Array>;
  data: PreparedDataset;
  /** Dataset examples to score (the validation split, or the training split without one). */
  indices: number[];
  features?: Float32Array;
  wasmOnly?: boolean;
}

/** The task metric of one model on the examples. */
export interface TaskScore {
  /** "accuracy" (classification), "label accuracy" (multilabel, at probability 0.5), "next-token accuracy" (captioning, teacher-forced), "RMSE" (regression, target units). */
  metric: string;
  value: number;
  /** Higher is better for the accuracies, lower for RMSE. */
  higherIsBetter: boolean;
}

/** The examples to score: up to COMPRESSION_EXAMPLES of the validation split, else of the training split. */
export function compressionExamples(data: PreparedDataset): number[] {
  const pool = data.splits.validation.length ? data.splits.validation : data.splits.train;
  return Array.from(pool.subarray(0, Math.min(COMPRESSION_EXAMPLES, pool.length)));
}

/** Runs ONNX model bytes on the examples; the main output (logits, value or caption logits) of all. */
export async function onnxMainOutput(bytes: Uint8Array, input: Omit<CompressionInput, 'weights'>): Promise<{ output: Float32Array; provider: 'webgpu' | 'wasm' }> {
  const { config, data, indices } = input;
  const { ort, session, provider } = await openSession(bytes, { wasmOnly: input.wasmOnly });
  const parts: Float32Array[] = [];
  try {
    for (let start = 0; start < indices.length; start += 64) {
      const part = indices.slice(start, start + 64);
      const tensors: Record<string, InstanceType<typeof ort.Tensor>> = {};
      for (const [name, f] of Object.entries(onnxFeeds(config, data, part, { features: input.features }))) tensors[name] = new ort.Tensor(f.type, f.data, f.dims);
      const result = await session.run(tensors);
      parts.push(Float32Array.from((await result[mainOutputName(config)].getData()) as Float32Array));
      for (const t of Object.values(result)) t.dispose();
    }
  } finally {
    await session.release();
  }
  const output = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (output.set(p, at), at + p.length), 0);
  return { output, provider };
}

function argmax(a: ArrayLike<number>, start: number, n: number): number {
  let best = start;
  for (let i = start + 1; i < start + n; i++) if (a[i] > a[best]) best = i;
  return best - start;
}

/** The task metric of the main output of the examples at `indices` against the dataset's targets. */
export function taskScore(config: ModelConfig, data: PreparedDataset, indices: number[], output: Float32Array): TaskScore {
  const t = data.targets;
  const C = config.outputSize;
  const B = indices.length;
  switch (t.kind) {
    case 'classification': {
      let right = 0;
      for (let b = 0; b < B; b++) right += argmax(output, b * C, C) === t.labels[indices[b]] ? 1 : 0;
      return { metric: 'accuracy', value: right / B, higherIsBetter: true };
    }
    case 'multilabel': {
      let right = 0;
      for (let b = 0; b < B; b++) for (let c = 0; c < C; c++) right += output[b * C + c] > 0 === t.labels[indices[b] * C + c] > 0.5 ? 1 : 0;
      return { metric: 'label accuracy', value: right / (B * C), higherIsBetter: true };
    }
    case 'regression': {
      // The output is standardised; the error is reported in the target's units.
      const std = t.std || 1;
      let sum = 0;
      for (let b = 0; b < B; b++) sum += (output[b] * std + t.mean - t.values[indices[b]]) ** 2;
      return { metric: 'RMSE', value: Math.sqrt(sum / B), higherIsBetter: false };
    }
    case 'captioning': {
      // Position p of row b scores the caption token at p + 1, for p < length − 1 (as onnxFeeds feeds it).
      const Lfull = t.tokens.length / data.size;
      const T = Lfull - 1;
      let right = 0;
      let total = 0;
      for (let b = 0; b < B; b++) {
        const i = indices[b];
        for (let p = 0; p < t.lengths[i] - 1; p++) {
          right += argmax(output, (b * T + p) * C, C) === t.tokens[i * Lfull + p + 1] ? 1 : 0;
          total++;
        }
      }
      return { metric: 'next-token accuracy', value: total ? right / total : 0, higherIsBetter: true };
    }
  }
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (!(d <= m)) m = Number.isNaN(d) ? Infinity : d;
  }
  return m;
}

export interface Int8Comparison {
  provider: 'webgpu' | 'wasm';
  examples: number;
  f32: { bytes: number; score: TaskScore };
  int8: { bytes: number; score: TaskScore; tensors: number };
  /** max |int8 output − float32 output| over every value of the main output. */
  maxAbsDiff: number;
}

/** Exports the model as float32 and with int8 weights, runs both in ONNX Runtime and scores them. */
export async function compareInt8(input: CompressionInput): Promise<Int8Comparison> {
  if (input.indices.length === 0) throw new Error('int8 check: the dataset has no examples to run');
  const f32 = exportOnnx(input.config, input.weights);
  const int8 = exportOnnx(input.config, input.weights, { int8Weights: true });
  const a = await onnxMainOutput(f32.bytes, input);
  const b = await onnxMainOutput(int8.bytes, input);
  return {
    provider: b.provider,
    examples: input.indices.length,
    f32: { bytes: f32.bytes.length, score: taskScore(input.config, input.data, input.indices, a.output) },
    int8: { bytes: int8.bytes.length, score: taskScore(input.config, input.data, input.indices, b.output), tensors: int8.int8?.length ?? 0 },
    maxAbsDiff: maxAbsDiff(a.output, b.output),
  };
}

/** Sparsities of the pruning sweep. */
export const SWEEP_SPARSITIES = [0, 0.25, 0.5, 0.7, 0.8, 0.9, 0.95] as const;

export interface SweepPoint {
  sparsity: number;
  score: TaskScore;
  /** Share of the weight-matrix values that are zero after pruning. */
  zeroShare: number;
}

/**
 * The task metric of the exported float32 model with its weight matrices pruned to each
 * sparsity; `onPoint` is called after each. The weights passed in are not changed.
 */
export async function pruningSweep(input: CompressionInput, sparsities: readonly number[] = SWEEP_SPARSITIES, onPoint?: (p: SweepPoint, done: number) => void): Promise<SweepPoint[]> {
  if (input.indices.length === 0) throw new Error('Pruning sweep: the dataset has no examples to run');
  const names = compressibleParams(input.config);
  const points: SweepPoint[] = [];
  for (const sparsity of sparsities) {
    const pruned = pruneWeights(input.weights, names, sparsity);
    const { output } = await onnxMainOutput(exportOnnx(input.config, pruned).bytes, input);
    const { zeros, total } = countZeros(pruned, names);
    const point = { sparsity, score: taskScore(input.config, input.data, input.indices, output), zeroShare: total ? zeros / total : 0 };
    points.push(point);
    onPoint?.(point, points.length);
  }
  return points;
}
