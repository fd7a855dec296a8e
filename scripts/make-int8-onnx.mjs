// Writes float32 and int8-weight ONNX exports of a few model configs (random weights) and
// their inputs, for scripts/check_int8_onnx.py:
//   <name>.f32.onnx, <name>.int8.onnx, <name>.feeds.json ({input: {type, dims, data}})
//   node scripts/make-int8-onnx.mjs <output folder>
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'vite';

const outDir = process.argv[2] ?? 'dist/int8-onnx';
const server = await createServer({ server: { middlewareMode: true, hmr: false }, appType: 'custom', logLevel: 'error' });
try {
  const load = (path) => server.ssrLoadModule(path);
  const { exportTestConfig, exportTestData, randomWeights } = await load('/src/export/export.support.ts');
  const { exportOnnx, onnxFeeds } = await load('/src/export/onnx.ts');
  const cases = [
    { fusion: 'late', cell: 'lstm', bidirectional: true, numLayers: 2 },
    { fusion: 'additive', cell: 'gru', bidirectional: true, numLayers: 2 },
    { fusion: 'init', cell: 'rnn_tanh' },
    { fusion: 'init', cell: 'lstm', task: 'captioning' },
  ];
  mkdirSync(outDir, { recursive: true });
  for (const k of cases) {
    const config = exportTestConfig(k);
    const weights = randomWeights(config, 5);
    const data = exportTestData(config.task);
    const name = [config.task, k.fusion, k.cell, `${config.text.numLayers}l`, config.text.bidirectional ? 'bi' : 'uni'].join('_');
    writeFileSync(join(outDir, `${name}.f32.onnx`), exportOnnx(config, weights).bytes);
    writeFileSync(join(outDir, `${name}.int8.onnx`), exportOnnx(config, weights, { int8Weights: true }).bytes);
    const feeds = onnxFeeds(config, data, [0, 1, 2, 3, 4, 5, 6, 7]);
    writeFileSync(join(outDir, `${name}.feeds.json`), JSON.stringify(Object.fromEntries(Object.entries(feeds).map(([n, f]) => [n, { type: f.type, dims: f.dims, data: Array.from(f.data) }]))));
    console.log(name);
  }
} finally {
  await server.close();
}
