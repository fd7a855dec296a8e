// The "Why LSTM?" demo from the first screen: it loads the long-memory task with a plain
// RNN, trains it, and the gradient-over-time chart shows the vanishing gradient (the
// first word gets a much smaller gradient than the last) and calls it so.
import { expect, test } from '@playwright/test';
import { chartValues, watchErrors } from './helpers.ts';

test('Why LSTM? drives the app and shows the vanishing gradient', async ({ page }) => {
  const { check } = watchErrors(page);
  await page.goto('/');
  await page.getByTestId('demo-why-lstm').click();
  await expect(page.getByTestId('demo-guide')).toContainText('step 1 of');
  await expect(page.getByTestId('demo-text')).toContainText('first word');
  await page.getByTestId('demo-action').click();
  await expect(page.getByTestId('dataset-source-memory')).toBeChecked();
  await expect(page.getByTestId('dataset-name')).toContainText('Remember the first word (T = 60)');
  await page.screenshot({ path: 'e2e/screenshots/demo-why-lstm.png' });
  await page.getByTestId('demo-next').click();
  await expect(page.getByTestId('demo-guide')).toContainText('step 2 of');
  await page.getByTestId('demo-action').click();
  await expect(page.getByRole('tab', { name: 'Train' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('session-summary')).toContainText('RNN (tanh) · text fusion');
  await expect.poll(async () => (await chartValues(page, 'chart-time', 'mean')).length, { timeout: 120_000 }).toBe(60);
  // Values are ordered by distance from the last token: [0] is the last word, [59] the first.
  const profile = await chartValues(page, 'chart-time', 'mean');
  expect(profile[59]).toBeLessThan(profile[0] / 10);
  await expect(page.getByTestId('chart-time')).toContainText('vanishing —');
  await expect(page.getByTestId('chart-time-note')).toContainText('padding never counts');
  await page.getByTestId('train-pause').click();
  await page.screenshot({ path: 'e2e/screenshots/demo-why-lstm-train.png', fullPage: true });
  await page.getByRole('button', { name: 'Close the demo' }).click();
  await expect(page.getByTestId('demo-guide')).toHaveCount(0);
  check();
});
