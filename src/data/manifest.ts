// Manifests: CSV / TSV (papaparse: quoted fields with newlines, CRLF, BOM, delimiter
// detection) and JSONL, parsed into rows of named values with the row numbers people
// see — for CSV/TSV the spreadsheet row (the header is row 1), for JSONL the line.
// Also the column mapping: which column holds the image path, the text and the target,
// guessed from the column names and values, then confirmed or changed by the user.
import Papa from 'papaparse';
import { extension } from './files.ts';
import { issue } from './report.ts';
import { decodeText, encodingName, listLines } from './text.ts';
import type { ValidationIssue } from './types.ts';

export type ManifestFormat = 'csv' | 'tsv' | 'jsonl';

/** Manifest format from a file name, or null when it is not a manifest. */
export function manifestFormat(path: string): ManifestFormat | null {
  const ext = extension(path);
  if (ext === 'csv') return 'csv';
  if (ext === 'tsv' || ext === 'tab') return 'tsv';
  if (ext === 'jsonl' || ext === 'ndjson') return 'jsonl';
  return null;
}

/** One data row: CSV cells are strings (undefined when the row is short); JSONL keeps JSON values. */
export interface ManifestRow {
  row: number;
  values: Record<string, unknown>;
}

export interface ParsedManifest {
  file: string;
  format: ManifestFormat;
  columns: string[];
  rows: ManifestRow[];
  /** Rows in the file that held data (including the ones that failed to parse). */
  rowsSeen: number;
  /** Parse problems (bad rows are already left out of `rows`), non-UTF-8 text. */
  issues: ValidationIssue[];
  /** True when the file was not valid UTF-8 (cells may hold U+FFFD). */
  nonUtf8: boolean;
  /** The encoding the text was read in ('utf-8', 'windows-1252', 'utf-16le', …). */
  encoding: string;
  /** True when the file holds nothing but whitespace. */
  empty: boolean;
  /** A JSONL file without rows that is one JSON value spread over lines (to say why). */
  wholeJson?: 'array' | 'object';
}

function uniqueColumns(names: string[], file: string, issues: ValidationIssue[]): string[] {
  const seen = new Map<string, number>();
  const firstAt = new Map<string, number>();
  return names.map((raw, i) => {
    const name = raw.trim() || `column ${i + 1}`;
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    if (n === 1) {
      firstAt.set(name, i + 1);
      return name;
    }
    const renamed = `${name} (${n})`;
    issues.push(issue('duplicate-column', file, `the header names the column "${name}" twice (columns ${firstAt.get(name)} and ${i + 1}); column ${firstAt.get(name)} is used as "${name}", column ${i + 1} appears as "${renamed}"`, 1));
    return renamed;
  });
}

/** What the format parsers return. */
type Parsed = Pick<ParsedManifest, 'columns' | 'rows' | 'rowsSeen'>;

interface DelimitedRecord {
  cells: string[];
  /** Spreadsheet row (the first record is row 1). */
  row: number;
  /** Why the record cannot be used, when it cannot. */
  problem?: { code: 'bad-row' | 'unterminated-quote'; message: string };
}

const NEWLINE = /\r\n|\n|\r/g;

function countLines(text: string, end: number): number {
  let n = 0;
  for (const m of text.slice(0, end).matchAll(NEWLINE)) if (m) n++;
  return n;
}

/**
 * Splits delimited text into records. A quote that opens a field and is never closed
 * (or is only "closed" by a quote many lines further down) would swallow every later
 * row into one giant field: such a record is cut back to the line where the quote
 * opened, that line is reported, and parsing resumes on the next line.
 */
function delimitedRecords(text: string, format: 'csv' | 'tsv'): { records: DelimitedRecord[]; delimiter: string } {
  const records: DelimitedRecord[] = [];
  let delimiter = format === 'tsv' ? '\t' : '';
  let rest = text;
  let rowBase = 0;
  let lineBase = 0; // lines of `text` before `rest`
  for (;;) {
    const result = Papa.parse<string[]>(rest, { header: false, skipEmptyLines: false, delimiter, quoteChar: '"' });
    delimiter = result.meta.delimiter;
    const bad = new Map<number, string>();
    let runaway: { row: number; quoteAt: number } | null = null;
    for (const e of result.errors) {
      if (e.code === 'UndetectableDelimiter') continue; // single-column files are fine
      if (e.row === undefined || e.row === null) continue;
      const cells = result.data[e.row] ?? [];
      const spansLines = cells.some((c) => /[\r\n]/.test(c));
      if (e.type === 'Quotes' && spansLines && e.index !== undefined && (runaway === null || e.row < runaway.row)) runaway = { row: e.row, quoteAt: e.index - 1 };
      else if (!bad.has(e.row)) bad.set(e.row, e.message);
    }
    const upTo = runaway ? runaway.row : result.data.length;
    for (let i = 0; i < upTo; i++) {
      const r: DelimitedRecord = { cells: result.data[i], row: rowBase + i + 1 };
      if (bad.has(i)) r.problem = { code: 'bad-row', message: `cannot parse the row: ${bad.get(i)}; skipped` };
      records.push(r);
    }
    if (!runaway) break;
    const quoteLine = lineBase + countLines(rest, runaway.quoteAt) + 1;
    NEWLINE.lastIndex = runaway.quoteAt;
    const next = NEWLINE.exec(rest);
    records.push({
      cells: result.data[runaway.row],
      row: rowBase + runaway.row + 1,
      problem: {
        code: 'unterminated-quote',
        message: `a quote (") opens on line ${quoteLine} and is never closed, so the row would swallow the lines after it; line ${quoteLine} is skipped${next ? ` and reading goes on with line ${quoteLine + 1}` : ''} — close the quote or remove it`,
      },
    });
    if (!next) break;
    rest = rest.slice(next.index + next[0].length);
    rowBase += runaway.row + 1;
    lineBase = quoteLine;
  }
  return { records, delimiter };
}

