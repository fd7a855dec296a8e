// Writes PyTorch bundles (.zip) for several model configs with GateScope's CPU backend:
// random weights (every parameter, the learned "missing" vectors included), sample inputs
// from a tiny dataset with ragged texts and missing modalities, and GateScope's outputs.
// Then `python3 scripts/check_pytorch_export.py <dir>/*.zip` compares PyTorch with them.
//   node scripts/make-pytorch-bundles.mjs [output folder, default dist/pytorch-bundles]
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'vite';

const outDir = process.argv[2] ?? 'dist/pytorch-bundles';
const server = await createServer({ server: { middlewareMode: true, hmr: false }, appType: 'custom', logLevel: 'error' });
try {
  const load = (path) => server.ssrLoadModule(path);
  const { CpuBackend } = await load('/src/backend/cpu.ts');
  const { exportTestConfig, exportTestData, exportTestFeatures, randomWeights } = await load('/src/export/export.support.ts');
  const { bundleSamples } = await load('/src/export/reference-output.ts');
  const { pytorchBundle } = await load('/src/export/pytorch.ts');
  const { seriesExportConfig, seriesExportData } = await load('/src/export/series-export.support.ts');
  const { AUDIO_EXPORT_CASES, audioExportConfig, audioExportData, audioImageExportData } = await load('/src/export/audio-export.support.ts');

  const cases = [
    { fusion: 'late', cell: 'lstm' },
    { fusion: 'late', cell: 'gru', pool: 'max' },
    { fusion: 'late', cell: 'gru', bidirectional: true, numLayers: 2, encoder: 'mlp' },
    { fusion: 'text', cell: 'rnn_tanh', headHidden: 0 },
    { fusion: 'image', cell: 'gru' },
    { fusion: 'early', cell: 'rnn_relu', bidirectional: true, numLayers: 2 },
    { fusion: 'init', cell: 'lstm', bidirectional: true, numLayers: 2 },
    { fusion: 'init', cell: 'gru' },
    { fusion: 'additive', cell: 'lstm', bidirectional: true, numLayers: 2 },
    { fusion: 'additive', cell: 'gru' },
    { fusion: 'weighted', cell: 'gru', task: 'regression' },
    { fusion: 'gated', cell: 'lstm', encoder: 'features' },
    { fusion: 'film', cell: 'rnn_tanh', task: 'multilabel', bidirectional: true },
    { fusion: 'init', cell: 'lstm', task: 'captioning', numLayers: 2 },
    { fusion: 'early', cell: 'gru', task: 'captioning' },
    { fusion: 'late', cell: 'lstm', batchNorm: true },
    { fusion: 'init', cell: 'gru', task: 'captioning', batchNorm: true },
    // Peephole LSTM: the generated PeepholeLSTM module (random non-zero peephole weights).
    { fusion: 'late', cell: 'lstm', peephole: true },
    { fusion: 'additive', cell: 'lstm', peephole: true, bidirectional: true, numLayers: 2 },
    { fusion: 'init', cell: 'lstm', peephole: true, bidirectional: true, numLayers: 2 },
    // Multi-task: auxiliary heads (classification, regression, multi-label) on the fused feature.
    { fusion: 'late', cell: 'lstm', multitask: true },
    { fusion: 'init', cell: 'gru', multitask: true },
    { fusion: 'film', cell: 'rnn_tanh', task: 'multilabel', multitask: true },
  ];
  const { MULTITASK_TASKS } = await load('/src/export/multitask-export.support.ts');
  mkdirSync(outDir, { recursive: true });
  const cpu = new CpuBackend();
  for (const k of cases) {
    const config = k.multitask ? { ...exportTestConfig(k), extraTasks: MULTITASK_TASKS } : exportTestConfig(k);
    const weights = randomWeights(config, 21);
    const data = exportTestData(config.task, 7);
    const features = config.image.encoder === 'features' ? exportTestFeatures(data) : undefined;
    const samples = await bundleSamples(cpu, config, weights, data, [0, 1, 2, 3, 4, 5, 6, 7], features);
    const name = [config.task, k.fusion, k.peephole ? 'lstm-peephole' : k.cell, `${config.text.numLayers}l`, config.text.bidirectional ? 'bi' : 'uni', config.image.encoder + (config.image.pool === 'max' ? '-maxpool' : '') + (config.image.batchNorm ? '-bn' : ''), ...(k.multitask ? ['multitask'] : [])].join('_');
    const bytes = pytorchBundle({ config, weights, samples, vocabulary: data.vocab.tokens, producer: 'GateScope (scripts/make-pytorch-bundles.mjs)' });
    writeFileSync(join(outDir, `${name}.zip`), bytes);
    console.log(`${name}.zip  ${bytes.length} bytes`);
  }
  // Series models (frames → Linear → recurrent stack → k values), ragged lengths, F = 2.
  const seriesCases = [
    { cell: 'lstm', layers: 1, bidirectional: false },
    { cell: 'gru', layers: 2, bidirectional: true },
    { cell: 'rnn_tanh', layers: 1, bidirectional: false },
  ];
  const seriesData = seriesExportData(7);
  for (const k of seriesCases) {
    const config = seriesExportConfig(seriesData, k.cell, k.layers, k.bidirectional);
    const weights = randomWeights(config, 21);
    const samples = await bundleSamples(cpu, config, weights, seriesData, [0, 1, 2, 3, 4, 5, 6, 7]);
    const name = ['series', k.cell, `${k.layers}l`, k.bidirectional ? 'bi' : 'uni'].join('_');
    const t = seriesData.targets;
    const bytes = pytorchBundle({ config, weights, samples, targetScale: { mean: t.mean, std: t.std }, producer: 'GateScope (scripts/make-pytorch-bundles.mjs)' });
    writeFileSync(join(outDir, `${name}.zip`), bytes);
    console.log(`${name}.zip  ${bytes.length} bytes`);
  }
  // Audio models (log-mel frames → AudioEncoder in the image's place, with the question):
  // ragged clips of 1–6 frames, one row without a clip.
  const audioData = audioExportData(7);
  for (const k of AUDIO_EXPORT_CASES.filter((c) => ['late', 'gated', 'init', 'additive'].includes(c.fusion))) {
    const config = audioExportConfig(audioData, k.fusion, k.cell, k.layers, k.bidirectional);
    const weights = randomWeights(config, 21);
    const samples = await bundleSamples(cpu, config, weights, audioData, [0, 1, 2, 3, 4, 5, 6, 7]);
    const name = ['audio', k.fusion, k.cell, `${k.layers}l`, k.bidirectional ? 'bi' : 'uni'].join('_');
    const bytes = pytorchBundle({ config, weights, samples, vocabulary: audioData.vocab.tokens, producer: 'GateScope (scripts/make-pytorch-bundles.mjs)' });
    writeFileSync(join(outDir, `${name}.zip`), bytes);
    console.log(`${name}.zip  ${bytes.length} bytes`);
  }
  // Audio next to images: the clips in the sequence slot (SeriesEncoder over F = 40), late and gated fusion.
  const audioImageData = audioImageExportData(7);
  for (const [fusion, cell] of [['late', 'lstm'], ['gated', 'gru']]) {
    const config = audioExportConfig(audioImageData, fusion, cell, 1, true);
    const weights = randomWeights(config, 21);
    const samples = await bundleSamples(cpu, config, weights, audioImageData, [0, 1, 2, 3, 4, 5, 6, 7]);
    const name = ['audio-image', fusion, cell, '1l_bi'].join('_');
    const bytes = pytorchBundle({ config, weights, samples, producer: 'GateScope (scripts/make-pytorch-bundles.mjs)' });
    writeFileSync(join(outDir, `${name}.zip`), bytes);
    console.log(`${name}.zip  ${bytes.length} bytes`);
  }
} finally {
  await server.close();
}
