// The validation report: every problem found while loading, with its file and row.
// Errors mean the row (or file) was skipped; warnings mean it was kept as described.
// The codes below are the complete list; the README documents them.
import type { RawExample, Severity, ValidationIssue, ValidationReport } from './types.ts';

/** Every issue code, with its severity and what it means. */
export const ISSUE_CODES = {
  'missing-column': { severity: 'error', meaning: 'the manifest has no column for a mapped role, or a row lacks that field' },
  'image-not-found': { severity: 'error', meaning: 'the image path of a row names no imported file' },
  'path-case-mismatch': { severity: 'warning', meaning: 'the image path matched a file only when ignoring letter case' },
  'path-traversal': { severity: 'error', meaning: 'a path leaves the imported folder ("../") or is absolute' },
  'undecodable-image': { severity: 'error', meaning: 'the image is truncated, corrupt or not an image' },
  'empty-file': { severity: 'error', meaning: 'a file has 0 bytes' },
  'empty-text': { severity: 'warning', meaning: 'the text is empty; the example is kept without text' },
  'no-input': { severity: 'error', meaning: 'the row has neither an image nor a text' },
  'missing-target': { severity: 'error', meaning: 'the row has no label / target / caption' },
  'extra-target-invalid': { severity: 'error', meaning: 'the target of an auxiliary task (multi-task learning) is empty or does not fit its kind' },
  'unknown-label-type': { severity: 'error', meaning: 'the target value cannot be read as the chosen kind (class, labels, number, caption)' },
  'single-example-class': { severity: 'warning', meaning: 'a class has one example: it cannot appear in both training and evaluation' },
  'non-utf8': { severity: 'warning', meaning: 'text is not valid UTF-8; decoded with U+FFFD replacement characters' },
  'duplicate-row': { severity: 'error', meaning: 'same image content, text and target as an earlier row' },
  'oversized-file': { severity: 'error', meaning: 'a file is larger than the stated limit' },
  'zip-too-large': { severity: 'error', meaning: 'a zip would expand beyond the stated limit; refused before expanding' },
  'bad-zip': { severity: 'error', meaning: 'a zip file cannot be read' },
  'bad-row': { severity: 'error', meaning: 'a manifest row cannot be parsed (invalid JSON, not an object, broken quoting)' },
  'no-class-folder': { severity: 'error', meaning: 'in an image-folder layout an image is not inside a class folder' },
  'unsupported-file': { severity: 'warning', meaning: 'a file is neither an image, a manifest nor a sidecar text; ignored' },
  'unreferenced-file': { severity: 'warning', meaning: 'an image no manifest row refers to; ignored' },
  'extra-manifest': { severity: 'warning', meaning: 'more than one manifest was found; only the first is used' },
  'target-mismatch': { severity: 'error', meaning: 'the target kind does not fit the chosen task' },
  'unterminated-quote': { severity: 'error', meaning: 'a CSV/TSV field opens a quote that is never closed; that line is skipped and reading goes on with the next line' },
  encoding: { severity: 'warning', meaning: 'the text is not UTF-8 and was read as Windows-1252 or UTF-16 (byte-order mark)' },
  'missing-modality': { severity: 'warning', meaning: 'the data has no images or no texts at all; only one input can be trained' },
  'orphan-text': { severity: 'warning', meaning: 'in an image-folder layout a .txt file has no image of the same name; ignored' },
  'nested-folder': { severity: 'warning', meaning: 'images sit deeper than one folder; the top folder under the root is their class' },
  'empty-folder': { severity: 'warning', meaning: 'a class folder holds no images' },
  'wrong-type': { severity: 'error', meaning: 'a JSONL field holds a value of the wrong type (an object, list or number where a path or text belongs)' },
  'label-variants': { severity: 'warning', meaning: 'labels differ only in letter case or surrounding spaces' },
  'conflicting-labels': { severity: 'warning', meaning: 'the same image (with the same text) is listed with different labels' },
  'duplicate-column': { severity: 'warning', meaning: 'the header names a column twice; the first is used under that name' },
  'single-class': { severity: 'warning', meaning: 'every example has the same class: a classifier has nothing to tell apart' },
  'encrypted-zip': { severity: 'error', meaning: 'a zip is password-protected; it cannot be opened' },
  'nested-zip': { severity: 'warning', meaning: 'a zip inside the import (or inside another zip) was opened, one level deep' },
  'unsupported-compression': { severity: 'error', meaning: 'zip entries use a compression method other than Deflate or Store (e.g. bzip2, LZMA)' },
  'bad-series': { severity: 'error', meaning: 'a time series cannot be read: a value that is not a number, an empty or ragged sequence, too short for the forecast horizon, or longer than the stated limit' },
  'image-too-large': { severity: 'error', meaning: 'the image header declares more pixels than the stated limit; not decoded' },
  'undecodable-audio': { severity: 'error', meaning: 'the audio file is corrupt, truncated or in a format the browser cannot decode' },
  'empty-audio': { severity: 'error', meaning: 'the audio file decodes to 0 samples' },
  'audio-too-long': { severity: 'error', meaning: 'the audio clip is longer than the stated limit (30 s)' },
  'resampled-audio': { severity: 'warning', meaning: 'the audio was not at 16 kHz and was resampled (the source rate is named)' },
} as const satisfies Record<string, { severity: Severity; meaning: string }>;

export type IssueCode = keyof typeof ISSUE_CODES;

/** An issue with the severity that its code implies. */
export function issue(code: IssueCode, file: string, message: string, row?: number): ValidationIssue {
  const out: ValidationIssue = { severity: ISSUE_CODES[code].severity, code, file, message };
  if (row !== undefined) out.row = row;
  return out;
}

/** An empty report. */
export function emptyReport(): ValidationReport {
  return { issues: [], rowsSeen: 0, rowsKept: 0, rowsSkipped: 0 };
}

function csvCell(value: string): string {
  // Quote every cell that could break the row; neutralise formula starts for spreadsheets.
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The report as CSV (UTF-8, header row, CRLF line ends), ready for a download. */
export function reportToCsv(report: ValidationReport): string {
  const lines = [['severity', 'code', 'file', 'row', 'message'].join(',')];
  for (const i of report.issues) {
    lines.push([i.severity, i.code, i.file, i.row === undefined ? '' : String(i.row), i.message].map(csvCell).join(','));
  }
  lines.push('');
  lines.push(`# rows seen ${report.rowsSeen}, kept ${report.rowsKept}, skipped ${report.rowsSkipped}`);
  return lines.join('\r\n') + '\r\n';
}

/** Warnings for classes (and multi-label labels) that only one example carries. */
export function singleExampleClassIssues(examples: readonly RawExample[]): ValidationIssue[] {
  const seen = new Map<string, { count: number; first: RawExample }>();
  for (const e of examples) {
    const labels = e.target.kind === 'class' ? [e.target.label] : e.target.kind === 'labels' ? e.target.labels : [];
    for (const l of labels) {
      const s = seen.get(l);
      if (s) s.count++;
      else seen.set(l, { count: 1, first: e });
    }
  }
  const out: ValidationIssue[] = [];
  for (const [label, { count, first }] of seen) {
    if (count === 1) {
      out.push(issue('single-example-class', first.source.file, `class "${label}" has only this example; it will be in the training split only`, first.source.row));
    }
  }
  return out;
}

/** Counts of issues by severity, for summaries. */
export function countIssues(report: ValidationReport): { errors: number; warnings: number } {
  let errors = 0;
  for (const i of report.issues) if (i.severity === 'error') errors++;
  return { errors, warnings: report.issues.length - errors };
}
