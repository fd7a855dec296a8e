// The fusion strategies, by kind.
import type { FusionKind } from '../config.ts';
import type { FusionDef } from './types.ts';
import { textFusion } from './text.ts';
import { imageFusion } from './image.ts';
import { earlyFusion } from './early.ts';
import { initFusion } from './init.ts';
import { additiveFusion } from './additive.ts';
import { lateFusion } from './late.ts';
import { weightedFusion } from './weighted.ts';
import { gatedFusion } from './gated.ts';
import { filmFusion } from './film.ts';

export const FUSIONS: Record<FusionKind, FusionDef> = {
  text: textFusion,
  image: imageFusion,
  early: earlyFusion,
  init: initFusion,
  additive: additiveFusion,
  late: lateFusion,
  weighted: weightedFusion,
  gated: gatedFusion,
  film: filmFusion,
};

export type { FusionDef, FusionContext } from './types.ts';
