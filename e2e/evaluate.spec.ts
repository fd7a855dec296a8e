// Evaluate panel in the built app: after a few training steps, evaluating the validation
// split shows a confusion matrix of classes × classes cells (as many classes as the
// per-class table lists); a cell lists its examples, and one opens in the inspector.
import { expect, test } from '@playwright/test';

test('the confusion matrix renders with the right dimension', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto('/');
  await page.getByTestId('train-start').click();
  await expect(page.getByTestId('progress')).toContainText(/step ([3-9]|\d\d+)/, { timeout: 150_000 });
  await page.getByTestId('train-pause').click();
  await page.getByRole('tab', { name: 'Evaluate' }).click();
  await page.getByTestId('evaluate-split').selectOption('validation');
  await page.getByTestId('evaluate-run').click();

  const matrix = page.getByTestId('confusion-matrix');
  await expect(matrix).toBeVisible({ timeout: 120_000 });
  const classes = await page.locator('[data-testid="class-table"] tbody tr').count();
  expect(classes).toBeGreaterThanOrEqual(2);
  await expect(matrix.locator('thead th')).toHaveCount(classes + 1);
  await expect(matrix.locator('tbody tr')).toHaveCount(classes);
  await expect(matrix.getByTestId('confusion-cell')).toHaveCount(classes * classes);
  // The counts add up to the evaluated examples.
  const counts = await matrix.getByTestId('confusion-cell').allTextContents();
  const total = counts.reduce((s, c) => s + Number(c), 0);
  await expect(page.getByTestId('evaluate-summary')).toContainText(`${total} examples`);
  // ROC legend shows an AUC per class.
  await expect(page.locator('[data-testid="roc-chart"] .recharts-legend-item')).toHaveCount(classes);
  await expect(page.locator('[data-testid="roc-chart"] .recharts-legend-wrapper')).toContainText('AUC');

  // The fullest cell lists its examples.
  let best = 0;
  counts.forEach((c, k) => {
    if (Number(c) > Number(counts[best])) best = k;
  });
  await matrix.getByTestId('confusion-cell').nth(best).click();
  const examples = page.locator('[data-testid="confusion-examples"] button[data-index]');
  await expect(examples).toHaveCount(Math.min(100, Number(counts[best])));
  await page.screenshot({ path: 'e2e/screenshots/evaluate.png', fullPage: true });

  // An example opens in the Inspect panel.
  const index = await examples.first().getAttribute('data-index');
  await examples.first().click();
  await expect(page.getByRole('tab', { name: 'Inspect' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('inspect-example-index')).toHaveValue(index!);
  expect(errors).toEqual([]);
});
