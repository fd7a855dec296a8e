// Importing time series: either a manifest (CSV / TSV / JSONL) with a column that holds
// a whole sequence per row — a JSON array ([1, 2.5, 3], or [[1, 2], [3, 4]] for frames
// of several values) or numbers separated by spaces, semicolons or commas — or one CSV
// file per series (one number per line, or per row in the first column; a header line
// is allowed). The target is the last k values of each sequence, or a separate column
// holding the k values. Every row or file that cannot be read is reported with its file
// and row and skipped; the rest becomes a series dataset (src/data/series.ts).
// Pure: runs in Node, the page and workers.
import { manifestFormat, parseManifest, type ParsedManifest } from './manifest.ts';
import { issue } from './report.ts';
import { seriesDataset, type SeriesWindow } from './series.ts';
import type { PreparedDataset, SplitConfig, ValidationIssue, ValidationReport } from './types.ts';

export interface SeriesImportOptions {
  /** Steps to forecast (k): the last k values of each sequence, when no target column is named. */
  horizon: number;
  /** Manifest column holding the sequence; empty = the first column whose first value reads as one. */
  column: string;
  /** Manifest column holding the k target values; empty = the last k values of the sequence. */
  targetColumn: string;
  split: SplitConfig;
}

/** Longest sequence accepted (input steps), so one bad row cannot take the page's memory. */
export const MAX_SERIES_LENGTH = 5000;

export interface SeriesFile {
  name: string;
  bytes: Uint8Array;
}

/** A sequence read from a cell: frames [length, frameSize], or why it cannot be read. */
type Sequence = { values: number[]; frameSize: number; length: number } | { problem: string };

function numberOf(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v !== 'string' || v.trim() === '') return null;
  const n = Number(v.trim());
  return Number.isFinite(n) ? n : null;
}

const shown = (v: unknown) => {
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > 20 ? `${s.slice(0, 20)}…` : s;
};

/** Reads one cell as a sequence: a JSON array (of numbers, or of equal-length arrays of numbers) or separated numbers. */
export function readSequence(cell: unknown): Sequence {
  let value = cell;
  if (typeof value === 'string') {
    const text = value.trim();
    if (text === '') return { problem: 'is empty' };
    if (text.startsWith('[')) {
      try {
        value = JSON.parse(text);
      } catch {
        return { problem: `is not a valid JSON array ("${shown(text)}")` };
      }
    } else value = text.split(/[\s;,]+/).filter((p) => p !== '');
  }
  if (value === null || value === undefined) return { problem: 'is empty' };
  if (!Array.isArray(value)) return { problem: `holds ${shown(value)}, not a sequence of numbers` };
  if (value.length === 0) return { problem: 'is empty' };
  const nested = Array.isArray(value[0]);
  const frameSize = nested ? (value[0] as unknown[]).length : 1;
  if (frameSize === 0) return { problem: 'has an empty first frame' };
  const values: number[] = [];
  for (let t = 0; t < value.length; t++) {
    const frame = nested ? value[t] : [value[t]];
    if (!Array.isArray(frame)) return { problem: `mixes numbers and frames (value ${t + 1} is ${shown(value[t])})` };
    if (frame.length !== frameSize) return { problem: `has ragged frames: frame ${t + 1} holds ${frame.length} value${frame.length === 1 ? '' : 's'}, frame 1 holds ${frameSize}` };
    for (const v of frame) {
      const n = numberOf(v);
      if (n === null) return { problem: `has "${shown(v)}" at step ${t + 1}, which is not a number` };
      values.push(n);
    }
  }
  return { values, frameSize, length: value.length };
}

interface Collected {
  windows: SeriesWindow[];
  issues: ValidationIssue[];
  rowsSeen: number;
  frameSize: number | null;
  horizon: number | null;
}

/** Splits a sequence into input frames and k targets, checking it against the first kept example; returns a problem or null. */
function addWindow(into: Collected, id: string, seq: { values: number[]; frameSize: number; length: number }, target: number[] | null, k: number): string | null {
  if (into.frameSize !== null && seq.frameSize !== into.frameSize) return `holds frames of ${seq.frameSize} values, the earlier series ${into.frameSize}`;
  let frames: number[];
  let y: number[];
  if (target) {
    if (into.horizon !== null && target.length !== into.horizon) return `has ${target.length} target values, the earlier rows ${into.horizon}`;
    frames = seq.values;
    y = target;
  } else {
    if (seq.frameSize !== 1) return 'has frames of several values: name a target column (the last k values of a multi-value series are ambiguous)';
    if (seq.length < k + 1) return `has ${seq.length} value${seq.length === 1 ? '' : 's'}: forecasting ${k} needs at least ${k + 1} (1 input step and ${k} to forecast)`;
    frames = seq.values.slice(0, seq.length - k);
    y = seq.values.slice(seq.length - k);
  }
  const length = frames.length / seq.frameSize;
  if (length > MAX_SERIES_LENGTH) return `has ${length} input steps, more than the ${MAX_SERIES_LENGTH} GateScope reads`;
  into.frameSize = seq.frameSize;
  into.horizon = y.length;
  into.windows.push({ id, frames: Float32Array.from(frames), length, target: Float32Array.from(y) });
  return null;
}

/** The first column whose first non-empty value reads as a sequence of at least 2 values. */
function guessSequenceColumn(m: ParsedManifest, exclude: string): string | null {
  for (const c of m.columns) {
    if (c === exclude) continue;
    const first = m.rows.find((r) => r.values[c] !== undefined && r.values[c] !== '' && r.values[c] !== null);
    if (!first) continue;
    const s = readSequence(first.values[c]);
    if (!('problem' in s) && s.length >= 2) return c;
  }
  return null;
}

