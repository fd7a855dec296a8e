// Imports that broke in real use (issue 13, "Import"), through the page's real file
// inputs: each fixture of e2e/fixtures/hardening (scripts/make-data-fixtures.mjs) is
// picked, loaded, and its counts, report rows and shown texts checked. Several fixtures
// share one page load to keep the suite fast.
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { watchErrors } from './helpers.ts';

const DIR = join(import.meta.dirname, 'fixtures', 'hardening');

async function pickFiles(page: Page, ...files: string[]) {
  await page.getByTestId('import-file-input').setInputFiles(files.map((f) => join(DIR, f)));
}

async function pickFolder(page: Page, folder: string) {
  await page.getByTestId('import-folder-input').setInputFiles(join(DIR, folder));
}

/** Loads the mapped import and waits until the dataset `name` is shown. */
async function load(page: Page, name: string) {
  await expect(page.getByTestId('column-mapping')).toBeVisible();
  await page.getByTestId('import-load').click();
  await expect(page.getByTestId('dataset-name')).toContainText(name);
  await expect(page.getByTestId('validation-report')).toBeVisible();
}

async function counts(page: Page) {
  const report = page.getByTestId('validation-report');
  return {
    seen: Number(await report.getByTestId('rows-seen').textContent()),
    kept: Number(await report.getByTestId('rows-kept').textContent()),
    skipped: Number(await report.getByTestId('rows-skipped').textContent()),
  };
}

async function reportRows(page: Page): Promise<string[][]> {
  return page.getByTestId('report-row').evaluateAll((rows) => rows.map((r) => [r.getAttribute('data-code')!, r.getAttribute('data-file')!, r.getAttribute('data-row')!]));
}

const row = (page: Page, code: string) => page.locator(`[data-testid=report-row][data-code="${code}"]`);

let watch: ReturnType<typeof watchErrors>;

test.beforeEach(async ({ page }) => {
  watch = watchErrors(page);
  await page.goto('/');
  await expect(page.getByTestId('backend-badge')).toBeVisible();
  await page.getByTestId('dataset-source-import').check();
});

test.afterEach(() => watch.check());

test('manifests: an unterminated quote, three encodings, JSONL types, label warnings, hostile text', async ({ page }) => {
  await pickFiles(page, 'unterminated.csv');
  await load(page, 'unterminated.csv');
  expect(await counts(page)).toEqual({ seen: 5, kept: 4, skipped: 1 });
  expect(await reportRows(page)).toEqual([
    ['missing-modality', 'unterminated.csv', ''],
    ['unterminated-quote', 'unterminated.csv', '3'],
    ['single-example-class', 'unterminated.csv', '5'],
  ]);
  await expect(row(page, 'unterminated-quote')).toContainText('a quote (") opens on line 3 and is never closed');
  await expect(row(page, 'missing-modality')).toContainText('train with the fusion "Text only"');
  await expect(page.getByTestId('preview-text').filter({ hasText: 'fifth row' })).toHaveText('fifth row');

  await pickFiles(page, 'cp1252.csv');
  await load(page, 'cp1252.csv');
  expect(await counts(page)).toEqual({ seen: 6, kept: 6, skipped: 0 });
  expect((await reportRows(page)).map((r) => r[0])).toEqual(['encoding', 'missing-modality']);
  await expect(row(page, 'encoding')).toContainText('read as Windows-1252');
  await expect(page.getByTestId('preview-text').filter({ hasText: 'Straße' })).toHaveText('Straße für Füße');
  await expect(page.getByTestId('preview-text').filter({ hasText: 'pint' })).toHaveText('½ pint’s of ale');

  await pickFiles(page, 'utf16.csv');
  await load(page, 'utf16.csv');
  expect(await counts(page)).toEqual({ seen: 6, kept: 6, skipped: 0 });
  await expect(row(page, 'encoding')).toContainText('read as UTF-16 (little-endian)');
  await expect(page.getByTestId('preview-text').filter({ hasText: 'España' })).toHaveText('mañana in España');

  await pickFiles(page, 'bad-bytes.csv');
  await load(page, 'bad-bytes.csv');
  expect(await reportRows(page)).toEqual([
    ['non-utf8', 'bad-bytes.csv', ''],
    ['missing-modality', 'bad-bytes.csv', ''],
    ['non-utf8', 'bad-bytes.csv', '4'],
  ]);
  await expect(row(page, 'non-utf8').first()).toContainText('line 4 holds bytes that are not');
  await expect(row(page, 'non-utf8').last()).toContainText('column "text" holds bytes that are not UTF-8');
  await expect(page.getByTestId('preview-text').filter({ hasText: 'naïve' })).toHaveText('naïve café');

  await pickFolder(page, 'types');
  await load(page, 'data.jsonl');
  expect(await counts(page)).toEqual({ seen: 5, kept: 2, skipped: 3 });
  expect((await reportRows(page)).filter((r) => r[0] === 'wrong-type')).toEqual([
    ['wrong-type', 'data.jsonl', '2'],
    ['wrong-type', 'data.jsonl', '3'],
    ['wrong-type', 'data.jsonl', '4'],
  ]);
  await expect(row(page, 'wrong-type').first()).toContainText('is an object, not a file path');

  await pickFolder(page, 'labels');
  await expect(page.getByTestId('mapping-target')).toHaveValue('label');
  await load(page, 'data.csv');
  expect(await reportRows(page)).toEqual([
    ['duplicate-column', 'data.csv', '1'],
    ['single-example-class', 'data.csv', '2'],
    ['label-variants', 'data.csv', '3'],
    ['label-variants', 'data.csv', '4'],
    ['conflicting-labels', 'data.csv', '6'],
  ]);
  await expect(row(page, 'duplicate-column')).toContainText('names the column "label" twice');
  await expect(row(page, 'label-variants').first()).toContainText('differ only in letter case');
  await expect(row(page, 'conflicting-labels')).toContainText('labelled "dog" on row 5 and "cat" here');

  // Hostile text: direction overrides and controls shown escaped, a 100 KB text cut.
  await pickFiles(page, 'hostile.zip');
  await load(page, 'manifest.csv');
  await expect(page.locator('[data-testid=report-row][data-code="unreferenced-file"] td').nth(2)).toHaveText('evil⟨U+202E⟩gnp.exe.png');
  const texts = page.getByTestId('preview-text');
  await expect(texts.filter({ hasText: 'open report' })).toHaveText('open report⟨U+202E⟩gnp.exe');
  await expect(texts.filter({ hasText: 'bell' })).toHaveText('bell⟨U+0007⟩ escape⟨U+001B⟩[31m red');
  await expect(page.getByTestId('preview-target').filter({ hasText: 'cat' }).first()).toHaveText('→ cat⟨U+202E⟩yes');
  expect(await page.getByTestId('preview-gallery').evaluate((e) => e.textContent!.includes('\u202e'))).toBe(false);
  const long = texts.filter({ hasText: 'word0 and more text' });
  expect(((await long.textContent()) ?? '').length).toBeLessThan(500);
  const galleryHeight = await page.getByTestId('preview-gallery').evaluate((e) => e.getBoundingClientRect().height);
  expect(galleryHeight).toBeLessThan(2000);
  await long.getByTestId('show-all').click();
  expect(((await long.textContent()) ?? '').length).toBe(100_000);
});

