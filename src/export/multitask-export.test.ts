// A multi-task model's ONNX graph in ONNX Runtime (wasm, in Node) against GateScope's CPU
// forward: one output per head, the primary outputs unchanged, max |Δ| ≤ 1e-4 on every
// head; a single-task model keeps only its primary outputs (extraTasks empty or absent
// give the same bytes). The WebGPU version: multitask-export.browser.test.ts.
import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-web';
import { CpuBackend } from '../backend/cpu.ts';
import { exportOnnx } from './onnx.ts';
import { exportTestConfig, maxAbsDiff, randomWeights } from './export.support.ts';
import { MULTITASK_CASES, runMultiTaskOnnx } from './multitask-export.support.ts';

ort.env.wasm.numThreads = 1;
ort.env.logLevel = 'error';
const TOLERANCE = 1e-4;
const cpu = new CpuBackend();

describe('ONNX export of a multi-task model vs GateScope (CPU)', () => {
  for (const [fusion, cell] of MULTITASK_CASES) {
    it(`${cell} × ${fusion}`, async () => {
      const r = await runMultiTaskOnnx(cpu, ort, fusion, cell);
  console.log(`${cell} × ${fusion}: max |Δ| ${Object.entries(r.diffs).map(([k, v]) => `${k} ${v.toExponential(1)}`).join(', ')}`);
  expect(r.exported.outputs.map((o) => o.name)).toEqual(['logits', 'probabilities', 'shape_logits', 'shape_probabilities', 'size_value', 'tags_logits', 'tags_probabilities']);
  for (const [name, diff] of Object.entries(r.diffs)) expect(diff, `${name}: max |Δ| = ${diff}`).toBeLessThanOrEqual(TOLERANCE);
  // The heads differ across rows: agreement is not an accident of a constant output.
  expect(maxAbsDiff(r.ours.extras[0].subarray(0, 4), r.ours.extras[0].subarray(8, 12))).toBeGreaterThan(1e-3);
  expect(r.theirs.shape_probabilities.dims).toEqual([8, 4]);
  expect(r.theirs.shape_probabilities.data.subarray(0, 4).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    });
  }
  it('a single-task model has only the primary outputs; extraTasks empty exports the same bytes as absent', () => {
    const config = exportTestConfig({ fusion: 'late', cell: 'lstm' });
    const weights = randomWeights(config, 2);
    const plain = exportOnnx(config, weights);
    expect(plain.outputs.map((o) => o.name)).toEqual(['logits', 'probabilities']);
    expect(exportOnnx({ ...config, extraTasks: [] }, weights).bytes).toEqual(plain.bytes);
  });
});
