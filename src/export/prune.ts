// Magnitude pruning, per tensor: in each chosen weight tensor of n values the
// round(sparsity · n) values of smallest |w| become 0 (ties: the lower index goes first).
// Per tensor rather than one global threshold, so that every layer keeps the same share
// of its weights and no small layer is emptied by a large one's scale. Works on a copy;
// the weights passed in are never changed.
import type { ModelConfig } from '../models/config.ts';
import { modelSpecs } from '../models/model.ts';

/**
 * The model's weight matrices that pruning and int8 export compress: every parameter of
 * two or more axes (Linear, Conv, embedding, recurrent W_ih / W_hh weights). Biases,
 * missing-modality vectors and peephole vectors (one axis) stay as they are.
 */
export function compressibleParams(config: ModelConfig): string[] {
  return modelSpecs(config)
    .filter((s) => s.shape.length >= 2)
    .map((s) => s.name);
}

/** Zeroes the round(sparsity · n) smallest-|w| values of `data` (a new array). */
export function pruneTensor(data: Float32Array, sparsity: number): Float32Array {
  if (!(sparsity >= 0 && sparsity <= 1)) throw new Error(`Pruning: sparsity ${sparsity} is not between 0 and 1`);
  const out = Float32Array.from(data);
  const k = Math.round(sparsity * data.length);
  if (k === 0) return out;
  const order = Array.from({ length: data.length }, (_, i) => i);
  order.sort((a, b) => Math.abs(data[a]) - Math.abs(data[b]) || a - b);
  for (let i = 0; i < k; i++) out[order[i]] = 0;
  return out;
}

/** A copy of `weights` with each tensor named in `names` pruned to `sparsity`; others are shared. */
export function pruneWeights(weights: Record<string, Float32Array>, names: readonly string[], sparsity: number): Record<string, Float32Array> {
  const out = { ...weights };
  for (const name of names) {
    const w = weights[name];
    if (!w) throw new Error(`Pruning: the model has no parameter "${name}"`);
    out[name] = pruneTensor(w, sparsity);
  }
  return out;
}

/** Zeros among the tensors named in `names`, and their total size. */
export function countZeros(weights: Record<string, Float32Array>, names: readonly string[]): { zeros: number; total: number } {
  let zeros = 0;
  let total = 0;
  for (const name of names) {
    const w = weights[name];
    total += w.length;
    for (let i = 0; i < w.length; i++) if (w[i] === 0) zeros++;
  }
  return { zeros, total };
}