function parseDelimited(file: string, text: string, format: 'csv' | 'tsv', issues: ValidationIssue[]): Parsed {
  const { records, delimiter } = delimitedRecords(text, format);
  let h = 0;
  while (h < records.length && records[h].cells.every((c) => c.trim() === '')) h++;
  if (h >= records.length) return { columns: [], rows: [], rowsSeen: 0 };
  if (records[h].problem?.code === 'unterminated-quote') issues.push(issue('unterminated-quote', file, records[h].problem!.message, records[h].row));
  const columns = uniqueColumns(records[h].problem ? [] : records[h].cells, file, issues);
  const rows: ManifestRow[] = [];
  let rowsSeen = 0;
  for (let i = h + 1; i < records.length; i++) {
    const { cells, row, problem } = records[i];
    if (cells.every((c) => c.trim() === '') && !problem) continue;
    rowsSeen++;
    if (problem) {
      issues.push(issue(problem.code, file, problem.message, row));
      continue;
    }
    if (cells.length > columns.length) {
      issues.push(issue('bad-row', file, `the row has ${cells.length} fields but the header has ${columns.length} (an unquoted "${delimiter}" in a value?); skipped`, row));
      continue;
    }
    const values: Record<string, unknown> = {};
    columns.forEach((c, k) => (values[c] = cells[k]));
    rows.push({ row, values });
  }
  return { columns, rows, rowsSeen };
}

function parseJsonl(file: string, text: string, issues: ValidationIssue[]): Parsed {
  const lines = text.split(/\r\n|\n|\r/);
  const columns: string[] = [];
  const known = new Set<string>();
  const rows: ManifestRow[] = [];
  let rowsSeen = 0;
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    rowsSeen++;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      issues.push(issue('bad-row', file, `invalid JSON: ${(e as Error).message}; skipped`, i + 1));
      return;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      issues.push(issue('bad-row', file, `the line is JSON ${Array.isArray(value) ? 'array' : typeof value}, not an object; skipped`, i + 1));
      return;
    }
    for (const k of Object.keys(value)) {
      if (!known.has(k)) {
        known.add(k);
        columns.push(k);
      }
    }
    rows.push({ row: i + 1, values: value as Record<string, unknown> });
  });
  return { columns, rows, rowsSeen };
}

/** Parses manifest bytes. Never throws for bad content: problems go to `issues`. */
export function parseManifest(file: string, bytes: Uint8Array, format = manifestFormat(file) ?? 'csv'): ParsedManifest {
  const issues: ValidationIssue[] = [];
  const decoded = decodeText(bytes);
  if (!decoded.valid) {
    const lines = decoded.invalidLines ?? [];
    issues.push(
      issue('non-utf8', file, `the file is UTF-8 but line${lines.length === 1 ? '' : 's'} ${listLines(lines)} hold${lines.length === 1 ? 's' : ''} bytes that are not; they are shown as � — save the file as UTF-8`),
    );
  } else if (decoded.encoding !== 'utf-8') {
    issues.push(issue('encoding', file, `the file is not UTF-8; it was read as ${encodingName(decoded.encoding)} — check that accented letters look right, or save it as UTF-8`));
  }
  const parsed = format === 'jsonl' ? parseJsonl(file, decoded.text, issues) : parseDelimited(file, decoded.text, format, issues);
  const out: ParsedManifest = { file, format, ...parsed, issues, encoding: decoded.encoding, nonUtf8: !decoded.valid, empty: decoded.text.trim() === '' };
  const start = decoded.text.trimStart()[0];
  if (format === 'jsonl' && parsed.rows.length === 0 && (start === '[' || start === '{')) {
    try {
      const whole: unknown = JSON.parse(decoded.text);
      if (whole !== null && typeof whole === 'object') out.wholeJson = Array.isArray(whole) ? 'array' : 'object';
    } catch {
      if (start === '[') out.wholeJson = 'array';
    }
  }
  return out;
}

/** What the target column holds. */
export type TargetKind = 'class' | 'labels' | 'number' | 'caption';

