// Time series from the UI: choose the Sines generator in the Data panel, train a small
// LSTM for about 200 steps, evaluate the validation split, and check that the forecast
// beats the naive "repeat the last value" forecast; the forecast plots list their values
// and the Inspect panel labels the steps t=1…T. Then a CSV import with two bad rows, whose
// trained model is exported to ONNX and checked in ONNX Runtime Web in the page; and the
// "Why gates?" demo's LSTM step.
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { progressStep, watchErrors } from './helpers.ts';

// 600 windows of T = 24, k = 4: 420 for training, 14 steps per epoch; 15 epochs ≈ 210 steps.
const MODEL = 'cell=lstm&hidden=16&embed=8&head=16&lr=0.01&batch=32&epochs=15&clip=5&readback=5';

test('Sines: trained from the Data panel, the forecast beats the naive one on validation', async ({ page }) => {
  test.setTimeout(300_000);
  const { check } = watchErrors(page);
  await page.goto(`/?${MODEL}`);
  await page.getByTestId('dataset-source-series').check();
  await page.getByTestId('series-generator').selectOption('sines');
  await page.getByTestId('series-length').fill('24');
  await page.getByTestId('series-horizon').fill('4');
  await page.getByTestId('series-count').fill('600');
  await page.getByTestId('series-generate').click();
  await expect(page.getByTestId('dataset-name')).toContainText('Sines with regime changes (T = 24, k = 4)', { timeout: 60_000 });
  // The preview plots list the window and the values to forecast.
  const preview = page.getByTestId('series-preview').locator('[data-testid$="-values"]').first();
  await expect(preview.locator('li[data-line="input"]')).toHaveAttribute('data-values', /^(-?[\d.e-]+,){23}-?[\d.e-]+$/);
  await expect(preview.locator('li[data-line="truth"]')).toHaveAttribute('data-start', '24');

  await page.getByRole('tab', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('run-status')).toHaveText('Ready to train', { timeout: 90_000 });
  const started = Date.now();
  await page.getByTestId('train-start').click();
  await expect(page.getByTestId('run-status')).toHaveText(/^Finished/, { timeout: 240_000 });
  const steps = await progressStep(page);
  console.log(`trained ${steps} steps in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  expect(steps).toBeGreaterThanOrEqual(200);

  await page.getByRole('tab', { name: 'Evaluate' }).click();
  await page.getByTestId('evaluate-split').selectOption('validation');
  await page.getByTestId('evaluate-run').click();
  await expect(page.getByTestId('forecast')).toBeVisible({ timeout: 60_000 });
  const model = Number(await page.getByTestId('forecast-model').getAttribute('data-rmse'));
  const naive = Number(await page.getByTestId('forecast-naive').getAttribute('data-rmse'));
  console.log(`validation RMSE: model ${model.toFixed(3)}, naive ${naive.toFixed(3)}`);
  // Measured on the CPU backend with these settings: 0.41 vs 0.72 after 200 steps.
  expect(naive).toBeGreaterThan(0.5);
  expect(model).toBeLessThan(0.75 * naive);
  const plot = page.getByTestId('forecast-plot-0-values');
  for (const line of ['forecast', 'truth', 'naive']) await expect(plot.locator(`li[data-line="${line}"]`)).toHaveAttribute('data-values', /^(-?[\d.e-]+,){3}-?[\d.e-]+$/);

  await page.getByRole('tab', { name: 'Inspect' }).click();
  await expect(page.getByTestId('gate-heatmap').first()).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('span-token').first()).toHaveText('t=1');
  await expect(page.getByTestId('span-token')).toHaveCount(24);
  await expect(page.getByTestId('prediction')).toContainText('Forecast:');
  check();
});

test('a CSV with a sequence column imports; its bad rows are reported by file and row, the rest trains', async ({ page }) => {
  const { check } = watchErrors(page);
  await page.goto(`/?${MODEL}&epochs=2`);
  await page.getByTestId('dataset-source-series').check();
  await page.getByTestId('series-horizon').fill('4');
  await page.getByTestId('series-import-input').setInputFiles(join(import.meta.dirname, 'fixtures', 'series', 'waves.csv'));
  await expect(page.getByTestId('dataset-name')).toContainText('waves.csv (series, k = 4)', { timeout: 60_000 });
  await expect(page.getByTestId('rows-kept')).toHaveText('58');
  await expect(page.getByTestId('rows-skipped')).toHaveText('2');
  const rows = page.getByTestId('report-row');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toHaveAttribute('data-row', '12');
  await expect(rows.nth(0)).toContainText('has "n/a" at step 3, which is not a number');
  await expect(rows.nth(1)).toHaveAttribute('data-row', '32');
  await expect(rows.nth(1)).toContainText('is empty');
  await page.getByRole('tab', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('run-status')).toHaveText('Ready to train', { timeout: 90_000 });
  await page.getByTestId('train-start').click();
  await expect(page.getByTestId('run-status')).toHaveText(/^Finished/, { timeout: 120_000 });
  // A reload brings the imported series back (saved whole, like an import) with the session.
  await expect(page.getByTestId('session-saved')).toHaveAttribute('data-saved-step', String(await progressStep(page)), { timeout: 30_000 });
  await page.reload();
  await expect(page.getByTestId('session-notice')).toContainText('Session restored from', { timeout: 60_000 });
  await page.getByRole('tab', { name: 'Data', exact: true }).click();
  await expect(page.getByTestId('dataset-name')).toContainText('waves.csv (series, k = 4)');
  await expect(page.getByTestId('rows-skipped')).toHaveText('2');
  // The trained series model exported to ONNX and run by ONNX Runtime Web in the page.
  await page.getByRole('tab', { name: 'Export', exact: true }).click();
  await page.getByTestId('verify-onnx').click();
  await expect(page.getByTestId('verify-result')).toContainText('within 0.0001', { timeout: 120_000 });
  console.log(`ONNX check: ${await page.getByTestId('verify-result').textContent()}`);
  check();
});

test('the "Why gates?" demo (Why LSTM? with numbers): the LSTM carries the spike across 100 steps', async ({ page }) => {
  test.setTimeout(300_000);
  const { check } = watchErrors(page);
  await page.goto('/');
  await page.getByTestId('demo-why-lstm-series').click();
  await expect(page.getByTestId('demo-text')).toContainText('one number to carry');
  await page.getByTestId('demo-action').click();
  await expect(page.getByTestId('dataset-source-series')).toBeChecked();
  await expect(page.getByTestId('dataset-name')).toContainText('Remember the spike (T = 100, k = 8)', { timeout: 60_000 });
  await page.getByTestId('demo-next').click();
  await page.getByTestId('demo-next').click();
  await expect(page.getByTestId('demo-guide')).toContainText('step 3 of');
  const started = Date.now();
  await page.getByTestId('demo-action').click();
  await expect(page.getByTestId('session-summary')).toContainText('LSTM', { timeout: 60_000 });
  await expect(page.getByTestId('run-status')).toHaveText(/^Finished/, { timeout: 240_000 });
  const steps = await progressStep(page);
  console.log(`demo LSTM: ${steps} steps in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  await page.getByRole('tab', { name: 'Evaluate' }).click();
  await page.getByTestId('evaluate-split').selectOption('validation');
  await page.getByTestId('evaluate-run').click();
  await expect(page.getByTestId('forecast')).toBeVisible({ timeout: 60_000 });
  const model = Number(await page.getByTestId('forecast-model').getAttribute('data-rmse'));
  const naive = Number(await page.getByTestId('forecast-naive').getAttribute('data-rmse'));
  console.log(`demo LSTM validation RMSE ${model.toFixed(3)}, naive ${naive.toFixed(3)}`);
  // Measured in the browser test with the same settings: 0.28 vs 1.53 after 200 steps.
  expect(model).toBeLessThan(naive / 3);
  check();
});
