// Checkpoints: everything needed to continue training exactly where it stopped, in one
// file. The file is a safetensors file (so PyTorch tools can open it):
//   tensors   "model.<parameter name>"  F32, the parameter's shape
//             "optimizer.param<i>.<state>"  F32, parameter i's shape (torch.optim names)
//             "trainer.order"  I32 [train examples], the current epoch's shuffled order
//                              (dataset indices; empty before the first step)
//   metadata  "format": "gatescope-checkpoint", "checkpoint_version", "saved_at", and JSON
//             strings "model_config", "train_config", "dataset", "trainer" (step, epoch,
//             history, cursor, RNG position, learning-rate override, optimizer step and
//             per-parameter update counts, the current epoch's running loss), and
//             optionally "steps": the per-step statistics the charts show, one
//             [step, epoch, loss, learning rate, gradient norm] row per step
// Loading checks all of it — the safetensors structure, the format marker, versions,
// both configs, every weight's shape against the model config, the optimizer state
// against the parameters, the trainer position — and either returns a complete
// Checkpoint or throws a CheckpointError naming the problem. It has no side effects, so a
// failed load leaves the current session as it was.
import type { PreparedDataset, TaskKind } from '../data/types.ts';
import { hashBytes } from '../data/hash.ts';
import { MODEL_CONFIG_VERSION, validateModelConfig, type ModelConfig } from '../models/config.ts';
import { modelSpecs } from '../models/model.ts';
import { validateTrainConfig, type TrainConfig } from '../train/config.ts';
import type { TrainingState } from '../train/protocol.ts';
import type { EpochRecord, StepStats } from '../train/trainer.ts';
import { parseSafetensors, SafetensorsError, writeSafetensors } from './safetensors.ts';

/** Bump when older GateScope versions can no longer read the files this one writes. */
export const CHECKPOINT_VERSION = 1;
export const CHECKPOINT_FORMAT = 'gatescope-checkpoint';

/** Which data a checkpoint was trained on (the data itself is not stored). */
export interface DatasetReference {
  name: string;
  task: TaskKind;
  size: number;
  imageSize: number;
  maxLength: number;
  vocabularySize: number;
  /** Class names (classification, multilabel). */
  classes: string[] | null;
  trainSize: number;
  /** Content hash of tokens, lengths, targets, the split and a sample of pixels. */
  fingerprint: string;
}

export interface Checkpoint {
  version: number;
  /** ISO time of saving. */
  savedAt: string;
  model: ModelConfig;
  train: TrainConfig;
  dataset: DatasetReference;
  state: TrainingState;
  /** Per-step statistics before the save (loss, learning rate, gradient norm only); absent in files without them. */
  steps?: StepStats[];
}

/** A checkpoint that cannot be loaded; the message says why in plain words. */
export class CheckpointError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CheckpointError';
  }
}

function bytesOf(a: ArrayBufferView): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/** The reference of a prepared dataset, with a content fingerprint. */
export function datasetReference(data: PreparedDataset): DatasetReference {
  const t = data.targets;
  const parts: Uint8Array[] = [bytesOf(data.tokens), bytesOf(data.lengths), bytesOf(data.hasImage), bytesOf(data.hasText), bytesOf(data.splits.train)];
  if (t.kind === 'captioning') parts.push(bytesOf(t.tokens));
  else if (t.kind === 'regression') parts.push(bytesOf(t.values));
  else parts.push(bytesOf(t.labels));
  // Every 251st pixel value: enough to tell datasets apart without hashing all images.
  const sample = new Float32Array(Math.ceil(data.images.length / 251));
  for (let i = 0, k = 0; i < data.images.length; i += 251, k++) sample[k] = data.images[i];
  parts.push(bytesOf(sample), new TextEncoder().encode(data.vocab.tokens.join('\n')));
  const hashes = parts.map((p) => hashBytes(p)).join('');
  return {
    name: data.name,
    task: data.task,
    size: data.size,
    imageSize: data.imageSize,
    maxLength: data.maxLength,
    vocabularySize: data.vocab.tokens.length,
    classes: t.kind === 'classification' || t.kind === 'multilabel' ? [...t.classes] : null,
    trainSize: data.splits.train.length,
    fingerprint: hashBytes(new TextEncoder().encode(hashes)),
  };
}

