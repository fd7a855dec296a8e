// What a gradient-over-time profile says: the per-step profiles of recent training steps
// (StepStats.timeNorms, by distance from the last real token) averaged into one, and
// judged "vanishing" or "exploding" only over positions that enough texts reach.

/** Recent steps averaged into one gradient-over-time profile. */
export const PROFILE_STEPS = 16;

/**
 * Positions reached by fewer than this share of the examples are drawn but not judged:
 * there the mean rests on a few long texts.
 */
export const MIN_JUDGED_SHARE = 0.25;

/**
 * A profile whose typical change per step, compounded over the judged span, falls (rises)
 * by more than this factor — three orders of magnitude — is called vanishing (exploding).
 * An untrained or failing tanh RNN over 60 words falls by ~10¹⁵; a gated cell by 10–100×,
 * a rate at which the first word still receives a usable gradient.
 */
export const JUDGE_FACTOR = 1000;

/** The gradient-over-time profile of recent steps and what it says. */
export interface TimeProfile {
  /** Mean over the steps that reached k of their norm at k (NaN where none did); index k = tokens before the last. */
  mean: Float64Array;
  /** Mean share of the examples that reach k. */
  share: Float64Array;
  /** Steps averaged. */
  steps: number;
  /** Farthest k that at least MIN_JUDGED_SHARE of the examples reach (with a finite mean); null if none beyond k = 0. */
  judgedUpTo: number | null;
  /** mean[judgedUpTo] ÷ mean[0]: the gradient at the earliest judged word relative to the last word. */
  ratio: number | null;
  /** Median of mean[k + 1] ÷ mean[k] over the judged span: the typical change per step back in time. */
  perStep: number | null;
  /** perStep^judgedUpTo: that change compounded over the judged span. */
  trend: number | null;
  verdict: 'vanishing' | 'exploding' | null;
}

/**
 * Averages recent rows of per-step profiles (`norms[k]`, NaN = absent) and their shares
 * into one profile, and judges it only over positions that enough examples reach.
 *
 * The verdict rests on the median step-to-step ratio, not on first ÷ last alone: a
 * trained gated cell keeps a sharp bump at the last few words (they reach the output
 * through few gates) and is flat beyond it, so first ÷ last can span orders of magnitude
 * while the gradient no longer decays with distance. A vanishing gradient decays at a
 * steady rate per step, which the median sees whatever the bump.
 */
export function timeProfile(norms: { values: ArrayLike<number> }[], shares: { values: ArrayLike<number> }[]): TimeProfile {
  const K = norms[0]?.values.length ?? 0;
  const mean = new Float64Array(K);
  const share = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    let sum = 0;
    let n = 0;
    for (const r of norms) {
      const v = r.values[k];
      if (Number.isFinite(v)) {
        sum += v;
        n++;
      }
    }
    mean[k] = n > 0 ? sum / n : NaN;
    let s = 0;
    for (const r of shares) s += Number.isFinite(r.values[k]) ? r.values[k] : 0;
    share[k] = shares.length ? s / shares.length : 0;
  }
  let judgedUpTo: number | null = null;
  // A mean of exactly 0 counts: the gradient fell below float32's range (it vanished).
  for (let k = K - 1; k > 0; k--) {
    if (share[k] >= MIN_JUDGED_SHARE && mean[k] >= 0) {
      judgedUpTo = k;
      break;
    }
  }
  const empty = { mean, share, steps: norms.length, judgedUpTo, ratio: null, perStep: null, trend: null, verdict: null };
  if (judgedUpTo === null || !(mean[0] > 0)) return empty;
  const steps: number[] = [];
  for (let k = 0; k < judgedUpTo; k++) if (mean[k] > 0 && mean[k + 1] >= 0) steps.push(mean[k + 1] / mean[k]);
  if (steps.length === 0) return empty;
  steps.sort((a, b) => a - b);
  const mid = steps.length >> 1;
  const perStep = steps.length % 2 ? steps[mid] : Math.sqrt(steps[mid - 1] * steps[mid]);
  const trend = perStep ** judgedUpTo;
  const verdict = trend < 1 / JUDGE_FACTOR ? 'vanishing' : trend > JUDGE_FACTOR ? 'exploding' : null;
  return { mean, share, steps: norms.length, judgedUpTo, ratio: mean[judgedUpTo] / mean[0], perStep, trend, verdict };
}