/** Which column plays which role; null when the role is not used. */
export interface ColumnMapping {
  image: string | null;
  /** The column with the path of an audio file (absent or null: none). */
  audio?: string | null;
  text: string | null;
  target: string | null;
  targetKind: TargetKind;
  /**
   * More target columns, one auxiliary task each (multi-task learning): a head of its own
   * on the same model. Captions cannot be auxiliary. Absent or empty: one task.
   */
  extraTargets?: { column: string; kind: Exclude<TargetKind, 'caption'> }[];
}

/** The task name an auxiliary target column gets ("Colour Label" → "colour_label"): parameter and ONNX output names use it. */
export function taskNameOfColumn(column: string): string {
  const base = column
    .toLowerCase()
    .replace(/[^a-z0-9]+/gu, '_')
    .replace(/^_+|_+$/gu, '')
    .slice(0, 30);
  return /^[a-z]/u.test(base) ? base : `t_${base}`.slice(0, 32);
}

const simplify = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, '');

const NAMES = {
  image: ['image', 'imagepath', 'img', 'imagefile', 'imagename', 'file', 'filename', 'filepath', 'path', 'picture', 'photo'],
  audio: ['audio', 'audiopath', 'audiofile', 'sound', 'soundfile', 'clip', 'wav', 'recording'],
  text: ['text', 'question', 'sentence', 'description', 'prompt', 'query', 'review', 'comment', 'utterance'],
  class: ['label', 'class', 'category', 'answer', 'classname', 'labelname'],
  labels: ['labels', 'tags', 'categories', 'classes'],
  caption: ['caption', 'captions', 'alttext'],
  number: ['target', 'value', 'y', 'score', 'rating', 'regression'],
};

function find(columns: string[], names: string[]): string | null {
  for (const n of names) {
    const hit = columns.find((c) => simplify(c) === n);
    if (hit) return hit;
  }
  return null;
}

/** Whether a value reads as a finite number ("3", "-0.5", 2). */
export function isNumeric(v: unknown): boolean {
  if (typeof v === 'number') return Number.isFinite(v);
  if (typeof v !== 'string' || v.trim() === '') return false;
  return Number.isFinite(Number(v.trim()));
}

/** The kind a target column's values suggest. */
function guessTargetKind(rows: readonly ManifestRow[], column: string, nameKind?: TargetKind): TargetKind {
  const values = rows.map((r) => r.values[column]).filter((v) => v !== undefined && v !== null && v !== '');
  if (values.length > 0 && values.every((v) => Array.isArray(v))) return 'labels';
  if (nameKind) return nameKind;
  if (values.length > 0 && values.every(isNumeric)) return 'number';
  return 'class';
}

/** The mapping suggested by column names (then values for the target kind). */
export function guessMapping(m: Pick<ParsedManifest, 'columns' | 'rows'>): ColumnMapping {
  const image = find(m.columns, NAMES.image);
  const text = find(m.columns, NAMES.text);
  const candidates: [string | null, TargetKind | undefined][] = [
    [find(m.columns, NAMES.class), 'class'],
    [find(m.columns, NAMES.labels), 'labels'],
    [find(m.columns, NAMES.caption), 'caption'],
    [find(m.columns, NAMES.number), undefined],
  ];
  const [target, nameKind] = candidates.find(([c]) => c !== null) ?? [null, undefined];
  const audio = find(m.columns, NAMES.audio);
  return { image, ...(audio ? { audio } : {}), text, target, targetKind: target ? guessTargetKind(m.rows, target, nameKind) : 'class' };
}

/** A cell as text: strings as they are, numbers and booleans printed, null/undefined → null. */
export function cellText(v: unknown): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return null;
}

/**
 * Why a manifest without usable rows cannot be imported, in the user's words; null
 * when it has rows.
 */
export function emptyManifestReason(m: ParsedManifest, size: number): string | null {
  if (m.rows.length > 0) return null;
  if (size === 0) return `${m.file} is empty (0 bytes): there is nothing to import.`;
  if (m.empty) return `${m.file} holds only blank lines: there is nothing to import.`;
  if (m.wholeJson === 'array') {
    return `${m.file} is one JSON array (a pretty-printed [ … ] list), not JSON Lines: write one object per line, e.g. {"image": "a.png", "label": "cat"} — \`jq -c '.[]' in.json > ${m.file}\` does it.`;
  }
  if (m.wholeJson === 'object') return `${m.file} is one JSON object spread over several lines, not JSON Lines: write each example as one object on its own line.`;
  if (m.format !== 'jsonl' && m.rowsSeen === 0) return `${m.file} has a header (${m.columns.join(', ') || 'no column names'}) but no data rows below it: there is nothing to import.`;
  const what = m.format === 'jsonl' ? 'lines' : 'rows';
  return `None of the ${m.rowsSeen} ${what} of ${m.file} could be read (see the report below for each ${what === 'lines' ? 'line' : 'row'}): there is nothing to import.`;
}
