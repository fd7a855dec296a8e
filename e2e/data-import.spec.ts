// Import of each fixture dataset through the page's real file inputs: counts, report
// rows, text shown as text (HTML in captions never runs), CSV download, cancel, and the
// two built-in datasets.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';

const FIXTURES = join(import.meta.dirname, 'fixtures');

let errors: string[] = [];

test.beforeEach(async ({ page }) => {
  errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('dialog', (d) => {
    errors.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  await page.goto('/');
  await expect(page.getByTestId('backend-badge')).toBeVisible();
});

test.afterEach(async ({ page }) => {
  expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
  expect(errors).toEqual([]);
});

async function openImport(page: Page) {
  await page.getByTestId('dataset-source-import').check();
}

/** Picks a fixture folder through <input webkitdirectory>, or files through the file input. */
async function pick(page: Page, what: { folder: string } | { files: string[] }) {
  await openImport(page);
  if ('folder' in what) await page.getByTestId('import-folder-input').setInputFiles(join(FIXTURES, what.folder));
  else await page.getByTestId('import-file-input').setInputFiles(what.files.map((f) => join(FIXTURES, f)));
  await expect(page.getByTestId('column-mapping')).toBeVisible();
}

async function load(page: Page) {
  await page.getByTestId('import-load').click();
  await expect(page.getByTestId('validation-report')).toBeVisible();
}

async function counts(page: Page) {
  const report = page.getByTestId('validation-report');
  await expect(report.getByTestId('rows-seen')).toBeVisible();
  return {
    seen: Number(await report.getByTestId('rows-seen').textContent()),
    kept: Number(await report.getByTestId('rows-kept').textContent()),
    skipped: Number(await report.getByTestId('rows-skipped').textContent()),
  };
}

async function reportRows(page: Page): Promise<string[][]> {
  return page
    .getByTestId('report-row')
    .evaluateAll((rows) => rows.map((r) => [r.getAttribute('data-code')!, r.getAttribute('data-file')!, r.getAttribute('data-row')!]));
}

test('opens on Shapes & Questions, prepared and previewed', async ({ page }) => {
  await expect(page.getByTestId('split-sizes')).toBeVisible();
  await expect(page.getByTestId('split-train')).toContainText(/^train\d+/);
  await expect(page.getByTestId('class-histogram')).toBeVisible();
  await expect(page.getByTestId('text-length-histogram')).toBeVisible();
  await expect(page.getByTestId('preview-item')).toHaveCount(24);
  await expect(page.getByTestId('preview-text').first()).toHaveText(/\?$/);
  const c = await counts(page);
  expect(c.kept).toBe(c.seen);
  expect(c.kept).toBeGreaterThanOrEqual(2400); // rounded up to whole balanced families
  expect(c.kept).toBeLessThan(2409);
});

test('OpenMoji loads from the shipped assets and shows its licence', async ({ page }) => {
  await page.getByTestId('dataset-source-openmoji').check();
  await expect(page.getByTestId('openmoji-notice').first()).toContainText('OpenMoji – the open-source emoji and icon project');
  await expect(page.getByTestId('openmoji-notice').first()).toContainText('CC BY-SA 4.0');
  await page.getByTestId('openmoji-load').click();
  await expect(page.getByTestId('split-sizes')).toBeVisible();
  const c = await counts(page);
  expect(c.kept).toBeGreaterThan(1800);
  await expect(page.getByTestId('preview-target').first()).toHaveText('→ smileys-emotion');
});

test('csv-manifest folder: BOM, CRLF, quoted newlines; HTML shown as text', async ({ page }) => {
  await pick(page, { folder: 'csv-manifest' });
  await expect(page.getByTestId('mapping-image')).toHaveValue('image');
  await expect(page.getByTestId('mapping-target')).toHaveValue('label');
  await load(page);
  expect(await counts(page)).toEqual({ seen: 6, kept: 6, skipped: 0 });
  expect(await reportRows(page)).toEqual([['empty-text', 'data.csv', '7']]);
  const html = page.getByTestId('preview-text').filter({ hasText: '<img src=x' });
  await expect(html).toHaveText('<img src=x onerror="window.__xss=1"><b>bold?</b>');
  expect(await page.locator('[data-testid=preview-gallery] img, [data-testid=preview-gallery] b').count()).toBe(0);
  await expect(page.getByTestId('preview-text').filter({ hasText: 'two lines:' })).toHaveText('two lines:\nfirst, then second');
});

test('tsv-captions folder: captioning, script in a caption stays text', async ({ page }) => {
  await pick(page, { folder: 'tsv-captions' });
  await expect(page.getByTestId('mapping-target-kind')).toHaveValue('caption');
  await load(page);
  expect(await counts(page)).toEqual({ seen: 4, kept: 4, skipped: 0 });
  await expect(page.getByTestId('caption-length-histogram')).toBeVisible();
  await expect(page.getByTestId('preview-target').filter({ hasText: '<script>' })).toHaveText('→ <script>window.__xss=2</script>a blue tile');
});

test('jsonl-multilabel folder: bad lines reported by line number', async ({ page }) => {
  await pick(page, { folder: 'jsonl-multilabel' });
  await expect(page.getByTestId('mapping-target-kind')).toHaveValue('labels');
  await load(page);
  expect(await counts(page)).toEqual({ seen: 8, kept: 4, skipped: 4 });
  expect(await reportRows(page)).toEqual([
    ['bad-row', 'data.jsonl', '5'],
    ['unknown-label-type', 'data.jsonl', '6'],
    ['missing-column', 'data.jsonl', '7'],
    ['bad-row', 'data.jsonl', '8'],
  ]);
});

test('image-folder: classes from the top folders, sidecar texts, broken images', async ({ page }) => {
  await pick(page, { folder: 'image-folder' });
  await expect(page.getByTestId('import-found')).toContainText('Found 9 images, 4 text files');
  await load(page);
  expect(await counts(page)).toEqual({ seen: 9, kept: 5, skipped: 4 });
  expect((await reportRows(page)).sort()).toEqual(
    [
      ['unsupported-file', 'README.md', ''],
      ['encoding', 'cats/cat2.txt', ''],
      ['orphan-text', 'cats/only-text.txt', ''],
      ['nested-folder', 'more/', ''],
      ['undecodable-image', 'dogs/broken.png', ''],
      ['empty-file', 'dogs/empty.png', ''],
      ['undecodable-image', 'dogs/garbage.jpg', ''],
      ['single-example-class', 'more/birds/bird1.png', ''],
      ['no-class-folder', 'stray.png', ''],
    ].sort(),
  );
  await expect(page.locator('[data-testid=report-row][data-file="dogs/garbage.jpg"]')).toContainText('the browser cannot decode it');
  await expect(page.getByTestId('preview-text').filter({ hasText: 'barking' })).toHaveText('a dog <em>barking</em>');
  await expect(page.getByTestId('preview-text').filter({ hasText: 'chat du' })).toHaveText('le chat du café');
});

test('broken-manifest folder: every problem row reported; CSV download', async ({ page }) => {
  await pick(page, { folder: 'broken-manifest' });
  await load(page);
  expect(await counts(page)).toEqual({ seen: 11, kept: 3, skipped: 8 });
  expect(await reportRows(page)).toEqual([
    ['single-example-class', 'manifest.csv', '2'],
    ['path-traversal', 'manifest.csv', '3'],
    ['image-not-found', 'manifest.csv', '4'],
    ['duplicate-row', 'manifest.csv', '5'],
    ['missing-column', 'manifest.csv', '6'],
    ['single-example-class', 'manifest.csv', '7'],
    ['path-traversal', 'manifest.csv', '8'],
    ['undecodable-image', 'manifest.csv', '9'],
    ['path-case-mismatch', 'manifest.csv', '10'],
    ['single-example-class', 'manifest.csv', '10'],
    ['bad-row', 'manifest.csv', '11'],
    ['empty-file', 'manifest.csv', '12'],
    ['unreferenced-file', 'unused.png', ''],
  ]);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('report-download').click()]);
  expect(download.suggestedFilename()).toBe('manifest-report.csv');
  const csv = readFileSync(await download.path(), 'utf8');
  expect(csv.split('\r\n')[0]).toBe('severity,code,file,row,message');
  expect(csv).toContain('error,path-traversal,manifest.csv,3,');
  expect(csv).toContain('# rows seen 11, kept 3, skipped 8');
});

