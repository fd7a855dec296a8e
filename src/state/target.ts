// What a training session would be built from right now: the prepared dataset, the
// resolved model config, the training config with run-dependent values filled in, and a
// key that changes exactly when a new session is needed (the learning rate, the demo
// speed and early stopping are excluded: they change live in a running session).
// A setup whose estimated training memory exceeds the budget or the GPU's buffer limits
// is a problem like any other: no session (and so no model) is built for it.
import { fusionUses, validateModelConfig, type ModelConfig } from '../models/config.ts';
import { validateTrainConfig, type TrainConfig } from '../train/config.ts';
import type { PreparedDataset } from '../data/types.ts';
import { datasetProblems, resolveModelConfig } from '../models/dataset-fit.ts';
import { DEFAULT_BUFFER_LIMITS, memoryProblems, trainingMemory, type BufferLimits } from '../models/memory.ts';
import type { FeatureSet } from './slices/data.ts';
import type { Store } from './store.ts';

export interface SessionTarget {
  key: string;
  dataset: PreparedDataset;
  model: ModelConfig;
  train: TrainConfig;
  features: Float32Array | undefined;
}

/** Fills in what depends on the run's length: the step count of cosine and linear schedules. */
export function resolveTrainConfig(train: TrainConfig, dataset: PreparedDataset): TrainConfig {
  const steps = Math.ceil(dataset.splits.train.length / Math.max(1, train.batchSize)) * train.epochs;
  const schedule = train.schedule.kind === 'cosine' || train.schedule.kind === 'linear' ? { ...train.schedule, totalSteps: steps } : train.schedule;
  return { ...train, schedule };
}

/**
 * Problems that keep a model from being built, in plain words (empty when it can be).
 * `limits`: the GPU's buffer limits, null on the CPU backend (then only the memory
 * budget applies); the WebGPU guarantees until the adapter has answered.
 */
export function setupProblems(model: ModelConfig, train: TrainConfig, dataset: PreparedDataset | null, features: FeatureSet | null, limits: BufferLimits | null = DEFAULT_BUFFER_LIMITS): string[] {
  if (!dataset) return ['No dataset is ready yet.'];
  // What the dataset lacks comes first and alone: the model's limits would only restate it in internal numbers.
  const missing = datasetProblems(model, dataset);
  if (missing.length) return [...missing, ...validateTrainConfig(train)];
  const problems: string[] = [];
  const resolved = resolveModelConfig(model, dataset, features);
  const needsFeatures = resolved.image.encoder === 'features' && (resolved.task === 'captioning' || fusionUses(resolved.fusion).image);
  for (const p of validateModelConfig(resolved)) {
    // The feature width comes from the ONNX file: say what to do instead of quoting the field.
    if (needsFeatures && !features && p.startsWith('Precomputed feature width')) continue;
    problems.push(p);
  }
  if (needsFeatures && !features) problems.push('The "features" image encoder needs image features: choose an ONNX image encoder file in the Model panel, or pick the CNN or MLP encoder.');
  const trainProblems = validateTrainConfig(train);
  // Sizes are estimated only for a config that can be built (a valid one has sane dimensions).
  if (problems.length === 0 && trainProblems.length === 0) {
    const batch = Math.max(1, Math.min(train.batchSize, dataset.splits.train.length));
    problems.push(...memoryProblems(resolved, trainingMemory(resolved, batch, dataset.maxLength, train.optimizer.kind), limits));
  }
  problems.push(...trainProblems);
  if (dataset.splits.train.length === 0) problems.push(`The dataset "${dataset.name}" has no training examples.`);
  return problems;
}

/** Key of a session: equal keys mean the same model on the same data with the same training settings. */
function sessionKey(datasetVersion: number, featuresVersion: number, model: ModelConfig, train: TrainConfig): string {
  return JSON.stringify([datasetVersion, featuresVersion, model, { ...train, optimizer: { ...train.optimizer, lr: 0 }, stepDelayMs: 0, earlyStopping: null }]);
}

type TargetResult = { target: SessionTarget; problems: [] } | { target: null; problems: string[] };

let memo: { inputs: unknown[]; result: TargetResult } | null = null;

/**
 * The session the current settings describe, or the problems that prevent one. Memoised
 * on the inputs' identities, so selectors can call it on every store change.
 */
export function currentTarget(s: Store): TargetResult {
  const inputs = [s.model, s.train, s.dataset, s.features, s.datasetVersion, s.dataError, s.backendProbe];
  if (memo && memo.inputs.every((v, i) => v === inputs[i])) return memo.result;
  const result = computeTarget(s);
  memo = { inputs, result };
  return result;
}

/** The buffer limits a session would meet: the adapter's, the WebGPU guarantees until it answers, none on the CPU. */
export function sessionLimits(s: Pick<Store, 'backendProbe'>): BufferLimits | null {
  const probe = s.backendProbe;
  if (probe.kind === 'cpu') return null;
  return probe.limits ?? DEFAULT_BUFFER_LIMITS;
}

function computeTarget(s: Store): TargetResult {
  // A dataset that could not be built says why, rather than that none is ready.
  if (!s.dataset && s.dataError) return { target: null, problems: [s.dataError.message] };
  const problems = setupProblems(s.model, s.train, s.dataset, s.features, sessionLimits(s));
  if (problems.length || !s.dataset) return { target: null, problems };
  const features = s.features && s.features.datasetVersion === s.datasetVersion ? s.features : null;
  const model = resolveModelConfig(s.model, s.dataset, features);
  const train = resolveTrainConfig(s.train, s.dataset);
  return {
    target: { key: sessionKey(s.datasetVersion, features?.datasetVersion ?? -1, model, train), dataset: s.dataset, model, train, features: model.image.encoder === 'features' ? features?.features : undefined },
    problems: [],
  };
}
