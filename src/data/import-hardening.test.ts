// Imports that broke in real use (issue 13, "Import"): each fixture under
// e2e/fixtures/hardening (written by scripts/make-data-fixtures.mjs) through planImport
// and loadImport with the Node PNG decoder, plus the pure pieces (zip directory, image
// headers) on bytes made here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { pngDecoder } from './decode.ts';
import { fixtureFolder } from './fixture-folder.ts';
import { collectFiles, fileFromBytes, readZipDirectory, type ImportFile } from './files.ts';
import { imageDimensions } from './image.ts';
import { ImportError, loadImport, planImport } from './importer.ts';
import { parseManifest } from './manifest.ts';
import { visibleText } from './text.ts';
import type { ValidationReport } from './types.ts';

const ROOT = join(import.meta.dirname, '../../e2e/fixtures/hardening');

const folder = (name: string): ImportFile[] => fixtureFolder(ROOT, name);

const single = (name: string) => [fileFromBytes(name, new Uint8Array(readFileSync(join(ROOT, name))))];
const rows = (r: Pick<ValidationReport, 'issues'>) => r.issues.map((i) => [i.code, i.file, i.row ?? null]);
const enc = (s: string) => new TextEncoder().encode(s);

async function importAll(files: ImportFile[], fromFolder = false) {
  const plan = await planImport(files, { fromFolder });
  return { plan, result: await loadImport(plan, plan.mapping, { decode: pngDecoder }) };
}

async function refusal(files: ImportFile[], fromFolder = false): Promise<ImportError> {
  const e = await planImport(files, { fromFolder }).catch((x: unknown) => x);
  expect(e).toBeInstanceOf(ImportError);
  return e as ImportError;
}