/**
 * Differences between the dataset a checkpoint was trained on and `data`, in plain words
 * (empty when it is the same data). Training can still continue on other data of the same
 * shape; the shuffled order is then started afresh.
 */
export function compareDataset(ref: DatasetReference, data: PreparedDataset): string[] {
  const now = datasetReference(data);
  if (now.fingerprint === ref.fingerprint) return [];
  const notes: string[] = [];
  if (now.name !== ref.name) notes.push(`The checkpoint was trained on "${ref.name}"; the current dataset is "${now.name}".`);
  if (now.task !== ref.task) notes.push(`The checkpoint's task is ${ref.task}; the current dataset is for ${now.task}.`);
  if (now.vocabularySize !== ref.vocabularySize) notes.push(`Vocabulary size differs (${ref.vocabularySize} in the checkpoint, ${now.vocabularySize} now).`);
  if (JSON.stringify(now.classes) !== JSON.stringify(ref.classes)) notes.push('The class names differ.');
  if (now.size !== ref.size || now.trainSize !== ref.trainSize) notes.push(`Size differs (${ref.size} examples, ${ref.trainSize} for training, in the checkpoint; ${now.size} and ${now.trainSize} now).`);
  if (notes.length === 0) notes.push('The dataset content differs from the one the checkpoint was trained on.');
  return notes;
}

/** JSON with NaN and ±Infinity kept (history may hold a non-finite loss). */
function toJson(value: unknown): string {
  return JSON.stringify(value, (_, v) => (typeof v === 'number' && !Number.isFinite(v) ? { $number: String(v) } : v));
}

function fromJson(text: string): unknown {
  return JSON.parse(text, (_, v) => (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 1 && typeof v.$number === 'string' ? Number(v.$number) : v));
}

/** Writes a checkpoint as one file (bytes of a safetensors file). */
export function saveCheckpoint(c: Omit<Checkpoint, 'version' | 'savedAt'> & { savedAt?: string }): Uint8Array {
  const s = c.state;
  const tensors: Record<string, { shape: number[]; data: Float32Array | Int32Array }> = {};
  const specs = modelSpecs(c.model);
  for (const spec of specs) {
    const w = s.weights[spec.name];
    const n = spec.shape.reduce((a, b) => a * b, 1);
    if (!w || w.length !== n) throw new CheckpointError(`cannot save: parameter "${spec.name}" ${w ? `has ${w.length} values, the model needs ${n}` : 'is missing from the training state'}`);
    tensors[`model.${spec.name}`] = { shape: spec.shape, data: w };
  }
  // The optimizer's tensors are numbered over the trained parameters (buffers have none).
  const trained = specs.filter((spec) => !spec.buffer);
  for (const [key, v] of Object.entries(s.optimizer.tensors)) {
    const i = Number(/^param(\d+)\./.exec(key)?.[1] ?? -1);
    tensors[`optimizer.${key}`] = { shape: trained[i] && trained[i].shape.reduce((a, b) => a * b, 1) === v.length ? trained[i].shape : [v.length], data: v };
  }
  tensors['trainer.order'] = { shape: [s.order.length], data: s.order };
  const trainer = {
    step: s.step,
    epoch: s.epoch,
    history: s.history,
    cursor: s.cursor,
    rngPosition: s.rngPosition,
    learningRateOverride: s.learningRateOverride,
    optimizerStep: s.optimizer.step,
    optimizerParamSteps: s.optimizer.paramSteps ?? null,
    epochLoss: s.epochLoss ?? null,
  };
  return writeSafetensors(tensors, {
    format: CHECKPOINT_FORMAT,
    checkpoint_version: String(CHECKPOINT_VERSION),
    saved_at: c.savedAt ?? new Date().toISOString(),
    model_config: JSON.stringify(c.model),
    train_config: JSON.stringify(c.train),
    dataset: JSON.stringify(c.dataset),
    trainer: toJson(trainer),
    ...(c.steps?.length ? { steps: toJson(c.steps.map((t) => [t.step, t.epoch, t.loss, t.lr, t.gradNorm])) } : {}),
  });
}

const isInt = (v: unknown, min = 0): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= min;
const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/**
 * Reads and validates a checkpoint file. Throws a CheckpointError (never anything else)
 * whose message names the file and the problem.
 */
