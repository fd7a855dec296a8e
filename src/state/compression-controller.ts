// What the Export panel's Compression section runs: the float32 vs int8 check in ONNX
// Runtime, the pruning sweep, and the compressed ONNX file (weight matrices pruned to a
// sparsity and/or stored as int8). The trained weights are read from the trainer and
// pruned on a copy: the session's model is never changed.
import { compareInt8, compressionExamples, pruningSweep, type Int8Comparison, type SweepPoint } from '../export/compress.ts';
import { exportOnnx } from '../export/onnx.ts';
import { compressibleParams, pruneWeights } from '../export/prune.ts';
import type { ExportFile, ExportSource } from './export-controller.ts';
import type { PreparedDataset } from '../data/types.ts';

type Source = ExportSource & { dataset: PreparedDataset };

/** Runs the float32 and int8 exports in ONNX Runtime on the validation examples. */
export async function int8Comparison(source: Source, options: { wasmOnly?: boolean } = {}): Promise<Int8Comparison> {
  const state = await source.getTrainingState();
  return compareInt8({ config: source.model, weights: state.weights, data: source.dataset, indices: compressionExamples(source.dataset), features: source.features ?? undefined, wasmOnly: options.wasmOnly });
}

/** The task metric at each sweep sparsity (exported model in ONNX Runtime). */
export async function pruningCurve(source: Source, options: { wasmOnly?: boolean; onPoint?: (p: SweepPoint, done: number) => void } = {}): Promise<SweepPoint[]> {
  const state = await source.getTrainingState();
  return pruningSweep({ config: source.model, weights: state.weights, data: source.dataset, indices: compressionExamples(source.dataset), features: source.features ?? undefined, wasmOnly: options.wasmOnly }, undefined, options.onPoint);
}

/** The ONNX file with the weight matrices pruned to `sparsity` (0–1) and, with `int8`, stored as int8. */
export async function compressedOnnxFile(source: ExportSource, options: { sparsity: number; int8: boolean; appVersion?: string }): Promise<ExportFile & { int8Tensors: number }> {
  const state = await source.getTrainingState();
  const weights = options.sparsity > 0 ? pruneWeights(state.weights, compressibleParams(source.model), options.sparsity) : state.weights;
  const t = source.dataset?.targets;
  const targetScale = t?.kind === 'regression' ? { mean: t.mean, std: t.std } : undefined;
  const { bytes, int8 } = exportOnnx(source.model, weights, { targetScale, producerVersion: options.appVersion, int8Weights: options.int8 });
  const tags = [options.sparsity > 0 ? `pruned${Math.round(options.sparsity * 100)}` : '', options.int8 ? 'int8' : ''].filter(Boolean).join('-');
  const m = source.model;
  return { fileName: `gatescope-${m.task}-${m.fusion}-${m.text.cell}${tags ? `-${tags}` : ''}.onnx`, bytes, mimeType: 'application/octet-stream', int8Tensors: int8?.length ?? 0 };
}
