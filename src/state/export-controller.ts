// What the Export panel runs: the ONNX file and its check in ONNX Runtime, the PyTorch
// bundle, saving a checkpoint and reading one back. Each function takes what the panel
// was given (configs, dataset, how to read the trainer's state and GateScope's outputs)
// and returns the file or the result; the panel only shows the outcome and saves files.
// A checkpoint is read and checked completely here before the app applies it, so a bad
// file never touches the session.
import type { PreparedDataset } from '../data/types.ts';
import type { ModelConfig } from '../models/config.ts';
import type { TrainConfig } from '../train/config.ts';
import type { TrainingState } from '../train/protocol.ts';
import type { StepStats } from '../train/trainer.ts';
import { CheckpointError, compareDataset, datasetReference, loadCheckpoint, saveCheckpoint, type Checkpoint } from '../export/checkpoint.ts';
import { exportOnnx, onnxFeeds } from '../export/onnx.ts';
import { pytorchBundle, samplesFrom } from '../export/pytorch.ts';
import { verificationExamples, verifyWithOnnxRuntime, type VerifyResult } from '../export/verify.ts';

/** The model to export and how to reach its weights and outputs. */
export interface ExportSource {
  model: ModelConfig;
  /** Reads the current weights, optimizer state and position from the trainer. */
  getTrainingState: () => Promise<TrainingState>;
  dataset: PreparedDataset | null;
  /** Precomputed image features [N, Fin] (features encoder). */
  features?: Float32Array | null;
  /** GateScope's forward outputs (evaluation mode, current weights) for dataset examples. */
  gatescopeOutputs: (indices: number[]) => Promise<Float32Array>;
}

/** A file to save. */
export interface ExportFile {
  fileName: string;
  bytes: Uint8Array;
  mimeType: string;
}

/** Mean and standard deviation of a regression target (undone by the exported model). */
function targetScale(dataset: PreparedDataset | null): { mean: number; std: number } | undefined {
  return dataset?.targets.kind === 'regression' ? { mean: dataset.targets.mean, std: dataset.targets.std } : undefined;
}

function baseName(model: ModelConfig): string {
  return `gatescope-${model.task}-${model.fusion}-${model.text.cell}`;
}

/** The ONNX file of the current weights, with the names of its inputs and outputs. */
export async function onnxFile(source: ExportSource, appVersion?: string): Promise<ExportFile & { inputs: string[]; outputs: string[] }> {
  const state = await source.getTrainingState();
  const { bytes, inputs, outputs } = exportOnnx(source.model, state.weights, { targetScale: targetScale(source.dataset), producerVersion: appVersion });
  return { fileName: `${baseName(source.model)}.onnx`, bytes, mimeType: 'application/octet-stream', inputs: inputs.map((i) => i.name), outputs: outputs.map((o) => o.name) };
}

/** Runs the exported model in ONNX Runtime on `examples` dataset examples and compares it with GateScope. */
export async function verifyOnnx(
  source: ExportSource & { dataset: PreparedDataset },
  options: { examples: number; wasmOnly?: boolean; onProgress: (done: number, total: number) => void },
): Promise<VerifyResult> {
  const state = await source.getTrainingState();
  const indices = verificationExamples(source.dataset, options.examples);
  return verifyWithOnnxRuntime({
    config: source.model,
    weights: state.weights,
    data: source.dataset,
    indices,
    features: source.features ?? undefined,
    reference: source.gatescopeOutputs,
    wasmOnly: options.wasmOnly,
    onProgress: options.onProgress,
  });
}

/** The PyTorch bundle (.zip); with a dataset it holds `sampleExamples` sample inputs and GateScope's outputs. */
export async function pytorchFile(source: ExportSource, options: { sampleExamples: number; producer: string }): Promise<ExportFile & { hasSamples: boolean }> {
  const { model, dataset } = source;
  const state = await source.getTrainingState();
  let samples;
  if (dataset) {
    const indices = verificationExamples(dataset, options.sampleExamples);
    samples = samplesFrom(model, onnxFeeds(model, dataset, indices, { features: source.features ?? undefined }), await source.gatescopeOutputs(indices));
  }
  const t = dataset?.targets;
  const bytes = pytorchBundle({
    config: model,
    weights: state.weights,
    samples,
    classes: t && (t.kind === 'classification' || t.kind === 'multilabel') ? t.classes : undefined,
    vocabulary: t?.kind === 'captioning' ? t.vocab.tokens : dataset?.vocab.tokens,
    targetScale: targetScale(dataset),
    producer: options.producer,
  });
  return { fileName: `${baseName(model)}-pytorch.zip`, bytes, mimeType: 'application/zip', hasSamples: !!samples };
}

/** A checkpoint of the session: configs, weights, optimizer state and the steps up to the saved one. */
export async function checkpointFile(
  source: Pick<ExportSource, 'model' | 'getTrainingState'> & { train: TrainConfig; dataset: PreparedDataset; getSteps?: () => StepStats[] },
): Promise<ExportFile & { step: number; epoch: number }> {
  const state = await source.getTrainingState();
  const steps = source.getSteps?.().filter((t) => t.step <= state.step);
  const bytes = saveCheckpoint({ model: source.model, train: source.train, dataset: datasetReference(source.dataset), state, steps });
  return { fileName: `${baseName(source.model)}-step${state.step}.gatescope.safetensors`, bytes, mimeType: 'application/octet-stream', step: state.step, epoch: state.epoch };
}

/** A checkpoint file read and checked, or why it cannot be used. */
export type CheckpointRead = { ok: true; checkpoint: Checkpoint; notes: string[] } | { ok: false; message: string };

/**
 * Reads and checks a checkpoint file; `notes` say how its dataset differs from the
 * session's `dataset` (or name it when there is none).
 */
export async function readCheckpoint(file: File, dataset: PreparedDataset | null): Promise<CheckpointRead> {
  let checkpoint: Checkpoint;
  try {
    checkpoint = loadCheckpoint(new Uint8Array(await file.arrayBuffer()), file.name);
  } catch (e) {
    return { ok: false, message: e instanceof CheckpointError ? e.message : `${file.name}: ${e instanceof Error ? e.message : String(e)}` };
  }
  const notes = dataset ? compareDataset(checkpoint.dataset, dataset) : [`The checkpoint was trained on "${checkpoint.dataset.name}".`];
  return { ok: true, checkpoint, notes };
}
