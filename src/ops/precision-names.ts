// The training precisions by name (src/ops/precision.ts runs them), in a file of their
// own so that the page (URL, Train panel) can name them without loading the kernels.

/** 'f16' is "f16 weights" (URL `precision=f16`); 'f16-arithmetic' needs shader-f16. */
export type Precision = 'f32' | 'f16' | 'f16-arithmetic';
export const PRECISIONS: readonly Precision[] = ['f32', 'f16', 'f16-arithmetic'];

/** Words for the UI and the Performance section. */
export const PRECISION_LABELS: Record<Precision, string> = {
  f32: 'f32',
  f16: 'f16 weights',
  'f16-arithmetic': 'f16 arithmetic',
};

/** Why an adapter with these features cannot run `p`, or null when it can. */
export function precisionUnavailableFor(features: ReadonlySet<string> | readonly string[], p: Precision): string | null {
  const has = (f: string) => ('has' in features ? features.has(f) : features.includes(f));
  if (p === 'f16-arithmetic' && !has('shader-f16')) return 'this GPU has no shader-f16';
  return null;
}
