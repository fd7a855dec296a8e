// Importing time series: a sequence column in CSV and JSONL (JSON arrays, separated
// numbers, frames of several values), a separate target column, one CSV per series; bad
// rows and files are reported with file and row while the rest still loads.
import { describe, expect, it } from 'vitest';
import { importSeries, readSequence, type SeriesImportOptions } from './series-import.ts';

const enc = (s: string) => new TextEncoder().encode(s);
const opts = (o: Partial<SeriesImportOptions> = {}): SeriesImportOptions => ({ horizon: 2, column: '', targetColumn: '', split: { train: 0.5, validation: 0.25, seed: 1, stratify: false }, ...o });
const issuesOf = (r: ReturnType<typeof importSeries>) => r.report.issues.map((i) => `${i.code} ${i.file}${i.row ? `:${i.row}` : ''} ${i.message}`);

describe('readSequence', () => {
  it('reads JSON arrays, separated numbers and frames; says what is wrong otherwise', () => {
    expect(readSequence('[1, 2.5, -3]')).toEqual({ values: [1, 2.5, -3], frameSize: 1, length: 3 });
    expect(readSequence('1 2;3,4')).toEqual({ values: [1, 2, 3, 4], frameSize: 1, length: 4 });
    expect(readSequence([[1, 2], [3, 4]])).toEqual({ values: [1, 2, 3, 4], frameSize: 2, length: 2 });
    expect(readSequence('1 x 3')).toEqual({ problem: 'has "x" at step 2, which is not a number' });
    expect(readSequence('')).toEqual({ problem: 'is empty' });
    expect(readSequence('[[1, 2], [3]]')).toEqual({ problem: 'has ragged frames: frame 2 holds 1 value, frame 1 holds 2' });
    expect(readSequence('[1, 2')).toMatchObject({ problem: expect.stringMatching(/not a valid JSON array/) });
  });
});

describe('importSeries', () => {
  it('CSV with a sequence column: the last k values are the target; bad rows are named and skipped', () => {
    const csv = ['id,values', 'a,"1 2 3 4 5"', 'b,"[2, 3, 4, 5, 6, 7]"', 'c,"1 two 3 4"', 'd,', 'e,"1 2"', 'f,"5;4;3;2"'].join('\n');
    const r = importSeries([{ name: 'prices.csv', bytes: enc(csv) }], opts());
    expect(issuesOf(r)).toEqual([
      'bad-series prices.csv:4 column "values" has "two" at step 2, which is not a number; row skipped',
      'bad-series prices.csv:5 column "values" is empty; row skipped',
      'bad-series prices.csv:6 column "values" has 2 values: forecasting 2 needs at least 3 (1 input step and 2 to forecast); row skipped',
    ]);
    const d = r.dataset!;
    expect(d.size).toBe(3);
    expect(r.report).toMatchObject({ rowsSeen: 6, rowsKept: 3, rowsSkipped: 3 });
    expect(d.series!.length).toBe(4);
    expect(Array.from(d.lengths)).toEqual([3, 4, 2]);
    const t = d.targets as { values: Float32Array; width?: number };
    expect(t.width).toBe(2);
    expect(Array.from(t.values)).toEqual([4, 5, 6, 7, 3, 2]);
    expect(Array.from(d.series!.frames.subarray(0, 4))).toEqual([1, 2, 3, 0]);
  });

  it('JSONL with frames of two values and a separate target column; ragged targets are reported', () => {
    const jsonl = [
      JSON.stringify({ x: [[1, 10], [2, 20], [3, 30]], y: [4, 5] }),
      JSON.stringify({ x: [[2, 20], [3, 30]], y: [6, 7] }),
      JSON.stringify({ x: [[2, 20], [3, 30]], y: [6] }),
      JSON.stringify({ x: [[2, 20], [3]], y: [6, 7] }),
      JSON.stringify({ x: [[5, 50]], y: [1, 2] }),
    ].join('\n');
    const r = importSeries([{ name: 'sensors.jsonl', bytes: enc(jsonl) }], opts({ column: 'x', targetColumn: 'y' }));
    expect(issuesOf(r)).toEqual([
      'bad-series sensors.jsonl:3 column "x" has 1 target values, the earlier rows 2; row skipped',
      'bad-series sensors.jsonl:4 column "x" has ragged frames: frame 2 holds 1 value, frame 1 holds 2; row skipped',
    ]);
    const d = r.dataset!;
    expect(d.series!.frameSize).toBe(2);
    expect(d.size).toBe(3);
    expect(Array.from(d.series!.frames.subarray(0, 6))).toEqual([1, 10, 2, 20, 3, 30]);
  });

  it('one CSV file per series, header optional; a bad file is named with its row, the rest load', () => {
    const files = [
      { name: 'a.csv', bytes: enc('value\n1\n2\n3\n4\n') },
      { name: 'b.csv', bytes: enc('5\n6\n7\n8\n9\n') },
      { name: 'c.csv', bytes: enc('1\n2\noops\n4\n') },
      { name: 'd.csv', bytes: new Uint8Array(0) },
      { name: 'notes.txt', bytes: enc('hello') },
    ];
    const r = importSeries(files, opts());
    expect(issuesOf(r)).toEqual([
      'unsupported-file notes.txt not a CSV, TSV or JSONL file; ignored',
      'bad-series c.csv:3 row 3 holds "oops", not a number; this series is skipped',
      'empty-file d.csv the file has 0 bytes',
    ]);
    const d = r.dataset!;
    expect(d.size).toBe(2);
    const t = d.targets as { values: Float32Array };
    expect(Array.from(t.values)).toEqual([3, 4, 8, 9]);
    expect(Array.from(d.lengths)).toEqual([2, 3]);
  });

  it('returns no dataset, with the report, when fewer than two series can be read', () => {
    const r = importSeries([{ name: 'x.csv', bytes: enc('values\n"a b c"\n') }], opts({ column: 'values' }));
    expect(r.dataset).toBeNull();
    expect(r.report.issues[0].code).toBe('bad-series');
    expect(r.report.issues[0].row).toBe(2);
  });
});