describe('1. unterminated quote', () => {
  it('reports the line where the quote opened and loads the rows after it', async () => {
    const { result } = await importAll(single('unterminated.csv'));
    expect(result.report).toMatchObject({ rowsSeen: 5, rowsKept: 4, rowsSkipped: 1 });
    expect(result.examples.map((e) => e.text)).toEqual(['first row', 'third row', 'fourth row', 'fifth row']);
    expect(result.examples.map((e) => e.source.row)).toEqual([2, 4, 5, 6]);
    const quote = result.report.issues.find((i) => i.code === 'unterminated-quote')!;
    expect(quote).toMatchObject({ severity: 'error', file: 'unterminated.csv', row: 3 });
    expect(quote.message).toMatch(/a quote \(“?"\)? opens on line 3 and is never closed.*line 3 is skipped and reading goes on with line 4/);
  });
  it('a quote "closed" by a quote rows later does not swallow the rows between', () => {
    const m = parseManifest('m.csv', enc('text,label\n"open,a\nb,b\nc,c\n"quoted",d\ne,e\n'));
    expect(m.rows.map((r) => r.values.text)).toEqual(['b', 'c', 'quoted', 'e']);
    expect(m.issues.map((i) => [i.code, i.row])).toEqual([['unterminated-quote', 2]]);
  });
  it('a quoted field with a newline that is closed stays one row', () => {
    const m = parseManifest('m.csv', enc('text,label\n"two\nlines",a\nz,b\n'));
    expect(m.rows.map((r) => r.values.text)).toEqual(['two\nlines', 'z']);
    expect(m.issues).toEqual([]);
  });
});

describe('2. encodings', () => {
  const WESTERN = ['café crème', 'Straße für Füße', '½ pint’s of ale', 'mañana in España', '£5 note', '5 £ coins'];
  it('Windows-1252 is detected and decoded, with a warning', async () => {
    const { result } = await importAll(single('cp1252.csv'));
    expect(result.examples.map((e) => e.text)).toEqual(WESTERN);
    expect(rows(result.report)).toEqual([
      ['encoding', 'cp1252.csv', null],
      ['missing-modality', 'cp1252.csv', null],
    ]);
    expect(result.report.issues[0].message).toMatch(/not UTF-8; it was read as Windows-1252/);
  });
  it('UTF-16 with a byte-order mark is decoded, with a warning', async () => {
    const { result } = await importAll(single('utf16.csv'));
    expect(result.examples.map((e) => e.text)).toEqual(WESTERN.map((t) => t.replace('pint’s', 'pint')));
    expect(result.report.issues[0]).toMatchObject({ code: 'encoding', message: expect.stringMatching(/read as UTF-16 \(little-endian\)/) });
  });
  it('UTF-8 with a bad byte stays UTF-8: replacement, the line named, the row flagged', async () => {
    const { result } = await importAll(single('bad-bytes.csv'));
    expect(result.examples.map((e) => e.text)).toEqual(['naïve café', 'plain', 'broken \ufffd byte', 'fine again']);
    expect(rows(result.report)).toEqual([
      ['non-utf8', 'bad-bytes.csv', null],
      ['missing-modality', 'bad-bytes.csv', null],
      ['non-utf8', 'bad-bytes.csv', 4],
    ]);
    expect(result.report.issues[0].message).toMatch(/^the file is UTF-8 but line 4 holds bytes that are not/);
    expect(result.report.issues[2].message).toBe('column "text" holds bytes that are not UTF-8 (shown as �); kept');
  });
});

describe('3. a missing modality is said', () => {
  it('a manifest without an image column: text only, and what to train', async () => {
    const { result } = await importAll(single('cp1252.csv'));
    expect(result.report.issues[1].message).toMatch(/^no images: the manifest has no image column, so all 6 examples are text only — train with the fusion "Text only"/);
  });
  it('one folder of images without texts: one class and no texts, both said', async () => {
    const { result } = await importAll(folder('one-class'), true);
    expect(rows(result.report)).toEqual([
      ['single-class', 'one-class', null],
      ['missing-modality', 'one-class', null],
    ]);
    expect(result.report.issues[0].message).toMatch(/only one class: all 2 examples are "images".*put each class in its own folder/);
    expect(result.report.issues[1].message).toMatch(/no texts: no image has a \.txt file.*train with the fusion "Image only"/);
  });
  it('images directly in the picked folder: refused, with the layout to use', async () => {
    const e = await refusal(folder('flat-images'), true);
    expect(e.message).toMatch(/directly in the folder you picked, not in class folders.*nothing can be trained/);
  });
});

describe('4. image folders', () => {
  it('orphan sidecar ignored, nested images take the top folder as class, a folder without images reported', async () => {
    const { result } = await importAll(folder('folders'), true);
    expect(result.examples.map((e) => [e.source.file, e.target.kind === 'class' ? e.target.label : '', e.text])).toEqual([
      ['cats/a.png', 'cats', 'a cat'],
      ['cats/batch_a/deeper/b.png', 'cats', null],
      ['dogs/c.png', 'dogs', null],
      ['dogs/d.png', 'dogs', null],
    ]);
    expect(rows(result.report).sort()).toEqual(
      [
        ['nested-folder', 'cats/', null],
        ['orphan-text', 'dogs/notes.txt', null],
        ['unsupported-file', 'birds/README.md', null],
        ['empty-folder', 'birds/', null],
      ].sort(),
    );
    expect(result.report.issues.find((i) => i.code === 'nested-folder')!.message).toMatch(/1 image in subfolders of "cats" \(e\.g\. cats\/batch_a\/deeper\/b\.png\) is counted as class "cats"/);
  });
  it('an empty class folder in a zip is reported', async () => {
    const { result } = await importAll(single('empty-class.zip'));
    expect(result.report.rowsKept).toBe(4);
    expect(rows(result.report)).toEqual([
      ['empty-folder', 'birds/', null],
      ['missing-modality', 'empty-class.zip', null],
    ]);
  });
});

describe('5. JSONL field types', () => {
  it('an image that is an object, a list or a number is skipped, the type named', async () => {
    const { result } = await importAll(folder('types'), true);
    expect(result.examples.map((e) => e.text)).toEqual(['red', 'blue']);
    expect(rows(result.report)).toEqual([
      ['single-example-class', 'data.jsonl', 1],
      ['wrong-type', 'data.jsonl', 2],
      ['wrong-type', 'data.jsonl', 3],
      ['wrong-type', 'data.jsonl', 4],
      ['single-example-class', 'data.jsonl', 5],
    ]);
    expect(result.report.issues.filter((i) => i.code === 'wrong-type').map((i) => i.message)).toEqual([
      'the image in column "image" is an object, not a file path; skipped',
      'the image in column "image" is a list, not a file path; skipped',
      'the image in column "image" is the number 7, not a file path; skipped',
    ]);
  });
});

describe('6. empty or unparseable manifests are refused with the reason', () => {
  it('0 bytes, a header alone, a pretty-printed JSON array', async () => {
    expect((await refusal(single('empty.csv'))).message).toBe('empty.csv is empty (0 bytes): there is nothing to import.');
    expect((await refusal(single('header-only.csv'))).message).toBe('header-only.csv has a header (image, text, label) but no data rows below it: there is nothing to import.');
    expect((await refusal(single('pretty.jsonl'))).message).toMatch(/^pretty\.jsonl is one JSON array .* not JSON Lines: write one object per line/);
  });
  it('a JSONL file none of whose lines is an object', async () => {
    const e = await refusal([fileFromBytes('d.jsonl', enc('nope\n[1]\n'))]);
    expect(e.message).toMatch(/^None of the 2 lines of d\.jsonl could be read/);
    expect(e.issues.map((i) => [i.code, i.row])).toEqual([
      ['bad-row', 1],
      ['bad-row', 2],
    ]);
  });
});

describe('7. warnings that were missing', () => {
  it('duplicated header column, labels in other case or with spaces, one image with two labels', async () => {
    const { plan, result } = await importAll(folder('labels'), true);
    expect(plan.manifest!.columns).toEqual(['image', 'label', 'text', 'label (2)']);
    expect(plan.mapping.target).toBe('label');
    expect(rows(result.report)).toEqual([
      ['duplicate-column', 'data.csv', 1],
      ['single-example-class', 'data.csv', 2],
      ['label-variants', 'data.csv', 3],
      ['label-variants', 'data.csv', 4],
      ['conflicting-labels', 'data.csv', 6],
    ]);
    const [dup, , kase, space, conflict] = result.report.issues.map((i) => i.message);
    expect(dup).toMatch(/names the column "label" twice \(columns 2 and 4\); column 2 is used as "label", column 4 appears as "label \(2\)"/);
    expect(kase).toMatch(/"Cat" \(1 example\), "cat" \(2 examples\) differ only in letter case; they are kept as 2 different classes/);
    expect(space).toMatch(/row 4 has spaces around it \(e\.g\. " dog "\); the spaces were removed, so " dog " counts as "dog"/);
    expect(conflict).toMatch(/the image d\.png with the same text is labelled "dog" on row 5 and "cat" here/);
  });
  it('a single class is said', async () => {
    const { result } = await importAll([fileFromBytes('m.csv', enc('text,label\na,x\nb,x\n'))]);
    expect(result.report.issues.find((i) => i.code === 'single-class')?.message).toMatch(/only one class: all 2 examples are "x"/);
  });
});

describe('8. zip', () => {
  it('password-protected: said as such', async () => {
    const e = await refusal(single('encrypted.zip'));
    expect(rows(e)).toEqual([['encrypted-zip', 'encrypted.zip', null]]);
    expect(e.issues[0].message).toMatch(/^the zip is password-protected \(every entry is encrypted\)/);
  });
  it('a zip that holds a zip: opened one level, said', async () => {
    const { plan, result } = await importAll(single('nested.zip'));
    expect(plan.name).toBe('manifest.csv');
    expect(result.report.rowsKept).toBe(6);
    expect(rows(result.report)).toEqual([['nested-zip', 'nested.zip', null]]);
    expect(result.report.issues[0].message).toMatch(/contains dataset\.zip, another zip; it was opened/);
  });
  it('bzip2 and LZMA entries are named and skipped; the rest loads', async () => {
    const { result } = await importAll(single('methods.zip'));
    expect(result.report.rowsKept).toBe(6);
    expect(result.report.issues.filter((i) => i.code === 'unsupported-compression').map((i) => i.message)).toEqual([
      expect.stringMatching(/^1 entry is compressed with bzip2 \(e\.g\. pets\/extra\/bz\.png\)/),
      expect.stringMatching(/^1 entry is compressed with LZMA \(e\.g\. pets\/extra\/lz\.png\)/),
    ]);
  });
  it('reads names, flags and methods from the central directory', () => {
    const zip = zipSync({ 'a/b.txt': new Uint8Array(3), 'c/': new Uint8Array(0) });
    expect(readZipDirectory(zip)).toEqual([
      { name: 'a/b.txt', flags: 0, method: 8 },
      { name: 'c/', flags: 0, method: 8 },
    ]);
    expect(readZipDirectory(enc('not a zip'))).toBeNull();
  });
  it('directory entries of a zip are listed as folders', async () => {
    const { folders } = await collectFiles([fileFromBytes('z.zip', zipSync({ 'x/a.png': new Uint8Array(3), 'y/': new Uint8Array(0) }))]);
    expect(folders).toEqual(['y']);
  });
});

describe('9. image limits by declared size', () => {
  it('a PNG declaring 20000 × 20000 is refused before decoding, the file and the limit named', async () => {
    const files = folder('huge');
    const decoded: string[] = [];
    const plan = await planImport(files, { fromFolder: true });
    const result = await loadImport(plan, plan.mapping, { decode: (b, p, s) => (decoded.push(p), pngDecoder(b, p, s)) });
    expect(decoded.sort()).toEqual(['b.png', 'g.png', 'r.png']);
    expect(result.report.rowsKept).toBe(3);
    const big = result.report.issues.find((i) => i.code === 'image-too-large')!;
    expect(big).toMatchObject({ file: 'manifest.csv', row: 2 });
    expect(big.message).toBe('image huge.png: its header declares 20000 × 20000 pixels (400 megapixels); images up to 4096 × 4096 pixels (16.8 megapixels) are accepted — scale it down first; not decoded; skipped');
  });
  it('reads width and height from PNG, JPEG, GIF, WebP and BMP headers', () => {
    const png = readFileSync(join(ROOT, 'huge/huge.png'));
    expect(imageDimensions(new Uint8Array(png))).toEqual({ width: 20000, height: 20000 });
    // JPEG: SOI, an APP0 segment, then SOF0 with height 300, width 5000.
    const jpeg = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 4, 0, 0, 0xff, 0xc0, 0, 11, 8, 0x01, 0x2c, 0x13, 0x88, 3, 0, 0, 0, 0xff, 0xd9]);
    expect(imageDimensions(jpeg)).toEqual({ width: 5000, height: 300 });
    const gif = Uint8Array.from([...enc('GIF89a'), 0x10, 0x27, 0x20, 0x4e, 0, 0, 0, 0x3b]);
    expect(imageDimensions(gif)).toEqual({ width: 10000, height: 20000 });
    const bmp = new Uint8Array(30);
    const v = new DataView(bmp.buffer);
    bmp.set([0x42, 0x4d]);
    v.setUint32(14, 40, true);
    v.setInt32(18, 9000, true);
    v.setInt32(22, -7000, true); // top-down rows
    expect(imageDimensions(bmp)).toEqual({ width: 9000, height: 7000 });
    const webp = (chunk: string, body: number[]) => Uint8Array.from([...enc('RIFF'), 0, 0, 0, 0, ...enc('WEBP'), ...enc(chunk), 0, 0, 0, 0, ...body, ...new Array(16).fill(0)]);
    // VP8X: flags + 3 reserved, then (width − 1) and (height − 1) as 24-bit little-endian.
    expect(imageDimensions(webp('VP8X', [0, 0, 0, 0, 0x1f, 0x4e, 0, 0x0f, 0x27, 0]))).toEqual({ width: 20000, height: 10000 });
    // VP8L: signature 0x2f, then 14 bits (width − 1) and 14 bits (height − 1).
    const bits = (8000 - 1) | ((6000 - 1) << 14);
    expect(imageDimensions(webp('VP8L', [0x2f, bits & 0xff, (bits >> 8) & 0xff, (bits >> 16) & 0xff, (bits >>> 24) & 0xff]))).toEqual({ width: 8000, height: 6000 });
    // VP8: frame tag (3), start code 9d 01 2a, then 14-bit width and height.
    expect(imageDimensions(webp('VP8 ', [0, 0, 0, 0x9d, 0x01, 0x2a, 0x40, 0x1f, 0x70, 0x17]))).toEqual({ width: 8000, height: 6000 });
  });
});

