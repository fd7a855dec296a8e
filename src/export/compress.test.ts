// Compression maths and the int8 ONNX export. The quantiser against the rules of ONNX
// QuantizeLinear (round half to even, saturation to [−128, 127], scale from max |w|);
// magnitude pruning's exact zero counts and ties; and the int8 graph in ONNX Runtime
// (wasm, in Node) against GateScope's CPU forward. For that check the weights are put on
// the int8 grid first (every value q · 2⁻⁸ with q an integer in [−127, 127], and ±127 in
// every row, so each row's scale is exactly 2⁻⁸): quantisation is then exact, and the
// int8 model must match GateScope as closely as the float32 export does (≤ 1e-4). Any
// wrong row, axis, gate order or direction in the int8 path would show as a difference
// of the size of the weights.
import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-web';
import { CpuBackend } from '../backend/cpu.ts';
import { CELL_KINDS, FUSION_KINDS, fusionUses, type ModelConfig } from '../models/config.ts';
import { modelSpecs } from '../models/model.ts';
import { Random } from '../random.ts';
import { decodeModel } from './onnx-proto.ts';
import { exportOnnx, onnxFeeds } from './onnx.ts';
import { compressibleParams, countZeros, pruneTensor, pruneWeights } from './prune.ts';
import { dequantizeRows, quantizeRows, quantizeValue, roundHalfEven } from './quantize.ts';
import { exportTestConfig, exportTestData, gatescopeOutput, maxAbsDiff, randomWeights, runOnnx, type DecodedModel, type ExportCase } from './export.support.ts';

ort.env.wasm.numThreads = 1;
ort.env.logLevel = 'error';
const cpu = new CpuBackend();
const ALL = [0, 1, 2, 3, 4, 5, 6, 7];

describe('int8 quantiser', () => {
  it('rounds halves to the even integer, as ONNX QuantizeLinear', () => {
    expect([0.5, 1.5, 2.5, 3.5, -0.5, -1.5, -2.5, -3.5, 2.4999, 2.5001, -2.5001, 7].map(roundHalfEven)).toEqual([0, 2, 2, 4, -0, -2, -2, -4, 2, 3, -3, 7]);
  });

  it('saturates to [−128, 127]', () => {
    expect(quantizeValue(200, 1)).toBe(127);
    expect(quantizeValue(-200, 1)).toBe(-128);
    expect(quantizeValue(127.4, 1)).toBe(127);
    expect(quantizeValue(-128.4, 1)).toBe(-128);
    expect(quantizeValue(-128.6, 1)).toBe(-128);
    expect(quantizeValue(5, 2)).toBe(2); // 2.5 → 2
    expect(quantizeValue(7, 2)).toBe(4); // 3.5 → 4
  });

  it('takes each row’s scale from its max |w|; |w − w′| ≤ scale / 2; an all-zero row gets scale 1', () => {
    const rng = new Random(4);
    const data = Float32Array.from({ length: 5 * 9 }, () => rng.uniform(-3, 3));
    data.fill(0, 18, 27); // row 2
    data[9 + 4] = -10; // row 1's largest |w| is negative
    const { q, scale } = quantizeRows(data, 5);
    expect(scale[1]).toBe(Math.fround(10 / 127));
    expect(q[9 + 4]).toBe(-127);
    expect(scale[2]).toBe(1);
    const back = dequantizeRows({ q, scale });
    for (let r = 0; r < 5; r++) {
      let max = 0;
      let maxQ = 0;
      for (let j = 0; j < 9; j++) {
        const i = r * 9 + j;
        max = Math.max(max, Math.abs(data[i]));
        maxQ = Math.max(maxQ, Math.abs(q[i]));
        expect(Math.abs(data[i] - back[i])).toBeLessThanOrEqual(scale[r] / 2 + 1e-7);
        expect(q[i]).toBe(quantizeValue(data[i], scale[r]));
      }
      if (r !== 2) {
        expect(scale[r]).toBe(Math.fround(max / 127));
        expect(maxQ).toBe(127);
      }
    }
    expect(() => quantizeRows(data, 7)).toThrow(/do not split into 7 rows/);
  });
});

describe('magnitude pruning', () => {
  it('zeroes exactly round(sparsity · n) values, smallest |w| first, lower index first on ties', () => {
    const w = Float32Array.from([0.75, -0.125, 0.125, 2, -0.125, 0, 5, -3]);
    expect(Array.from(pruneTensor(w, 0.25))).toEqual([0.75, -0.125, 0.125, 2, -0.125, 0, 5, -3].map((x, i) => (i === 5 || i === 1 ? 0 : x)));
    // k = 3: 0 (index 5), then the three ±0.125 tie: indices 1 and 2.
    const p = pruneTensor(w, 0.375);
    expect(Array.from(p)).toEqual([0.75, 0, 0, 2, -0.125, 0, 5, -3]);
    expect(Array.from(pruneTensor(w, 0))).toEqual(Array.from(w));
    expect(Array.from(pruneTensor(w, 1))).toEqual(new Array(8).fill(0));
    expect(Array.from(w)).toEqual([0.75, -0.125, 0.125, 2, -0.125, 0, 5, -3]); // the input is untouched
    expect(() => pruneTensor(w, 1.2)).toThrow(/not between 0 and 1/);
  });

  it('prunes each chosen tensor of a model to the sparsity and shares the others', () => {
    const config = exportTestConfig({ fusion: 'late', cell: 'lstm', bidirectional: true, numLayers: 2 });
    const weights = randomWeights(config, 2);
    const names = compressibleParams(config);
    expect(names.length).toBeGreaterThan(5);
    for (const n of names) expect(modelSpecs(config).find((s) => s.name === n)!.shape.length).toBeGreaterThanOrEqual(2);
    for (const sparsity of [0, 0.25, 0.5, 0.7, 0.9, 0.95]) {
      const pruned = pruneWeights(weights, names, sparsity);
      for (const n of names) expect(countZeros(pruned, [n]).zeros, `${n} at ${sparsity}`).toBe(Math.round(sparsity * weights[n].length));
      for (const s of modelSpecs(config)) if (!names.includes(s.name)) expect(pruned[s.name]).toBe(weights[s.name]);
    }
    expect(countZeros(weights, names).zeros).toBe(0);
  });
});

