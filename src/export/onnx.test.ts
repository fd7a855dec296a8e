// The exported ONNX graph in ONNX Runtime (wasm, in Node) against GateScope's CPU
// forward: every fusion × cell (one layer and two bidirectional layers), the image
// encoders, the task heads and the captioning decoder, on a batch with ragged texts, a
// row without an image and a row without a text.
import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-web';
import { CpuBackend } from '../backend/cpu.ts';
import { CELL_KINDS, FUSION_KINDS } from '../models/config.ts';
import { decodeModel } from './onnx-proto.ts';
import { exportOnnx, onnxFeeds, onnxInterface } from './onnx.ts';
import { exportTestConfig, exportTestData, exportTestFeatures, gatescopeOutput, maxAbsDiff, randomWeights, runOnnx, type DecodedModel, type ExportCase } from './export.support.ts';

ort.env.wasm.numThreads = 1;
ort.env.logLevel = 'error';
const TOLERANCE = 1e-4;
const cpu = new CpuBackend();
const ALL = [0, 1, 2, 3, 4, 5, 6, 7];

/** Exports a case, runs ORT and GateScope; returns both outputs and the graph. */
async function compare(k: ExportCase, seed = 1) {
  const config = exportTestConfig(k);
  const weights = randomWeights(config, seed);
  const data = exportTestData(config.task);
  const features = config.image.encoder === 'features' ? exportTestFeatures(data) : undefined;
  const exported = exportOnnx(config, weights, config.task === 'regression' ? { targetScale: { mean: 15, std: 3 } } : {});
  const ours = await gatescopeOutput(cpu, config, weights, data, ALL, features);
  const theirs = await runOnnx(ort, exported.bytes, onnxFeeds(config, data, ALL, { features }));
  return { config, exported, ours, theirs };
}

describe('ONNX export vs GateScope (CPU), every fusion × cell', () => {
  for (const fusion of FUSION_KINDS) {
    for (const cell of CELL_KINDS) {
      for (const shape of [{ bidirectional: false, numLayers: 1 }, { bidirectional: true, numLayers: 2 }]) {
        const label = `${fusion} × ${cell}, ${shape.numLayers} layer${shape.numLayers > 1 ? 's' : ''}${shape.bidirectional ? ', bidirectional' : ''}`;
        it(label, async () => {
          const { ours, theirs } = await compare({ fusion, cell, ...shape });
          expect(theirs.logits.dims).toEqual([8, 3]);
          const diff = maxAbsDiff(ours, theirs.logits.data);
          expect(diff, `${label}: max |Δ| ${diff}`).toBeLessThanOrEqual(TOLERANCE);
          // The outputs are not degenerate (rows differ), so the comparison means something.
          expect(maxAbsDiff(ours.subarray(0, 3), ours.subarray(3, 6))).toBeGreaterThan(1e-3);
          // Softmax output sums to 1 per row.
          for (let b = 0; b < 8; b++) expect(theirs.probabilities.data.subarray(b * 3, b * 3 + 3).reduce((s, p) => s + p, 0)).toBeCloseTo(1, 5);
        });
      }
    }
  }
});

// Peephole LSTM: the LSTM node's input P (i, o, f) with random, non-zero peephole weights.
describe('ONNX export vs GateScope (CPU), peephole LSTM', () => {
  for (const fusion of ['late', 'text', 'early', 'init', 'additive'] as const) {
    for (const shape of [{ bidirectional: false, numLayers: 1 }, { bidirectional: true, numLayers: 2 }]) {
      const label = `${fusion} × peephole LSTM, ${shape.numLayers} layer${shape.numLayers > 1 ? 's' : ''}${shape.bidirectional ? ', bidirectional' : ''}`;
      it(label, async () => {
        const { ours, theirs, exported } = await compare({ fusion, cell: 'lstm', peephole: true, ...shape });
        const diff = maxAbsDiff(ours, theirs.logits.data);
        expect(diff, `${label}: max |Δ| ${diff}`).toBeLessThanOrEqual(TOLERANCE);
        expect(maxAbsDiff(ours.subarray(0, 3), ours.subarray(3, 6))).toBeGreaterThan(1e-3);
        // The peephole weights change the output: the same weights without them differ.
        const plain = exportTestConfig({ fusion, cell: 'lstm', ...shape });
        const weights = randomWeights(exportTestConfig({ fusion, cell: 'lstm', peephole: true, ...shape }), 1);
        const data = exportTestData('classification');
        const without = await gatescopeOutput(cpu, plain, weights, data, ALL);
        expect(maxAbsDiff(ours, without)).toBeGreaterThan(1e-3);
        expect(exported.bytes.length).toBeGreaterThan(0);
      });
    }
  }
});

