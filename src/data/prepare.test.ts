// Splits (seeded, stratified, grouped, k folds) and prepareDataset (layouts, masks,
// vocabulary from the training split only, truncation counts, targets per task).
import { describe, expect, it } from 'vitest';
import { DEFAULT_SPLIT, prepareDataset, type PrepareOptions } from './prepare.ts';
import { emptyReport } from './report.ts';
import { generateShapes } from './shapes.ts';
import { kFoldSplits, makeSplits } from './splits.ts';
import type { RawExample, RgbaImage, Splits } from './types.ts';

const union = (s: Splits) => [...s.train, ...s.validation, ...s.test].sort((a, b) => a - b);
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('makeSplits', () => {
  const labels = Int32Array.from(range(200), (i) => (i < 120 ? 0 : i < 180 ? 1 : 2)); // 120 / 60 / 20
  const config = { train: 0.7, validation: 0.15, seed: 9, stratify: true };
  it('partitions every example exactly once, deterministic per seed', () => {
    const s = makeSplits(200, config, labels);
    expect(union(s)).toEqual(range(200));
    expect(makeSplits(200, config, labels)).toEqual(s);
    expect(makeSplits(200, { ...config, seed: 10 }, labels).train).not.toEqual(s.train);
  });
  it('stratifies: each class keeps the fractions as closely as whole examples allow', () => {
    const s = makeSplits(200, config, labels);
    const count = (idx: Int32Array, c: number) => Array.from(idx).filter((i) => labels[i] === c).length;
    expect([0, 1, 2].map((c) => count(s.train, c))).toEqual([84, 42, 14]);
    expect([0, 1, 2].map((c) => count(s.validation, c))).toEqual([18, 9, 3]);
    expect([0, 1, 2].map((c) => count(s.test, c))).toEqual([18, 9, 3]);
  });
  it('keeps examples of one group together', () => {
    const groups = range(90).map((i) => `g${Math.floor(i / 3)}`);
    const s = makeSplits(90, { ...config, stratify: false }, null, groups);
    const where = new Map<string, Set<string>>();
    for (const [name, idx] of Object.entries(s)) for (const i of idx as Int32Array) (where.get(groups[i]) ?? where.set(groups[i], new Set()).get(groups[i])!).add(name);
    expect([...where.values()].every((w) => w.size === 1)).toBe(true);
    expect(s.train.length).toBe(63);
  });
  it('rejects impossible fractions', () => {
    expect(() => makeSplits(10, { ...config, train: 0.9, validation: 0.2 })).toThrow(/train \+ validation ≤ 1/);
  });
});

function image(v: number, size = 8): RgbaImage {
  const data = new Uint8ClampedArray(size * size * 4).fill(v);
  for (let i = 3; i < data.length; i += 4) data[i] = 255;
  return { width: size, height: size, data };
}

function ex(i: number, target: RawExample['target'], text: string | null, img: RgbaImage | null = image(i)): RawExample {
  return { id: `e${i}`, image: img, text, target, source: { file: 'm.csv', row: i + 2 } };
}

const options = (over: Partial<PrepareOptions> = {}): PrepareOptions => ({
  task: 'classification',
  tokenizer: { level: 'word', minFrequency: 1, maxVocab: 100, maxLength: 4 },
  imageSize: 16,
  split: { train: 0.5, validation: 0.25, seed: 1, stratify: true },
  name: 'unit',
  report: { ...emptyReport(), rowsSeen: 12, rowsKept: 12 },
  ...over,
});

