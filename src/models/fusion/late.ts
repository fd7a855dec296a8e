// Late fusion: each modality is encoded on its own; the final text state and the image
// feature are concatenated and an MLP head decides:
//   ŷ = MLP([u ; v])
import { concat } from '../../ops/concat.ts';
import { headSpecs } from '../heads.ts';
import { textWidth, type FusionDef } from './types.ts';

export const lateFusion: FusionDef = {
  kind: 'late',
  title: 'Late (concat features)',
  description: 'Text and image are encoded separately; their features are concatenated and a head decides.',
  equation: 'ŷ = head([u ; v])',
  missing: 'Each missing modality is replaced by its learned "missing" vector.',
  extraTextInput: () => 0,
  specs: (c) => headSpecs('head', textWidth(c) + c.image.featureSize, c),
  forward: (ctx) => ctx.head('head', concat([ctx.text({}, true), ctx.image()])),
};
