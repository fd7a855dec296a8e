// Text only (baseline): ŷ = head(u), u = final state of the text RNN. The image is never
// read, so this shows how far the words alone go.
import { textWidth, type FusionDef } from './types.ts';

declare module './kinds.ts' {
  interface FusionKinds {
    text: true;
  }
}

export const textFusion: FusionDef = {
  kind: 'text',
  order: 1,
  title: 'Text only',
  description: 'Baseline: the recurrent text encoder alone; the image is ignored.',
  equation: 'ŷ = head(u),  u = RNN(embed(x₁…x_T))',
  missing: 'A row without text uses a learned "missing text" vector for u.',
  extraTextInput: () => 0,
  substitutesMissingText: true,
  specs: () => [],
  heads: (c) => ({ head: textWidth(c) }),
  forward: (ctx) => ctx.head('head', ctx.text({}, true)),
  onnx: (ctx) => ctx.head('head', ctx.text({}, true)),
  pytorch: {
    forward: (py) => {
      const u = py.substitutedText();
      py.line(`return self.head(${u})`);
    },
  },
};
