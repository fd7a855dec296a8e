// Import of every fixture under e2e/fixtures (the same files the Playwright test feeds
// through the page), with the Node PNG decoder: counts, report rows, targets, limits.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { pngDecoder } from './decode.ts';
import { fixtureFolder } from './fixture-folder.ts';
import { collectFiles, DEFAULT_LIMITS, fileFromBytes, resolvePath, type ImportFile } from './files.ts';
import { ImportError, loadImport, planImport, readTarget } from './importer.ts';
import { guessMapping, parseManifest } from './manifest.ts';
import { prepareDataset } from './prepare.ts';
import { ISSUE_CODES, reportToCsv } from './report.ts';
import type { ValidationReport } from './types.ts';

const FIXTURES = join(import.meta.dirname, '../../e2e/fixtures');

const folder = (name: string): ImportFile[] => fixtureFolder(FIXTURES, name);

const single = (path: string) => [fileFromBytes(path.split('/').pop()!, new Uint8Array(readFileSync(join(FIXTURES, path))))];

async function importAll(files: ImportFile[], fromFolder: boolean, mapping?: Parameters<typeof loadImport>[1]) {
  const plan = await planImport(files, { fromFolder });
  return { plan, result: await loadImport(plan, mapping ?? plan.mapping, { decode: pngDecoder }) };
}

const rows = (r: ValidationReport) => r.issues.map((i) => [i.code, i.file, i.row ?? null]);

describe('paths', () => {
  it('resolves relative paths and refuses traversal, absolute paths and URLs', () => {
    expect(resolvePath('./img\\a.png', 'data')).toEqual({ ok: true, path: 'data/img/a.png' });
    expect(resolvePath('../b.png', 'data/x')).toEqual({ ok: true, path: 'data/b.png' });
    expect(resolvePath('../x.png')).toMatchObject({ ok: false, reason: 'traversal' });
    expect(resolvePath('a/../../../x.png', 'd')).toMatchObject({ ok: false, reason: 'traversal' });
    expect(resolvePath('/etc/passwd')).toMatchObject({ ok: false, reason: 'absolute' });
    expect(resolvePath('C:\\x.png')).toMatchObject({ ok: false, reason: 'absolute' });
    expect(resolvePath('https://example.com/a.png')).toMatchObject({ ok: false, reason: 'url' });
  });
});

describe('manifest parsing', () => {
  const enc = (s: string) => new TextEncoder().encode(s);
  it('CSV: BOM, CRLF, quoted newlines and quotes, spreadsheet row numbers', () => {
    const m = parseManifest('m.csv', new Uint8Array(readFileSync(join(FIXTURES, 'csv-manifest/data.csv'))));
    expect(m.columns).toEqual(['image', 'text', 'label']);
    expect(m.rows.map((r) => r.row)).toEqual([2, 3, 4, 5, 6, 7]);
    expect(m.rows[1].values.text).toBe('two lines:\r\nfirst, then second');
    expect(m.rows[4].values.text).toBe('He said "hi"');
    expect(m.issues).toEqual([]);
  });
  it('rows after a quoted newline keep their spreadsheet number; blank lines count', () => {
    const m = parseManifest('m.csv', enc('a,b\n"x\ny",1\n\nz,2\n'));
    expect(m.rows.map((r) => [r.row, r.values.a])).toEqual([
      [2, 'x\ny'],
      [4, 'z'],
    ]);
  });
  it('semicolon CSV is detected; duplicate and blank headers are renamed', () => {
    const m = parseManifest('m.csv', enc('a;a;\n1;2;3\n'));
    expect(m.columns).toEqual(['a', 'a (2)', 'column 3']);
  });
  it('guesses the mapping and the target kind from names and values', () => {
    expect(guessMapping(parseManifest('m.csv', enc('Image Path,Question,Answer\na.png,q,yes\n')))).toEqual({ image: 'Image Path', text: 'Question', target: 'Answer', targetKind: 'class' });
    expect(guessMapping(parseManifest('m.csv', enc('file,target\na.png,1.5\nb.png,-2\n')))).toMatchObject({ target: 'target', targetKind: 'number' });
    expect(guessMapping(parseManifest('m.jsonl', enc('{"img":"a.png","label":["x","y"]}\n')))).toMatchObject({ image: 'img', target: 'label', targetKind: 'labels' });
    expect(guessMapping(parseManifest('m.csv', enc('photo_file,sentence,kind\n,a,b\n')))).toEqual({ image: null, text: 'sentence', target: null, targetKind: 'class' });
  });
  it('reads targets by kind and explains the ones it cannot', () => {
    expect(readTarget(' cat ', 'class')).toEqual({ kind: 'class', label: 'cat' });
    expect(readTarget(3, 'class')).toEqual({ kind: 'class', label: '3' });
    expect(readTarget('a | b;c,a', 'labels')).toEqual({ kind: 'labels', labels: ['a', 'b', 'c'] });
    expect(readTarget('2.5', 'number')).toEqual({ kind: 'number', value: 2.5 });
    expect(readTarget('abc', 'number')).toMatch(/must be numeric, got string "abc"/);
    expect(readTarget({ a: 1 }, 'class')).toMatch(/got an object/);
    expect(readTarget('', 'class')).toEqual({ missing: true });
  });
});

