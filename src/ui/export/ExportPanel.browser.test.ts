// The Export panel in the browser with a model trained a few steps on the CPU backend:
// verify in ONNX Runtime (WebGPU EP or its wasm fallback) reports a difference within
// 1e-4 and full class agreement; downloads produce a valid ONNX file, PyTorch bundle and
// checkpoint; loading that checkpoint applies it; a corrupt one shows an error and
// leaves the session alone; clearing asks first.
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { unzipSync } from 'fflate';
import { tinyDataset } from '../../models/models.support.ts';
import { defaultTrainConfig } from '../../train/config.ts';
import type { TrainingState } from '../../train/protocol.ts';
import { decodeModel } from '../../export/onnx-proto.ts';
import { exportTestConfig } from '../../export/export.support.ts';
import type { Checkpoint } from '../../export/checkpoint.ts';
import type { ExportPanelProps } from './ExportPanel.tsx';
import { mountExportPanel, trainedState, unmountExportPanel } from './export-panel.support.ts';

const config = exportTestConfig({ fusion: 'late', cell: 'gru', bidirectional: true });
const train = defaultTrainConfig({ batchSize: 4, epochs: 1, readbackEvery: 1, optimizer: { kind: 'adam', lr: 0.01 } });
const data = tinyDataset({ task: 'classification', size: 16, imageSize: 16, maxLength: 6, vocabSize: 9, seed: 2, missingImage: 0.2, missingText: 0.2 });
let state: TrainingState;

beforeAll(async () => {
  state = await trainedState(data, config, train, 2);
  expect(state.step).toBe(2);
});

afterEach(unmountExportPanel);

function mount(overrides: Partial<ExportPanelProps> = {}) {
  const downloads: { name: string; bytes: Uint8Array; type: string }[] = [];
  const loaded: { checkpoint: Checkpoint; notes: string[] }[] = [];
  const cleared: number[] = [];
  const { byId, container } = mountExportPanel(
    { model: config, train, data, state: () => state },
    {
      onLoadCheckpoint: (checkpoint, notes) => void loaded.push({ checkpoint, notes }),
      onClearSession: () => void cleared.push(1),
      onDownload: (name, bytes, type) => downloads.push({ name, bytes, type }),
      ...overrides,
    },
  );
  return { downloads, loaded, cleared, byId, container };
}

function chooseFile(input: HTMLElement, bytes: Uint8Array, name: string) {
  const dt = new DataTransfer();
  dt.items.add(new File([bytes as Uint8Array<ArrayBuffer>], name));
  (input as HTMLInputElement).files = dt.files;
  input.dispatchEvent(new Event('change', { bubbles: true }));
}

