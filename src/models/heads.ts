// Output heads: x [B, in] → [B, outputSize]. With head.hiddenSize > 0 the head is an
// MLP, ŷ = W₂·ReLU(W₁·drop(x) + b₁) + b₂; otherwise one Linear, ŷ = W·drop(x) + b.
// The task decides how ŷ is read: logits (classification, multilabel) or the
// standardised value (regression).
import type { Tensor } from '../tensor.ts';
import { dropout } from '../ops/dropout.ts';
import type { ModelConfig } from './config.ts';
import { linear, linearSpecs, type ParamSpec, type Params } from './params.ts';

export function headSpecs(prefix: string, inSize: number, c: ModelConfig): ParamSpec[] {
  if (c.head.hiddenSize > 0) {
    return [...linearSpecs(`${prefix}.fc1`, inSize, c.head.hiddenSize), ...linearSpecs(`${prefix}.fc2`, c.head.hiddenSize, c.outputSize)];
  }
  return linearSpecs(`${prefix}.fc`, inSize, c.outputSize);
}

export function applyHead(params: Params, prefix: string, x: Tensor, c: ModelConfig, training: boolean, seed: number): Tensor {
  const input = training && c.head.dropout > 0 ? dropout(x, c.head.dropout, seed, true) : x;
  if (c.head.hiddenSize > 0) return linear(params, `${prefix}.fc2`, linear(params, `${prefix}.fc1`, input, 'relu'));
  return linear(params, `${prefix}.fc`, input);
}
