// Image only (baseline): ŷ = head(v), v = image encoder feature. The text is never read.
import type { FusionDef } from './types.ts';

declare module './kinds.ts' {
  interface FusionKinds {
    image: true;
  }
}

export const imageFusion: FusionDef = {
  kind: 'image',
  order: 2,
  title: 'Image only',
  description: 'Baseline: the image encoder alone; the text is ignored.',
  equation: 'ŷ = head(v),  v = encoder(image)',
  missing: 'A row without an image uses a learned "missing image" vector for v.',
  extraTextInput: () => 0,
  substitutesMissingText: false,
  specs: () => [],
  heads: (c) => ({ head: c.image.featureSize }),
  forward: (ctx) => ctx.head('head', ctx.image()),
  onnx: (ctx) => ctx.head('head', ctx.image()),
  pytorch: {
    forward: (py) => py.line('return self.head(v)'),
  },
};
