// Early fusion: the image feature is concatenated to every token embedding, so the
// recurrence sees both modalities from the first step:
//   x'_t = [e(x_t) ; v],   u = RNN(x'_1 … x'_T),   ŷ = head(u)
import { textWidth, type FusionDef } from './types.ts';

declare module './kinds.ts' {
  interface FusionKinds {
    early: true;
  }
}

export const earlyFusion: FusionDef = {
  kind: 'early',
  order: 3,
  title: 'Early (concat per token)',
  description: 'The image feature is concatenated to every token embedding before the recurrent layer.',
  equation: "x'ₜ = [e(xₜ) ; v],  u = RNN(x'₁…x'_T),  ŷ = head(u)",
  missing: 'Missing image: v is a learned vector. Missing text: a one-token <unk> text, so the image still flows through the RNN.',
  extraTextInput: (c) => c.image.featureSize,
  substitutesMissingText: false,
  specs: () => [],
  heads: (c) => ({ head: textWidth(c) }),
  forward: (ctx) => ctx.head('head', ctx.text({ extraInput: ctx.image() }, false)),
  onnx: (ctx) => ctx.head('head', ctx.text({ extra: ctx.image(), extraSize: ctx.config.image.featureSize }, false)),
  pytorch: {
    forward: (py) => py.line(`return self.head(${py.text(', v')})  # x'_t = [e(x_t) ; v]`),
  },
};