describe('ONNX additive fusion', () => {
  // a_t = W_ih x_t + b_ih + (W_a v + b_a) + … = [W_ih | W_a]·[x_t ; v] + (b_ih + b_a) + …:
  // an early-fusion model with those weights must give the additive graph's outputs.
  for (const cell of CELL_KINDS) {
    it(`additive × ${cell} (bidirectional, 2 layers) equals GateScope's early fusion with [W_ih | W_a] and b_ih + b_a`, async () => {
      const shape = { cell, bidirectional: true, numLayers: 2 };
      const additive = exportTestConfig({ fusion: 'additive', ...shape });
      const early = exportTestConfig({ fusion: 'early', ...shape });
      const weights = randomWeights(additive, 2);
      const data = exportTestData('classification');
      const E = 3;
      const F = 5;
      const GH = (cell === 'lstm' ? 4 : cell === 'gru' ? 3 : 1) * 4;
      const earlyWeights: Record<string, Float32Array> = {};
      for (const [name, w] of Object.entries(weights)) if (!name.startsWith('fusion.additive')) earlyWeights[name] = w;
      for (const [d, suffix] of ['', '_reverse'].entries()) {
        const wIh = weights[`text_encoder.rnn.weight_ih_l0${suffix}`];
        const wide = new Float32Array(GH * (E + F));
        for (let r = 0; r < GH; r++) {
          for (let j = 0; j < E; j++) wide[r * (E + F) + j] = wIh[r * E + j];
          for (let j = 0; j < F; j++) wide[r * (E + F) + E + j] = weights['fusion.additive.weight'][(d * GH + r) * F + j];
        }
        earlyWeights[`text_encoder.rnn.weight_ih_l0${suffix}`] = wide;
        earlyWeights[`text_encoder.rnn.bias_ih_l0${suffix}`] = weights[`text_encoder.rnn.bias_ih_l0${suffix}`].map((x, i) => x + weights['fusion.additive.bias'][d * GH + i]);
      }
      const ours = await gatescopeOutput(cpu, early, earlyWeights, data, ALL);
      const theirs = await runOnnx(ort, exportOnnx(additive, weights).bytes, onnxFeeds(additive, data, ALL));
      expect(maxAbsDiff(ours, theirs.logits.data)).toBeLessThanOrEqual(TOLERANCE);
    });
  }
});

describe('ONNX export: encoders, heads and tasks', () => {
  it('MLP image encoder, one-layer head', async () => {
    const { ours, theirs } = await compare({ fusion: 'late', cell: 'gru', encoder: 'mlp', headHidden: 0 });
    expect(maxAbsDiff(ours, theirs.logits.data)).toBeLessThanOrEqual(TOLERANCE);
  });
  it('precomputed features encoder (input image_features)', async () => {
    const { exported, ours, theirs } = await compare({ fusion: 'gated', cell: 'lstm', encoder: 'features' });
    expect(exported.inputs.map((i) => i.name)).toEqual(['image_features', 'image_present', 'tokens', 'lengths', 'text_present']);
    expect(maxAbsDiff(ours, theirs.logits.data)).toBeLessThanOrEqual(TOLERANCE);
  });
  it('multi-label: logits and sigmoid probabilities', async () => {
    const { ours, theirs } = await compare({ fusion: 'film', cell: 'lstm', task: 'multilabel' });
    expect(maxAbsDiff(ours, theirs.logits.data)).toBeLessThanOrEqual(TOLERANCE);
    const sig = Array.from(ours, (x) => 1 / (1 + Math.exp(-x)));
    expect(maxAbsDiff(sig, theirs.probabilities.data)).toBeLessThanOrEqual(TOLERANCE);
  });
  it('regression: standardised value and value in target units', async () => {
    const { ours, theirs } = await compare({ fusion: 'weighted', cell: 'rnn_relu', task: 'regression', bidirectional: true });
    expect(theirs.value.dims).toEqual([8, 1]);
    expect(maxAbsDiff(ours, theirs.value.data)).toBeLessThanOrEqual(TOLERANCE);
    expect(maxAbsDiff(Array.from(ours, (x) => x * 3 + 15), theirs.value_in_target_units.data)).toBeLessThanOrEqual(3 * TOLERANCE);
  });
  for (const fusion of ['init', 'early'] as const) {
    for (const cell of CELL_KINDS) {
      it(`captioning decoder (${fusion}, ${cell}, 2 layers): teacher-forced logits and next-token logits`, async () => {
        const { ours, theirs } = await compare({ fusion, cell, task: 'captioning', numLayers: 2 });
        const [B, T, V] = theirs.logits.dims;
        expect([B, V]).toEqual([8, 9]);
        expect(maxAbsDiff(ours, theirs.logits.data)).toBeLessThanOrEqual(TOLERANCE);
        // next_logits is the row of logits at position lengths − 1.
        const data = exportTestData('captioning');
        const feeds = onnxFeeds(exportTestConfig({ fusion, cell, task: 'captioning' }), data, ALL);
        const lengths = feeds.lengths.data;
        for (let b = 0; b < B; b++) {
          const at = (b * T + lengths[b] - 1) * V;
          expect(maxAbsDiff(theirs.logits.data.subarray(at, at + V), theirs.next_logits.data.subarray(b * V, (b + 1) * V))).toBeLessThanOrEqual(1e-6);
        }
      });
    }
  }
});