test('refused with the reason: empty, header only, a JSON array, images without class folders', async ({ page }) => {
  const error = page.getByTestId('data-error');
  await pickFiles(page, 'empty.csv');
  await expect(error).toHaveText('empty.csv is empty (0 bytes): there is nothing to import.');
  await pickFiles(page, 'header-only.csv');
  await expect(error).toHaveText('header-only.csv has a header (image, text, label) but no data rows below it: there is nothing to import.');
  await pickFiles(page, 'pretty.jsonl');
  await expect(error).toContainText('pretty.jsonl is one JSON array');
  await expect(error).toContainText('not JSON Lines: write one object per line');
  await pickFolder(page, 'flat-images');
  await expect(error).toContainText('The images are directly in the folder you picked, not in class folders');
  await expect(page.getByTestId('column-mapping')).toHaveCount(0);
});

test('image folders, zips and image limits: nesting, orphan texts, empty class folders, passwords, nested zips, bzip2/LZMA, a 20000 × 20000 PNG', async ({ page }) => {
  await pickFolder(page, 'folders');
  await load(page, 'folders');
  expect(await counts(page)).toEqual({ seen: 4, kept: 4, skipped: 0 });
  expect((await reportRows(page)).sort()).toEqual(
    [
      ['nested-folder', 'cats/', ''],
      ['orphan-text', 'dogs/notes.txt', ''],
      ['unsupported-file', 'birds/README.md', ''],
      ['empty-folder', 'birds/', ''],
    ].sort(),
  );
  await expect(row(page, 'nested-folder')).toContainText('counted as class "cats"');
  await expect(page.getByTestId('class-histogram')).toContainText('Classes (2)');

  await pickFolder(page, 'one-class');
  await load(page, 'one-class');
  expect((await reportRows(page)).map((r) => r[0])).toEqual(['single-class', 'missing-modality']);
  await expect(row(page, 'single-class')).toContainText('only one class: all 2 examples are "images"');
  await expect(row(page, 'missing-modality')).toContainText('train with the fusion "Image only"');

  await pickFiles(page, 'empty-class.zip');
  await load(page, 'empty-class.zip');
  expect(await reportRows(page)).toEqual([
    ['empty-folder', 'birds/', ''],
    ['missing-modality', 'empty-class.zip', ''],
  ]);

  await pickFiles(page, 'encrypted.zip');
  await expect(page.getByTestId('data-error')).toContainText('encrypted.zip — the zip is password-protected');
  expect(await reportRows(page)).toEqual([['encrypted-zip', 'encrypted.zip', '']]);

  await pickFiles(page, 'nested.zip');
  await load(page, 'manifest.csv');
  expect(await counts(page)).toEqual({ seen: 6, kept: 6, skipped: 0 });
  expect(await reportRows(page)).toEqual([['nested-zip', 'nested.zip', '']]);
  await expect(row(page, 'nested-zip')).toContainText('contains dataset.zip, another zip; it was opened');

  await pickFiles(page, 'methods.zip');
  await expect(page.getByTestId('column-mapping')).toBeVisible();
  await page.getByTestId('import-load').click();
  await expect(row(page, 'unsupported-compression')).toHaveCount(2);
  expect(await counts(page)).toEqual({ seen: 6, kept: 6, skipped: 0 });
  await expect(row(page, 'unsupported-compression').first()).toContainText('compressed with bzip2');
  await expect(row(page, 'unsupported-compression').last()).toContainText('compressed with LZMA');

  // Image limits: the header's declared size is checked before the image is decoded.
  await pickFolder(page, 'huge');
  await load(page, 'manifest.csv');
  await expect(row(page, 'image-too-large')).toHaveCount(1);
  expect(await counts(page)).toEqual({ seen: 4, kept: 3, skipped: 1 });
  expect((await reportRows(page)).filter((r) => r[0] === 'image-too-large')).toEqual([['image-too-large', 'manifest.csv', '2']]);
  await expect(row(page, 'image-too-large')).toContainText('image huge.png: its header declares 20000 × 20000 pixels (400 megapixels); images up to 4096 × 4096 pixels');
});
