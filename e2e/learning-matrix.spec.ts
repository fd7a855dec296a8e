// Every built-in dataset × task it offers, and imported image-only, text-only,
// multi-label and regression datasets, trained from the UI with small models: Train is
// enabled, no "Cannot train" appears, and the mean training loss of the last steps (read
// from the loss chart's per-step series) is below the mean of the first steps.
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { chartValues, progressStep, watchErrors } from './helpers.ts';

const FIXTURES = join(import.meta.dirname, 'fixtures', 'learning');

/** Training steps per case, and how many steps at each end are averaged. */
const STEPS = 30;
const ENDS = 6;

/** A small model; built-ins run long enough and are paused after STEPS steps. */
const SMALL = 'img=16&hidden=16&embed=8&channels=4,8&imgfeat=16&head=16&lr=0.01&readback=2';
const LONG = `${SMALL}&batch=16&epochs=60`;

/** Waits for a trainable setup, trains STEPS steps, and checks that the loss fell. */
async function trainsAndLearns(page: Page): Promise<void> {
  await expect(page.getByTestId('run-status')).toHaveText('Ready to train', { timeout: 90_000 });
  await expect(page.getByTestId('train-start')).toBeEnabled();
  await page.getByTestId('train-start').click();
  await expect.poll(() => progressStep(page), { timeout: 120_000 }).toBeGreaterThanOrEqual(STEPS);
  // A short import may finish its epochs on its own between the check and the click.
  const pause = page.getByTestId('train-pause');
  if (await pause.isEnabled()) await pause.click({ timeout: 5_000 }).catch(() => undefined);
  await expect(page.getByTestId('run-status')).toHaveText(/^(Paused|Finished)/, { timeout: 30_000 });
  await expect(page.getByTestId('run-status')).not.toContainText('Cannot train');
  await expect(page.getByTestId('run-status')).not.toContainText('Could not start');
  await expect.poll(async () => (await chartValues(page, 'chart-loss', 'loss')).length, { timeout: 30_000 }).toBeGreaterThanOrEqual(STEPS);
  const losses = await chartValues(page, 'chart-loss', 'loss');
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const first = mean(losses.slice(0, ENDS));
  const last = mean(losses.slice(-ENDS));
  console.log(`loss over ${losses.length} steps: first ${ENDS} ${first.toFixed(3)} → last ${ENDS} ${last.toFixed(3)}`);
  expect(last).toBeLessThan(first);
}

const LINKS: [string, string][] = [
  ['Shapes & Questions: questions (classification)', `data=shapes&shapes.n=400&${LONG}`],
  ['Shapes & Questions: captions, word tokens', `data=shapes&shapes.mode=captions&shapes.n=400&${LONG}`],
  ['Shapes & Questions: captions, char tokens', `data=shapes&shapes.mode=captions&tokens=char&shapes.n=400&${LONG}`],
  ['OpenMoji: group', `data=openmoji&emoji.task=group&${LONG}`],
  ['OpenMoji: subgroup', `data=openmoji&emoji.task=subgroup&${LONG}`],
  ['OpenMoji: caption', `data=openmoji&emoji.task=caption&${LONG}`],
  ['Complementary clues', `data=clues&clues.n=300&${LONG}`],
  ['Remember the first word', `data=memory&memory.n=300&memory.length=6&${LONG}`],
  ['Time series: Sines', `data=series&series.gen=sines&series.n=300&series.length=24&series.horizon=4&${LONG}`],
  ['Time series: Remember the spike', `data=series&series.gen=spike&series.n=300&series.length=12&series.horizon=4&forgetbias=3&${LONG}`],
  ['Sounds & Questions (audio)', `data=sounds&sounds.n=300&${LONG}`],
];

for (const [name, query] of LINKS) {
  test(`${name} trains from a link and learns`, async ({ page }) => {
    const { check } = watchErrors(page);
    await page.goto(`/?${query}&tab=train`);
    await trainsAndLearns(page);
    check();
  });
}