describe('ONNX graph structure', () => {
  it('uses opset 17, recurrent ops with layout 0 and a dynamic batch dimension', () => {
    const config = exportTestConfig({ fusion: 'late', cell: 'lstm', bidirectional: true, numLayers: 2 });
    const m = decodeModel(exportOnnx(config, randomWeights(config, 1)).bytes) as unknown as DecodedModel;
    expect(m.opsetImport[0].version).toBe(17);
    const lstms = m.graph.node.filter((n) => n.opType === 'LSTM');
    expect(lstms).toHaveLength(2);
    for (const n of lstms) {
      const layout = n.attribute.find((a) => a.name === 'layout');
      expect(layout?.i ?? 0).toBe(0);
      expect(n.input[4]).toBe('text.lengths');
    }
    expect(m.graph.input.map((i) => i.name)).toEqual(['image', 'image_present', 'tokens', 'lengths', 'text_present']);
    expect(m.graph.input[0].type.tensorType.shape.dim[0].dimParam).toBe('batch');
    expect(m.graph.input[2].type.tensorType.shape.dim[1].dimParam).toBe('time');
    expect(m.graph.output.map((o) => o.name)).toEqual(['logits', 'probabilities']);
    // Every model parameter that is not folded into an ONNX W/R/B appears under its own name.
    const inits = new Set(m.graph.initializer.map((t) => t.name));
    expect(inits.has('head.fc1.weight') && inits.has('fusion.missing_text') && inits.has('text_encoder.rnn.l1.W')).toBe(true);
  });

  it('documents only the inputs a strategy reads', () => {
    const names = (fusion: 'text' | 'image') => onnxInterface(exportTestConfig({ fusion, cell: 'gru' })).inputs.map((i) => i.name);
    expect(names('text')).toEqual(['tokens', 'lengths', 'text_present']);
    expect(names('image')).toEqual(['image', 'image_present']);
  });

  it('runs on a different batch size than it was exported for', async () => {
    const config = exportTestConfig({ fusion: 'early', cell: 'gru' });
    const weights = randomWeights(config, 4);
    const data = exportTestData('classification');
    const bytes = exportOnnx(config, weights).bytes;
    const rows = [5, 1, 2];
    const theirs = await runOnnx(ort, bytes, onnxFeeds(config, data, rows));
    const ours = await gatescopeOutput(cpu, config, weights, data, rows);
    expect(theirs.logits.dims).toEqual([3, 3]);
    expect(maxAbsDiff(ours, theirs.logits.data)).toBeLessThanOrEqual(TOLERANCE);
  });

  it('rejects weights that do not match the config, naming the parameter', () => {
    const config = exportTestConfig({ fusion: 'late', cell: 'lstm' });
    const weights = randomWeights(config, 1);
    weights['head.fc1.weight'] = new Float32Array(5);
    expect(() => exportOnnx(config, weights)).toThrow(/head\.fc1\.weight.*5 values/);
    delete weights['head.fc1.weight'];
    expect(() => exportOnnx(config, weights)).toThrow(/no parameter "head\.fc1\.weight"/);
  });
});
