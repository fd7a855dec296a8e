// Weighted average of unimodal predictions: a text-only head and an image-only head,
// mixed by one learned weight w = σ(α):
//   ŷ = w · head_t(u) + (1 − w) · head_v(v)
// (computed as head_v(v) + w · (head_t(u) − head_v(v))). α starts at 0 (w = ½).
import { add, mul, sub } from '../../ops/elementwise.ts';
import { sigmoid } from '../../ops/activation.ts';
import { headSpecs } from '../heads.ts';
import { textWidth, type FusionDef } from './types.ts';

export const weightedFusion: FusionDef = {
  kind: 'weighted',
  title: 'Weighted average',
  description: 'Two unimodal predictors (text, image) averaged with one learned weight.',
  equation: 'ŷ = σ(α)·head_t(u) + (1 − σ(α))·head_v(v)',
  missing: 'Each missing modality is replaced by its learned "missing" vector before its head.',
  extraTextInput: () => 0,
  specs: (c) => [
    { name: 'fusion.alpha', shape: [], init: { kind: 'constant', value: 0 } },
    ...headSpecs('text_head', textWidth(c), c),
    ...headSpecs('image_head', c.image.featureSize, c),
  ],
  forward: (ctx) => {
    const yt = ctx.head('text_head', ctx.text({}, true));
    const yv = ctx.head('image_head', ctx.image());
    const w = sigmoid(ctx.params.get('fusion.alpha'));
    return add(yv, mul(sub(yt, yv), w));
  },
};
