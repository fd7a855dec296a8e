// "Verify with ONNX Runtime" on a trained model: a healthy run logs no console errors (ONNX
// Runtime's own warnings, such as VerifyEachNodeIsAssignedToAnEp, stay out of the console)
// and shows its progress, examples done of the total, while it runs.
import { expect, test } from '@playwright/test';
import { progressStep, watchErrors } from './helpers.ts';

test('verify with ONNX Runtime: progress while it runs, no console errors', async ({ page }) => {
  const { errors, check } = watchErrors(page);
  const messages: string[] = [];
  page.on('console', (m) => messages.push(`${m.type()}: ${m.text()}`));
  // A captioning model: its graph has shape ops that ONNX Runtime places on the CPU, which it
  // reports as a warning at its default log level.
  await page.goto('/?data=shapes&shapes.mode=captions&shapes.n=100&tab=train');
  await expect(page.getByTestId('run-status')).toHaveText('Ready to train', { timeout: 60_000 });
  for (let k = 1; k <= 2; k++) {
    await page.getByTestId('train-step').click();
    await expect.poll(() => progressStep(page), { timeout: 60_000 }).toBe(k);
  }

  await page.getByRole('tab', { name: 'Export', exact: true }).click();
  // Every text the ONNX status line shows, recorded in the page as it changes.
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { onnxStatusTexts: string[] }).onnxStatusTexts = seen;
    const panel = document.querySelector('[data-testid="export-panel"]')!;
    new MutationObserver(() => {
      const text = panel.querySelector('[data-testid="onnx-status"]')?.textContent;
      if (text && seen[seen.length - 1] !== text) seen.push(text);
    }).observe(panel, { subtree: true, childList: true, characterData: true });
  });
  await page.getByTestId('verify-onnx').click();
  await expect(page.getByTestId('verify-result')).toContainText('within 0.0001', { timeout: 120_000 });

  // No console errors (the warnings ONNX Runtime would log with its default level included).
  expect(errors, `console: ${JSON.stringify(messages.filter((m) => !m.startsWith('log')))}`).toEqual([]);

  const texts = await page.evaluate(() => (window as unknown as { onnxStatusTexts: string[] }).onnxStatusTexts);
  const progress = texts.map((t) => t.match(/(\d+) of (\d+) examples/)).filter((m) => m !== null);
  expect(progress.length, `status texts: ${JSON.stringify(texts)}`).toBeGreaterThanOrEqual(2);
  const total = Number(progress[0]![2]);
  expect(total).toBeGreaterThan(1);
  const done = progress.map((m) => Number(m![1]));
  expect(done[0]).toBeLessThan(total); // shown before the run ended
  expect(done).toEqual([...done].sort((a, b) => a - b));
  expect(done[done.length - 1]).toBe(total);
  await expect(page.getByTestId('verify-result')).toContainText(`on ${total} examples`);
  check();
});
