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

/**
 * A 16-bit PCM WAV file of `channels` at `sampleRate`, for the audio import test (the
 * unit tests' writer is src/data/wav.support.ts, which e2e may not import).
 */
export function wavBytes(channels: readonly Float32Array[], sampleRate: number): Uint8Array {
  const C = channels.length;
  const n = channels[0]?.length ?? 0;
  const out = new Uint8Array(44 + n * C * 2);
  const v = new DataView(out.buffer);
  const text = (at: number, s: string) => [...s].forEach((ch, k) => (out[at + k] = ch.charCodeAt(0)));
  text(0, 'RIFF');
  v.setUint32(4, 36 + n * C * 2, true);
  text(8, 'WAVEfmt ');
  v.setUint32(16, 16, true);
  v.setUint16(20, 1, true);
  v.setUint16(22, C, true);
  v.setUint32(24, sampleRate, true);
  v.setUint32(28, sampleRate * C * 2, true);
  v.setUint16(32, C * 2, true);
  v.setUint16(34, 16, true);
  text(36, 'data');
  v.setUint32(40, n * C * 2, true);
  for (let i = 0; i < n; i++) for (let c = 0; c < C; c++) v.setInt16(44 + (i * C + c) * 2, Math.round(Math.max(-1, Math.min(1, channels[c][i])) * 32767), true);
  return out;
}
