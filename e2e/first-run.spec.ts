// First run: the page opens on Shapes & Questions with the LSTM + late fusion preset and
// no console errors; one click on Train trains it, the loss on the chart goes down, the
// progress bar moves, pause and step once work; the badge names SwiftShader. Saves a
// screenshot of every panel. The loss is compared after 200 steps: the default run's loss
// stays at chance (ln 3 ≈ 1.099, means of ten steps 1.096–1.110) for its first ~120 steps,
// then falls: the mean of the last ten is about 1.05 at step 150 and 0.66 at step 200
// (the run is seeded, so the same step gives the same loss). Compared after ~35 steps, as
// it was, the check passed or failed with how many steps ran before the pause (it failed
// under load).
import { expect, test } from '@playwright/test';
import { chartValues, progressStep, screenshotPanel, watchErrors } from './helpers.ts';

test('first run trains the default preset and shows it live', async ({ page }) => {
  test.setTimeout(400_000);
  const { check } = watchErrors(page);
  await page.goto('/');
  await expect(page.getByRole('tab', { name: 'Data' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('split-sizes')).toBeVisible();
  await expect(page.getByTestId('backend-badge')).toContainText(/swiftshader/i);
  await expect(page.getByTestId('run-status')).toHaveText('Ready to train', { timeout: 60_000 });
  await page.screenshot({ path: 'e2e/screenshots/data.png' });

  // The model panel describes the preset.
  await page.getByRole('tab', { name: 'Model' }).click();
  await expect(page.getByTestId('model-cell')).toHaveValue('lstm');
  await expect(page.getByTestId('fusion-late')).toBeChecked();
  await expect(page.getByTestId('model-cost')).toContainText(/parameters · .*FLOP per training step/);
  await page.screenshot({ path: 'e2e/screenshots/model.png' });

  // One click trains (and shows the Train panel).
  await page.getByTestId('train-start').click();
  await expect(page.getByRole('tab', { name: 'Train' })).toHaveAttribute('aria-selected', 'true');
  const bar = page.getByTestId('progress-bar');
  await expect.poll(() => progressStep(page), { timeout: 120_000 }).toBeGreaterThanOrEqual(5);
  const earlyValue = Number(await bar.getAttribute('value'));
  await expect.poll(() => progressStep(page), { timeout: 300_000 }).toBeGreaterThanOrEqual(200);
  await expect.poll(async () => (await chartValues(page, 'chart-loss', 'loss')).length, { timeout: 120_000 }).toBeGreaterThanOrEqual(30);
  expect(Number(await bar.getAttribute('value'))).toBeGreaterThan(earlyValue);
  expect(Number(await bar.getAttribute('max'))).toBeGreaterThan(Number(await bar.getAttribute('value')));

  // Pause, then step once: exactly one more step.
  await page.getByTestId('train-pause').click();
  await expect(page.getByTestId('run-status')).toHaveText(/^Paused/);
  const before = await progressStep(page);
  await page.getByTestId('train-step').click();
  await expect.poll(() => progressStep(page)).toBe(before + 1);

  // The loss went down: the mean of the last ten steps is below that of the first ten.
  const loss = await chartValues(page, 'chart-loss', 'loss');
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  console.log(`first run: ${loss.length} loss points, mean of the first ten ${mean(loss.slice(0, 10)).toFixed(3)}, of the last ten ${mean(loss.slice(-10)).toFixed(3)}`);
  expect(mean(loss.slice(-10))).toBeLessThan(mean(loss.slice(0, 10)));
  expect(loss.every((v) => Number.isFinite(v))).toBe(true);
  // The other live charts have data too.
  expect((await chartValues(page, 'chart-lr', 'lr')).length).toBeGreaterThan(0);
  expect((await chartValues(page, 'chart-grad', 'gradNorm')).length).toBeGreaterThan(0);
  expect((await chartValues(page, 'chart-time', 'mean')).length).toBeGreaterThan(1);
  // The accuracy chart's reference levels: chance, majority class and one modality alone (Shapes knows it).
  const levels = page.getByTestId('chart-metric-values').locator('[data-reference]');
  await expect(levels.filter({ hasText: 'chance' })).toHaveCount(1);
  await expect(levels.filter({ hasText: 'majority class' })).toHaveCount(1);
  await expect(levels.filter({ hasText: 'text alone' })).toHaveCount(1);
  await expect(page.getByTestId('progress')).toContainText(/ms\/step/);
  await page.screenshot({ path: 'e2e/screenshots/train.png', fullPage: true });

  for (const tab of ['Inspect', 'Evaluate', 'Compare', 'Export']) {
    if ((await page.getByRole('tab', { name: tab, exact: true }).count()) > 0) await screenshotPanel(page, tab, `first-run-${tab.toLowerCase()}`);
  }
  check();
});
