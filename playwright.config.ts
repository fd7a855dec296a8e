// End-to-end tests: Playwright drives headless Chromium against `vite preview` of the built app.
import { defineConfig } from '@playwright/test';
import { browserArgs, findBrowser } from './scripts/browser.mjs';

/** Port of `vite preview` for the e2e run; GATESCOPE_PREVIEW_PORT moves it when 4173 is taken. */
const port = Number(process.env.GATESCOPE_PREVIEW_PORT ?? 4173);

/**
 * Specs run two at a time (GATESCOPE_E2E_WORKERS changes it): much of a spec's time is
 * spent waiting on the page, which the other spec uses. Learning thresholds count steps,
 * so a slower step changes no verdict. Specs that measure the page's own timing are the
 * project `alone`, which `npm test` runs after the others with one worker
 * (scripts/test.mjs); `npx playwright test` without `--project` runs both at once.
 */
const workers = Number(process.env.GATESCOPE_E2E_WORKERS ?? 2);
/** Specs that measure main-thread long tasks. */
const ALONE = ['**/smooth.spec.ts', '**/import-large.spec.ts', '**/limits.spec.ts'];

export default defineConfig({
  testDir: 'e2e',
  timeout: 180_000,
  expect: { timeout: 30_000 },
  workers,
  retries: 0,
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    browserName: 'chromium',
    launchOptions: { executablePath: findBrowser() ?? undefined, args: browserArgs() },
    viewport: { width: 1280, height: 800 },
  },
  projects: [
    { name: 'shared', testIgnore: ALONE },
    { name: 'alone', testMatch: ALONE },
  ],
  webServer: {
    command: `npx vite preview --host 127.0.0.1 --port ${port} --strictPort`,
    url: `http://127.0.0.1:${port}`,
    reuseExistingServer: false,
    timeout: 120_000,
  },
});
