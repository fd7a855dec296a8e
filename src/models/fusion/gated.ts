// Gated multimodal unit (Arevalo et al., 2017): both features are projected to a common
// width and a learned sigmoid gate chooses, per unit and example, how much of each:
//   h_t = tanh(W_t u),  h_v = tanh(W_v v),  z = σ(W_z [u ; v]),
//   h = z ⊙ h_t + (1 − z) ⊙ h_v = h_v + z ⊙ (h_t − h_v),   ŷ = head(h)
import { concat } from '../../ops/concat.ts';
import { add, mul, sub } from '../../ops/elementwise.ts';
import { linear, linearSpecs } from '../params.ts';
import { textWidth, type FusionDef } from './types.ts';

declare module './kinds.ts' {
  interface FusionKinds {
    gated: true;
  }
}

export const gatedFusion: FusionDef = {
  kind: 'gated',
  order: 8,
  title: 'Gated (GMU)',
  description: 'A learned sigmoid gate mixes the projected text and image features unit by unit.',
  equation: 'z = σ(W_z[u ; v]),  h = z ⊙ tanh(W_t u) + (1 − z) ⊙ tanh(W_v v),  ŷ = head(h)',
  missing: 'Each missing modality is replaced by its learned "missing" vector; the gate can learn to ignore it.',
  extraTextInput: () => 0,
  usesFusionSize: true,
  substitutesMissingText: true,
  specs: (c) => [
    ...linearSpecs('fusion.text_proj', textWidth(c), c.fusionSize),
    ...linearSpecs('fusion.image_proj', c.image.featureSize, c.fusionSize),
    ...linearSpecs('fusion.gate', textWidth(c) + c.image.featureSize, c.fusionSize),
  ],
  heads: (c) => ({ head: c.fusionSize }),
  forward: (ctx) => {
    const u = ctx.text({}, true);
    const v = ctx.image();
    const ht = linear(ctx.params, 'fusion.text_proj', u, 'tanh');
    const hv = linear(ctx.params, 'fusion.image_proj', v, 'tanh');
    const z = linear(ctx.params, 'fusion.gate', concat([u, v]), 'sigmoid');
    return ctx.head('head', add(hv, mul(z, sub(ht, hv))));
  },
  onnx: (ctx) => {
    const g = ctx.graph;
    const u = ctx.text({}, true);
    const v = ctx.image();
    const ht = g.linear('fusion.text_proj', u, 'tanh');
    const hv = g.linear('fusion.image_proj', v, 'tanh');
    const z = g.linear('fusion.gate', g.node('Concat', [u, v], 'fusion.uv', { axis: 1 }), 'sigmoid');
    return ctx.head('head', g.node('Add', [hv, g.node('Mul', [z, g.node('Sub', [ht, hv], 'fusion.diff')], 'fusion.gated')], 'fusion.mix'));
  },
  pytorch: {
    parameters: (c, line) => {
      line(`self.text_proj = nn.Linear(${textWidth(c)}, ${c.fusionSize})`);
      line(`self.image_proj = nn.Linear(${c.image.featureSize}, ${c.fusionSize})`);
      line(`self.gate = nn.Linear(${textWidth(c) + c.image.featureSize}, ${c.fusionSize})`);
    },
    forward: (py) => {
      const u = py.substitutedText();
      py.line(`ht = torch.tanh(self.fusion.text_proj(${u}))`);
      py.line('hv = torch.tanh(self.fusion.image_proj(v))');
      py.line(`z = torch.sigmoid(self.fusion.gate(torch.cat([${u}, v], dim=1)))`);
      py.line('return self.head(hv + z * (ht - hv))  # z * ht + (1 - z) * hv');
    },
  },
};
