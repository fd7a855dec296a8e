// GateScope's own outputs for dataset examples, from named host weights: the reference
// that the ONNX check, the PyTorch bundle's samples and the tests compare against.
import type { Backend } from '../backend/backend.ts';
import type { PreparedDataset } from '../data/types.ts';
import type { ModelConfig } from '../models/config.ts';
import { modelFromWeights, type MultimodalModel } from '../models/model.ts';
import { forwardOutputs } from '../train/evaluate.ts';
import { makeBatch } from '../train/batch.ts';
import { noGrad } from '../autograd/tape.ts';
import { scope } from '../tensor.ts';
import { onnxFeeds } from './onnx.ts';
import { samplesFrom, type BundleSamples } from './pytorch.ts';

/**
 * The forward output (evaluation mode) for the examples at `indices`: logits [B, C],
 * the standardised value [B, 1], or caption logits [B·L, V] (teacher forcing).
 */
export async function gatescopeForward(
  backend: Backend,
  config: ModelConfig,
  weights: Record<string, Float32Array>,
  data: PreparedDataset,
  indices: ArrayLike<number>,
  features?: Float32Array,
): Promise<Float32Array> {
  return withModel(backend, config, weights, (model) => forwardOutputs(backend, model, data, indices, features));
}

/** Runs `run` on a model built from `weights`, disposed afterwards. */
async function withModel<T>(backend: Backend, config: ModelConfig, weights: Record<string, Float32Array>, run: (model: MultimodalModel) => Promise<T>): Promise<T> {
  const model = modelFromWeights(backend, config, weights);
  try {
    return await run(model);
  } finally {
    model.dispose();
  }
}

/**
 * Every head's output (evaluation mode) of a multi-task model for `indices`: the primary
 * output as gatescopeForward gives it, then each auxiliary task's logits [B, C_k] or
 * standardised value [B, 1] (config.extraTasks order).
 */
export async function gatescopeTaskOutputs(
  backend: Backend,
  config: ModelConfig,
  weights: Record<string, Float32Array>,
  data: PreparedDataset,
  indices: ArrayLike<number>,
  features?: Float32Array,
): Promise<{ primary: Float32Array; extras: Float32Array[] }> {
  return withModel(backend, config, weights, async (model) => {
    const out = noGrad(() =>
      scope(() => {
        const batch = makeBatch(backend, data, config, indices, { features });
        const r = model.forward(batch, { training: false, seed: 0 });
        return [r.output, ...(r.extraOutputs ?? [])].map((t) => t.keep());
      }),
    );
    try {
      const [primary, ...extras] = await Promise.all(out.map(async (t) => Float32Array.from(await t.read())));
      return { primary, extras };
    } finally {
      for (const t of out) {
        t.persistent = false;
        t.dispose();
      }
    }
  });
}

/** Sample inputs (ONNX input names) and GateScope's output for them, for the PyTorch bundle. */
export async function bundleSamples(
  backend: Backend,
  config: ModelConfig,
  weights: Record<string, Float32Array>,
  data: PreparedDataset,
  indices: ArrayLike<number>,
  features?: Float32Array,
): Promise<BundleSamples> {
  const inputs = onnxFeeds(config, data, indices, { features });
  const tasks = config.extraTasks ?? [];
  if (tasks.length === 0) return samplesFrom(config, inputs, await gatescopeForward(backend, config, weights, data, indices, features));
  const { primary, extras } = await gatescopeTaskOutputs(backend, config, weights, data, indices, features);
  const taskOutputs = Object.fromEntries(tasks.map((t, k) => [t.name, { data: extras[k], dims: [indices.length, t.outputSize] }]));
  return { ...samplesFrom(config, inputs, primary), taskOutputs };
}
