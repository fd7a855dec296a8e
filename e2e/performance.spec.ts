// Kernel tuning in the app and the benchmark page. The first training on this adapter
// shows the tuning note, then the Performance section names the adapter and the chosen
// kernels; after a reload the choice comes from the cache (no tuning note); "Re-run
// tuning" tunes again. The benchmark page (`?bench=quick`: small configs, to keep the
// test short; users get the canonical ones) runs, and its JSON download holds the adapter,
// the kernels and positive timings.
import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { progressStep, watchErrors } from './helpers.ts';

/** Records every text the tuning note shows (it may be up for well under a second). */
async function watchTuningNote(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __tuningNotes: string[] };
    w.__tuningNotes = [];
    const seen = () => {
      const el = document.querySelector('[data-testid="tuning-note"]');
      if (el?.textContent && w.__tuningNotes.at(-1) !== el.textContent) w.__tuningNotes.push(el.textContent);
    };
    new MutationObserver(seen).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
}

const perfLimits = (page: Page) => page.getByTestId('performance-limits');

const tuningNotes = (page: Page) => page.evaluate(() => (window as unknown as { __tuningNotes: string[] }).__tuningNotes);

test('tunes at the first training, reads the cache after a reload, re-runs on request', async ({ page }) => {
  test.setTimeout(60_000);
  const { check } = watchErrors(page);
  // WebGPU chosen in the link: left to the app, the first Train on this fallback adapter
  // would also time the CPU (the next test).
  await page.goto('/?backend=webgpu&tab=train');
  await expect(page.getByTestId('run-status')).toHaveText('Ready to train', { timeout: 30_000 });
  await expect(perfLimits(page)).toContainText('maxStorageBufferBindingSize');
  await watchTuningNote(page);
  await page.getByTestId('train-start').click();
  await expect.poll(() => progressStep(page), { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
  const notes = await tuningNotes(page);
  expect(notes.length).toBeGreaterThan(0);
  for (const n of notes) expect(n).toMatch(/^Tuning kernels for this GPU… \d+\/\d+$/);
  const perf = page.getByTestId('performance');
  await expect(perf.getByTestId('performance-adapter')).toContainText(/swiftshader/i);
  await expect(perf.getByTestId('performance-adapter')).toContainText('timestamp-query');
  await expect(perf.getByTestId('performance-job-gemm')).toContainText(/\d+\.\d\d/);
  await expect(perf.getByTestId('performance-job-step')).toContainText(/LSTM step kernels/);
  await expect(perf.getByTestId('performance-source')).toContainText(/^Tuned in .*Timing: GPU timestamps \(timestamp-query\)\./);
  await expect(perf.getByTestId('performance-step')).toContainText(/\d+\.\d ms per training step/);
  const chosen = await perf.getByTestId('performance-kernels').innerText();
  await page.getByTestId('train-pause').click();
  await expect(page.getByTestId('run-status')).toHaveText(/^Paused/);
  const keys = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('gatescope.tuning|')));
  expect(keys.length).toBe(1);

  // Reload: the cached choice is applied when the session starts; training does not tune.
  await page.reload();
  await watchTuningNote(page);
  await expect(page.getByRole('tab', { name: 'Train' })).toBeVisible();
  await page.getByRole('tab', { name: 'Train' }).click();
  await expect(page.getByTestId('performance-source')).toContainText('From the cache of this adapter and browser', { timeout: 30_000 });
  expect(await page.getByTestId('performance-kernels').innerText()).toBe(chosen);
  const before = await progressStep(page);
  await page.getByTestId('train-start').click();
  await expect.poll(() => progressStep(page), { timeout: 30_000 }).toBeGreaterThanOrEqual(before + 2);
  expect(await tuningNotes(page)).toEqual([]);
  await page.getByTestId('train-pause').click();
  await expect(page.getByTestId('run-status')).toHaveText(/^Paused/);

  // Re-run tuning times the kernels again.
  await page.getByTestId('retune').click();
  await expect(page.getByTestId('performance-source')).toContainText(/^Tuned in /, { timeout: 30_000 });
  expect((await tuningNotes(page)).length).toBeGreaterThan(0);
  check();
});

