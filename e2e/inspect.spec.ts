// Inspect panel in the built app: train the default preset for a few steps, open the
// Inspect tab; the gate heatmap canvases are drawn, hovering a cell shows a tooltip with
// a value, and the cell diagram shows numbers that satisfy the cell's equation.
import { expect, test, type Page } from '@playwright/test';

/** Parses a number as the inspector prints it (true minus sign). */
const num = (s: string | null) => Number((s ?? '').trim().replace('−', '-'));

async function trainFewSteps(page: Page) {
  await page.getByTestId('train-start').click();
  await expect(page.getByTestId('progress')).toContainText(/step ([3-9]|\d\d+)/, { timeout: 150_000 });
  await page.getByTestId('train-pause').click();
}

test('gate heatmaps are drawn, hovering shows a value, the cell diagram shows numbers', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto('/');
  await trainFewSteps(page);
  await page.getByRole('tab', { name: 'Inspect' }).click();

  const heatmaps = page.getByTestId('gate-heatmap');
  await expect(heatmaps.first()).toBeVisible({ timeout: 60_000 });
  // The default LSTM preset: i, f, g, o, c and h for every layer and direction.
  const count = await heatmaps.count();
  expect(count).toBeGreaterThanOrEqual(6);
  expect(count % 6).toBe(0);
  const drawn = await heatmaps.evaluateAll((canvases) =>
    (canvases as HTMLCanvasElement[]).map((c) => {
      const px = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let opaque = 0;
      const colours = new Set<number>();
      for (let k = 0; k < px.length; k += 4) {
        if (px[k + 3] === 255) opaque++;
        colours.add((px[k] << 16) | (px[k + 1] << 8) | px[k + 2]);
      }
      return { pixels: c.width * c.height, opaque, colours: colours.size };
    }),
  );
  for (const d of drawn) {
    expect(d.pixels).toBeGreaterThan(0);
    expect(d.opaque).toBe(d.pixels);
    expect(d.colours).toBeGreaterThan(1);
  }

  // Hover the middle of the forget-gate heatmap.
  const forget = page.locator('figure[data-state="f"] canvas').first();
  const box = (await forget.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  const tip = page.getByTestId('heatmap-tooltip');
  await expect(tip).toBeVisible();
  await expect(tip).toContainText(/unit \d+ · f = −?\d+\.\d{4}/);
  const value = num(await tip.locator('b').textContent());
  expect(value).toBeGreaterThanOrEqual(0);
  expect(value).toBeLessThanOrEqual(1);
  await page.screenshot({ path: 'e2e/screenshots/inspect-hover.png' });

  // Select that cell: the diagram shows its numbers, and c = f·c_prev + i·g holds in them.
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  const diagram = page.getByTestId('cell-diagram');
  await expect(diagram).toBeVisible();
  await expect(page.getByTestId('diagram-f')).toHaveText(await tip.locator('b').textContent() as string);
  const v = async (name: string) => num(await page.getByTestId(`diagram-${name}`).textContent());
  const [f, cPrev, i, g, c] = [await v('f'), await v('c_prev'), await v('i'), await v('g'), await v('c')];
  for (const x of [f, cPrev, i, g, c]) expect(Number.isFinite(x)).toBe(true);
  expect(Math.abs(c - (f * cPrev + i * g))).toBeLessThan(5e-4);
  await expect(diagram.locator('svg [data-node="c"] .gs-diagram-value')).toHaveText(/−?\d+\.\d{4}/);
  // Step forward in time.
  const next = page.getByRole('button', { name: 'Next token' });
  if (await next.isEnabled()) {
    const before = await page.locator('.gs-diagram-step').textContent();
    await next.click();
    await expect(page.locator('.gs-diagram-step')).not.toHaveText(before ?? '');
  }
  await diagram.scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'e2e/screenshots/inspect-diagram.png' });
  await page.screenshot({ path: 'e2e/screenshots/inspect.png', fullPage: true });
  expect(errors).toEqual([]);
});
