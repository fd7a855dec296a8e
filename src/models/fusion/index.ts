// The fusion strategies, by kind: every strategy file in this folder (one FusionDef
// exported per file), in their `order`. A new strategy is one new file here.
import type { FusionKind } from './kinds.ts';
import type { FusionDef } from './types.ts';

const modules = import.meta.glob<Record<string, FusionDef>>(['./*.ts', '!./index.ts', '!./kinds.ts', '!./types.ts', '!./*.test.ts', '!./*.support.ts'], { eager: true });

const defs = Object.values(modules)
  .flatMap((m) => Object.values(m).filter((d) => typeof d === 'object' && d !== null && 'kind' in d && 'forward' in d))
  .sort((a, b) => a.order - b.order);

export const FUSIONS = Object.fromEntries(defs.map((d) => [d.kind, d])) as Record<FusionKind, FusionDef>;

/** Every strategy's name, in the order the UI lists them. */
export const FUSION_KINDS: readonly FusionKind[] = defs.map((d) => d.kind);

export type { FusionKind } from './kinds.ts';
export type { FusionDef, FusionContext, FusionOnnxContext, FusionPythonContext } from './types.ts';