test('the benchmark page runs and downloads its results as JSON', async ({ page }) => {
  test.setTimeout(60_000);
  const { check } = watchErrors(page);
  await page.goto('/?bench=quick');
  await expect(page.getByTestId('bench-page')).toBeVisible();
  await page.getByTestId('bench-run').click();
  await expect(page.getByTestId('bench-progress')).toContainText(/Timing (LSTM|GRU) /);
  await expect(page.getByTestId('bench-done')).toBeVisible({ timeout: 50_000 });
  await expect(page.getByTestId('bench-adapter')).toContainText(/swiftshader/i);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('bench-download').click()]);
  const json = JSON.parse(await readFile((await download.path())!, 'utf8'));
  expect(json.format).toBe('gatescope-benchmark');
  expect(json.configSet).toBe('reduced');
  expect(json.appVersion).toMatch(/^\d+\.\d+\.\d+/);
  expect(json.userAgent).toContain('Chrome');
  expect(json.adapter.isFallbackAdapter).toBe(true);
  expect(json.adapter.features).toContain('timestamp-query');
  expect(json.limits.maxBufferSize).toBeGreaterThan(0);
  expect(json.limits.maxStorageBufferBindingSize).toBeGreaterThan(0);
  const rows = json.results as Record<string, unknown>[];
  expect(rows.map((r) => `${r.cell}/${r.backend}`).sort()).toEqual(['gru/cpu', 'gru/webgpu', 'lstm/cpu', 'lstm/webgpu']);
  for (const r of rows) {
    expect(r.error, `${r.cell}/${r.backend}`).toBeNull();
    expect(r.optimizer).toBe('adam');
    for (const k of ['trainMedianMs', 'forwardMedianMs', 'trainGflops']) expect(r[k], `${r.cell}/${r.backend} ${k}`).toBeGreaterThan(0);
    expect(r.stepsTimed).toBeGreaterThan(0);
    if (r.backend === 'webgpu') {
      const kernels = r.kernels as { gemm: string; step: string; timing: string };
      expect(kernels.gemm).toMatch(/\S/);
      expect(kernels.step).toMatch(/\S/);
      expect(kernels.timing).toBe('timestamp-query');
    } else expect(r.kernels).toBeNull();
  }
  check();
});

test('on a fallback adapter the first Train times both backends for this model and trains on the faster', async ({ page }) => {
  test.setTimeout(60_000);
  const { check } = watchErrors(page);
  await page.goto('/?data=memory&cell=gru&fusion=text&hidden=16&embed=8&tab=train');
  await expect(page.getByTestId('run-status')).toHaveText('Ready to train', { timeout: 30_000 });
  await expect(page.getByTestId('backend-badge')).toHaveText(/^WebGPU · /);
  await watchTuningNote(page);
  await page.getByTestId('train-start').click();
  await expect.poll(() => progressStep(page), { timeout: 40_000 }).toBeGreaterThanOrEqual(2);
  expect(await tuningNotes(page)).toContain('Timing this model on WebGPU and on the CPU…');
  // WebGPU kept: the comparison sentence; moved to the CPU: the reason it was chosen.
  const said = (await page.locator('[data-testid="backend-comparison"], [data-testid="backend-chosen"]').first().innerText()).replace(/\.$/, '');
  const faster = /^CPU \(WebAssembly SIMD[^)]*\) (chosen|is faster)/.test(said) ? 'CPU' : 'WebGPU';
  await expect(page.getByTestId('run-log')).toContainText(`this model trains on the ${faster} backend`);
  if (faster === 'CPU') await expect(page.getByTestId('backend-badge')).toHaveText(/^CPU \(WebAssembly SIMD[^)]*\) chosen: \d+ ms\/step vs \d+ ms\/step on the fallback GPU/);
  else await expect(page.getByTestId('backend-badge')).toHaveText(/^WebGPU · .* · WebGPU is faster for this model/);
  // Once per model shape: the result is cached, a second Train (after a reload) does not time again.
  expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('gatescope.tuning|backend|')).length)).toBe(1);
  check();
});

