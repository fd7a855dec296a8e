// The exported series model in ONNX Runtime (onnxruntime-web's wasm build, in Node)
// against GateScope's CPU forward: every cell, one layer and two bidirectional ones,
// ragged lengths 1–6, two values per frame, three outputs; max |Δ| ≤ 1e-4. The graph's
// inputs are `frames` and `lengths` only, and its nodes hold no Gather (no embedding).
import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-web';
import { CpuBackend } from '../backend/cpu.ts';
import { CELL_KINDS } from '../models/config.ts';
import { decodeModel } from './onnx-proto.ts';
import { exportOnnx, onnxFeeds } from './onnx.ts';
import { gatescopeOutput, maxAbsDiff, randomWeights, runOnnx, type DecodedModel } from './export.support.ts';
import { seriesExportConfig, seriesExportData } from './series-export.support.ts';

ort.env.wasm.numThreads = 1;
ort.env.logLevel = 'error';

const TOLERANCE = 1e-4;
const ALL = [0, 1, 2, 3, 4, 5, 6, 7];

describe('ONNX Runtime vs GateScope CPU, series models', () => {
  const cpu = new CpuBackend();
  const data = seriesExportData();
  for (const cell of CELL_KINDS) {
    for (const [layers, bidirectional] of [
      [1, false],
      [2, true],
    ] as const) {
      it(`${cell}, ${layers} layer${layers > 1 ? 's' : ''}${bidirectional ? ', bidirectional' : ''}`, async () => {
        const config = seriesExportConfig(data, cell, layers, bidirectional, layers > 1 ? 0 : 5);
        const weights = randomWeights(config, 11);
        const t = data.targets as { mean: number; std: number };
        const ours = await gatescopeOutput(cpu, config, weights, data, ALL);
        const feeds = onnxFeeds(config, data, ALL);
        expect(Object.keys(feeds).sort()).toEqual(['frames', 'lengths']);
        expect(feeds.frames.dims).toEqual([8, 6, 2]);
        const exported = exportOnnx(config, weights, { targetScale: { mean: t.mean, std: t.std } });
        expect(exported.inputs.map((i) => i.name)).toEqual(['frames', 'lengths']);
        const graph = (decodeModel(exported.bytes) as unknown as DecodedModel).graph;
        expect(graph.node.some((n) => n.opType === 'Gather')).toBe(false);
        const theirs = await runOnnx(ort, exported.bytes, feeds);
        expect(theirs.value.dims).toEqual([8, 3]);
        const diff = maxAbsDiff(ours, theirs.value.data);
        expect(diff, `max |Δ| = ${diff}`).toBeLessThanOrEqual(TOLERANCE);
        const units = Float32Array.from(ours, (v) => v * t.std + t.mean);
        expect(maxAbsDiff(units, theirs.value_in_target_units.data)).toBeLessThanOrEqual(TOLERANCE * (1 + t.std));
        // Rows differ, so agreement is not an accident of a constant output.
        expect(maxAbsDiff(ours.subarray(0, 3), ours.subarray(9, 12))).toBeGreaterThan(1e-3);
      });
    }
  }
});