function fromManifest(file: SeriesFile, o: SeriesImportOptions, into: Collected): void {
  const m = parseManifest(file.name, file.bytes);
  into.issues.push(...m.issues);
  into.rowsSeen += m.rowsSeen;
  if (m.empty || m.rows.length === 0) {
    into.issues.push(issue('empty-file', file.name, 'the manifest holds no rows'));
    return;
  }
  const column = o.column.trim() || guessSequenceColumn(m, o.targetColumn.trim());
  if (!column || !m.columns.includes(column)) {
    into.issues.push(issue('missing-column', file.name, column ? `there is no column "${column}" (columns: ${m.columns.join(', ')})` : `no column holds a sequence of numbers (columns: ${m.columns.join(', ')}); name the sequence column`));
    return;
  }
  const targetColumn = o.targetColumn.trim();
  if (targetColumn && !m.columns.includes(targetColumn)) {
    into.issues.push(issue('missing-column', file.name, `there is no target column "${targetColumn}" (columns: ${m.columns.join(', ')})`));
    return;
  }
  for (const r of m.rows) {
    const seq = readSequence(r.values[column]);
    if ('problem' in seq) {
      into.issues.push(issue('bad-series', file.name, `column "${column}" ${seq.problem}; row skipped`, r.row));
      continue;
    }
    let target: number[] | null = null;
    if (targetColumn) {
      const t = readSequence(r.values[targetColumn]);
      if ('problem' in t) {
        into.issues.push(issue('bad-series', file.name, `target column "${targetColumn}" ${t.problem}; row skipped`, r.row));
        continue;
      }
      if (t.frameSize !== 1) {
        into.issues.push(issue('bad-series', file.name, `target column "${targetColumn}" holds frames; it must hold the k values to forecast; row skipped`, r.row));
        continue;
      }
      target = t.values;
    }
    const problem = addWindow(into, `${file.name}#${r.row}`, seq, target, o.horizon);
    if (problem) into.issues.push(issue('bad-series', file.name, `column "${column}" ${problem}; row skipped`, r.row));
  }
}

/** One series per CSV file: the first column, one value per line; a first line that is not a number is a header. */
function fromSeriesFile(file: SeriesFile, o: SeriesImportOptions, into: Collected): void {
  into.rowsSeen += 1;
  const m = parseManifest(file.name, file.bytes, 'csv');
  if (m.empty) {
    into.issues.push(issue('empty-file', file.name, 'the file holds no values'));
    return;
  }
  // parseManifest reads line 1 as a header: put it back when it is a number.
  const first = m.columns[0];
  const values: number[] = [];
  const headerValue = numberOf(first);
  if (headerValue !== null) values.push(headerValue);
  for (const r of m.rows) {
    const cell = r.values[first];
    const n = numberOf(cell);
    if (n === null) {
      into.issues.push(issue('bad-series', file.name, `row ${r.row} holds "${shown(cell ?? '')}", not a number; this series is skipped`, r.row));
      return;
    }
    values.push(n);
  }
  if (values.length === 0) {
    into.issues.push(issue('bad-series', file.name, 'the file has a header but no values; skipped'));
    return;
  }
  const problem = addWindow(into, file.name, { values, frameSize: 1, length: values.length }, null, o.horizon);
  if (problem) into.issues.push(issue('bad-series', file.name, `the series ${problem}; skipped`));
}

/**
 * Files → series dataset. A single CSV/TSV/JSONL whose columns include a sequence column
 * is a manifest; several CSV files (or one whose rows hold single numbers) are one series
 * each. Throws, with the report, when no series could be read.
 */
export function importSeries(files: readonly SeriesFile[], o: SeriesImportOptions): { dataset: PreparedDataset | null; report: ValidationReport; name: string } {
  const into: Collected = { windows: [], issues: [], rowsSeen: 0, frameSize: null, horizon: null };
  if (!Number.isInteger(o.horizon) || o.horizon < 1) throw new Error(`the forecast horizon must be a whole number ≥ 1, got ${o.horizon}`);
  const readable = files.filter((f) => {
    if (manifestFormat(f.name)) return true;
    into.issues.push(issue('unsupported-file', f.name, 'not a CSV, TSV or JSONL file; ignored'));
    return false;
  });
  const asManifest = readable.length === 1 && (o.column.trim() !== '' || manifestFormat(readable[0].name) === 'jsonl' || guessSequenceColumn(parseManifest(readable[0].name, readable[0].bytes), o.targetColumn.trim()) !== null);
  for (const f of readable) {
    if (f.bytes.length === 0) {
      into.rowsSeen += 1;
      into.issues.push(issue('empty-file', f.name, 'the file has 0 bytes'));
    } else if (asManifest) fromManifest(f, o, into);
    else fromSeriesFile(f, o, into);
  }
  const name = readable.length === 1 ? readable[0].name : `${readable.length} series files`;
  const kept = into.windows.length;
  const report: ValidationReport = { issues: into.issues, rowsSeen: Math.max(into.rowsSeen, kept), rowsKept: kept, rowsSkipped: Math.max(into.rowsSeen, kept) - kept };
  if (kept < 2) return { dataset: null, report, name };
  return { dataset: seriesDataset(into.windows, { name: `${name} (series, k = ${into.horizon})`, frameSize: into.frameSize!, split: o.split, report, origin: 'files' }), report, name };
}
