// The Export panel mounted in the browser tests, with a model trained a few steps on the
// CPU backend (ExportPanel.browser.test.ts, CompressionSection.browser.test.ts).
import { createElement } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { CpuBackend } from '../../backend/cpu.ts';
import type { PreparedDataset } from '../../data/types.ts';
import { gatescopeForward } from '../../export/reference-output.ts';
import type { ModelConfig } from '../../models/config.ts';
import type { TrainConfig } from '../../train/config.ts';
import type { TrainingState } from '../../train/protocol.ts';
import { Trainer } from '../../train/trainer.ts';
import { ExportPanel, type ExportPanelProps } from './ExportPanel.tsx';

/** The state of a fresh model after `steps` training steps on the CPU backend. */
export async function trainedState(data: PreparedDataset, model: ModelConfig, train: TrainConfig, steps: number): Promise<TrainingState> {
  const trainer: Trainer = new Trainer(new CpuBackend(), data, model, train, (e) => {
    if (e.type === 'progress' && e.step === steps) trainer.pause();
  });
  await trainer.start();
  const state = await trainer.exportState();
  trainer.dispose();
  return state;
}

let mounted: { root: Root; container: HTMLDivElement } | null = null;

/** Unmounts the panel of the last mountExportPanel (call in afterEach). */
export function unmountExportPanel(): void {
  mounted?.root.unmount();
  mounted?.container.remove();
  mounted = null;
}

/**
 * Mounts the panel for `state` of `model` on `data`; the other props default to no-ops
 * and GateScope's CPU forward, `overrides` replace any of them.
 */
export function mountExportPanel(
  o: { model: ModelConfig; train: TrainConfig; data: PreparedDataset; state: () => TrainingState },
  overrides: Partial<ExportPanelProps> = {},
) {
  const props: ExportPanelProps = {
    model: o.model,
    trainConfig: o.train,
    dataset: o.data,
    getTrainingState: async () => o.state(),
    gatescopeOutputs: (indices) => gatescopeForward(new CpuBackend(), o.model, o.state().weights, o.data, indices),
    onLoadCheckpoint: () => undefined,
    onClearSession: () => undefined,
    onDownload: () => undefined,
    ...overrides,
  };
  const container = document.createElement('div');
  document.body.appendChild(container);
  const root = createRoot(container);
  root.render(createElement(ExportPanel, props));
  mounted = { root, container };
  const byId = (id: string) => container.querySelector(`[data-testid="${id}"]`) as HTMLElement | null;
  const all = (id: string) => Array.from(container.querySelectorAll(`[data-testid="${id}"]`));
  return { byId, all, container };
}
