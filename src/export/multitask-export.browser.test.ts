// A multi-task model's ONNX graph in ONNX Runtime Web (wasm EP) against GateScope's
// WebGPU forward: the primary outputs keep their names, and every auxiliary head has its
// own outputs (`<task>_logits` / `<task>_probabilities`, `<task>_value`); max |Δ| ≤ 1e-4 on
// every head, for several fusion strategies and cells. (The same check on the CPU backend
// with ONNX Runtime in Node: multitask-export.test.ts.)
import { beforeAll, describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-web';
import { WebGpuBackend } from '../backend/webgpu.ts';
import { maxAbsDiff } from './export.support.ts';
import { MULTITASK_CASES, runMultiTaskOnnx } from './multitask-export.support.ts';

const TOLERANCE = 1e-4;
let gpu: WebGpuBackend;

beforeAll(async () => {
  gpu = await WebGpuBackend.create();
  ort.env.wasm.numThreads = 1;
  ort.env.logLevel = 'error';
});

describe('ONNX Runtime Web vs GateScope WebGPU, multi-task heads', () => {
  for (const [fusion, cell] of MULTITASK_CASES) {
    it(`${cell} × ${fusion}`, async () => {
      const r = await runMultiTaskOnnx(gpu, ort, fusion, cell);
  console.log(`${cell} × ${fusion}: max |Δ| ${Object.entries(r.diffs).map(([k, v]) => `${k} ${v.toExponential(1)}`).join(', ')}`);
  expect(r.exported.outputs.map((o) => o.name)).toEqual(['logits', 'probabilities', 'shape_logits', 'shape_probabilities', 'size_value', 'tags_logits', 'tags_probabilities']);
  for (const [name, diff] of Object.entries(r.diffs)) expect(diff, `${name}: max |Δ| = ${diff}`).toBeLessThanOrEqual(TOLERANCE);
  // The heads differ across rows: agreement is not an accident of a constant output.
  expect(maxAbsDiff(r.ours.extras[0].subarray(0, 4), r.ours.extras[0].subarray(8, 12))).toBeGreaterThan(1e-3);
  expect(r.theirs.shape_probabilities.dims).toEqual([8, 4]);
  expect(r.theirs.shape_probabilities.data.subarray(0, 4).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    });
  }
});
