// ESLint for the app, its tests, the benchmarks and the scripts (`npm run lint`, and a
// counted check of `npm test`): the recommended JavaScript and typescript-eslint rules
// and the React hooks rules. Any warning fails the check (--max-warnings 0).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import { defineConfig } from 'eslint/config';

export default defineConfig(
  {
    ignores: [
      'dist/',
      'node_modules/',
      'public/',
      'test-results/',
      'playwright-report/',
      '.vitest-reports/',
      '.vitest-attachments/',
      '**/__screenshots__/',
      'e2e/screenshots/',
      '.venv/',
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  reactHooks.configs.flat.recommended,
  {
    languageOptions: {
      ecmaVersion: 2023,
      globals: { ...globals.browser, ...globals.worker },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // tsc already reports unused locals and parameters (noUnusedLocals, noUnusedParameters).
      '@typescript-eslint/no-unused-vars': 'off',
      // Missing effect dependencies are errors here, not warnings.
      'react-hooks/exhaustive-deps': 'error',
      // Two rules of the React Compiler's set that the recommended config includes, off:
      // GateScope does not build with the compiler, and the code they flag is deliberate
      // (a ref holding the latest value of a prop, written during render and read by
      // effects and animation frames; an effect that resets local state when a prop
      // changes). Rewriting those is a UI change of its own, not a lint fix.
      'react-hooks/refs': 'off',
      'react-hooks/set-state-in-effect': 'off',
    },
  },
  {
    files: ['scripts/**', 'e2e/**', '*.config.{js,ts}', '.dependency-cruiser.cjs'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
  },
);