test('on a fallback adapter: compares WebGPU with the CPU for this model, says which is faster, lets the user choose', async ({ page }) => {
  test.setTimeout(60_000);
  const { check } = watchErrors(page);
  // A small text-only model (the README's example link), so that both backends step quickly.
  await page.goto('/?data=memory&cell=rnn_tanh&fusion=text&hidden=16&lr=0.01&tab=train');
  await expect(page.getByTestId('run-status')).toHaveText('Ready to train', { timeout: 30_000 });
  await expect(page.getByTestId('performance-adapter')).toContainText('Fallback adapteryes');
  await page.getByTestId('compare-backends').click();
  // The CPU side is the WebAssembly SIMD engine, named with its threads.
  const sentence = /(CPU \(WebAssembly SIMD[^)]*\) is faster for this model: \d+ ms\/step vs \d+ ms\/step on the fallback GPU \(.+\)|WebGPU is faster for this model: \d+ ms\/step on the fallback GPU \(.+\) vs \d+ ms\/step on the CPU \(WebAssembly SIMD[^)]*\))/;
  await expect(page.getByTestId('backend-comparison')).toHaveText(sentence, { timeout: 40_000 });
  const said = (await page.getByTestId('backend-comparison').innerText()).replace(/\.$/, '');
  await expect(page.getByTestId('backend-badge')).toHaveText(new RegExp(`^WebGPU · .* · ${said.replace(/[()/.]/g, '\\$&')}$`));
  // The user overrides: the model trains on the CPU, and back.
  await page.getByTestId('use-cpu').click();
  await expect(page.getByTestId('backend-badge')).toHaveText(/^CPU \(WebAssembly SIMD[^)]*\) — chosen for this model: /);
  await expect(page.getByTestId('backend-badge')).toContainText(`— chosen for this model: ${said}`);
  await page.getByTestId('train-start').click();
  await expect.poll(() => progressStep(page), { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
  await page.getByTestId('train-pause').click();
  await expect(page.getByTestId('run-status')).toHaveText(/^Paused/);
  await page.getByTestId('use-webgpu').click();
  await expect(page.getByTestId('backend-badge')).toHaveText(/^WebGPU · .*swiftshader/i);
  // The comparison is cached per model and adapter: after a reload the app uses the faster
  // backend by itself, without measuring again, and says why.
  await page.reload();
  const cpu = said.match(/^(CPU \(WebAssembly SIMD[^)]*\)) is faster for this model: (\d+) ms\/step vs (\d+) ms\/step on the fallback GPU (\(.+\))$/);
  if (cpu) await expect(page.getByTestId('backend-badge')).toHaveText(`${cpu[1]} chosen: ${cpu[2]} ms/step vs ${cpu[3]} ms/step on the fallback GPU ${cpu[4]}`, { timeout: 30_000 });
  else await expect(page.getByTestId('backend-badge')).toContainText(said, { timeout: 30_000 });

  // A cached comparison in which the CPU is faster makes the app train this model on the
  // CPU by itself and say why (here the entry is edited to say so: which one wins on
  // this machine is a matter of a millisecond).
  await page.evaluate(() => {
    const key = Object.keys(localStorage).find((k) => k.startsWith('gatescope.tuning|backend|'))!;
    const c = JSON.parse(localStorage.getItem(key)!);
    localStorage.setItem(key, JSON.stringify({ ...c, cpuMs: 140, webgpuMs: 210, faster: 'cpu' }));
  });
  await page.reload();
  await expect(page.getByTestId('backend-badge')).toHaveText(/^CPU \(WebAssembly SIMD[^)]*\) chosen: 140 ms\/step vs 210 ms\/step on the fallback GPU \(.+\)$/, { timeout: 30_000 });
  await expect(page.getByTestId('backend-chosen')).toHaveText(/^CPU \(WebAssembly SIMD[^)]*\) chosen: 140 ms\/step vs 210 ms\/step/);
  await page.getByTestId('use-webgpu').click();
  await expect(page.getByTestId('backend-badge')).toHaveText(/^WebGPU · .* · CPU \(WebAssembly SIMD[^)]*\) is faster for this model: 140 ms\/step vs 210 ms\/step/);
  check();
});