describe('ExportPanel', () => {
  it('verifies the exported model in ONNX Runtime against GateScope', async () => {
    const { byId } = mount();
    await vi.waitFor(() => expect(byId('verify-onnx')).not.toBeNull());
    byId('verify-onnx')!.click();
    await vi.waitFor(() => expect(byId('verify-result')).not.toBeNull(), { timeout: 90_000, interval: 100 });
    const text = byId('verify-result')!.textContent!;
    const diff = Number(/largest difference from GateScope ([\d.e+-]+)/.exec(text)![1]);
    expect(diff).toBeLessThanOrEqual(1e-4);
    expect(text).toMatch(/on 4 examples/);
    expect(text).toMatch(/Predicted classes agree on 4 of 4 examples \(100\.0%\)/);
    expect(text).toMatch(/ONNX Runtime \((WebGPU|wasm)\)/);
  });

  it('downloads an ONNX file, a PyTorch bundle and a checkpoint', async () => {
    const { byId, downloads } = mount();
    await vi.waitFor(() => expect(byId('export-onnx')).not.toBeNull());
    byId('export-onnx')!.click();
    await vi.waitFor(() => expect(downloads).toHaveLength(1));
    expect(downloads[0].name).toBe('gatescope-classification-late-gru.onnx');
    expect((decodeModel(downloads[0].bytes) as { graph: { output: { name: string }[] } }).graph.output.map((o) => o.name)).toEqual(['logits', 'probabilities']);
    byId('export-pytorch')!.click();
    await vi.waitFor(() => expect(downloads).toHaveLength(2));
    expect(Object.keys(unzipSync(downloads[1].bytes)).sort()).toEqual(['README.md', 'config.json', 'gatescope_model.py', 'model.safetensors', 'samples.safetensors']);
    byId('save-checkpoint')!.click();
    await vi.waitFor(() => expect(downloads).toHaveLength(3));
    expect(downloads[2].name).toBe('gatescope-classification-late-gru-step2.gatescope.safetensors');
    expect(byId('checkpoint-status')!.textContent).toMatch(/Saved the checkpoint at step 2/);
  });

  it('loads a good checkpoint; a corrupt one shows an error and changes nothing', async () => {
    const first = mount();
    await vi.waitFor(() => expect(first.byId('save-checkpoint')).not.toBeNull());
    first.byId('save-checkpoint')!.click();
    await vi.waitFor(() => expect(first.downloads).toHaveLength(1));
    const good = first.downloads[0].bytes;

    chooseFile(first.byId('load-checkpoint')!, good.subarray(0, good.length - 100), 'broken.gatescope.safetensors');
    await vi.waitFor(() => expect(first.byId('checkpoint-status')?.getAttribute('role')).toBe('alert'));
    expect(first.byId('checkpoint-status')!.textContent).toMatch(/^broken\.gatescope\.safetensors: .*outside the data.*\nThe current session was not changed\./s);
    expect(first.loaded).toHaveLength(0);

    chooseFile(first.byId('load-checkpoint')!, good, 'good.gatescope.safetensors');
    await vi.waitFor(() => expect(first.loaded).toHaveLength(1));
    expect(first.loaded[0].checkpoint.state.step).toBe(2);
    expect(first.loaded[0].checkpoint.model).toEqual(config);
    expect(first.loaded[0].notes).toEqual([]);
    await vi.waitFor(() => expect(first.byId('checkpoint-status')!.textContent).toMatch(/Loaded good\.gatescope\.safetensors: step 2/));
  });

  it('reports an app that fails to apply a checkpoint', async () => {
    const { byId, downloads } = mount({ onLoadCheckpoint: () => Promise.reject(new Error('the worker is busy')) });
    await vi.waitFor(() => expect(byId('save-checkpoint')).not.toBeNull());
    byId('save-checkpoint')!.click();
    await vi.waitFor(() => expect(downloads).toHaveLength(1));
    chooseFile(byId('load-checkpoint')!, downloads[0].bytes, 'c.gatescope.safetensors');
    await vi.waitFor(() => expect(byId('checkpoint-status')!.textContent).toMatch(/c\.gatescope\.safetensors could not be applied: the worker is busy/));
  });

  it('asks before clearing the session', async () => {
    const { byId, cleared } = mount();
    await vi.waitFor(() => expect(byId('clear-session')).not.toBeNull());
    byId('clear-session')!.click();
    await vi.waitFor(() => expect(byId('confirm-clear-session')).not.toBeNull());
    expect(cleared).toHaveLength(0);
    byId('confirm-clear-session')!.click();
    await vi.waitFor(() => expect(cleared).toHaveLength(1));
    await vi.waitFor(() => expect(byId('session-status')!.textContent).toBe('The saved session was cleared.'));
  });

  it('without a model, the exports are disabled and say why', async () => {
    const { byId, container } = mount({ model: null, getTrainingState: null });
    await vi.waitFor(() => expect(byId('export-onnx')).not.toBeNull());
    expect((byId('export-onnx') as HTMLButtonElement).disabled).toBe(true);
    expect((byId('export-pytorch') as HTMLButtonElement).disabled).toBe(true);
    expect(container.textContent).toMatch(/Build or train a model to export it/);
  });
});