describe('import of each fixture', () => {
  it('csv-manifest: all six rows load; the empty text is kept without text', async () => {
    const { plan, result } = await importAll(folder('csv-manifest'), true);
    expect(plan.layout).toBe('manifest');
    expect(plan.name).toBe('data.csv');
    expect(result.task).toBe('classification');
    expect(result.report).toMatchObject({ rowsSeen: 6, rowsKept: 6, rowsSkipped: 0 });
    expect(rows(result.report)).toEqual([['empty-text', 'data.csv', 7]]);
    expect(result.examples[2].text).toBe('<img src=x onerror="window.__xss=1"><b>bold?</b>');
    expect(result.examples[5].text).toBeNull();
    expect(result.examples[0].image).toMatchObject({ width: 8, height: 8 });
    expect(Array.from(result.examples[0].image!.data.subarray(4, 8))).toEqual([220, 30, 30, 255]);
    expect(result.examples.map((e) => e.source.row)).toEqual([2, 3, 4, 5, 6, 7]);
  });

  it('tsv-captions: captioning task, HTML kept as text', async () => {
    const { result } = await importAll(folder('tsv-captions'), true);
    expect(result.task).toBe('captioning');
    expect(result.report).toMatchObject({ rowsSeen: 4, rowsKept: 4 });
    expect(result.examples[2].target).toEqual({ kind: 'caption', text: '<script>window.__xss=2</script>a blue tile' });
    const d = prepareDataset(result.examples, {
      task: result.task,
      tokenizer: { level: 'word', minFrequency: 1, maxVocab: 100, maxLength: 16 },
      imageSize: 16,
      split: { train: 0.5, validation: 0.25, seed: 1, stratify: false },
      name: result.name,
      report: result.report,
    });
    expect(d.targets.kind).toBe('captioning');
  });

  it('jsonl-multilabel: lists and "|" strings as labels; broken lines reported by line', async () => {
    const { result } = await importAll(folder('jsonl-multilabel'), true);
    expect(result.task).toBe('multilabel');
    expect(result.report).toMatchObject({ rowsSeen: 8, rowsKept: 4, rowsSkipped: 4 });
    expect(rows(result.report)).toEqual([
      ['bad-row', 'data.jsonl', 5],
      ['unknown-label-type', 'data.jsonl', 6],
      ['missing-column', 'data.jsonl', 7],
      ['bad-row', 'data.jsonl', 8],
    ]);
    expect(result.examples[2].target).toEqual({ kind: 'labels', labels: ['cool', 'bright'] });
  });

  it('image-folder: classes from the top folders (nested ones said), sidecars, broken files reported', async () => {
    const { plan, result } = await importAll(folder('image-folder'), true);
    expect(plan.layout).toBe('image-folder');
    expect(result.report).toMatchObject({ rowsSeen: 9, rowsKept: 5, rowsSkipped: 4 });
    const byFile = new Map(result.examples.map((e) => [e.source.file, e]));
    expect([...byFile.keys()].sort()).toEqual(['cats/cat1.png', 'cats/cat2.png', 'dogs/dog1.png', 'dogs/dog2.png', 'more/birds/bird1.png']);
    expect(byFile.get('more/birds/bird1.png')!.target).toEqual({ kind: 'class', label: 'more' });
    expect(byFile.get('cats/cat1.png')!.text).toBe('a sleepy cat');
    expect(byFile.get('cats/cat2.png')!.text).toBe('le chat du café');
    expect(byFile.get('dogs/dog2.png')!.text).toBeNull();
    expect(rows(result.report).sort()).toEqual(
      [
        ['encoding', 'cats/cat2.txt', null],
        ['orphan-text', 'cats/only-text.txt', null],
        ['nested-folder', 'more/', null],
        ['no-class-folder', 'stray.png', null],
        ['unsupported-file', 'README.md', null],
        ['undecodable-image', 'dogs/broken.png', null],
        ['empty-file', 'dogs/empty.png', null],
        ['undecodable-image', 'dogs/garbage.jpg', null],
        ['single-example-class', 'more/birds/bird1.png', null],
      ].sort(),
    );
    expect(result.report.issues.find((i) => i.code === 'undecodable-image')!.message).toMatch(/truncated/);
  });

  it('broken-manifest: one problem per row, each reported with its row; the rest loads', async () => {
    const { result } = await importAll(folder('broken-manifest'), true);
    expect(result.report).toMatchObject({ rowsSeen: 11, rowsKept: 3, rowsSkipped: 8 });
    expect(result.examples.map((e) => e.source.row)).toEqual([2, 7, 10]);
    expect(rows(result.report)).toEqual([
      ['single-example-class', 'manifest.csv', 2],
      ['path-traversal', 'manifest.csv', 3],
      ['image-not-found', 'manifest.csv', 4],
      ['duplicate-row', 'manifest.csv', 5],
      ['missing-column', 'manifest.csv', 6],
      ['single-example-class', 'manifest.csv', 7],
      ['path-traversal', 'manifest.csv', 8],
      ['undecodable-image', 'manifest.csv', 9],
      ['path-case-mismatch', 'manifest.csv', 10],
      ['single-example-class', 'manifest.csv', 10],
      ['bad-row', 'manifest.csv', 11],
      ['empty-file', 'manifest.csv', 12],
      ['unreferenced-file', 'unused.png', null],
    ]);
    const csv = reportToCsv(result.report);
    expect(csv.split('\r\n')[0]).toBe('severity,code,file,row,message');
    expect(csv).toContain('error,path-traversal,manifest.csv,3,');
  });

  it('text-only/latin1.csv alone: read as Windows-1252 with a warning; text only said', async () => {
    const { result } = await importAll(single('text-only/latin1.csv'), false);
    expect(result.report).toMatchObject({ rowsSeen: 4, rowsKept: 4 });
    expect(rows(result.report)).toEqual([
      ['encoding', 'latin1.csv', null],
      ['missing-modality', 'latin1.csv', null],
    ]);
    expect(result.report.issues[0].message).toMatch(/not UTF-8; it was read as Windows-1252/);
    expect(result.report.issues[1].message).toMatch(/no images: the manifest has no image column, so all 4 examples are text only — train with the fusion "Text only"/);
    expect(result.examples.map((e) => e.text)).toEqual(['café au lait', 'crème brûlée', 'thé vert', 'tarte']);
    expect(result.examples.every((e) => e.image === null)).toBe(true);
  });

  it('text-only/unusual-columns.csv: nothing loads until a target column is mapped', async () => {
    const files = single('text-only/unusual-columns.csv');
    const plan = await planImport(files, {});
    expect(plan.mapping.target).toBeNull();
    const err = await loadImport(plan, plan.mapping, { decode: pngDecoder }).catch((e: ImportError) => e);
    expect(err).toBeInstanceOf(ImportError);
    expect(rows({ issues: (err as ImportError).issues } as ValidationReport)).toEqual([['missing-column', 'unusual-columns.csv', null]]);
    expect((err as ImportError).message).toMatch(/^Nothing was loaded: no target column.*photo_file, sentence, kind\.$/);
    const mapped = await loadImport(plan, { image: 'photo_file', text: 'sentence', target: 'kind', targetKind: 'class' }, { decode: pngDecoder });
    expect(mapped.report).toMatchObject({ rowsSeen: 4, rowsKept: 4 });
    expect(rows(mapped.report)).toEqual([['missing-modality', 'unusual-columns.csv', null]]);
  });

  it('zips/dataset.zip: expanded, its top folder removed, the escaping entry refused', async () => {
    const { plan, result } = await importAll(single('zips/dataset.zip'), false);
    expect(plan.files.map((f) => f.path).sort()).toEqual(['img/b.png', 'img/b2.png', 'img/g.png', 'img/g2.png', 'img/r.png', 'img/r2.png', 'manifest.csv']);
    expect(result.report).toMatchObject({ rowsSeen: 6, rowsKept: 6 });
    expect(rows(result.report)).toEqual([['path-traversal', 'dataset.zip:../evil.png', null]]);
  });

  it('zips/too-large.zip: refused before expanding, with the limit stated', async () => {
    const err = await planImport(single('zips/too-large.zip')).catch((e: ImportError) => e);
    expect(err).toBeInstanceOf(ImportError);
    expect((err as ImportError).issues.map((i) => i.code)).toEqual(['zip-too-large']);
    expect((err as ImportError).issues[0].message).toMatch(/1 GiB, above the limit of 512 MiB; refused before expanding/);
  });
});

