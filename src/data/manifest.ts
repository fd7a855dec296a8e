// Manifests: CSV / TSV (papaparse: quoted fields with newlines, CRLF, BOM, delimiter
// detection) and JSONL, parsed into rows of named values with the row numbers people
// see — for CSV/TSV the spreadsheet row (the header is row 1), for JSONL the line.
// Also the column mapping: which column holds the image path, the text and the target,
// guessed from the column names and values, then confirmed or changed by the user.
import Papa from 'papaparse';
import { extension } from './files.ts';
import { issue } from './report.ts';
import { decodeText } from './text.ts';
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
}

function uniqueColumns(names: string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((raw, i) => {
    const name = raw.trim() || `column ${i + 1}`;
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    return n === 1 ? name : `${name} (${n})`;
  });
}

function parseDelimited(file: string, text: string, format: 'csv' | 'tsv', issues: ValidationIssue[]): Omit<ParsedManifest, 'file' | 'format' | 'issues' | 'nonUtf8'> {
  const result = Papa.parse<string[]>(text, { header: false, skipEmptyLines: false, delimiter: format === 'tsv' ? '\t' : '', quoteChar: '"' });
  const badRecords = new Map<number, string>();
  for (const e of result.errors) {
    if (e.code === 'UndetectableDelimiter') continue; // single-column files are fine
    if (e.row !== undefined && e.row !== null) badRecords.set(e.row, e.message);
  }
  const data = result.data;
  let h = 0;
  while (h < data.length && data[h].every((c) => c.trim() === '')) h++;
  if (h >= data.length) return { columns: [], rows: [], rowsSeen: 0 };
  const columns = uniqueColumns(data[h]);
  const rows: ManifestRow[] = [];
  let rowsSeen = 0;
  for (let i = h + 1; i < data.length; i++) {
    const cells = data[i];
    if (cells.every((c) => c.trim() === '')) continue;
    rowsSeen++;
    const row = i + 1; // spreadsheet row: the first record is row 1
    if (badRecords.has(i)) {
      issues.push(issue('bad-row', file, `cannot parse the row: ${badRecords.get(i)}; skipped`, row));
      continue;
    }
    if (cells.length > columns.length) {
      issues.push(issue('bad-row', file, `the row has ${cells.length} fields but the header has ${columns.length} (an unquoted "${result.meta.delimiter}" in a value?); skipped`, row));
      continue;
    }
    const values: Record<string, unknown> = {};
    columns.forEach((c, k) => (values[c] = cells[k]));
    rows.push({ row, values });
  }
  return { columns, rows, rowsSeen };
}

function parseJsonl(file: string, text: string, issues: ValidationIssue[]): Omit<ParsedManifest, 'file' | 'format' | 'issues' | 'nonUtf8'> {
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
    issues.push(
      issue('non-utf8', file, `not valid UTF-8 (first bad byte at offset ${decoded.firstInvalidByte}, line ${decoded.firstInvalidLine}); decoded with U+FFFD replacement characters — save the file as UTF-8`),
    );
  }
  const parsed = format === 'jsonl' ? parseJsonl(file, decoded.text, issues) : parseDelimited(file, decoded.text, format, issues);
  return { file, format, ...parsed, issues, nonUtf8: !decoded.valid };
}

/** What the target column holds. */
export type TargetKind = 'class' | 'labels' | 'number' | 'caption';

/** Which column plays which role; null when the role is not used. */
export interface ColumnMapping {
  image: string | null;
  text: string | null;
  target: string | null;
  targetKind: TargetKind;
}

const simplify = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, '');

const NAMES = {
  image: ['image', 'imagepath', 'img', 'imagefile', 'imagename', 'file', 'filename', 'filepath', 'path', 'picture', 'photo'],
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
export function guessTargetKind(rows: readonly ManifestRow[], column: string, nameKind?: TargetKind): TargetKind {
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
  return { image, text, target, targetKind: target ? guessTargetKind(m.rows, target, nameKind) : 'class' };
}

/** A cell as text: strings as they are, numbers and booleans printed, null/undefined → null. */
export function cellText(v: unknown): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return null;
}
