// The layering of DESIGN.md ("Floors"), checked by `npm run deps` and by `npm test`:
//
//   ui → state (store, controllers, workers) → train, export → models
//      → optim, metrics, data → ops → autograd → tensor, backend → gpu
//
// Imports only point down: a file may import from its own floor or a lower one, never a
// higher one. Folders that share a floor (tensor.ts and backend/; optim/, metrics/ and
// data/; train/ and export/) may import each other, but the cycle rules below forbid
// any cycle between files, so such imports can only run one way between two files.
//
// ui talks to state only: src/ui/ imports values from src/ui/ and src/state/ alone (its
// floor's rule would allow any lower one). The work the panels start (import, export,
// checkpoints, demos, training) runs in state controllers (state/*-controller.ts,
// state/training.ts); pure helpers of lower floors that the panels call (formatters,
// constants such as the fusion list) are re-exported by state/for-ui.ts. Type-only
// imports from any lower floor are allowed: a panel may name a ModelConfig.
//
// Floors not named in DESIGN.md: src/random.ts is a leaf utility (it imports nothing)
// that any floor may use; src/globals.d.ts only declares ambient types; src/main.tsx is
// the top, above ui/. bench/, e2e/ and scripts/ sit above the whole app: they may import
// src/, src/ never imports them.
//
// Tests (*.test.ts, *.browser.test.ts, *.test.tsx) are exempt from the floors: nothing
// imports them, and a test may drive its subject through a higher floor (the tape is
// tested by recording ops, the GPU runtime by running ops, a model by real batches).
// The cycle rules still apply to them. Shared test code is named *.support.ts(x) (cases
// every backend runs, fixtures, parity helpers, test-only workers): it keeps to the
// floors, and only tests and other support files import it.
//
// Type-only imports count (tsPreCompilationDeps: true), for the floors and for cycles:
// a type two files share is declared in the lower one. One exception, only for
// type-only cycles: the zustand store (state/store.ts) and its slices (state/slices/)
// refer to each other's types by design (the store's type is the intersection of the
// slices, and each slice is typed against the whole store so it can read and set any
// of it); no-circular-at-run-time still holds there, so a slice never imports the
// store's value.

/** The store and its slices refer to each other's types (zustand's slices pattern). */
const STORE_AND_SLICES = '^src/state/(store\\.ts|slices/)';

/** Test files: exempt from the floors (see above), never imported. */
const TEST = '\\.test\\.tsx?$';

/** Shared test code: imported only by tests and other support files. */
const SUPPORT = '\\.support\\.(tsx?|worker\\.ts)$';

/** Floors from the bottom up; each is a list of path patterns (regular expressions). */
const floors = [
  { name: 'gpu', paths: ['^src/gpu/'] },
  { name: 'tensor, backend', paths: ['^src/tensor\\.ts$', '^src/backend/'] },
  { name: 'autograd', paths: ['^src/autograd/'] },
  { name: 'ops', paths: ['^src/ops/'] },
  { name: 'optim, metrics, data', paths: ['^src/optim/', '^src/metrics/', '^src/data/'] },
  { name: 'models', paths: ['^src/models/'] },
  { name: 'train, export', paths: ['^src/train/', '^src/export/'] },
  { name: 'state', paths: ['^src/state/'] },
  { name: 'ui', paths: ['^src/ui/'] },
  { name: 'main', paths: ['^src/main\\.tsx$'] },
];

const floorRules = floors.slice(0, -1).map((floor, i) => ({
  name: `floor-${floor.name.replace(/, /g, '-')}`,
  comment: `${floor.name} may not import a higher floor (${floors
    .slice(i + 1)
    .map((f) => f.name)
    .join(' / ')}); see DESIGN.md "Floors"`,
  severity: 'error',
  from: { path: floor.paths, pathNot: TEST },
  to: { path: floors.slice(i + 1).flatMap((f) => f.paths) },
}));

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular-at-run-time',
      comment: 'No two files import each other at run time, directly or through others (DESIGN.md "Floors").',
      severity: 'error',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'no-circular',
      comment:
        'No cycle of imports, type-only ones included, except among the zustand store and its slices (see the top of this file).',
      severity: 'error',
      from: { pathNot: STORE_AND_SLICES },
      to: { circular: true },
    },
    ...floorRules,
    {
      name: 'ui-talks-to-state',
      comment:
        'src/ui/ imports values only from src/ui/ and src/state/ (types from any lower floor are fine); see the top of this file.',
      severity: 'error',
      from: { path: '^src/ui/', pathNot: [TEST, SUPPORT] },
      to: { path: '^src/', pathNot: '^src/(ui|state)/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'leaf-utilities',
      comment: 'src/random.ts and src/globals.d.ts import nothing from the app, so that any floor may use them.',
      severity: 'error',
      from: { path: '^src/(random\\.ts|globals\\.d\\.ts)$' },
      to: { path: '^src/' },
    },
    {
      name: 'src-not-tooling',
      comment: 'The app never imports the benchmarks, the e2e specs or the scripts.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(bench|e2e|scripts)/' },
    },
    {
      name: 'not-to-test',
      comment: 'Nothing imports a test file (shared test code lives in *.support.ts files).',
      severity: 'error',
      from: {},
      to: { path: TEST },
    },
    {
      name: 'support-only-from-tests',
      comment: 'The app never imports test support (*.support.ts): only tests, other support files and the scripts that make fixtures do.',
      severity: 'error',
      from: { path: '^(src|bench|e2e)/', pathNot: [TEST, SUPPORT] },
      to: { path: SUPPORT },
    },
    {
      name: 'no-non-package-json',
      comment: 'A package that is imported is declared in package.json.',
      severity: 'error',
      from: {},
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
    },
    {
      name: 'not-to-dev-dep',
      comment: 'The app (src/ less its tests and test helpers) imports only runtime dependencies, not devDependencies.',
      severity: 'error',
      from: { path: '^src/', pathNot: [TEST, SUPPORT] },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'An import that resolves to no file.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|\\.vitest-reports)/' },
    preserveSymlinks: true,
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.d.ts', '.d.mts'],
    },
  },
};
