// Axis ticks chosen by us rather than by recharts, so that every tick label is distinct
// and readable: "nice" steps (1, 2, 2.5, 5 × 10ⁿ) on linear axes, whole numbers on integer
// axes, powers of ten on log axes, and labels with as many digits as the step needs.

export interface AxisTicks {
  ticks: number[];
  domain: [number, number];
  format: (v: number) => string;
}

function niceStep(raw: number): number {
  const p = 10 ** Math.floor(Math.log10(raw));
  const f = raw / p;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * p;
}

/** Drops ticks whose label repeats an earlier one (a safety net; the formats below avoid it). */
function distinct(ticks: number[], format: (v: number) => string): number[] {
  const seen = new Set<string>();
  return ticks.filter((t) => {
    const label = format(t);
    if (seen.has(label)) return false;
    seen.add(label);
    return true;
  });
}

/** A formatter with enough digits to tell ticks `step` apart up to magnitude `max`. */
function stepFormat(step: number, max: number): (v: number) => string {
  const stepExp = Math.floor(Math.log10(step) + 1e-9);
  const maxExp = Math.floor(Math.log10(Math.max(max, step)) + 1e-9);
  const quarter = Math.abs(step / 10 ** stepExp - 2.5) < 1e-9 ? 1 : 0;
  if (maxExp >= 6 || maxExp <= -4) {
    const digits = Math.max(0, maxExp - stepExp + quarter);
    return (v) => (v === 0 ? '0' : v.toExponential(digits).replace('e+', 'e'));
  }
  const decimals = Math.max(0, -stepExp + quarter);
  return (v) => {
    const s = v.toFixed(decimals);
    return Number(s) === 0 ? '0' : String(Number(s));
  };
}

/**
 * Ticks for a linear axis covering [min, max] (about `count` of them); `integer` keeps
 * them whole numbers. The domain is widened to the outer ticks.
 */
export function linearTicks(min: number, max: number, { integer = false, count = 5 }: { integer?: boolean; count?: number } = {}): AxisTicks {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return { ticks: [], domain: [0, 1], format: String };
  if (max < min) [min, max] = [max, min];
  if (max === min) {
    const format = stepFormat(integer ? 1 : Math.abs(min) / 10 || 1, Math.abs(min));
    return { ticks: [min], domain: [min - (integer ? 1 : Math.abs(min) / 2 || 1), max + (integer ? 1 : Math.abs(max) / 2 || 1)], format };
  }
  let step = niceStep((max - min) / Math.max(1, count - 1));
  if (integer) step = Math.max(1, Math.round(step));
  const first = Math.floor(min / step + 1e-9) * step;
  const last = Math.ceil(max / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let i = 0; first + i * step <= last + step * 1e-9; i++) ticks.push(Number((first + i * step).toPrecision(12)));
  const format = stepFormat(step, Math.max(Math.abs(first), Math.abs(last)));
  return { ticks: distinct(ticks, format), domain: [ticks[0], ticks[ticks.length - 1]], format };
}

/** A power of ten as a short label: 0.01, 0.1, 1, 10, 100, 1000, else 1e-5 / 1e6. */
function powerLabel(v: number): string {
  const e = Math.round(Math.log10(v));
  if (e >= -2 && e <= 3) return String(Number(v.toPrecision(6)));
  const m = v / 10 ** e;
  return `${Math.abs(m - 1) < 1e-9 ? '' : `${Number(m.toPrecision(2))}×`}1e${e}`;
}

/**
 * Ticks for a log axis covering [min, max] (both > 0): whole decades (every n-th when
 * there are many), with 2 and 5 in between when the range spans at most one decade.
 */
export function logTicks(min: number, max: number, maxTicks = 7): AxisTicks {
  if (!(min > 0) || !(max > 0) || !Number.isFinite(min) || !Number.isFinite(max)) return { ticks: [], domain: [1e-3, 1], format: powerLabel };
  let lo = Math.floor(Math.log10(min) + 1e-9);
  let hi = Math.ceil(Math.log10(max) - 1e-9);
  if (hi <= lo) hi = lo + 1;
  const every = Math.ceil((hi - lo) / (maxTicks - 1));
  lo = Math.floor(lo / every) * every;
  hi = Math.ceil(hi / every) * every;
  const ticks: number[] = [];
  for (let e = lo; e <= hi; e += every) {
    ticks.push(10 ** e);
    if (hi - lo === 1 && e < hi) ticks.push(2 * 10 ** e, 5 * 10 ** e);
  }
  const format = (v: number) => {
    const e = Math.floor(Math.log10(v) + 1e-9);
    const m = Math.round(v / 10 ** e);
    return m === 1 ? powerLabel(10 ** e) : e >= -2 && e <= 3 ? String(Number(v.toPrecision(6))) : `${m}e${e}`;
  };
  return { ticks: distinct(ticks, format), domain: [10 ** lo, 10 ** hi], format };
}

/** Pixels an axis needs for its longest tick label (12px font) and its title. */
export function axisWidth(labels: string[]): number {
  const longest = labels.reduce((n, l) => Math.max(n, l.length), 1);
  return Math.ceil(longest * 7 + 26);
}
