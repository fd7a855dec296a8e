// "Verify with ONNX Runtime": exports the model, runs it in onnxruntime-web (WebGPU
// execution provider, falling back to wasm) on dataset examples, and compares with
// GateScope's own outputs for the same examples: the largest absolute difference and how
// often the predicted classes agree.
import type { PreparedDataset } from '../data/types.ts';
import type { ModelConfig } from '../models/config.ts';
import { exportOnnx, onnxFeeds } from './onnx.ts';
import { openSession } from '../models/ort-session.ts';
import { mainOutputName } from './pytorch.ts';

export interface VerifyInput {
  config: ModelConfig;
  weights: Record<string, Float32Array>;
  data: PreparedDataset;
  /** Dataset examples to run (e.g. the first validation examples). */
  indices: number[];
  features?: Float32Array;
  /** GateScope's forward output for these examples (logits [B, C], value [B, 1] or caption logits [B·T, V]). */
  reference: (indices: number[]) => Promise<Float32Array>;
  wasmOnly?: boolean;
  /** Called with the examples ONNX Runtime has run so far and the total, from 0 to the total. */
  onProgress?: (done: number, total: number) => void;
  /** Examples per ONNX Runtime run (default 8); progress is reported after each. */
  chunkSize?: number;
}

export interface VerifyResult {
  provider: 'webgpu' | 'wasm';
  examples: number;
  /** max |ONNX Runtime − GateScope| over every output value. */
  maxAbsDiff: number;
  /**
   * Predictions that agree: argmax per example (classification), per label at logit 0
   * (multi-label), argmax per real caption position (captioning); null for regression.
   */
  agreement: { agree: number; total: number; unit: 'examples' | 'labels' | 'tokens' } | null;
}

/** Up to `count` examples to verify on: the validation split, else the training split. */
export function verificationExamples(data: PreparedDataset, count: number): number[] {
  const pool = data.splits.validation.length ? data.splits.validation : data.splits.train;
  return Array.from(pool.subarray(0, Math.min(count, pool.length)));
}

function argmax(a: Float32Array, start: number, n: number): number {
  let best = start;
  for (let i = start + 1; i < start + n; i++) if (a[i] > a[best]) best = i;
  return best - start;
}

/** Runs the check; rejects with an Error naming what failed (export, runtime, shapes). */
export async function verifyWithOnnxRuntime(input: VerifyInput): Promise<VerifyResult> {
  const { config, weights, data, indices } = input;
  if (indices.length === 0) throw new Error('Verify: the dataset has no examples to run');
  const { bytes } = exportOnnx(config, weights);
  const feeds = onnxFeeds(config, data, indices, { features: input.features });
  const { ort, session, provider } = await openSession(bytes, { wasmOnly: input.wasmOnly });
  const chunk = Math.max(1, input.chunkSize ?? 8);
  const parts: Float32Array[] = [];
  input.onProgress?.(0, indices.length);
  try {
    // Batch-major outputs of consecutive chunks concatenate to the output of all examples.
    for (let start = 0; start < indices.length; start += chunk) {
      const part = indices.slice(start, start + chunk);
      const tensors: Record<string, InstanceType<typeof ort.Tensor>> = {};
      for (const [name, f] of Object.entries(onnxFeeds(config, data, part, { features: input.features }))) tensors[name] = new ort.Tensor(f.type, f.data, f.dims);
      const result = await session.run(tensors);
      parts.push(Float32Array.from((await result[mainOutputName(config)].getData()) as Float32Array));
      for (const t of Object.values(result)) t.dispose();
      input.onProgress?.(start + part.length, indices.length);
    }
  } finally {
    await session.release();
  }
  const theirs = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (theirs.set(p, at), at + p.length), 0);
  const ours = await input.reference(indices);
  if (ours.length !== theirs.length) throw new Error(`Verify: ONNX Runtime gave ${theirs.length} values, GateScope ${ours.length}`);
  let maxAbsDiff = 0;
  for (let i = 0; i < ours.length; i++) {
    const d = Math.abs(ours[i] - theirs[i]);
    if (!(d <= maxAbsDiff)) maxAbsDiff = Number.isNaN(d) ? Infinity : d;
  }
  const B = indices.length;
  const C = config.outputSize;
  let agreement: VerifyResult['agreement'] = null;
  if (config.task === 'classification') {
    let agree = 0;
    for (let b = 0; b < B; b++) agree += argmax(ours, b * C, C) === argmax(theirs, b * C, C) ? 1 : 0;
    agreement = { agree, total: B, unit: 'examples' };
  } else if (config.task === 'multilabel') {
    let agree = 0;
    for (let i = 0; i < B * C; i++) agree += ours[i] > 0 === theirs[i] > 0 ? 1 : 0;
    agreement = { agree, total: B * C, unit: 'labels' };
  } else if (config.task === 'captioning') {
    const T = feeds.tokens.dims[1];
    const lengths = feeds.lengths.data;
    let agree = 0;
    let total = 0;
    for (let b = 0; b < B; b++) {
      for (let t = 0; t < lengths[b]; t++) {
        const at = (b * T + t) * C;
        agree += argmax(ours, at, C) === argmax(theirs, at, C) ? 1 : 0;
        total++;
      }
    }
    agreement = { agree, total, unit: 'tokens' };
  }
  return { provider, examples: B, maxAbsDiff, agreement };
}
