// Checkpoints: save → load → resume gives exactly the weights of an uninterrupted run;
// everything round-trips; truncated, foreign, out-of-bounds, newer and mismatched files
// are refused with a CheckpointError that says why.
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../backend/cpu.ts';
import { defaultModelConfig, MODEL_CONFIG_VERSION, type ModelConfig } from '../models/config.ts';
import { modelFromWeights } from '../models/model.ts';
import { tinyDataset } from '../models/models.support.ts';
import { defaultTrainConfig, type TrainConfig } from '../train/config.ts';
import { Trainer } from '../train/trainer.ts';
import type { TrainingState } from '../train/protocol.ts';
import { CHECKPOINT_VERSION, CheckpointError, compareDataset, datasetReference, loadCheckpoint, saveCheckpoint, type Checkpoint } from './checkpoint.ts';
import { parseSafetensors, writeSafetensors } from './safetensors.ts';
import { exportOnnx } from './onnx.ts';

function smallModel(): ModelConfig {
  return defaultModelConfig({
    fusion: 'late',
    text: { cell: 'lstm', vocabSize: 8, embeddingSize: 4, hiddenSize: 5, numLayers: 1, bidirectional: true, dropout: 0 },
    image: { encoder: 'mlp', imageSize: 16, channels: [2], mlpHidden: 6, inputFeatures: 0, featureSize: 4 },
    head: { hiddenSize: 0, dropout: 0 },
    outputSize: 3,
  });
}

function smallTrain(): TrainConfig {
  return defaultTrainConfig({ batchSize: 4, epochs: 2, readbackEvery: 2, optimizer: { kind: 'adam', lr: 0.01 } });
}

const data = tinyDataset({ task: 'classification', size: 24, imageSize: 16, seed: 4, missingImage: 0.2, missingText: 0.2 });

/** Trains until `stopAt` steps (or the end) and returns the exported state. */
async function trainTo(stopAt: number | null): Promise<TrainingState> {
  const trainer: Trainer = new Trainer(new CpuBackend(), data, smallModel(), smallTrain(), (e) => {
    if (stopAt !== null && e.type === 'progress' && e.step === stopAt) trainer.pause();
  });
  await trainer.start();
  return trainer.exportState();
}

let saved: { bytes: Uint8Array; state: TrainingState } | null = null;
async function savedCheckpoint() {
  if (!saved) {
    const state = await trainTo(7);
    saved = { state, bytes: saveCheckpoint({ model: smallModel(), train: smallTrain(), dataset: datasetReference(data), state, savedAt: '2026-01-02T03:04:05.000Z' }) };
  }
  return saved;
}

/** Rewrites a checkpoint's metadata and/or tensors. */
function edit(bytes: Uint8Array, change: (file: ReturnType<typeof parseSafetensors>) => void): Uint8Array {
  const file = parseSafetensors(bytes);
  change(file);
  return writeSafetensors(file.tensors, file.metadata);
}