describe('prepareDataset', () => {
  const raw: RawExample[] = range(12).map((i) =>
    ex(i, { kind: 'class', label: i % 2 ? 'dog' : 'cat' }, i === 3 ? null : i === 5 ? 'one two three four five six' : `word${i} shared`, i === 7 ? null : image(i * 20)),
  );
  const d = prepareDataset(raw, options());

  it('lays out images NCHW normalised, with a mask for missing images', () => {
    expect(d.size).toBe(12);
    expect(d.images.length).toBe(12 * 3 * 16 * 16);
    expect(d.hasImage[7]).toBe(0);
    expect(d.images.subarray(7 * 768, 8 * 768).every((v) => v === 0)).toBe(true);
    expect(d.images[2 * 768]).toBeCloseTo((40 / 255 - 0.5) / 0.5, 6);
  });
  it('pads tokens with 0, length 0 and mask 0 for a missing text, counts truncation', () => {
    expect(d.maxLength).toBe(4);
    expect(d.hasText[3]).toBe(0);
    expect(d.lengths[3]).toBe(0);
    expect(Array.from(d.tokens.subarray(3 * 4, 4 * 4))).toEqual([0, 0, 0, 0]);
    expect(d.lengths[5]).toBe(4);
    const truncated = d.stats.train.truncated + d.stats.validation.truncated + d.stats.test.truncated;
    expect(truncated).toBe(1);
    expect(d.texts[3]).toBeNull();
  });
  it('builds the vocabulary from the training split only', () => {
    const trainWords = new Set(Array.from(d.splits.train).flatMap((i) => (raw[i].text ?? '').split(' ')));
    for (const t of d.vocab.tokens.slice(4)) expect(trainWords.has(t)).toBe(true);
    const heldOut = [...d.splits.validation, ...d.splits.test].find((i) => i !== 3 && i !== 5)!;
    expect(d.vocab.tokens).not.toContain(`word${heldOut}`);
    expect(d.tokens[heldOut * 4]).toBe(1); // <unk>
  });
  it('encodes classes in natural order and counts them per split', () => {
    expect(d.targets.kind).toBe('classification');
    if (d.targets.kind !== 'classification') return;
    expect(d.targets.classes).toEqual(['cat', 'dog']);
    expect(Array.from(d.targets.labels)).toEqual(range(12).map((i) => i % 2));
    expect(d.stats.train.classCounts).toEqual([3, 3]);
    expect(d.stats.train.count + d.stats.validation.count + d.stats.test.count).toBe(12);
    expect(d.stats.train.withImage + d.stats.validation.withImage + d.stats.test.withImage).toBe(11);
  });
  it('skips and reports targets that do not fit the task, and rows with no input', () => {
    const mixed = [...raw, ex(20, { kind: 'number', value: 3 }, 'x'), ex(21, { kind: 'class', label: 'cat' }, '  ', null)];
    const p = prepareDataset(mixed, options({ report: { ...emptyReport(), rowsSeen: 14, rowsKept: 14 } }));
    expect(p.size).toBe(12);
    expect(p.report.issues.map((i) => [i.code, i.row])).toEqual([
      ['target-mismatch', 22],
      ['no-input', 23],
    ]);
    expect(p.report.rowsKept).toBe(12);
    expect(p.report.rowsSkipped).toBe(2);
    expect(() => prepareDataset(raw, options({ task: 'regression' }))).toThrow(
      /^None of the 12 examples of .* can be used for regression \(a number per example\): their targets are class labels\. Choose the target kind for classification/,
    );
    expect(() => prepareDataset([], options())).toThrow(/^Nothing to prepare: no example was loaded from /);
    expect(() => prepareDataset([ex(30, { kind: 'class', label: 'cat' }, ' ', null)], options())).toThrow(/has an image or a text to learn from/);
    expect(p.report.issues[0].message).toBe('the target holds numbers, which classification (one class per example) cannot use; skipped');
    expect(() => prepareDataset(raw, options({ imageSize: 8 }))).toThrow(/imageSize must be an integer in 16–128/);
  });
  it('multilabel: [N, C] of 0/1', () => {
    const m = prepareDataset(
      [ex(0, { kind: 'labels', labels: ['b', 'a'] }, 't'), ex(1, { kind: 'labels', labels: ['c'] }, 't'), ex(2, { kind: 'class', label: 'a' }, 't')],
      options({ task: 'multilabel', split: { ...DEFAULT_SPLIT, stratify: false } }),
    );
    expect(m.targets.kind === 'multilabel' && Array.from(m.targets.labels)).toEqual([1, 1, 0, 0, 0, 1, 1, 0, 0]);
  });
  it('regression: raw values with training mean and std', () => {
    const r = prepareDataset(range(10).map((i) => ex(i, { kind: 'number', value: i }, 't')), options({ task: 'regression', split: { train: 0.5, validation: 0.2, seed: 3, stratify: false } }));
    if (r.targets.kind !== 'regression') throw new Error('kind');
    expect(Array.from(r.targets.values)).toEqual(range(10));
    const train = Array.from(r.splits.train);
    const mean = train.reduce((s, i) => s + i, 0) / train.length;
    expect(r.targets.mean).toBeCloseTo(mean, 6);
    expect(r.targets.std).toBeCloseTo(Math.sqrt(train.reduce((s, i) => s + (i - mean) ** 2, 0) / train.length), 6);
  });
  it('captioning: <bos> … <eos> <pad>, own vocabulary, references kept', () => {
    const shapes = generateShapes({ count: 40, seed: 1, kinds: ['caption'], imageSize: 16 });
    const c = prepareDataset(shapes.examples, options({ task: 'captioning', tokenizer: { level: 'word', minFrequency: 1, maxVocab: 100, maxLength: 32 } }));
    if (c.targets.kind !== 'captioning') throw new Error('kind');
    const L = c.targets.maxLength + 2;
    expect(c.targets.tokens.length).toBe(c.size * L);
    for (let i = 0; i < c.size; i++) {
      const row = c.targets.tokens.subarray(i * L, (i + 1) * L);
      const n = c.targets.lengths[i];
      expect(row[0]).toBe(2);
      expect(row[n - 1]).toBe(3);
      expect(Array.from(row.subarray(n)).every((t) => t === 0)).toBe(true);
    }
    expect(c.targets.references[0]).toMatch(/^a /);
    expect(c.hasText.every((h) => h === 0)).toBe(true);
  });
});

