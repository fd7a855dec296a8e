// The multi-task ONNX check shared by the Node test (CPU backend, ONNX Runtime wasm in
// Node) and the browser test (WebGPU, ONNX Runtime Web): a model with three auxiliary
// heads of three kinds, exported and run; every head compared with GateScope's forward.
import type * as Ort from 'onnxruntime-web';
import type { Backend } from '../backend/backend.ts';
import type { ExtraTaskConfig, FusionKind, ModelConfig } from '../models/config.ts';
import type { CellKind } from '../ops/recurrent.ts';
import { withExtraTargets } from '../models/multitask.support.ts';
import { exportOnnx, onnxFeeds, type OnnxExport } from './onnx.ts';
import { exportTestConfig, exportTestData, maxAbsDiff, randomWeights, runOnnx } from './export.support.ts';
import { gatescopeTaskOutputs } from './reference-output.ts';

export const MULTITASK_TASKS: ExtraTaskConfig[] = [
  { name: 'shape', kind: 'classification', outputSize: 4, weight: 0.5 },
  { name: 'size', kind: 'regression', outputSize: 1, weight: 2 },
  { name: 'tags', kind: 'multilabel', outputSize: 2, weight: 1 },
];

/** Fusion × cell cases the multi-task export tests run. */
export const MULTITASK_CASES: [FusionKind, CellKind][] = [
  ['late', 'lstm'],
  ['gated', 'gru'],
  ['film', 'rnn_tanh'],
  ['init', 'lstm'],
  ['additive', 'gru'],
  ['image', 'gru'],
];

export interface MultiTaskOnnxRun {
  config: ModelConfig;
  exported: OnnxExport;
  /** max |Δ| per head output name (logits, shape_logits, size_value, tags_logits). */
  diffs: Record<string, number>;
  /** GateScope's outputs. */
  ours: { primary: Float32Array; extras: Float32Array[] };
  theirs: Record<string, { data: Float32Array; dims: number[] }>;
}

export async function runMultiTaskOnnx(backend: Backend, ort: typeof Ort, fusion: FusionKind, cell: CellKind): Promise<MultiTaskOnnxRun> {
  const config = { ...exportTestConfig({ fusion, cell }), extraTasks: MULTITASK_TASKS };
  const weights = randomWeights(config, 13);
  const rows = [0, 1, 2, 3, 4, 5, 6, 7];
  const data = withExtraTargets(exportTestData(config.task), MULTITASK_TASKS, 3);
  const ours = await gatescopeTaskOutputs(backend, config, weights, data, rows);
  const exported = exportOnnx(config, weights);
  const theirs = await runOnnx(ort, exported.bytes, onnxFeeds(config, data, rows));
  const heads: [string, Float32Array][] = [
    ['logits', ours.primary],
    ['shape_logits', ours.extras[0]],
    ['size_value', ours.extras[1]],
    ['tags_logits', ours.extras[2]],
  ];
  const diffs = Object.fromEntries(heads.map(([name, values]) => [name, theirs[name] ? maxAbsDiff(values, theirs[name].data) : Infinity]));
  return { config, exported, diffs, ours, theirs };
}
