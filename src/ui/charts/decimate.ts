// Reduces a chart's rows to what its pixels can show: at most two rows per pixel column,
// holding each line's lowest and highest value of that column in the order they occurred,
// so a one-step spike stays visible however long the run.

/** One x position of a line chart: the x key and each series' value (null: none). */
export type ChartRow = Record<string, number | null>;

const present = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * Rows (sorted by `xKey`) reduced to `columns` pixel columns. A column with more than two
 * rows becomes two: the first at its first x, the second at its last x; each key's
 * extremes go into them in the order they occurred (a key with a single value in the
 * column keeps it in the first row only, so sparse lines gain no points). Rows without a
 * numeric x are kept as they are. Returns `rows` itself when nothing needs reducing.
 */
export function decimateMinMax(rows: ChartRow[], xKey: string, keys: readonly string[], columns: number): ChartRow[] {
  const cols = Math.floor(columns);
  if (cols < 1 || rows.length <= 2 * cols) return rows;
  let x0 = Infinity;
  let x1 = -Infinity;
  for (const r of rows) {
    const x = r[xKey];
    if (!present(x)) continue;
    x0 = Math.min(x0, x);
    x1 = Math.max(x1, x);
  }
  if (!(x1 > x0)) return rows;
  const columnOf = (x: number) => Math.min(cols - 1, Math.floor(((x - x0) / (x1 - x0)) * cols));
  const out: ChartRow[] = [];
  let start = 0;
  while (start < rows.length) {
    const x = rows[start][xKey];
    if (!present(x)) {
      out.push(rows[start++]);
      continue;
    }
    const column = columnOf(x);
    let end = start + 1;
    while (end < rows.length) {
      const next = rows[end][xKey];
      if (!present(next) || columnOf(next) !== column) break;
      end++;
    }
    if (end - start <= 2) {
      for (let r = start; r < end; r++) out.push(rows[r]);
    } else {
      const first: ChartRow = { [xKey]: rows[start][xKey] };
      const last: ChartRow = { [xKey]: rows[end - 1][xKey] };
      for (const key of keys) {
        let lo = -1;
        let hi = -1;
        let count = 0;
        for (let r = start; r < end; r++) {
          const v = rows[r][key];
          if (!present(v)) continue;
          count++;
          if (lo < 0 || v < (rows[lo][key] as number)) lo = r;
          if (hi < 0 || v > (rows[hi][key] as number)) hi = r;
        }
        if (count === 0) {
          first[key] = null;
          last[key] = null;
        } else if (count === 1 || lo === hi) {
          first[key] = rows[lo][key];
          last[key] = count === 1 ? null : rows[lo][key];
        } else {
          first[key] = rows[Math.min(lo, hi)][key];
          last[key] = rows[Math.max(lo, hi)][key];
        }
      }
      out.push(first, last);
    }
    start = end;
  }
  return out;
}