describe('kFoldSplits', () => {
  const shapes = generateShapes({ count: 300, seed: 2, imageSize: 16 });
  const d = prepareDataset(shapes.examples, options({ report: emptyReport(), tokenizer: { level: 'word', minFrequency: 1, maxVocab: 100, maxLength: 16 } }));
  it('covers train ∪ validation once across folds, keeps test apart and groups whole', () => {
    const folds = kFoldSplits(d, 5, 3);
    expect(folds).toHaveLength(5);
    const pool = [...d.splits.train, ...d.splits.validation].sort((a, b) => a - b);
    expect(folds.flatMap((f) => Array.from(f.validation)).sort((a, b) => a - b)).toEqual(pool);
    for (const f of folds) {
      expect(Array.from(f.test)).toEqual(Array.from(d.splits.test));
      expect([...f.train, ...f.validation].sort((a, b) => a - b)).toEqual(pool);
      const trainGroups = new Set(Array.from(f.train, (i) => d.tags[i]!.splitGroup));
      expect(Array.from(f.validation).some((i) => trainGroups.has(d.tags[i]!.splitGroup))).toBe(false);
    }
    expect(kFoldSplits(d, 5, 3)).toEqual(folds);
    expect(() => kFoldSplits(d, 1, 3)).toThrow(/k must be/);
  });
  it('stratifies folds by class when there are no groups', () => {
    const raw = range(60).map((i) => ex(i, { kind: 'class', label: ['a', 'b', 'c'][i % 3] }, 'x'));
    const p = prepareDataset(raw, options({ report: emptyReport(), split: { train: 0.8, validation: 0.2, seed: 1, stratify: true } }));
    if (p.targets.kind !== 'classification') throw new Error('kind');
    const labels = p.targets.labels;
    for (const f of kFoldSplits(p, 4, 1)) {
      const per = [0, 1, 2].map((c) => Array.from(f.validation).filter((i) => labels[i] === c).length);
      expect(Math.max(...per) - Math.min(...per)).toBeLessThanOrEqual(1);
    }
  });
});
