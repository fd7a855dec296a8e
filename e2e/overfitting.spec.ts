// Overfitting on imported data: a small CSV whose labels are random (nothing to learn,
// everything to memorise) and a large text model. Early stopping is on by default for
// imported data; with it turned off the run overfits, the Train panel says so, and one
// click stops the run keeping the best epoch's weights. Counts epochs, not seconds.
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { watchErrors } from './helpers.ts';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const EPOCHS = 40;

test('an overfitting run is named, and one click keeps the best epoch', async ({ page }) => {
  const { check } = watchErrors(page);
  // A 20 ms pause between steps (the Speed setting) makes an epoch (9 steps) longer than
  // the page's view of the run lags behind the worker (progress is posted every 100 ms):
  // on the CPU engine an epoch takes ~15 ms, and "ended within the epoch shown at the
  // click" could not be told apart from "ended a few epochs later".
  await page.goto(`/?fusion=text&cell=gru&hidden=128&embed=32&head=0&batch=8&lr=0.01&delay=20&epochs=${EPOCHS}`);
  await page.getByTestId('dataset-source-import').check();
  await page.getByTestId('import-file-input').setInputFiles(join(FIXTURES, 'overfit/random-labels.csv'));
  await expect(page.getByTestId('column-mapping')).toBeVisible();
  await page.getByTestId('import-load').click();
  await expect(page.getByTestId('validation-report')).toBeVisible();

  await page.getByRole('tab', { name: 'Train', exact: true }).click();
  // On by default for imported data.
  await expect(page.getByTestId('setting-early-stopping')).toBeChecked();
  await page.getByTestId('setting-early-stopping').uncheck();
  await expect(page.getByTestId('run-status')).toHaveText(/Ready to train/, { timeout: 60_000 });
  await expect(page.getByTestId('overfitting-notice')).toHaveCount(0);
  await page.getByTestId('train-start').click();

  const notice = page.getByTestId('overfitting-notice');
  await expect(notice).toBeVisible({ timeout: 170_000 });
  await expect(notice).toContainText('The model is overfitting');
  const text = await notice.innerText();
  const best = Number(text.match(/epoch (\d+)\) for (\d+) epochs/)![1]);
  const above = Number(text.match(/epoch (\d+)\) for (\d+) epochs/)![2]);
  expect(above).toBeGreaterThanOrEqual(3);
  const epochOf = async () => Number((await page.getByTestId('progress').innerText()).match(/epoch (\d+)\//)![1]);
  // The epoch shown when the click reaches the page (a busy page may take a while to take it).
  await page.evaluate(() =>
    document.addEventListener(
      'click',
      (e) => {
        if (!(e.target as Element).closest('[data-testid=overfitting-keep-best]')) return;
        const shown = document.querySelector('[data-testid=progress]')?.textContent ?? '';
        (window as unknown as { __clickedAt: number }).__clickedAt = Number(shown.match(/epoch (\d+)\//)?.[1] ?? -1);
      },
      true,
    ),
  );
  await page.getByTestId('overfitting-keep-best').click();
  const clickedAt = await page.evaluate(() => (window as unknown as { __clickedAt: number }).__clickedAt);
  expect(clickedAt).toBeGreaterThan(0);

  await expect(page.getByTestId('run-status')).toHaveText(/^Finished: early stopping/);
  await expect(page.getByTestId('run-log')).toHaveText(`Restored the weights of epoch ${best} (best validation loss).`);
  await expect(notice).toContainText(`Early stopping ended the run and kept the weights of epoch ${best}.`);
  await expect(page.getByTestId('setting-early-stopping')).toBeChecked();
  // The run ended right after the click (within the epoch in progress), long before its last epoch.
  const epoch = await epochOf();
  console.log(`best epoch ${best}, clicked at epoch ${clickedAt}, ended at epoch ${epoch}`);
  expect(epoch).toBeLessThanOrEqual(clickedAt + 1);
  expect(epoch).toBeLessThan(EPOCHS);
  expect(epoch).toBeGreaterThanOrEqual(best + 3);
  await page.screenshot({ path: 'e2e/screenshots/overfitting.png', fullPage: true });
  check();
});
