// Dataset text and link values are shown as text, never as HTML: a link value and an
// imported caption containing <img src=x onerror=...> appear literally and run no script.
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { progressStep, watchErrors } from './helpers.ts';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const PAYLOAD = '<img src=x onerror="window.__xss=1">';

test('HTML in a link value and in imported text stays text', async ({ page }) => {
  const { check } = watchErrors(page);
  await page.goto(`/?cell=${encodeURIComponent(PAYLOAD)}&tab=data`);
  await expect(page.getByTestId('url-problems')).toContainText(`"cell=${PAYLOAD}": the recurrent cell must be one of`);
  await expect(page.getByTestId('url-problems').locator('img')).toHaveCount(0);

  // Import the CSV fixture whose texts hold HTML, prepare it, and train one step on it.
  await page.getByTestId('dataset-source-import').check();
  await page.getByTestId('import-folder-input').setInputFiles(join(FIXTURES, 'csv-manifest'));
  await page.getByTestId('import-load').click();
  const html = page.getByTestId('preview-text').filter({ hasText: '<img src=x' });
  await expect(html).toHaveText('<img src=x onerror="window.__xss=1"><b>bold?</b>');
  await expect(page.getByTestId('run-status')).toHaveText('Ready to train', { timeout: 60_000 });
  await page.getByTestId('train-step').click();
  await expect.poll(() => progressStep(page), { timeout: 60_000 }).toBe(1);
  await page.getByRole('tab', { name: 'Train' }).click();
  await expect(page.getByTestId('session-summary')).toContainText('data.csv');

  await page.getByRole('button', { name: 'Dismiss the link problems' }).click();
  for (const tab of ['Data', 'Model', 'Train', 'Inspect', 'Evaluate', 'Compare', 'Export']) {
    const t = page.getByRole('tab', { name: tab, exact: true });
    if ((await t.count()) === 0) continue;
    await t.click();
    await page.waitForTimeout(300);
  }
  // The app's own <b> elements are fine; an element made from the payload is not.
  expect(await page.locator('#root img[src="x"]').count()).toBe(0);
  expect(await page.locator('#root b', { hasText: /^bold\?$/ }).count()).toBe(0);
  expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
  check();
});
