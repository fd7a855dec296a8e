// Per-step statistics as columns of typed arrays, the form a saved session stores them in.
// A session keeps up to 20,000 step records; as objects (each with three small arrays)
// the browser's structured clone into IndexedDB took 150–280 ms of main-thread time per
// autosave, long enough to stall the page while a fast run trains. As columns it is a
// few copies of typed arrays. Lossless: every number is a float64, NaN included, and a
// record without `timeShare` comes back without it.
import type { StepStats } from '../train/trainer.ts';

/** One ragged array field: row k's values are `values[offsets[k] … offsets[k + 1])`. */
export interface RaggedColumn {
  offsets: Uint32Array;
  values: Float64Array;
}

export interface StepColumns {
  format: 'columns';
  count: number;
  step: Float64Array;
  epoch: Float64Array;
  loss: Float64Array;
  lr: Float64Array;
  gradNorm: Float64Array;
  layerNorms: RaggedColumn;
  timeNorms: RaggedColumn;
  timeShare: RaggedColumn;
  /** 1 where the record had `timeShare` (older records have none). */
  hasTimeShare: Uint8Array;
}

function packRagged(rows: readonly (readonly number[])[]): RaggedColumn {
  const offsets = new Uint32Array(rows.length + 1);
  for (let k = 0; k < rows.length; k++) offsets[k + 1] = offsets[k] + rows[k].length;
  const values = new Float64Array(offsets[rows.length]);
  for (let k = 0; k < rows.length; k++) values.set(rows[k], offsets[k]);
  return { offsets, values };
}

function row(c: RaggedColumn, k: number): number[] {
  return Array.from(c.values.subarray(c.offsets[k], c.offsets[k + 1]));
}

export function packSteps(steps: readonly StepStats[]): StepColumns {
  const n = steps.length;
  const scalar = (get: (s: StepStats) => number) => Float64Array.from(steps, get);
  return {
    format: 'columns',
    count: n,
    step: scalar((s) => s.step),
    epoch: scalar((s) => s.epoch),
    loss: scalar((s) => s.loss),
    lr: scalar((s) => s.lr),
    gradNorm: scalar((s) => s.gradNorm),
    layerNorms: packRagged(steps.map((s) => s.layerNorms)),
    timeNorms: packRagged(steps.map((s) => s.timeNorms)),
    timeShare: packRagged(steps.map((s) => s.timeShare ?? [])),
    hasTimeShare: Uint8Array.from(steps, (s) => (s.timeShare ? 1 : 0)),
  };
}

/** Step records from columns; records (the form sessions saved before columns) pass through. */
export function unpackSteps(stored: StepColumns | StepStats[]): StepStats[] {
  if (Array.isArray(stored)) return stored;
  const out: StepStats[] = new Array<StepStats>(stored.count);
  for (let k = 0; k < stored.count; k++) {
    const s: StepStats = {
      step: stored.step[k],
      epoch: stored.epoch[k],
      loss: stored.loss[k],
      lr: stored.lr[k],
      gradNorm: stored.gradNorm[k],
      layerNorms: row(stored.layerNorms, k),
      timeNorms: row(stored.timeNorms, k),
    };
    if (stored.hasTimeShare[k]) s.timeShare = row(stored.timeShare, k);
    out[k] = s;
  }
  return out;
}

/** A stored steps value is usable: records, or columns whose lengths agree. */
export function validStoredSteps(v: unknown): boolean {
  if (Array.isArray(v)) return true;
  const c = v as Partial<StepColumns> | null;
  if (!c || c.format !== 'columns' || typeof c.count !== 'number') return false;
  const n = c.count;
  const scalars = [c.step, c.epoch, c.loss, c.lr, c.gradNorm];
  if (!scalars.every((a) => a instanceof Float64Array && a.length === n)) return false;
  if (!(c.hasTimeShare instanceof Uint8Array) || c.hasTimeShare.length !== n) return false;
  return [c.layerNorms, c.timeNorms, c.timeShare].every(
    (r) => !!r && r.offsets instanceof Uint32Array && r.offsets.length === n + 1 && r.offsets[0] === 0 && r.offsets.every((o, k) => k === 0 || o >= r.offsets[k - 1]) &&
      r.values instanceof Float64Array && r.values.length === r.offsets[n],
  );
}
