// Half precision from the URL: `precision=f16` reaches the worker (the Performance section
// says "Precision: f16 weights" and tunes the f16-weight GEMMs as a job of their own), the
// Train panel's Precision shows it, and "f16 arithmetic" is offered disabled with the
// reason on this adapter (no shader-f16). A tiny model, a few steps, on WebGPU (left to the
// app, this fallback adapter's first Train may move the model to the faster CPU backend,
// which has no precision setting).
import { expect, test } from '@playwright/test';
import { progressStep, watchErrors } from './helpers.ts';

test('precision=f16 trains with f16 weights and says so', async ({ page }) => {
  test.setTimeout(90_000);
  const { check } = watchErrors(page);
  await page.goto('/?backend=webgpu&precision=f16&hidden=16&embed=8&img=16&channels=4&imgfeat=16&head=16&readback=2');
  await expect(page.getByTestId('run-status')).toHaveText('Ready to train', { timeout: 30_000 });
  await page.getByRole('tab', { name: 'Train' }).click();
  const select = page.getByTestId('setting-precision');
  await expect(select).toHaveValue('f16');
  const arithmetic = select.locator('option[value="f16-arithmetic"]');
  await expect(arithmetic).toBeDisabled();
  await expect(arithmetic).toContainText('this GPU has no shader-f16');
  await expect(page.getByTestId('performance-precision')).toHaveText('Precision: f16 weights');
  await page.getByTestId('train-start').click();
  await expect.poll(() => progressStep(page), { timeout: 60_000 }).toBeGreaterThanOrEqual(3);
  await expect(page.getByTestId('performance-job-gemm-half')).toContainText('GEMM (f16 weights)');
  await page.getByTestId('train-pause').click();
  await expect(page.getByTestId('run-status')).toHaveText(/^Paused/);
  check();
});
