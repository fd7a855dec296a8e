// A link reproduces the setup: values from the URL appear in the panels, edits are
// written back to the URL and survive a reload; the panel tabs work with arrow keys.
import { expect, test } from '@playwright/test';
import { watchErrors } from './helpers.ts';

test('the URL carries the setup both ways', async ({ page }) => {
  const { check } = watchErrors(page);
  await page.goto('/?cell=gru&hidden=24&fusion=film&lr=0.01&epochs=3&shapes.n=600&tab=model');
  await expect(page.getByRole('tab', { name: 'Model' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('model-cell')).toHaveValue('gru');
  await expect(page.getByTestId('model-hidden')).toHaveValue('24');
  await expect(page.getByTestId('fusion-film')).toBeChecked();
  await expect(page.getByTestId('fusion-equation')).toContainText('γ');

  // Parameter count follows the hidden size as it is typed.
  await expect(page.getByTestId('model-cost')).toHaveAttribute('data-parameters', /\d+/);
  const before = Number(await page.getByTestId('model-cost').getAttribute('data-parameters'));
  await page.getByTestId('model-hidden').fill('32');
  await expect.poll(async () => Number(await page.getByTestId('model-cost').getAttribute('data-parameters'))).toBeGreaterThan(before);
  await expect.poll(() => new URL(page.url()).searchParams.get('hidden')).toBe('32');

  // An invalid combination is explained, not fixed.
  await page.getByTestId('model-hidden').fill('0');
  await expect(page.getByTestId('model-problems')).toContainText('Hidden size must be a whole number from 1 to 4096 (got 0).');
  await expect(page.getByTestId('train-start')).toBeDisabled();
  await page.getByTestId('model-hidden').fill('32');
  await expect(page.getByTestId('model-problems')).toHaveCount(0);

  await page.reload();
  await expect(page.getByTestId('model-hidden')).toHaveValue('32');
  await page.getByRole('tab', { name: 'Train' }).click();
  await expect(page.getByTestId('setting-lr')).toHaveValue('0.01');
  await expect(page.getByTestId('setting-epochs')).toHaveValue('3');

  // Keyboard: arrows move between tabs and open them.
  await page.getByRole('tab', { name: 'Train' }).focus();
  await page.keyboard.press('ArrowRight');
  const next = page.locator('[role=tab][aria-selected=true]');
  await expect(next).toBeFocused();
  await expect(next).not.toHaveText('Train');
  await page.keyboard.press('Home');
  await expect(page.getByRole('tab', { name: 'Data' })).toBeFocused();
  await expect(page.getByRole('tab', { name: 'Data' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('dataset-name')).toContainText(/60\d examples/);
  check();
});
