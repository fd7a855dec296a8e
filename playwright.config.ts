// End-to-end tests: Playwright drives headless Chromium against `vite preview` of the built app.
import { defineConfig } from '@playwright/test';
import { browserArgs, findBrowser } from './scripts/browser.mjs';

/** Port of `vite preview` for the e2e run; GATESCOPE_PREVIEW_PORT moves it when 4173 is taken. */
const port = Number(process.env.GATESCOPE_PREVIEW_PORT ?? 4173);

export default defineConfig({
  testDir: 'e2e',
  timeout: 180_000,
  expect: { timeout: 30_000 },
  workers: 1,
  retries: 0,
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    browserName: 'chromium',
    launchOptions: { executablePath: findBrowser() ?? undefined, args: browserArgs() },
    viewport: { width: 1280, height: 800 },
  },
  webServer: {
    command: `npx vite preview --host 127.0.0.1 --port ${port} --strictPort`,
    url: `http://127.0.0.1:${port}`,
    reuseExistingServer: false,
    timeout: 120_000,
  },
});
