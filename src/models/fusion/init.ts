// Init fusion: the image sets the initial state of every recurrent layer and direction:
//   h₀ = tanh(W_h v + b_h)   (and c₀ = tanh(W_c v + b_c) for the LSTM),
//   u = RNN(e(x₁) … e(x_T); h₀, c₀),   ŷ = head(u)
import type { Tensor } from '../../tensor.ts';
import { split } from '../../ops/concat.ts';
import { headSpecs } from '../heads.ts';
import { linear, linearSpecs } from '../params.ts';
import type { ModelConfig } from '../config.ts';
import { textWidth, type FusionDef } from './types.ts';

/** Number of [B, H] initial states (layers × directions). */
function stateCount(c: ModelConfig): number {
  return c.text.numLayers * (c.text.bidirectional ? 2 : 1);
}

export const initFusion: FusionDef = {
  kind: 'init',
  title: 'Init (image → initial state)',
  description: 'The image feature, projected, becomes the initial hidden (and cell) state of the recurrent layers.',
  equation: 'h₀ = tanh(W_h v + b_h),  c₀ = tanh(W_c v + b_c),  u = RNN(e(x); h₀, c₀),  ŷ = head(u)',
  missing: 'Missing image: v is a learned vector. Missing text: a one-token <unk> text read from the image-given state.',
  extraTextInput: () => 0,
  specs: (c) => {
    const n = stateCount(c) * c.text.hiddenSize;
    const specs = [...linearSpecs('fusion.init_h', c.image.featureSize, n)];
    if (c.text.cell === 'lstm') specs.push(...linearSpecs('fusion.init_c', c.image.featureSize, n));
    return [...specs, ...headSpecs('head', textWidth(c), c)];
  },
  forward: (ctx) => {
    const c = ctx.config;
    const v = ctx.image();
    const sizes = new Array<number>(stateCount(c)).fill(c.text.hiddenSize);
    const h0: Tensor[] = split(linear(ctx.params, 'fusion.init_h', v, 'tanh'), sizes);
    const c0 = c.text.cell === 'lstm' ? split(linear(ctx.params, 'fusion.init_c', v, 'tanh'), sizes) : undefined;
    return ctx.head('head', ctx.text({ h0, c0 }, false));
  },
};