function expectRefused(bytes: Uint8Array, pattern: RegExp) {
  let error: unknown = null;
  try {
    loadCheckpoint(bytes, 'run.ckpt');
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(CheckpointError);
  expect((error as Error).message).toMatch(/^run\.ckpt/);
  expect((error as Error).message).toMatch(pattern);
}

describe('checkpoint save and load', () => {
  it('resumes exactly: save at step 7 → file → load → continue equals an uninterrupted run', async () => {
    const expected = await trainTo(null);
    const { bytes } = await savedCheckpoint();
    const loaded = loadCheckpoint(bytes, 'run.ckpt');
    const backend = new CpuBackend();
    const model = modelFromWeights(backend, loaded.model, loaded.state.weights);
    const trainer = new Trainer(backend, data, loaded.model, loaded.train, () => {}, { model });
    trainer.restore(loaded.state);
    await trainer.resume();
    const got = await trainer.exportState();
    expect(got.step).toBe(expected.step);
    expect(got.epoch).toBe(expected.epoch);
    for (const name of Object.keys(expected.weights)) expect(Array.from(got.weights[name]), name).toEqual(Array.from(expected.weights[name]));
    for (const name of Object.keys(expected.optimizer.tensors)) expect(Array.from(got.optimizer.tensors[name]), name).toEqual(Array.from(expected.optimizer.tensors[name]));
    expect(got.history).toEqual(expected.history);
  });

  it('round-trips configs, dataset reference and every part of the training state', async () => {
    const { bytes, state } = await savedCheckpoint();
    const c: Checkpoint = loadCheckpoint(bytes);
    expect(c.version).toBe(CHECKPOINT_VERSION);
    expect(c.savedAt).toBe('2026-01-02T03:04:05.000Z');
    expect(c.model).toEqual(smallModel());
    expect(c.train).toEqual(smallTrain());
    expect(c.dataset).toEqual(datasetReference(data));
    expect(c.state.step).toBe(7);
    expect(c.state).toEqual({ ...state, weights: c.state.weights, optimizer: { ...state.optimizer, tensors: c.state.optimizer.tensors } });
    expect(c.state.optimizer.paramSteps).toEqual(state.optimizer.paramSteps);
    for (const [n, w] of Object.entries(state.weights)) expect(c.state.weights[n]).toEqual(w);
    expect(Object.keys(c.state.optimizer.tensors).sort()).toEqual(Object.keys(state.optimizer.tensors).sort());
    for (const [n, w] of Object.entries(state.optimizer.tensors)) expect(c.state.optimizer.tensors[n]).toEqual(w);
  });

  it('keeps non-finite numbers in the history', async () => {
    const { state } = await savedCheckpoint();
    const history = [{ epoch: 1, step: 6, trainLoss: NaN, validation: { loss: Infinity, accuracy: 0.5 } }];
    const bytes = saveCheckpoint({ model: smallModel(), train: smallTrain(), dataset: datasetReference(data), state: { ...state, history } });
    expect(loadCheckpoint(bytes).state.history).toEqual(history);
  });

  it('keeps the per-step loss, learning rate and gradient norm when given, and has none otherwise', async () => {
    const { state, bytes: without } = await savedCheckpoint();
    expect(loadCheckpoint(without).steps).toBeUndefined();
    const steps = [1, 2, 3].map((k) => ({ step: k, epoch: 0, loss: k === 2 ? NaN : 1 / k, lr: 0.01, gradNorm: k, layerNorms: [0.5], timeNorms: [] }));
    const bytes = saveCheckpoint({ model: smallModel(), train: smallTrain(), dataset: datasetReference(data), state, steps });
    expect(loadCheckpoint(bytes).steps).toEqual(steps.map((t) => ({ ...t, layerNorms: [] })));
  });

  it('the file is a safetensors file with PyTorch parameter names', async () => {
    const { bytes } = await savedCheckpoint();
    const file = parseSafetensors(bytes);
    expect(file.metadata.format).toBe('gatescope-checkpoint');
    expect(file.tensors['model.text_encoder.rnn.weight_ih_l0_reverse'].shape).toEqual([20, 4]);
    expect(file.tensors['trainer.order'].dtype).toBe('I32');
  });
});

describe('checkpoint loading refuses bad files', () => {
  it('truncated at any point', async () => {
    const { bytes } = await savedCheckpoint();
    for (const cut of [0, 4, 8, 9, 100, Math.floor(bytes.length / 2), bytes.length - 1]) {
      expectRefused(bytes.subarray(0, cut), /too short|larger than the rest of the file|outside the data|not a complete GateScope checkpoint/);
    }
  });

  it('foreign files: random bytes, an ONNX model, a plain safetensors file, text', async () => {
    const random = Uint8Array.from({ length: 300 }, (_, i) => (i * 7919 + 13) % 256);
    expectRefused(random, /header length|not a safetensors file|JSON/);
    const config = smallModel();
    const { state } = await savedCheckpoint();
    expectRefused(exportOnnx(config, state.weights).bytes, /not a complete GateScope checkpoint/);
    expectRefused(writeSafetensors({ w: { shape: [1], data: new Float32Array(1) } }, { format: 'pt' }), /format "pt", not a GateScope checkpoint/);
    expectRefused(writeSafetensors({ w: { shape: [1], data: new Float32Array(1) } }), /not a GateScope checkpoint/);
    expectRefused(new TextEncoder().encode('{"model": "not binary"}'), /larger than the rest of the file|not a complete/);
  });

  it('a header that points outside the file', async () => {
    const { bytes } = await savedCheckpoint();
    const copy = bytes.slice();
    new DataView(copy.buffer).setBigUint64(0, BigInt(copy.length * 4), true);
    expectRefused(copy, /header length .* is larger than the rest of the file/);
  });

  it('a checkpoint or model config from a newer GateScope', async () => {
    const { bytes } = await savedCheckpoint();
    expectRefused(edit(bytes, (f) => (f.metadata.checkpoint_version = String(CHECKPOINT_VERSION + 1))), /newer GateScope \(checkpoint version 2; this one reads up to 1\)\. Update GateScope/);
    expectRefused(
      edit(bytes, (f) => (f.metadata.model_config = JSON.stringify({ ...smallModel(), version: MODEL_CONFIG_VERSION + 1 }))),
      /model config is version 2, newer than this GateScope reads/,
    );
  });

  it('weights whose shapes do not match the model config', async () => {
    const { bytes } = await savedCheckpoint();
    const bigger = { ...smallModel(), text: { ...smallModel().text, hiddenSize: 6 } };
    expectRefused(edit(bytes, (f) => (f.metadata.model_config = JSON.stringify(bigger))), /weights "text_encoder\.rnn\.weight_ih_l0" have shape \[20, 4\] but the model config needs \[24, 4\]/);
    expectRefused(edit(bytes, (f) => delete f.tensors['model.head.fc.bias']), /no weights for "head\.fc\.bias"/);
    expectRefused(
      edit(bytes, (f) => (f.tensors['model.extra.weight'] = { dtype: 'F32', shape: [1], data: new Float32Array(1) })),
      /weights "extra\.weight" that its model config does not have/,
    );
  });

  it('optimizer state and trainer position that do not fit', async () => {
    const { bytes } = await savedCheckpoint();
    const key = Object.keys(parseSafetensors(bytes).tensors).find((k) => k.startsWith('optimizer.param0.'))!;
    expectRefused(edit(bytes, (f) => (f.tensors[key] = { dtype: 'F32', shape: [2], data: new Float32Array(2) })), /optimizer state "param0\.\w+" has 2 F32 values/);
    expectRefused(edit(bytes, (f) => (f.tensors['optimizer.param99.exp_avg'] = { dtype: 'F32', shape: [1], data: new Float32Array(1) })), /for parameter 99/);
    expectRefused(edit(bytes, (f) => (f.metadata.trainer = f.metadata.trainer.replace('"cursor":', '"cursor":1000,"x":'))), /position in the epoch \(1000\)/);
    expectRefused(edit(bytes, (f) => (f.metadata.trainer = '{"step": 3')), /"trainer" entry is not valid JSON/);
    expectRefused(edit(bytes, (f) => (f.metadata.trainer = f.metadata.trainer.replace('"optimizerParamSteps":[', '"optimizerParamSteps":[99,'))), /per-parameter optimizer steps do not fit/);
    expectRefused(edit(bytes, (f) => (f.metadata.train_config = JSON.stringify({ ...smallTrain(), batchSize: 0 }))), /training config is invalid: Batch size/);
  });

  it('loading has no side effects: a refused file leaves the caller’s objects as they were', async () => {
    const { bytes, state } = await savedCheckpoint();
    const before = JSON.stringify(Object.entries(state.weights).map(([k, v]) => [k, Array.from(v)]));
    expectRefused(bytes.subarray(0, 50), /./);
    expect(JSON.stringify(Object.entries(state.weights).map(([k, v]) => [k, Array.from(v)]))).toBe(before);
  });
});

describe('dataset reference', () => {
  it('is the same for the same data and names differences otherwise', () => {
    const ref = datasetReference(data);
    expect(compareDataset(ref, data)).toEqual([]);
    const other = tinyDataset({ task: 'classification', size: 20, imageSize: 16, seed: 5 });
    other.name = 'other';
    const notes = compareDataset(ref, other);
    expect(notes.join(' ')).toMatch(/trained on "tiny"; the current dataset is "other"/);
    expect(notes.join(' ')).toMatch(/Size differs/);
    const shuffled = tinyDataset({ task: 'classification', size: 24, imageSize: 16, seed: 9 });
    expect(compareDataset(ref, shuffled)).toEqual(['The dataset content differs from the one the checkpoint was trained on.']);
  });
});

describe('checkpoint of a cnn with batch norm', () => {
  it('keeps the running statistics and resumes exactly', async () => {
    const model = defaultModelConfig({
      ...smallModel(),
      image: { encoder: 'cnn', imageSize: 16, channels: [2, 3], batchNorm: true, mlpHidden: 6, inputFeatures: 0, featureSize: 4 },
    });
    const run = async (stopAt: number | null) => {
      const trainer: Trainer = new Trainer(new CpuBackend(), data, model, smallTrain(), (e) => {
        if (stopAt !== null && e.type === 'progress' && e.step === stopAt) trainer.pause();
      });
      await trainer.start();
      return trainer.exportState();
    };
    const expected = await run(null);
    const state = await run(5);
    const bytes = saveCheckpoint({ model, train: smallTrain(), dataset: datasetReference(data), state });
    const loaded = loadCheckpoint(bytes, 'bn.ckpt');
    for (const n of ['running_mean', 'running_var', 'num_batches_tracked']) {
      expect(Array.from(loaded.state.weights[`image_encoder.bn1.${n}`])).toEqual(Array.from(state.weights[`image_encoder.bn1.${n}`]));
    }
    expect(Array.from(loaded.state.weights['image_encoder.bn0.num_batches_tracked'])).toEqual([5]);
    const backend = new CpuBackend();
    const trainer = new Trainer(backend, data, loaded.model, loaded.train, () => {}, { model: modelFromWeights(backend, loaded.model, loaded.state.weights) });
    trainer.restore(loaded.state);
    await trainer.resume();
    const got = await trainer.exportState();
    for (const name of Object.keys(expected.weights)) expect(Array.from(got.weights[name]), name).toEqual(Array.from(expected.weights[name]));
  });
});
