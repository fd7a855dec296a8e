// Additive fusion: the projected image is added to the recurrent pre-activation of the
// first layer at every step (an external input to the recurrence):
//   a_t = W_ih e(x_t) + b_ih + (W_a v + b_a) + W_hh h_{t−1} + b_hh,   ŷ = head(u)
// W_a has one row per gate and unit (G·H per direction). The ONNX graph and the PyTorch
// module have no such input: they run the first layer on [e(x_t) ; v] with W_ih extended
// by W_a's columns and b_ih + b_a, the same function.
import { split } from '../../ops/concat.ts';
import { CELLS } from '../../ops/recurrent.ts';
import { linear, linearSpecs } from '../params.ts';
import type { ModelConfig } from '../config-types.ts';
import { textWidth, type FusionDef } from './types.ts';

declare module './kinds.ts' {
  interface FusionKinds {
    additive: true;
  }
}

function biasWidth(c: ModelConfig): number {
  return CELLS[c.text.cell].gates * c.text.hiddenSize;
}

export const additiveFusion: FusionDef = {
  kind: 'additive',
  order: 5,
  title: 'Additive (image in every step)',
  description: 'The image feature, projected to the gates, is added to the recurrent pre-activation at every step.',
  equation: 'aₜ = W_ih e(xₜ) + W_hh hₜ₋₁ + b + (W_a v + b_a),  ŷ = head(u)',
  missing: 'Missing image: v is a learned vector. Missing text: a one-token <unk> text, still driven by the image.',
  extraTextInput: () => 0,
  inputBias: true,
  substitutesMissingText: false,
  specs: (c) => {
    const D = c.text.bidirectional ? 2 : 1;
    return linearSpecs('fusion.additive', c.image.featureSize, D * biasWidth(c));
  },
  heads: (c) => ({ head: textWidth(c) }),
  forward: (ctx) => {
    const c = ctx.config;
    const D = c.text.bidirectional ? 2 : 1;
    const bias = linear(ctx.params, 'fusion.additive', ctx.image());
    const inputBias = D === 2 ? split(bias, [biasWidth(c), biasWidth(c)]) : [bias];
    return ctx.head('head', ctx.text({ inputBias }, false));
  },
  onnx: (ctx) => {
    const c = ctx.config;
    const D = c.text.bidirectional ? 2 : 1;
    const GH = biasWidth(c);
    const F = c.image.featureSize;
    const wa = ctx.graph.weight('fusion.additive.weight'); // [D·G·H, F]
    const ba = ctx.graph.weight('fusion.additive.bias'); // [D·G·H]
    const w = Array.from({ length: D }, (_, d) => wa.subarray(d * GH * F, (d + 1) * GH * F));
    const b = Array.from({ length: D }, (_, d) => ba.subarray(d * GH, (d + 1) * GH));
    return ctx.head('head', ctx.text({ extra: ctx.image(), extraSize: F, extraWeights: { w, b } }, false));
  },
  pytorch: {
    parameters: (c, line) => {
      const D = c.text.bidirectional ? 2 : 1;
      line(`self.additive = nn.Linear(${c.image.featureSize}, ${D * biasWidth(c)})  # per direction: one row per gate and unit`);
    },
    forward: (py) => py.line(`return self.head(${py.text(', (v, self.fusion.additive.weight, self.fusion.additive.bias)')})`),
  },
};
