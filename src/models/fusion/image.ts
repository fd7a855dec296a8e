// Image only (baseline): ŷ = head(v), v = image encoder feature. The text is never read.
import { headSpecs } from '../heads.ts';
import type { FusionDef } from './types.ts';

export const imageFusion: FusionDef = {
  kind: 'image',
  title: 'Image only',
  description: 'Baseline: the image encoder alone; the text is ignored.',
  equation: 'ŷ = head(v),  v = encoder(image)',
  missing: 'A row without an image uses a learned "missing image" vector for v.',
  extraTextInput: () => 0,
  specs: (c) => headSpecs('head', c.image.featureSize, c),
  forward: (ctx) => ctx.head('head', ctx.image()),
};
