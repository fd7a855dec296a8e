// Number formatting for the panels: counts, FLOPs, durations and metric values.

/** 1234567 → "1.23 M"; small numbers as they are. */
export function compact(n: number, unit = ''): string {
  if (!Number.isFinite(n)) return '—';
  const abs = Math.abs(n);
  const scaled = abs >= 1e12 ? [n / 1e12, 'T'] : abs >= 1e9 ? [n / 1e9, 'G'] : abs >= 1e6 ? [n / 1e6, 'M'] : abs >= 1e4 ? [n / 1e3, 'k'] : [n, ''];
  const [v, prefix] = scaled as [number, string];
  const digits = prefix === '' ? (Number.isInteger(v) ? 0 : 2) : v >= 100 ? 0 : v >= 10 ? 1 : 2;
  return `${v.toFixed(digits)}${prefix || unit ? ' ' : ''}${prefix}${unit}`;
}

/** Seconds as "42 s", "3 min 05 s" or "1 h 02 min". */
export function duration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}

/** A metric or loss with four significant digits ("—" when missing). */
export function metric(v: number | null | undefined, digits = 4): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return Math.abs(v) >= 1000 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(2) : v.toPrecision(digits);
}

/** A fraction as a percentage. */
export function percent(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return `${(v * 100).toFixed(1)} %`;
}
