// The Export panel's Compression section in the browser, with a model trained a few
// steps on the CPU backend: the float32 vs int8 check shows both file sizes and
// accuracies (float32's equal to the accuracy of GateScope's own outputs on the same
// validation examples), the pruning sweep plots and lists every sparsity with 0 % equal
// to the unpruned accuracy and leaves the trained weights untouched, and the compressed
// download holds int8 weight tensors read through DequantizeLinear.
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { CpuBackend } from '../../backend/cpu.ts';
import { tinyDataset } from '../../models/models.support.ts';
import { defaultTrainConfig } from '../../train/config.ts';
import type { TrainingState } from '../../train/protocol.ts';
import { decodeModel } from '../../export/onnx-proto.ts';
import { gatescopeForward } from '../../export/reference-output.ts';
import { exportTestConfig } from '../../export/export.support.ts';
import { compressionExamples, SWEEP_SPARSITIES } from '../../export/compress.ts';
import type { ExportPanelProps } from './ExportPanel.tsx';
import { mountExportPanel, trainedState, unmountExportPanel } from './export-panel.support.ts';

const config = exportTestConfig({ fusion: 'late', cell: 'lstm', bidirectional: true });
const train = defaultTrainConfig({ batchSize: 8, epochs: 1, readbackEvery: 1, optimizer: { kind: 'adam', lr: 0.01 } });
const data = tinyDataset({ task: 'classification', size: 60, imageSize: 16, maxLength: 6, vocabSize: 9, seed: 2 });
let state: TrainingState;

beforeAll(async () => {
  state = await trainedState(data, config, train, 3);
});

afterEach(unmountExportPanel);

function mount(overrides: Partial<ExportPanelProps> = {}) {
  const downloads: { name: string; bytes: Uint8Array }[] = [];
  const panel = mountExportPanel({ model: config, train, data, state: () => state }, { onDownload: (name, bytes) => downloads.push({ name, bytes }), wasmOnly: true, ...overrides });
  return { downloads, ...panel };
}

/** GateScope's own accuracy (CPU forward) on the examples the Compression checks use. */
async function gatescopeAccuracy(): Promise<number> {
  const indices = compressionExamples(data);
  const out = await gatescopeForward(new CpuBackend(), config, state.weights, data, indices);
  const t = data.targets;
  if (t.kind !== 'classification') throw new Error('classification data expected');
  const C = config.outputSize;
  let right = 0;
  indices.forEach((i, b) => {
    let best = 0;
    for (let c = 1; c < C; c++) if (out[b * C + c] > out[b * C + best]) best = c;
    right += best === t.labels[i] ? 1 : 0;
  });
  return right / indices.length;
}

describe('Compression section', () => {
  it('compares the float32 and int8 exports in ONNX Runtime', async () => {
    const { byId } = mount();
    await vi.waitFor(() => expect(byId('compress-compare')).not.toBeNull());
    byId('compress-compare')!.click();
    await vi.waitFor(() => expect(byId('compress-int8-result')).not.toBeNull(), { timeout: 60_000, interval: 100 });
    const f32 = byId('compress-row-f32')!.textContent!;
    const int8 = byId('compress-row-int8')!.textContent!;
    const kbOf = (s: string) => Number(/([\d.]+) KB/.exec(s)![1]);
    expect(kbOf(int8)).toBeLessThan(kbOf(f32));
    const pct = (s: string) => Number(/([\d.]+)%/.exec(s)![1]);
    const expected = (100 * (await gatescopeAccuracy())).toFixed(1);
    expect(pct(f32).toFixed(1)).toBe(expected);
    expect(pct(int8)).toBeGreaterThanOrEqual(0);
    const summary = byId('compress-int8-summary')!.textContent!;
    expect(summary).toMatch(new RegExp(`on ${compressionExamples(data).length} validation examples`));
    expect(summary).toMatch(/accuracy change [+−][\d.]+ points; largest output difference \d/);
    const diff = Number(/largest output difference (\d\.\d+e[+-]\d+)/.exec(summary)![1]);
    expect(diff).toBeGreaterThan(0);
    expect(diff).toBeLessThan(0.1);
  });

  it('runs the pruning sweep: every sparsity listed, 0 % equals the unpruned accuracy, weights untouched', async () => {
    const before = Object.fromEntries(Object.entries(state.weights).map(([k, v]) => [k, Float32Array.from(v)]));
    const { byId, all, container } = mount();
    await vi.waitFor(() => expect(byId('compress-sweep')).not.toBeNull());
    byId('compress-sweep')!.click();
    await vi.waitFor(() => expect(byId('compress-sweep-result')).not.toBeNull(), { timeout: 90_000, interval: 100 });
    const rows = all('compress-sweep-row').map((r) => r.textContent!);
    expect(rows.map((r) => Number(/^(\d+)%/.exec(r)![1]))).toEqual(SWEEP_SPARSITIES.map((s) => Math.round(s * 100)));
    const at0 = Number(/^0%([\d.]+)%/.exec(rows[0])![1]);
    expect(at0.toFixed(1)).toBe((100 * (await gatescopeAccuracy())).toFixed(1));
    await vi.waitFor(() => expect(container.querySelectorAll('[data-testid="compress-sweep-result"] .recharts-line').length).toBe(1));
    for (const [k, v] of Object.entries(before)) expect(Array.from(state.weights[k]), k).toEqual(Array.from(v));
  });

  it('downloads the model pruned to the slider and with int8 weights; the URL values start the controls', async () => {
    const { byId, downloads } = mount({ compression: { int8: true, sparsityPct: 50 } });
    await vi.waitFor(() => expect(byId('compress-download')).not.toBeNull());
    expect((byId('compress-int8') as HTMLInputElement).checked).toBe(true);
    expect(byId('compress-sparsity-value')!.textContent).toBe('50%');
    byId('compress-download')!.click();
    await vi.waitFor(() => expect(downloads).toHaveLength(1));
    expect(downloads[0].name).toBe('gatescope-classification-late-lstm-pruned50-int8.onnx');
    const graph = (decodeModel(downloads[0].bytes) as { graph: { node: { opType: string }[]; initializer: { name: string; dataType: number; rawData?: number[] }[] } }).graph;
    const int8 = graph.initializer.filter((t) => t.dataType === 3);
    expect(int8.length).toBe(graph.node.filter((n) => n.opType === 'DequantizeLinear').length);
    expect(int8.length).toBeGreaterThan(4);
    // Half of each weight matrix is zero, so at least about half of the int8 values are.
    const values = int8.flatMap((t) => t.rawData ?? []);
    expect(values.filter((v) => v === 0).length / values.length).toBeGreaterThanOrEqual(0.49);
    expect(byId('compress-status')!.textContent).toMatch(/weight matrices 50% zeros/);
  });
});
