// What training a model and holding a dataset will take in memory, estimated from their
// settings before anything is allocated, and the limits they are checked against: the
// GPU adapter's largest buffer and binding, and GateScope's own budgets. The figures are
// upper estimates (every saved activation of one batch and its gradient; weights,
// gradients and optimizer moments); they exist to refuse a setup that cannot fit, with
// the numbers, instead of growing the tab until the browser kills it.
import { formatBytes } from '../data/files.ts';
import { CELLS } from '../ops/recurrent.ts';
import type { OptimizerKind } from '../optim/optimizer.ts';
import { cnnFlatSize, fusionUses, type ModelConfig } from './config.ts';
import { FUSIONS } from './fusion/index.ts';
import { modelSpecs } from './model.ts';

/** Memory one training session may use, GPU and host together: 2 GiB. */
export const TRAINING_MEMORY_BUDGET = 2 * 1024 ** 3;

/** Memory a dataset may take while it is built (pictures as generated plus as prepared): 1 GiB. */
export const DATASET_MEMORY_BUDGET = 1024 ** 3;

/** Buffer limits of a WebGPU adapter (the device is created with the adapter's maxima). */
export interface BufferLimits {
  maxBufferSize: number;
  maxStorageBufferBindingSize: number;
}

/** What every WebGPU adapter guarantees; used until the adapter's own limits are known. */
export const DEFAULT_BUFFER_LIMITS: BufferLimits = { maxBufferSize: 256 * 1024 ** 2, maxStorageBufferBindingSize: 128 * 1024 ** 2 };

export interface MemoryEstimate {
  parameters: number;
  /** Weights, their gradients and the optimizer's moments. */
  parameterBytes: number;
  /** Activations of one batch saved for backward, and their gradients. */
  activationBytes: number;
  total: number;
  /** The largest single tensor and what it is, in words. */
  largest: { bytes: number; what: string };
}

/** Float32 copies per parameter besides the weight and its gradient (SGD keeps a momentum buffer). */
const MOMENTS: Record<OptimizerKind, number> = { sgd: 1, adam: 2, adamw: 2, rmsprop: 2 };

/** What a parameter is, for messages ("the text encoder's weight_ih_l0 (16,384 × 4,096)"). */
function describeParameter(name: string, shape: number[]): string {
  const [module, ...rest] = name.split('.');
  const owner = module.replace(/_/g, ' ');
  return `the ${owner}'s ${rest.join('.')} weights (${shape.map(grouped).join(' × ')})`;
}

/**
 * Training memory of `c` (a resolved config: vocabulary and image size filled in) with
 * batches of `batchSize` examples and texts of up to `textLength` tokens.
 *   parameters:  4 bytes × P × (weight + gradient + optimizer moments)
 *   activations: 4 bytes × 2 (value and gradient) × Σ saved tensors of one batch, where a
 *                recurrent layer·direction saves B·T·H·(G + saved + 2) values (input
 *                projection, the cell's saved gate values, previous states, outputs), a
 *                conv block its output, ReLU and pooled map.
 */
export function trainingMemory(c: ModelConfig, batchSize: number, textLength: number, optimizer: OptimizerKind): MemoryEstimate {
  const B = batchSize;
  let largest = { bytes: 0, what: '' };
  const tensor = (elements: number, what: string) => {
    const bytes = 4 * elements;
    if (bytes > largest.bytes) largest = { bytes, what };
    return elements;
  };
  let parameters = 0;
  for (const s of modelSpecs(c)) parameters += tensor(s.shape.reduce((a, b) => a * b, 1), describeParameter(s.name, s.shape));
  const parameterBytes = 4 * parameters * (2 + MOMENTS[optimizer]);

  let activations = 0;
  const captioning = c.task === 'captioning';
  const uses = captioning ? { text: true, image: true } : fusionUses(c.fusion);
  const img = c.image;
  if (uses.image && img.encoder === 'cnn') {
    let s = img.imageSize;
    activations += tensor(B * 3 * s * s, 'one batch of images');
    img.channels.forEach((o, k) => {
      activations += 2 * tensor(B * o * s * s, `conv block ${k + 1}'s output for one batch`) + tensor(B * o * (s >> 1) * (s >> 1), `conv block ${k + 1}'s pooled map`);
      s >>= 1;
    });
    activations += tensor(B * cnnFlatSize(img), "the CNN's features") + tensor(B * img.featureSize, 'the image features');
  } else if (uses.image && img.encoder === 'mlp') {
    activations += tensor(B * 3 * img.imageSize * img.imageSize, 'one batch of images') + tensor(B * img.mlpHidden, "the pixel MLP's hidden layer") + tensor(B * img.featureSize, 'the image features');
  } else if (uses.image) {
    activations += tensor(B * img.inputFeatures, 'the precomputed image features') + tensor(B * img.featureSize, 'the image features');
  }
  if (uses.text) {
    const t = c.text;
    const D = t.bidirectional ? 2 : 1;
    const cell = CELLS[t.cell];
    const T = captioning ? c.caption.maxLength + 1 : Math.max(1, textLength);
    const extra = captioning ? (c.fusion === 'early' ? img.featureSize : 0) : FUSIONS[c.fusion].extraTextInput(c);
    activations += tensor(B * T * (t.embeddingSize + extra), 'the embedded batch of texts');
    for (let l = 0; l < t.numLayers; l++) {
      const perDirection = tensor(B * T * cell.gates * t.hiddenSize, `layer ${l + 1}'s gate inputs over ${T} steps`) + tensor(B * T * cell.saved * t.hiddenSize, `layer ${l + 1}'s saved gates over ${T} steps`) + 2 * B * T * t.hiddenSize;
      activations += D * perDirection;
    }
    if (captioning) activations += tensor(B * T * c.outputSize, 'the caption logits of one batch');
  }
  // Head and fusion layers: a few [B, width] tensors, small next to the above but counted.
  activations += B * (c.fusionSize + c.head.hiddenSize + c.outputSize);
  const activationBytes = 4 * 2 * activations;
  return { parameters, parameterBytes, activationBytes, total: parameterBytes + activationBytes, largest };
}

