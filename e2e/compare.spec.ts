// Compare: two queued runs (RNN vs GRU on a small long-memory task, same seed and data)
// train one after another and produce two validation curves and two table rows; the
// accuracy chart draws its reference levels and the gradient-over-time profiles overlay.
import { expect, test } from '@playwright/test';
import { chartValues, watchErrors } from './helpers.ts';

test('two queued runs produce two curves', async ({ page }) => {
  const { check } = watchErrors(page);
  await page.goto('/?data=memory&memory.n=300&memory.length=12&fusion=text&cell=gru&hidden=8&embed=8&head=0&tab=compare');
  await expect(page.getByRole('tab', { name: 'Compare' })).toHaveAttribute('aria-selected', 'true');
  await page.getByTestId('compare-setting').selectOption('cell');
  await page.getByTestId('compare-value-lstm').uncheck();
  await expect(page.getByTestId('compare-start')).toHaveText('Queue 2 runs');
  await page.getByTestId('compare-epochs').fill('2');
  await page.getByTestId('compare-start').click();
  await expect(page.getByTestId('compare-row')).toHaveCount(2);
  await expect(page.locator('[data-testid=compare-row][data-status=done]')).toHaveCount(2, { timeout: 150_000 });

  const rnn = await chartValues(page, 'chart-compare-loss', (await page.getByTestId('compare-row').nth(0).getAttribute('data-run'))!);
  const gru = await chartValues(page, 'chart-compare-loss', (await page.getByTestId('compare-row').nth(1).getAttribute('data-run'))!);
  expect(rnn).toHaveLength(2);
  expect(gru).toHaveLength(2);
  expect(rnn).not.toEqual(gru);
  await expect(page.getByTestId('chart-compare-loss').locator('path.chart-line')).toHaveCount(2);
  await expect(page.getByTestId('compare-row').nth(0)).toContainText('RNN (tanh)');
  await expect(page.getByTestId('compare-row').nth(1)).toContainText('GRU');
  await expect(page.getByTestId('compare-metric').nth(0)).toHaveText(/%/);
  // The accuracy chart draws chance and the majority class; the gradient-over-time overlay has both runs' profiles (12 positions).
  await expect(page.getByTestId('chart-compare-metric-values').locator('[data-reference*="chance"]')).toHaveCount(1);
  await expect(page.getByTestId('chart-compare-metric-values').locator('[data-reference*="majority class"]')).toHaveCount(1);
  expect(await chartValues(page, 'chart-compare-time', (await page.getByTestId('compare-row').nth(0).getAttribute('data-run'))!)).toHaveLength(12);
  expect(await chartValues(page, 'chart-compare-time', (await page.getByTestId('compare-row').nth(1).getAttribute('data-run'))!)).toHaveLength(12);
  // Charts draw only while on screen.
  await page.getByTestId('chart-compare-time').scrollIntoViewIfNeeded();
  await expect(page.getByTestId('chart-compare-time').locator('path.chart-line')).toHaveCount(2);
  await page.screenshot({ path: 'e2e/screenshots/compare.png', fullPage: true });
  check();
});
