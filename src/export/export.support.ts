// Shared pieces of the export tests (Node and browser): small configs with distinct
// sizes (so a transposed weight cannot pass), random weights, tiny datasets with ragged
// texts and missing modalities, GateScope's own forward output, and ONNX Runtime runs.
import type * as Ort from 'onnxruntime-web';
import type { PreparedDataset, TaskKind } from '../data/types.ts';
import { defaultModelConfig, type CnnPooling, type FusionKind, type ImageEncoderKind, type ModelConfig } from '../models/config.ts';
import { modelSpecs } from '../models/model.ts';
import { initialValues } from '../models/params.ts';
import { tinyDataset } from '../models/models.support.ts';
import type { CellKind } from '../ops/recurrent.ts';
import { Random } from '../random.ts';
import type { OnnxFeeds } from './onnx.ts';
import { gatescopeForward } from './reference-output.ts';

export interface ExportCase {
  fusion: FusionKind;
  cell: CellKind;
  task?: TaskKind;
  bidirectional?: boolean;
  numLayers?: number;
  encoder?: ImageEncoderKind;
  headHidden?: number;
  /** CNN pooling of the last feature map (default flatten). */
  pool?: CnnPooling;
  /** Batch norm after each CNN conv. */
  batchNorm?: boolean;
  /** Peephole LSTM (cell must be 'lstm'). */
  peephole?: boolean;
}

/** Sizes all differ: E 3, H 4, F 5, fusion 6, head 7, vocabulary 9, image 16 px. */
export function exportTestConfig(k: ExportCase): ModelConfig {
  const task = k.task ?? 'classification';
  return defaultModelConfig({
    task,
    fusion: k.fusion,
    text: { cell: k.cell, vocabSize: 9, embeddingSize: 3, hiddenSize: 4, numLayers: k.numLayers ?? 1, bidirectional: k.bidirectional ?? false, dropout: 0.2, ...(k.peephole ? { peephole: true } : {}) },
    image: { encoder: k.encoder ?? 'cnn', imageSize: 16, channels: [2, 3], mlpHidden: 6, inputFeatures: 7, featureSize: 5, ...(k.pool ? { pool: k.pool } : {}), ...(k.batchNorm ? { batchNorm: true } : {}) },
    head: { hiddenSize: k.headHidden ?? 7, dropout: 0.3 },
    fusionSize: 6,
    outputSize: task === 'regression' ? 1 : task === 'captioning' ? 9 : 3,
    caption: { conditioning: k.fusion === 'early' ? 'early' : 'init', maxLength: 4 },
  });
}

/**
 * Seeded weights; constant-initialised ones (missing vectors, α, batch norm's γ, β and
 * running statistics) get random values too, running variances in [0.3, 1.5).
 */
export function randomWeights(config: ModelConfig, seed: number): Record<string, Float32Array> {
  const rng = new Random(seed);
  const weights: Record<string, Float32Array> = {};
  for (const s of modelSpecs(config)) {
    const v = initialValues(s, rng);
    const [lo, hi] = s.name.endsWith('.running_var') ? [0.3, 1.5] : [-0.8, 0.8];
    if (s.init.kind === 'constant') for (let i = 0; i < v.length; i++) v[i] = rng.uniform(lo, hi);
    weights[s.name] = v;
  }
  return weights;
}

/** 8 examples, texts of 1–6 tokens (maxLength 6); example 1 has no image, 2 no text. */
export function exportTestData(task: TaskKind, seed = 3): PreparedDataset {
  const data = tinyDataset({ task, size: 8, imageSize: 16, maxLength: 6, vocabSize: 9, classes: 3, seed });
  if (task !== 'captioning') {
    data.hasImage[1] = 0;
    data.images.fill(0, 1 * 3 * 256, 2 * 3 * 256);
    data.hasText[2] = 0;
    data.lengths[2] = 0;
    data.tokens.fill(0, 2 * 6, 3 * 6);
    data.lengths[3] = 6;
    data.lengths[4] = 1;
    for (let t = 0; t < 6; t++) data.tokens[3 * 6 + t] = 4 + ((t * 3) % 5);
  }
  return data;
}

/** Random precomputed features [N, 7] for the features encoder. */
export function exportTestFeatures(data: PreparedDataset, seed = 5): Float32Array {
  const rng = new Random(seed);
  return Float32Array.from({ length: data.size * 7 }, () => rng.uniform(-1, 1));
}

/** GateScope's forward output (evaluation mode) for `indices`, on `backend`. */
export const gatescopeOutput = gatescopeForward;

/** Runs an ONNX model in ONNX Runtime (wasm) and returns every output as f32. */
export async function runOnnx(ort: typeof Ort, bytes: Uint8Array, feeds: OnnxFeeds): Promise<Record<string, { data: Float32Array; dims: number[] }>> {
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
  try {
    const inputs: Record<string, Ort.Tensor> = {};
    for (const [name, f] of Object.entries(feeds)) inputs[name] = new ort.Tensor(f.type, f.data, f.dims);
    const result = await session.run(inputs);
    const out: Record<string, { data: Float32Array; dims: number[] }> = {};
    for (const [name, t] of Object.entries(result)) out[name] = { data: Float32Array.from(t.data as Float32Array), dims: [...t.dims] };
    return out;
  } finally {
    await session.release();
  }
}

/** max |a − b| (Infinity when lengths differ or a value is not finite). */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (!(d <= m)) m = Number.isNaN(d) ? Infinity : d;
  }
  return m;
}

/** The fields of a decoded ModelProto (`decodeModel`) that the tests read. */
export interface DecodedModel {
  irVersion: number;
  opsetImport: { version: number }[];
  graph: {
    node: { opType: string; input: string[]; attribute: DecodedAttribute[] }[];
    initializer: { name: string; rawData: number[] }[];
    input: DecodedValueInfo[];
    output: DecodedValueInfo[];
  };
}

export interface DecodedAttribute {
  name: string;
  i?: number;
  ints?: number[];
  /** A string attribute's UTF-8 bytes. */
  s?: number[];
}

export interface DecodedValueInfo {
  name: string;
  type: { tensorType: { shape: { dim: { dimParam?: string; dimValue?: number }[] } } };
}