/** What to lower, in the settings' names, given which part of the estimate dominates. */
function advice(c: ModelConfig, e: MemoryEstimate): string {
  if (e.parameterBytes >= e.activationBytes) {
    const uses = c.task === 'captioning' ? { text: true, image: true } : fusionUses(c.fusion);
    if (uses.text) return `Lower the hidden size${c.text.numLayers > 1 ? ', the number of layers' : ''}${c.text.bidirectional ? ', bidirectional' : ''} or the embedding size.`;
    return 'Lower the image feature size, the CNN channels or the image size.';
  }
  return 'Lower the batch size, the maximum text length or the image size.';
}

/**
 * Problems with the estimate against the session budget and, on WebGPU, the adapter's
 * buffer limits (`limits` null on the CPU backend), in plain words; empty when it fits.
 */
export function memoryProblems(c: ModelConfig, e: MemoryEstimate, limits: BufferLimits | null): string[] {
  const problems: string[] = [];
  const fix = advice(c, e);
  if (e.total > TRAINING_MEMORY_BUDGET) {
    problems.push(
      `This model needs about ${formatBytes(e.total)} to train (${compactCount(e.parameters)} parameters: ${formatBytes(e.parameterBytes)} with their gradients and optimizer state, ` +
        `${formatBytes(e.activationBytes)} for one batch; budget ${formatBytes(TRAINING_MEMORY_BUDGET)}). ${fix}`,
    );
  }
  if (limits) {
    const bindable = Math.min(limits.maxBufferSize, limits.maxStorageBufferBindingSize);
    if (e.largest.bytes > bindable) {
      problems.push(`${capitalise(e.largest.what)} would take ${formatBytes(e.largest.bytes)}, more than this GPU allows in one buffer (${formatBytes(bindable)}). ${fix}`);
    }
  }
  return problems;
}

/**
 * Bytes a dataset of `count` pictures of `imageSize`² takes while it is built: the
 * pictures as decoded or generated (RGBA, 1 byte per channel) and as prepared
 * (float32 NCHW, 3 channels).
 */
export function datasetMemory(count: number, imageSize: number): number {
  return count * imageSize * imageSize * (4 + 3 * 4);
}

/**
 * Why a dataset of `count` pictures at `imageSize` cannot be built, with the figures and
 * the largest count that fits; null when it fits. `what` names it ("Shapes & Questions").
 */
export function datasetMemoryProblem(what: string, count: number, imageSize: number, countSetting: string | null): string | null {
  const bytes = datasetMemory(count, imageSize);
  if (bytes <= DATASET_MEMORY_BUDGET) return null;
  const fits = Math.floor(DATASET_MEMORY_BUDGET / datasetMemory(1, imageSize));
  const lower = countSetting ? `Lower ${countSetting} to at most ${grouped(fits)} or the image size.` : `Lower the image size, or use at most ${grouped(fits)} pictures at ${imageSize} × ${imageSize}.`;
  return `${what} with ${grouped(count)} pictures of ${imageSize} × ${imageSize} pixels needs about ${formatBytes(bytes)} of memory (budget ${formatBytes(DATASET_MEMORY_BUDGET)}). ${lower}`;
}

function grouped(n: number): string {
  return n.toLocaleString('en-US');
}

/** 134217728 → "134.2 million"; small counts in full. */
export function compactCount(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toFixed(1)} million` : grouped(n);
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