/** Weights on the int8 grid: q · 2⁻⁸, q ∈ [−127, 127], with ±127 somewhere in every row. */
function gridWeights(config: ModelConfig, seed: number): Record<string, Float32Array> {
  const rng = new Random(seed);
  const weights = randomWeights(config, seed);
  for (const s of modelSpecs(config)) {
    if (s.shape.length < 2) continue;
    const w = weights[s.name];
    const rows = s.shape[0];
    const cols = w.length / rows;
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < cols; j++) w[r * cols + j] = Math.round(rng.uniform(-60, 60)) / 256;
      w[r * cols + Math.floor(rng.uniform(0, cols))] = (rng.uniform(0, 1) < 0.5 ? -127 : 127) / 256;
    }
  }
  return weights;
}

async function int8Case(k: ExportCase) {
  const config = exportTestConfig(k);
  const weights = gridWeights(config, 7);
  const data = exportTestData(config.task);
  const exported = exportOnnx(config, weights, { int8Weights: true });
  const ours = await gatescopeOutput(cpu, config, weights, data, ALL);
  const theirs = await runOnnx(ort, exported.bytes, onnxFeeds(config, data, ALL));
  const diff = maxAbsDiff(ours, theirs.logits?.data ?? theirs.value.data);
  expect(diff, `max |Δ| ${diff}`).toBeLessThanOrEqual(1e-4);
  const graph = (decodeModel(exported.bytes) as unknown as DecodedModel).graph;
  // Every weight matrix goes through DequantizeLinear; no float copy of it is left.
  const initNames = new Set(graph.initializer.map((t) => t.name));
  for (const n of compressibleParams(config)) {
    if (exported.int8!.includes(n)) expect(initNames.has(n), n).toBe(false);
  }
  const recurrent = exported.int8!.filter((n) => /\.[WR]$/.test(n));
  expect(recurrent.length).toBe(fusionUses(config.fusion).text ? 2 * (k.numLayers ?? 1) : 0);
  expect(graph.node.filter((n) => n.opType === 'DequantizeLinear').length).toBe(exported.int8!.length);
  return { config, exported };
}

describe('int8 ONNX export in ONNX Runtime vs GateScope, weights on the int8 grid', () => {
  for (const fusion of FUSION_KINDS) {
    for (const cell of CELL_KINDS) {
      it(`${fusion} × ${cell}`, () => int8Case({ fusion, cell }));
    }
  }
  for (const cell of CELL_KINDS) {
    it(`late × ${cell}, 2 bidirectional layers`, () => int8Case({ fusion: 'late', cell, bidirectional: true, numLayers: 2 }));
    it(`additive × ${cell}, 2 bidirectional layers`, () => int8Case({ fusion: 'additive', cell, bidirectional: true, numLayers: 2 }));
  }
  it('peephole LSTM, 2 bidirectional layers (P stays float)', () => int8Case({ fusion: 'init', cell: 'lstm', peephole: true, bidirectional: true, numLayers: 2 }));
  it('regression head', () => int8Case({ fusion: 'late', cell: 'gru', task: 'regression' }));

  it('random weights: int8 differs from float32 by about the quantisation error, and the file is smaller', async () => {
    const small = exportTestConfig({ fusion: 'late', cell: 'lstm', bidirectional: true, numLayers: 2 });
    const config: ModelConfig = { ...small, text: { ...small.text, embeddingSize: 16, hiddenSize: 32 }, head: { ...small.head, hiddenSize: 32 } };
    const weights = randomWeights(config, 3);
    const data = exportTestData(config.task);
    const f32 = exportOnnx(config, weights);
    const int8 = exportOnnx(config, weights, { int8Weights: true });
    const a = (await runOnnx(ort, f32.bytes, onnxFeeds(config, data, ALL))).logits.data;
    const b = (await runOnnx(ort, int8.bytes, onnxFeeds(config, data, ALL))).logits.data;
    const diff = maxAbsDiff(a, b);
    expect(diff).toBeGreaterThan(0);
    expect(diff).toBeLessThan(0.1);
    // The weight matrices are most of the file: about a quarter of their float32 bytes remain.
    expect(int8.bytes.length).toBeLessThan(0.4 * f32.bytes.length);
  });
});
