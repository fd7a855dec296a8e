// Vite serves and builds the app; Vitest runs two projects: `node` (CPU reference,
// data, metrics, export) and `browser` (headless Chromium with WebGPU on whatever
// adapter is present; SwiftShader on machines without a GPU).
import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import { playwright } from '@vitest/browser-playwright';
import { browserArgs, findBrowser } from './scripts/browser.mjs';
import pkg from './package.json' with { type: 'json' };

const executablePath = findBrowser() ?? undefined;

/**
 * Cross-origin isolation (README "Deploying"): with these two headers the page and its
 * workers may create SharedArrayBuffer, which the WebAssembly engine's worker pool needs
 * (src/backend/wasm-pool.ts); without them the engine runs on one thread. require-corp
 * blocks cross-origin subresources that do not opt in; the app loads none (OpenMoji, the
 * ONNX Runtime and TF.js wasm files are all served from this origin). Vitest's browser
 * mode sends server.headers too, so browser tests run isolated.
 */
const crossOriginIsolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  plugins: [react()],
  define: { __APP_VERSION__: JSON.stringify(pkg.version) },
  server: { host: '127.0.0.1', port: 5173, headers: crossOriginIsolation },
  preview: { host: '127.0.0.1', port: 4173, headers: crossOriginIsolation },
  // Pre-bundle the app's dependencies up front: a dependency discovered in the middle of
  // a test run is bundled again, and two copies of React then break every hook.
  optimizeDeps: {
    exclude: ['onnxruntime-web'],
    include: ['react', 'react/jsx-dev-runtime', 'react-dom', 'react-dom/client', 'recharts', 'zustand', 'idb', 'fflate', 'papaparse', 'protobufjs/light.js'],
  },
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          environment: 'node',
          include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'],
          exclude: ['src/**/*.browser.test.ts', 'node_modules/**'],
          testTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['src/**/*.browser.test.ts', 'src/ui/**/*.browser.test.tsx'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
          browser: {
            enabled: true,
            headless: true,
            api: { host: '127.0.0.1', port: Number(process.env.GATESCOPE_VITEST_PORT ?? 63315) },
            provider: playwright({ launchOptions: { executablePath, args: browserArgs() } }),
            instances: [{ browser: 'chromium' }],
          },
        },
      },
    ],
  },
});