describe('inputs', () => {
  it('accepts { path, bytes } and File objects as well as ImportFiles', async () => {
    const png = new Uint8Array(readFileSync(join(FIXTURES, 'csv-manifest/images/red.png')));
    const csv = new TextEncoder().encode('image,text,label\nimg/a.png,from bytes,x\nb.png,from a File,x\n');
    const plan = await planImport([
      { path: 'm.csv', bytes: csv },
      { path: 'img/a.png', bytes: png },
      new File([png], 'b.png', { type: 'image/png' }) as unknown as { name: string; size: number; arrayBuffer(): Promise<ArrayBuffer> },
    ]);
    const r = await loadImport(plan, plan.mapping, { decode: pngDecoder });
    expect(r.examples.map((e) => e.text)).toEqual(['from bytes', 'from a File']);
    expect(r.examples[1].image).toMatchObject({ width: 8, height: 8 });
    expect(rows(r.report)).toEqual([['single-class', 'm.csv', null]]);
  });
});

describe('limits and cancellation', () => {
  it('oversized files are skipped with the limit in the message', async () => {
    const img = new Uint8Array(readFileSync(join(FIXTURES, 'csv-manifest/images/red.png')));
    const files = [
      fileFromBytes('m.csv', new TextEncoder().encode('image,label\nsmall.png,a\nbig.png,a\n')),
      fileFromBytes('small.png', img),
      { path: 'big.png', size: 2 * img.length, read: async () => { throw new Error('an oversized file must not be read'); } },
    ];
    const limits = { ...DEFAULT_LIMITS, maxFileBytes: img.length + 1 };
    const plan = await planImport(files, { limits });
    const r = await loadImport(plan, plan.mapping, { decode: pngDecoder, limits });
    expect(rows(r.report)).toEqual([
      ['single-class', 'm.csv', null],
      ['missing-modality', 'm.csv', null],
      ['single-example-class', 'm.csv', 2],
      ['oversized-file', 'm.csv', 3],
    ]);
    expect(r.report.issues[3].message).toMatch(new RegExp(`limit is ${img.length + 1} B`));
    expect(r.report.rowsKept).toBe(1);
  });
  it('a zip entry larger than the per-file limit is not expanded', async () => {
    const zip = zipSync({ 'a.txt': new Uint8Array(2000), 'b.txt': new Uint8Array(10) });
    const { files, issues } = await collectFiles([fileFromBytes('z.zip', zip)], { limits: { ...DEFAULT_LIMITS, maxFileBytes: 1000 } });
    expect(files.map((f) => f.path)).toEqual(['b.txt']);
    expect(issues.map((i) => [i.code, i.file])).toEqual([['oversized-file', 'z.zip:a.txt']]);
  });
  it('cancelling rejects with an AbortError', async () => {
    const plan = await planImport(folder('csv-manifest'), { fromFolder: true });
    const controller = new AbortController();
    const p = loadImport(plan, plan.mapping, {
      decode: pngDecoder,
      signal: controller.signal,
      concurrency: 1,
      onProgress: (e) => e.done === 2 && controller.abort(),
    });
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
  });
  it('progress counts each distinct image once', async () => {
    const plan = await planImport(folder('jsonl-multilabel'), { fromFolder: true });
    const seen: number[] = [];
    await loadImport(plan, plan.mapping, { decode: pngDecoder, onProgress: (e) => seen.push(e.total) });
    expect(new Set(seen)).toEqual(new Set([3]));
  });
  it('an empty import is an ImportError with a plain message', async () => {
    await expect(planImport([fileFromBytes('notes.pdf', new Uint8Array(3))])).rejects.toThrow(/no manifest .* and no images/);
  });
});

describe('documentation', () => {
  it('the README lists every issue code with its severity and the default limits', () => {
    const readme = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');
    for (const [code, { severity }] of Object.entries(ISSUE_CODES)) expect(readme).toContain(`| \`${code}\` | ${severity} |`);
    expect(readme).toContain('| one file (image, manifest, text, zip entry) | 32 MiB |');
    expect(readme).toContain('| a `.zip`\'s total uncompressed size | 512 MiB');
    expect(DEFAULT_LIMITS).toMatchObject({ maxFileBytes: 32 * 2 ** 20, maxZipBytes: 256 * 2 ** 20, maxZipExpandedBytes: 512 * 2 ** 20, maxFiles: 100_000 });
  });
});
