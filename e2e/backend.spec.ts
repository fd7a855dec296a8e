// The page loads and names the backend it got.
import { expect, test } from '@playwright/test';

test('shows the WebGPU backend badge', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/');
  const badge = page.getByTestId('backend-badge');
  await expect(badge).toContainText(/WebGPU ·|WebGPU unavailable/);
  await expect(badge).toContainText(/swiftshader|WebGPU ·/i);
  expect(errors).toEqual([]);
});
