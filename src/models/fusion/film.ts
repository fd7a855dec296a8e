// FiLM (Perez et al., 2018): the image produces a per-unit scale and shift applied to the
// text hidden state, a multiplicative interaction the concatenating strategies lack:
//   γ = W_γ v + b_γ,  β = W_β v + b_β,  ũ = (1 + γ) ⊙ u + β,  ŷ = head(ũ)
// Applying it to every hidden state of the last layer and reading the final one gives
// the same ũ, so it is applied to the final states directly. γ is centred at 0 so the
// untrained layer starts as the identity scale.
import { add, mul } from '../../ops/elementwise.ts';
import { headSpecs } from '../heads.ts';
import { linear, linearSpecs } from '../params.ts';
import { textWidth, type FusionDef } from './types.ts';

export const filmFusion: FusionDef = {
  kind: 'film',
  title: 'FiLM (image scales text)',
  description: 'The image produces a per-unit scale and shift applied to the text hidden state.',
  equation: 'γ = W_γ v + b_γ,  β = W_β v + b_β,  ũ = (1 + γ) ⊙ u + β,  ŷ = head(ũ)',
  missing: 'Missing image: v is a learned vector. Missing text: u is a learned vector, then modulated by the image.',
  extraTextInput: () => 0,
  specs: (c) => [
    ...linearSpecs('fusion.gamma', c.image.featureSize, textWidth(c)),
    ...linearSpecs('fusion.beta', c.image.featureSize, textWidth(c)),
    ...headSpecs('head', textWidth(c), c),
  ],
  forward: (ctx) => {
    const v = ctx.image();
    const u = ctx.text({}, true);
    const gamma = linear(ctx.params, 'fusion.gamma', v);
    const beta = linear(ctx.params, 'fusion.beta', v);
    return ctx.head('head', add(add(u, mul(gamma, u)), beta));
  },
};