test('latin1.csv alone: read as Windows-1252, text only said', async ({ page }) => {
  await pick(page, { files: ['text-only/latin1.csv'] });
  await load(page);
  expect(await counts(page)).toEqual({ seen: 4, kept: 4, skipped: 0 });
  expect(await reportRows(page)).toEqual([
    ['encoding', 'latin1.csv', ''],
    ['missing-modality', 'latin1.csv', ''],
  ]);
  await expect(page.getByTestId('preview-text').filter({ hasText: 'brûlée' })).toHaveText('crème brûlée');
  await expect(page.getByTestId('preview-item').first()).toContainText('no image');
});

test('unusual-columns.csv: the mapping step chooses the target column', async ({ page }) => {
  await pick(page, { files: ['text-only/unusual-columns.csv'] });
  await expect(page.getByTestId('mapping-target')).toHaveValue('');
  await expect(page.getByTestId('import-load')).toBeDisabled();
  await page.getByTestId('mapping-target').selectOption('kind');
  await load(page);
  expect(await counts(page)).toEqual({ seen: 4, kept: 4, skipped: 0 });
  await expect(page.getByTestId('class-histogram')).toContainText('Classes (2)');
});

test('dataset.zip: expanded in the page; the entry that leaves the archive is refused', async ({ page }) => {
  await pick(page, { files: ['zips/dataset.zip'] });
  await load(page);
  expect(await counts(page)).toEqual({ seen: 6, kept: 6, skipped: 0 });
  expect(await reportRows(page)).toEqual([['path-traversal', 'dataset.zip:../evil.png', '']]);
});

test('too-large.zip: refused before expanding, the limit stated', async ({ page }) => {
  await openImport(page);
  await page.getByTestId('import-file-input').setInputFiles(join(FIXTURES, 'zips/too-large.zip'));
  await expect(page.getByTestId('data-error')).toContainText('Nothing to import');
  expect(await reportRows(page)).toEqual([['zip-too-large', 'too-large.zip', '']]);
  await expect(page.getByTestId('report-row')).toContainText('above the limit of 512 MiB; refused before expanding');
});

test('cancel stops an import and keeps the page usable', async ({ page }) => {
  await pick(page, { folder: 'csv-manifest' });
  // Hold the decode workers back so that Cancel is pressed mid-import.
  await page.evaluate(() => {
    const post = Worker.prototype.postMessage;
    (window as unknown as { __release: () => void }).__release = () => (Worker.prototype.postMessage = post);
    Worker.prototype.postMessage = function () {};
  });
  await page.getByTestId('import-load').click();
  await expect(page.getByTestId('import-progress')).toBeVisible();
  await page.getByTestId('import-cancel').click();
  await expect(page.getByTestId('data-error')).toHaveText('Import cancelled; nothing was loaded.');
  await page.evaluate(() => (window as unknown as { __release: () => void }).__release());
  await load(page);
  expect(await counts(page)).toEqual({ seen: 6, kept: 6, skipped: 0 });
});
