// Shared helpers of the app's end-to-end specs: console-error collection, chart values
// read from the DOM (never from pixels), and panel screenshots.
import { expect, type Page } from '@playwright/test';

/** Collects page errors and console errors; call `check()` at the end of a test. */
export function watchErrors(page: Page): { errors: string[]; check: () => void } {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('dialog', (d) => {
    errors.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  return { errors, check: () => expect(errors).toEqual([]) };
}

/** Values of one line of a chart (LineChartCard's hidden value list). */
export async function chartValues(page: Page, chart: string, series: string): Promise<number[]> {
  const text = await page.getByTestId(`${chart}-values`).locator(`li[data-series="${series}"]`).getAttribute('data-values');
  return JSON.parse(text ?? '[]') as number[];
}

/** The step number shown in the progress line. */
export async function progressStep(page: Page): Promise<number> {
  const text = await page.getByTestId('progress').innerText();
  const m = text.match(/step (\d+)/);
  return m ? Number(m[1]) : -1;
}

/** Opens a panel by its tab and saves a screenshot of the viewport. */
export async function screenshotPanel(page: Page, tab: string, file: string): Promise<void> {
  await page.getByRole('tab', { name: tab, exact: true }).click();
  await expect(page.getByRole('tab', { name: tab, exact: true })).toHaveAttribute('aria-selected', 'true');
  await page.waitForTimeout(400); // let the charts read their buffers once
  await page.screenshot({ path: `e2e/screenshots/${file}.png` });
}
