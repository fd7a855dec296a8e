// The page loads and names the backend it got. Chromium here has WebGPU (SwiftShader), so
// the badge must name the WebGPU adapter; the CPU fallback is cpu-fallback.spec.ts.
import { expect, test } from '@playwright/test';

test('shows the WebGPU backend badge', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/');
  const badge = page.getByTestId('backend-badge');
  await expect(badge).toHaveText(/^WebGPU · \S/);
  await expect(badge).toHaveClass(/\bbackend-webgpu\b/);
  await expect(badge).not.toContainText('unavailable');
  expect(errors).toEqual([]);
});
