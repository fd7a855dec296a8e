// Cross-validation from the Compare panel: 3 folds of a tiny setup train one after
// another through the compare queue, and the table shows each fold and a mean ± std row
// that agrees with the fold rows.
import { expect, test } from '@playwright/test';
import { watchErrors } from './helpers.ts';

test('3 folds of a tiny setup give a mean ± std row', async ({ page }) => {
  const { check } = watchErrors(page);
  await page.goto('/?data=memory&memory.n=300&memory.length=12&fusion=text&cell=gru&hidden=8&embed=8&head=0&tab=compare');
  await expect(page.getByRole('tab', { name: 'Compare' })).toHaveAttribute('aria-selected', 'true');
  await page.getByTestId('compare-epochs').fill('1');
  await page.getByTestId('compare-folds-k').fill('2');
  await expect(page.getByTestId('compare-folds-problems')).toContainText('from 3 to 10 (got 2)');
  await expect(page.getByTestId('compare-folds-start')).toBeDisabled();
  await page.getByTestId('compare-folds-k').fill('3');
  await expect(page.getByTestId('compare-folds-start')).toHaveText('Run 3 folds');
  await page.getByTestId('compare-folds-start').click();

  const rows = page.getByTestId('compare-row');
  await expect(rows).toHaveCount(3);
  await expect(rows.nth(0)).toContainText('fold 1');
  await expect(page.locator('[data-testid=compare-row][data-status=done]')).toHaveCount(3, { timeout: 170_000 });
  const summary = page.getByTestId('compare-fold-summary');
  await expect(summary).toContainText('3 of 3 folds');

  // The row's mean ± std agrees with the three fold rows (validation loss, column 6).
  const losses = await Promise.all([0, 1, 2].map(async (i) => Number(await rows.nth(i).locator('td').nth(4).innerText())));
  expect(losses.every((v) => Number.isFinite(v) && v > 0)).toBe(true);
  const mean = losses.reduce((a, b) => a + b, 0) / 3;
  const std = Math.sqrt(losses.reduce((a, v) => a + (v - mean) ** 2, 0) / 2);
  const [shownMean, shownStd] = (await page.getByTestId('fold-summary-loss').innerText()).split(' ± ').map(Number);
  expect(shownMean).toBeCloseTo(mean, 2);
  expect(shownStd).toBeCloseTo(std, 2);
  await expect(page.getByTestId('fold-summary-accuracy')).toHaveText(/^\d+\.\d % ± \d+\.\d %$/);
  await expect(page.getByTestId('fold-summary-macroF1')).toHaveText(/^[\d.e-]+ ± [\d.e-]+$/);
  await page.screenshot({ path: 'e2e/screenshots/cross-validation.png', fullPage: true });
  check();
});
