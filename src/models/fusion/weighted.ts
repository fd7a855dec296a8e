// Weighted average of unimodal predictions: a text-only head and an image-only head,
// mixed by one learned weight w = σ(α):
//   ŷ = w · head_t(u) + (1 − w) · head_v(v)
// (computed as head_v(v) + w · (head_t(u) − head_v(v))). α starts at 0 (w = ½).
import { add, mul, sub } from '../../ops/elementwise.ts';
import { sigmoid } from '../../ops/activation.ts';
import { textWidth, type FusionDef } from './types.ts';

declare module './kinds.ts' {
  interface FusionKinds {
    weighted: true;
  }
}

export const weightedFusion: FusionDef = {
  kind: 'weighted',
  order: 7,
  title: 'Weighted average',
  description: 'Two unimodal predictors (text, image) averaged with one learned weight.',
  equation: 'ŷ = σ(α)·head_t(u) + (1 − σ(α))·head_v(v)',
  missing: 'Each missing modality is replaced by its learned "missing" vector before its head.',
  extraTextInput: () => 0,
  substitutesMissingText: true,
  specs: () => [{ name: 'fusion.alpha', shape: [], init: { kind: 'constant', value: 0 } }],
  heads: (c) => ({ text_head: textWidth(c), image_head: c.image.featureSize }),
  forward: (ctx) => {
    const yt = ctx.head('text_head', ctx.text({}, true));
    const yv = ctx.head('image_head', ctx.image());
    const w = sigmoid(ctx.params.get('fusion.alpha'));
    return add(yv, mul(sub(yt, yv), w));
  },
  onnx: (ctx) => {
    const g = ctx.graph;
    const yt = ctx.head('text_head', ctx.text({}, true));
    const yv = ctx.head('image_head', ctx.image());
    const w = g.node('Sigmoid', [g.param('fusion.alpha')], 'fusion.weight');
    return g.node('Add', [yv, g.node('Mul', [g.node('Sub', [yt, yv], 'fusion.diff'), w], 'fusion.weighted')], 'fusion.mix');
  },
  pytorch: {
    parameters: (_, line) => line('self.alpha = nn.Parameter(torch.zeros(()))  # weight of the text head: sigmoid(alpha)'),
    forward: (py) => {
      const u = py.substitutedText();
      py.line(`yt, yv = self.text_head(${u}), self.image_head(v)`);
      py.line('return yv + (yt - yv) * torch.sigmoid(self.fusion.alpha)  # sigmoid(alpha) * yt + (1 - sigmoid(alpha)) * yv');
    },
  },
};
