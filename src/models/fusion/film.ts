// FiLM (Perez et al., 2018): the image produces a per-unit scale and shift applied to the
// text hidden state, a multiplicative interaction the concatenating strategies lack:
//   γ = W_γ v + b_γ,  β = W_β v + b_β,  ũ = (1 + γ) ⊙ u + β,  ŷ = head(ũ)
// Applying it to every hidden state of the last layer and reading the final one gives
// the same ũ, so it is applied to the final states directly. γ is centred at 0 so the
// untrained layer starts as the identity scale.
import { add, mul } from '../../ops/elementwise.ts';
import { linear, linearSpecs } from '../params.ts';
import { textWidth, type FusionDef } from './types.ts';

declare module './kinds.ts' {
  interface FusionKinds {
    film: true;
  }
}

export const filmFusion: FusionDef = {
  kind: 'film',
  order: 9,
  title: 'FiLM (image scales text)',
  description: 'The image produces a per-unit scale and shift applied to the text hidden state.',
  equation: 'γ = W_γ v + b_γ,  β = W_β v + b_β,  ũ = (1 + γ) ⊙ u + β,  ŷ = head(ũ)',
  missing: 'Missing image: v is a learned vector. Missing text: u is a learned vector, then modulated by the image.',
  extraTextInput: () => 0,
  substitutesMissingText: true,
  specs: (c) => [...linearSpecs('fusion.gamma', c.image.featureSize, textWidth(c)), ...linearSpecs('fusion.beta', c.image.featureSize, textWidth(c))],
  heads: (c) => ({ head: textWidth(c) }),
  forward: (ctx) => {
    const v = ctx.image();
    const u = ctx.text({}, true);
    const gamma = linear(ctx.params, 'fusion.gamma', v);
    const beta = linear(ctx.params, 'fusion.beta', v);
    return ctx.head('head', add(add(u, mul(gamma, u)), beta));
  },
  onnx: (ctx) => {
    const g = ctx.graph;
    const u = ctx.text({}, true);
    const gamma = g.linear('fusion.gamma', ctx.image());
    const beta = g.linear('fusion.beta', ctx.image());
    const scaled = g.node('Add', [u, g.node('Mul', [gamma, u], 'fusion.gamma_u')], 'fusion.scaled');
    return ctx.head('head', g.node('Add', [scaled, beta], 'fusion.modulated'));
  },
  pytorch: {
    parameters: (c, line) => {
      line(`self.gamma = nn.Linear(${c.image.featureSize}, ${textWidth(c)})`);
      line(`self.beta = nn.Linear(${c.image.featureSize}, ${textWidth(c)})`);
    },
    forward: (py) => {
      const u = py.substitutedText();
      py.line('gamma, beta = self.fusion.gamma(v), self.fusion.beta(v)');
      py.line(`return self.head(${u} + gamma * ${u} + beta)  # (1 + gamma) * u + beta`);
    },
  },
};
