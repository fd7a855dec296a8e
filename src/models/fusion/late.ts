// Late fusion: each modality is encoded on its own; the final text state and the image
// feature are concatenated and an MLP head decides:
//   ŷ = MLP([u ; v])
import { concat } from '../../ops/concat.ts';
import { textWidth, type FusionDef } from './types.ts';

declare module './kinds.ts' {
  interface FusionKinds {
    late: true;
  }
}

export const lateFusion: FusionDef = {
  kind: 'late',
  order: 6,
  title: 'Late (concat features)',
  description: 'Text and image are encoded separately; their features are concatenated and a head decides.',
  equation: 'ŷ = head([u ; v])',
  missing: 'Each missing modality is replaced by its learned "missing" vector.',
  extraTextInput: () => 0,
  substitutesMissingText: true,
  specs: () => [],
  heads: (c) => ({ head: textWidth(c) + c.image.featureSize }),
  forward: (ctx) => ctx.head('head', concat([ctx.text({}, true), ctx.image()])),
  onnx: (ctx) => ctx.head('head', ctx.graph.node('Concat', [ctx.text({}, true), ctx.image()], 'fusion.concat', { axis: 1 })),
  pytorch: {
    forward: (py) => {
      const u = py.substitutedText();
      py.line(`return self.head(torch.cat([${u}, v], dim=1))`);
    },
  },
};
