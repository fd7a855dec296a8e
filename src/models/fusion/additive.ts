// Additive fusion: the projected image is added to the recurrent pre-activation of the
// first layer at every step (an external input to the recurrence):
//   a_t = W_ih e(x_t) + b_ih + (W_a v + b_a) + W_hh h_{t−1} + b_hh,   ŷ = head(u)
// W_a has one row per gate and unit (G·H per direction).
import { split } from '../../ops/concat.ts';
import { CELLS } from '../../ops/recurrent.ts';
import { headSpecs } from '../heads.ts';
import { linear, linearSpecs } from '../params.ts';
import type { ModelConfig } from '../config.ts';
import { textWidth, type FusionDef } from './types.ts';

function biasWidth(c: ModelConfig): number {
  return CELLS[c.text.cell].gates * c.text.hiddenSize;
}

export const additiveFusion: FusionDef = {
  kind: 'additive',
  title: 'Additive (image in every step)',
  description: 'The image feature, projected to the gates, is added to the recurrent pre-activation at every step.',
  equation: 'aₜ = W_ih e(xₜ) + W_hh hₜ₋₁ + b + (W_a v + b_a),  ŷ = head(u)',
  missing: 'Missing image: v is a learned vector. Missing text: a one-token <unk> text, still driven by the image.',
  extraTextInput: () => 0,
  specs: (c) => {
    const D = c.text.bidirectional ? 2 : 1;
    return [...linearSpecs('fusion.additive', c.image.featureSize, D * biasWidth(c)), ...headSpecs('head', textWidth(c), c)];
  },
  forward: (ctx) => {
    const c = ctx.config;
    const D = c.text.bidirectional ? 2 : 1;
    const bias = linear(ctx.params, 'fusion.additive', ctx.image());
    const inputBias = D === 2 ? split(bias, [biasWidth(c), biasWidth(c)]) : [bias];
    return ctx.head('head', ctx.text({ inputBias }, false));
  },
};
