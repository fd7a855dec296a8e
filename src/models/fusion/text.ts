// Text only (baseline): ŷ = head(u), u = final state of the text RNN. The image is never
// read, so this shows how far the words alone go.
import { headSpecs } from '../heads.ts';
import { textWidth, type FusionDef } from './types.ts';

export const textFusion: FusionDef = {
  kind: 'text',
  title: 'Text only',
  description: 'Baseline: the recurrent text encoder alone; the image is ignored.',
  equation: 'ŷ = head(u),  u = RNN(embed(x₁…x_T))',
  missing: 'A row without text uses a learned "missing text" vector for u.',
  extraTextInput: () => 0,
  specs: (c) => headSpecs('head', textWidth(c), c),
  forward: (ctx) => ctx.head('head', ctx.text({}, true)),
};
