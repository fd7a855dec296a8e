// Helpers for the UI component tests (vitest browser project): mount a React element into
// a container with the theme variables defined, wait for a condition, build an
// InspectApi on a CPU model, and read back a number the panel printed.
import { act, type ReactElement } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { CpuBackend } from '../../backend/cpu.ts';
import type { PreparedDataset } from '../../data/types.ts';
import type { ModelConfig } from '../../models/config.ts';
import { MultimodalModel } from '../../models/model.ts';
import { inspect, scanUnits } from '../../train/inspect.ts';
import type { InspectApi } from './InspectPanel.tsx';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const THEME = `:root { --bg: #ffffff; --fg: #1a1a1a; --muted: #5c5c66; --accent: #0b62c4; --border: #c9c9d2; --danger: #b00020; --ok: #1b7f3b; --panel: #f6f6f9; }
body { font-family: system-ui, sans-serif; background: var(--bg); color: var(--fg); margin: 8px; }`;

export interface Mounted {
  container: HTMLDivElement;
  root: Root;
  render(element: ReactElement): Promise<void>;
  unmount(): Promise<void>;
}

/** Renders `element` into a fresh container attached to the document. */
export async function mount(element: ReactElement, width = 1260): Promise<Mounted> {
  if (!document.getElementById('gs-test-theme')) {
    const style = document.createElement('style');
    style.id = 'gs-test-theme';
    style.textContent = THEME;
    document.head.appendChild(style);
  }
  const container = document.createElement('div');
  container.style.width = `${width}px`;
  document.body.appendChild(container);
  const root = createRoot(container);
  const m: Mounted = {
    container,
    root,
    render: async (el) => {
      await act(async () => root.render(el));
    },
    unmount: async () => {
      await act(async () => root.unmount());
      container.remove();
    },
  };
  await m.render(element);
  return m;
}

/** Polls `check` (inside act, so React effects flush) until it returns a truthy value. */
export async function waitFor<T>(check: () => T | null | undefined | false, what: string, timeoutMs = 60_000): Promise<T> {
  const start = performance.now();
  for (;;) {
    let value: T | null | undefined | false = null;
    let lastError: unknown = null;
    try {
      value = check();
    } catch (e) {
      lastError = e;
    }
    if (value) return value;
    if (performance.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
    await act(async () => {
      await new Promise((r) => setTimeout(r, 20));
    });
  }
}

/** Runs a DOM action inside act so React processes it. */
export async function user(action: () => void): Promise<void> {
  await act(async () => action());
}

/** Mouse event at the centre of cell (t, unit) of a heatmap canvas with L columns and H rows. */
export function cellPoint(canvas: HTMLCanvasElement, t: number, unit: number, L: number, H: number): { clientX: number; clientY: number } {
  const r = canvas.getBoundingClientRect();
  return { clientX: r.left + ((t + 0.5) * r.width) / L, clientY: r.top + ((unit + 0.5) * r.height) / H };
}

/** An InspectApi backed by a fresh model on the CPU backend (weights from `seed`). */
export function cpuApi(dataset: PreparedDataset, config: ModelConfig, seed = 5): { api: InspectApi; model: MultimodalModel } {
  const model = MultimodalModel.create(new CpuBackend(), config, seed);
  return {
    model,
    api: {
      inspect: (target, saliency) => inspect(model, dataset, target, { saliency }),
      scanUnits: (request) => scanUnits(model, dataset, request),
    },
  };
}

/** Parses a number the panel printed with formatValue (a true minus sign). */
export function parseValue(s: string): number {
  return Number(s.trim().replace('−', '-'));
}