// The peephole LSTM (peephole=1) on the long-memory task: the link turns it on (the Model
// panel's checkbox shows it), it trains on WebGPU and the loss falls as for the plain LSTM.
test('Remember the first word with a peephole LSTM trains from a link and learns', async ({ page }) => {
  const { check } = watchErrors(page);
  await page.goto(`/?data=memory&memory.n=300&memory.length=6&cell=lstm&peephole=1&${LONG}&tab=model`);
  await expect(page.getByTestId('model-peephole')).toBeChecked({ timeout: 60_000 });
  // The checkbox is the LSTM's: another cell drops the peepholes, and they can be set again.
  await page.getByTestId('model-cell').selectOption('gru');
  await expect(page.getByTestId('model-peephole')).toHaveCount(0);
  await page.getByTestId('model-cell').selectOption('lstm');
  await expect(page.getByTestId('model-peephole')).not.toBeChecked();
  await page.getByTestId('model-peephole').check();
  await page.getByRole('tab', { name: 'Train', exact: true }).click();
  await trainsAndLearns(page);
  check();
});

/** Opens the app with the small model and imports `what` through the page's file inputs. */
async function importData(page: Page, what: { folder: string } | { file: string }, mapping?: { target: string; kind: string }): Promise<void> {
  // 24 rows, 16 of them for training: 2 steps per epoch, so 20 epochs give the STEPS steps.
  await page.goto(`/?${SMALL}&batch=8&epochs=20`);
  await page.getByTestId('dataset-source-import').check();
  if ('folder' in what) await page.getByTestId('import-folder-input').setInputFiles(join(FIXTURES, what.folder));
  else await page.getByTestId('import-file-input').setInputFiles(join(FIXTURES, what.file));
  await expect(page.getByTestId('column-mapping')).toBeVisible();
  if (mapping) {
    await page.getByTestId('mapping-target').selectOption(mapping.target);
    await page.getByTestId('mapping-target-kind').selectOption(mapping.kind);
  }
  await page.getByTestId('import-load').click();
  await expect(page.getByTestId('validation-report')).toBeVisible();
  await page.getByRole('tab', { name: 'Train', exact: true }).click();
  // Imported data turns early stopping on by default; 24 rows can stop it within a few
  // epochs, before the STEPS steps this check compares. Turn it off, as a user would to
  // train a fixed number of epochs.
  await expect(page.getByTestId('setting-early-stopping')).toBeChecked();
  await page.getByTestId('setting-early-stopping').uncheck();
}

test('Shapes & Questions with batch norm in the CNN (bn=1) shows the checkbox set, trains and learns', async ({ page }) => {
  const { check } = watchErrors(page);
  await page.goto(`/?data=shapes&shapes.n=400&bn=1&${LONG}&tab=model`);
  await expect(page.getByTestId('model-batch-norm')).toBeChecked({ timeout: 60_000 });
  await page.getByRole('tab', { name: 'Train', exact: true }).click();
  await trainsAndLearns(page);
  check();
});

test('an imported image-only dataset gets the image-only model, says so, and learns; a fusion that reads text says what is missing', async ({ page }) => {
  const { check } = watchErrors(page);
  await importData(page, { folder: 'images-only' });
  await expect(page.getByTestId('fusion-note')).toContainText('images but no text', { timeout: 60_000 });
  await trainsAndLearns(page);
  // A paused run keeps its model; once stopped, the setup shown is what Train would build.
  const stop = page.getByTestId('train-stop');
  if (await stop.isEnabled()) await stop.click();
  await page.getByRole('tab', { name: 'Model', exact: true }).click();
  await page.getByTestId('fusion-late').check();
  await expect(page.getByTestId('run-status')).toHaveText('Cannot train: This dataset has images but no text; choose the image-only model (fusion "image") or a captioning task.');
  await expect(page.getByTestId('train-start')).toBeDisabled();
  await expect(page.getByTestId('model-problems')).not.toContainText('Vocabulary size');
  check();
});

test('an imported text-only dataset gets the text-only model and learns', async ({ page }) => {
  const { check } = watchErrors(page);
  await importData(page, { file: 'text-only.csv' });
  await expect(page.getByTestId('fusion-note')).toContainText('text but no images', { timeout: 60_000 });
  await trainsAndLearns(page);
  check();
});

test('an imported multi-label dataset learns', async ({ page }) => {
  const { check } = watchErrors(page);
  await importData(page, { folder: 'multilabel' });
  await trainsAndLearns(page);
  check();
});

test('an imported regression dataset learns', async ({ page }) => {
  const { check } = watchErrors(page);
  await importData(page, { file: 'regression.csv' }, { target: 'value', kind: 'number' });
  await trainsAndLearns(page);
  check();
});
