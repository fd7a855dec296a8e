// Early fusion: the image feature is concatenated to every token embedding, so the
// recurrence sees both modalities from the first step:
//   x'_t = [e(x_t) ; v],   u = RNN(x'_1 … x'_T),   ŷ = head(u)
import { headSpecs } from '../heads.ts';
import { textWidth, type FusionDef } from './types.ts';

export const earlyFusion: FusionDef = {
  kind: 'early',
  title: 'Early (concat per token)',
  description: 'The image feature is concatenated to every token embedding before the recurrent layer.',
  equation: "x'ₜ = [e(xₜ) ; v],  u = RNN(x'₁…x'_T),  ŷ = head(u)",
  missing: 'Missing image: v is a learned vector. Missing text: a one-token <unk> text, so the image still flows through the RNN.',
  extraTextInput: (c) => c.image.featureSize,
  specs: (c) => headSpecs('head', textWidth(c), c),
  forward: (ctx) => ctx.head('head', ctx.text({ extraInput: ctx.image() }, false)),
};
