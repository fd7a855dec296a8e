// UI slice: the open panel, theme, the guided demo, the example being inspected, URL
// problems to tell the user about, and the backend seen before the first session.
import type { StateCreator } from 'zustand';
import type { BufferLimits } from '../../models/memory.ts';
import type { TabId } from '../url.ts';
import type { Store } from '../store.ts';

export type ThemeChoice = 'system' | 'light' | 'dark';
export type DemoId = 'why-lstm' | 'why-fuse' | 'why-clip' | 'why-lstm-series';

/** What the page found out about WebGPU before the worker reported its backend. */
export interface BackendProbe {
  kind: 'pending' | 'webgpu' | 'cpu';
  text: string;
  /** The adapter's buffer limits (the training device is created with them); webgpu only. */
  limits?: BufferLimits;
  /** The adapter's features (e.g. "shader-f16"); webgpu only. */
  features?: string[];
}

export interface UiSlice {
  tab: TabId;
  theme: ThemeChoice;
  urlProblems: string[];
  selectedExample: number | null;
  demo: { id: DemoId; step: number } | null;
  backendProbe: BackendProbe;
  /** When the session shown was restored from storage (ms since 1970), or null. */
  restoredFrom: number | null;
  /** A problem restoring or saving the session, in plain words. */
  sessionError: string | null;
  /** When the session was last saved (ms since 1970), or null. */
  savedAt: number | null;
  /** The training step and finished epochs of that save (0 for a session saved before training). */
  savedStep: number;
  savedEpochs: number;
  /** When the saved session that was offered instead of restored was saved, or null. */
  restoreOffer: number | null;
  /** How the settings changed when a checkpoint or a decision replaced them ("cell LSTM → GRU, …"), or null. */
  settingsChange: string | null;
  setTab(tab: TabId): void;
  setTheme(theme: ThemeChoice): void;
  setUrlProblems(problems: string[]): void;
  selectExample(index: number | null): void;
  setDemo(demo: { id: DemoId; step: number } | null): void;
  setBackendProbe(probe: BackendProbe): void;
  setSessionNotice(notice: { restoredFrom?: number | null; sessionError?: string | null; savedAt?: number | null; savedStep?: number; savedEpochs?: number; restoreOffer?: number | null; settingsChange?: string | null }): void;
}

export const createUiSlice: StateCreator<Store, [], [], UiSlice> = (set) => ({
  tab: 'data',
  theme: 'system',
  urlProblems: [],
  selectedExample: null,
  demo: null,
  backendProbe: { kind: 'pending', text: 'Detecting WebGPU…' },
  setTab: (tab) => set({ tab }),
  setTheme: (theme) => set({ theme }),
  setUrlProblems: (problems) => set({ urlProblems: problems }),
  selectExample: (index) => set({ selectedExample: index }),
  setDemo: (demo) => set({ demo }),
  // A later report without limits (the worker's backend name) keeps the adapter's limits.
  setBackendProbe: (probe) => set((s) => ({ backendProbe: probe.kind === 'webgpu' && !probe.limits && s.backendProbe.limits ? { ...probe, limits: s.backendProbe.limits } : probe })),
  restoredFrom: null,
  sessionError: null,
  savedAt: null,
  savedStep: 0,
  savedEpochs: 0,
  restoreOffer: null,
  settingsChange: null,
  setSessionNotice: (notice) => set(notice),
});