export function loadCheckpoint(bytes: Uint8Array, fileName = 'the checkpoint'): Checkpoint {
  const fail: (what: string) => never = (what) => {
    throw new CheckpointError(`${fileName}: ${what}`);
  };
  let file: ReturnType<typeof parseSafetensors>;
  try {
    file = parseSafetensors(bytes, fileName);
  } catch (e) {
    if (e instanceof SafetensorsError) throw new CheckpointError(`${e.message}. This is not a complete GateScope checkpoint.`);
    throw e;
  }
  const meta = file.metadata;
  if (meta.format !== CHECKPOINT_FORMAT) {
    fail(meta.format ? `is a safetensors file of format "${meta.format}", not a GateScope checkpoint (for weights alone, use the PyTorch bundle)` : 'is a safetensors file but not a GateScope checkpoint (it has no "format": "gatescope-checkpoint" marker)');
  }
  const version = Number(meta.checkpoint_version);
  if (!isInt(version, 1)) fail(`has an invalid checkpoint version "${meta.checkpoint_version}"`);
  if (version > CHECKPOINT_VERSION) fail(`was written by a newer GateScope (checkpoint version ${version}; this one reads up to ${CHECKPOINT_VERSION}). Update GateScope to open it.`);
  const json = (key: string): unknown => {
    if (typeof meta[key] !== 'string') fail(`has no "${key}" entry`);
    try {
      return fromJson(meta[key]);
    } catch (e) {
      return fail(`its "${key}" entry is not valid JSON (${(e as Error).message})`);
    }
  };

  const model = json('model_config') as ModelConfig;
  if (!isObject(model) || !isObject(model.text) || !isObject(model.image) || !isObject(model.head) || !isObject(model.caption)) fail('its model config is incomplete');
  if (!isInt(model.version, 1)) fail('its model config has no version');
  if (model.version > MODEL_CONFIG_VERSION) fail(`its model config is version ${model.version}, newer than this GateScope reads (${MODEL_CONFIG_VERSION}). Update GateScope to open it.`);
  const modelProblems = validateModelConfig(model);
  if (modelProblems.length) fail(`its model config is invalid: ${modelProblems.join(' ')}`);

  const train = json('train_config') as TrainConfig;
  if (!isObject(train) || !isObject(train.optimizer) || !isObject(train.schedule) || !isObject(train.earlyStopping)) fail('its training config is incomplete');
  const trainProblems = validateTrainConfig(train);
  if (trainProblems.length) fail(`its training config is invalid: ${trainProblems.join(' ')}`);

  const dataset = json('dataset') as DatasetReference;
  if (!isObject(dataset) || typeof dataset.name !== 'string' || typeof dataset.fingerprint !== 'string' || !isInt(dataset.size) || !isInt(dataset.trainSize)) {
    fail('its dataset reference is incomplete');
  }

  const trainer = json('trainer') as Record<string, unknown>;
  if (!isObject(trainer)) fail('its trainer state is missing');
  const { step, epoch, history, cursor, rngPosition, learningRateOverride, optimizerStep, optimizerParamSteps, epochLoss } = trainer;
  if (!isInt(step)) fail(`its step (${String(step)}) is not a whole number ≥ 0`);
  if (!isInt(epoch)) fail(`its epoch (${String(epoch)}) is not a whole number ≥ 0`);
  if (!isInt(optimizerStep)) fail(`its optimizer step (${String(optimizerStep)}) is not a whole number ≥ 0`);
  if (typeof rngPosition !== 'number' || !Number.isFinite(rngPosition)) fail('its shuffler position is not a number');
  if (learningRateOverride !== null && !(typeof learningRateOverride === 'number' && learningRateOverride > 0)) fail('its learning-rate override is neither empty nor a positive number');
  if (epochLoss != null && !(isObject(epochLoss) && typeof epochLoss.sum === 'number' && isInt(epochLoss.count))) fail('its running epoch loss is malformed');
  if (!Array.isArray(history) || !history.every((h) => isObject(h) && isInt(h.epoch) && isInt(h.step) && typeof h.trainLoss === 'number' && isObject(h.validation))) {
    fail('its training history is malformed');
  }

  let steps: StepStats[] | undefined;
  if (meta.steps !== undefined) {
    const rows = json('steps');
    const row = (r: unknown) => Array.isArray(r) && r.length === 5 && isInt(r[0]) && isInt(r[1]) && r.slice(2).every((v) => typeof v === 'number');
    if (!Array.isArray(rows) || !rows.every(row)) fail('its per-step statistics ("steps") are malformed');
    steps = (rows as number[][]).map(([st, ep, loss, lr, gradNorm]) => ({ step: st, epoch: ep, loss, lr, gradNorm, layerNorms: [], timeNorms: [] }));
  }

  const specs = modelSpecs(model);
  // The optimizer's tensors are numbered over the trained parameters (buffers have none).
  const trained = specs.filter((spec) => !spec.buffer);
  const trainedCount = trained.length;
  if (optimizerParamSteps != null) {
    if (!Array.isArray(optimizerParamSteps) || optimizerParamSteps.length !== trainedCount || !optimizerParamSteps.every((n) => isInt(n) && n <= (optimizerStep as number))) {
      fail(`its per-parameter optimizer steps do not fit: it needs ${trainedCount} whole numbers up to ${String(optimizerStep)}`);
    }
  }
  const names = new Set(specs.map((s) => s.name));
  const weights: Record<string, Float32Array> = {};
  for (const spec of specs) {
    const t = file.tensors[`model.${spec.name}`];
    if (!t) fail(`has no weights for "${spec.name}", which its model config needs`);
    if (t.dtype !== 'F32') fail(`weights "${spec.name}" are ${t.dtype}, not F32`);
    if (t.shape.length !== spec.shape.length || t.shape.some((d, i) => d !== spec.shape[i])) {
      fail(`weights "${spec.name}" have shape [${t.shape.join(', ')}] but the model config needs [${spec.shape.join(', ')}]`);
    }
    weights[spec.name] = t.data as Float32Array;
  }
  const optimizer: Record<string, Float32Array> = {};
  let order: Int32Array | null = null;
  for (const [key, t] of Object.entries(file.tensors)) {
    if (key.startsWith('model.')) {
      if (!names.has(key.slice(6))) fail(`has weights "${key.slice(6)}" that its model config does not have`);
    } else if (key.startsWith('optimizer.')) {
      const m = /^param(\d+)\.[A-Za-z_]+$/.exec(key.slice(10));
      if (!m) fail(`has optimizer state "${key.slice(10)}" that GateScope does not know`);
      const spec = trained[Number(m[1])];
      if (!spec) fail(`has optimizer state "${key.slice(10)}" for parameter ${m[1]}, but the model has ${trainedCount} parameters`);
      const n = spec.shape.reduce((a, b) => a * b, 1);
      if (t.dtype !== 'F32' || t.data.length !== n) fail(`optimizer state "${key.slice(10)}" has ${t.data.length} ${t.dtype} values; parameter "${spec.name}" has ${n}`);
      optimizer[key.slice(10)] = t.data as Float32Array;
    } else if (key === 'trainer.order') {
      if (t.dtype !== 'I32' || t.shape.length !== 1) fail('its shuffled order is not a vector of I32');
      order = t.data as Int32Array;
    } else {
      fail(`has an unexpected tensor "${key}"`);
    }
  }
  if (!order) return fail('has no shuffled order ("trainer.order")');
  if (!isInt(cursor) || cursor > order.length) fail(`its position in the epoch (${String(cursor)}) lies outside the shuffled order (${order.length} examples)`);
  if (order.length !== 0 && order.length !== dataset.trainSize) fail(`its shuffled order has ${order.length} entries but its dataset has ${dataset.trainSize} training examples`);
  for (const i of order) if (i < 0 || i >= dataset.size) fail(`its shuffled order holds example ${i}, outside the ${dataset.size} examples of its dataset`);

  return {
    version,
    savedAt: meta.saved_at ?? '',
    model,
    train,
    dataset,
    state: {
      weights,
      optimizer: { step: optimizerStep as number, tensors: optimizer, ...(optimizerParamSteps != null ? { paramSteps: optimizerParamSteps as number[] } : {}) },
      step: step as number,
      epoch: epoch as number,
      history: history as EpochRecord[],
      order,
      cursor: cursor as number,
      rngPosition: rngPosition as number,
      learningRateOverride: learningRateOverride as number | null,
      ...(epochLoss != null ? { epochLoss: epochLoss as { sum: number; count: number } } : {}),
    },
    ...(steps ? { steps } : {}),
  };
}