describe('11. hostile text is shown escaped', () => {
  it('bidirectional overrides, controls and zero-width characters become ⟨U+XXXX⟩', () => {
    expect(visibleText('report\u202egnp.exe')).toBe('report⟨U+202E⟩gnp.exe');
    expect(visibleText('bell\u0007 esc\u001b[31m \u200b\u2066x\u2069\u0085')).toBe('bell⟨U+0007⟩ esc⟨U+001B⟩[31m ⟨U+200B⟩⟨U+2066⟩x⟨U+2069⟩⟨U+0085⟩');
    expect(visibleText('two\nlines\tand tab', { lines: true })).toBe('two\nlines\tand tab');
    expect(visibleText('two\nlines')).toBe('two⟨U+000A⟩lines');
    expect(visibleText('café ½ 日本 👍')).toBe('café ½ 日本 👍');
  });
  it('the hostile zip loads: texts, labels and file names keep their characters (escaped only when shown)', async () => {
    const { result } = await importAll(single('hostile.zip'));
    expect(result.examples.map((e) => e.text!.length)).toEqual([19, 21, 100_000, 5]);
    expect(result.examples[0].target).toEqual({ kind: 'class', label: 'cat\u202eyes' });
    expect(rows(result.report)).toEqual([['unreferenced-file', 'evil\u202egnp.exe.png', null]]);
  });
});
