// Performance slice: what the training worker's kernel tuner is doing or chose for the
// current session, and on a fallback adapter which backend trains this model faster and
// which one the user picked (the Performance section, the tuning note and the backend
// badge read it).
import type { StateCreator } from 'zustand';
import type { KernelTuning } from '../../ops/gemm-tuning.ts';
import type { BackendChoice, TuningReport } from '../../train/protocol.ts';
import type { BackendComparison } from '../../train/backend-race.ts';
import type { Store } from '../store.ts';

export interface PerformanceSlice {
  /** Candidates timed so far while a tuning runs, else null. */
  tuningProgress: { done: number; total: number } | null;
  /** The last finished tuning of this session (kept while a re-run is in progress), or null. */
  tuned: KernelTuning | null;
  /** Why the last tuning failed (the built-in kernels are used), or null. */
  tuningError: string | null;
  /** On a fallback adapter: this model's measured ms/step on WebGPU and on the CPU (cached), or null. */
  backendComparison: BackendComparison | null;
  /** 'running' while the comparison is measured; an error in plain words when it failed. */
  comparisonStatus: 'idle' | 'running' | { error: string };
  /** The backend the user picked for this model ('auto': WebGPU where available). */
  backendChoice: BackendChoice;
  applyTuningReport(report: TuningReport): void;
  setBackendComparison(c: BackendComparison | null, status?: PerformanceSlice['comparisonStatus']): void;
  setBackendChoice(choice: BackendChoice): void;
  /** A new session: nothing tuned yet. */
  resetTuning(): void;
}

export const createPerformanceSlice: StateCreator<Store, [], [], PerformanceSlice> = (set) => ({
  tuningProgress: null,
  tuned: null,
  tuningError: null,
  applyTuningReport: (r) =>
    set(
      r.status === 'running'
        ? { tuningProgress: { done: r.done, total: r.total } }
        : r.status === 'done'
          ? { tuningProgress: null, tuned: r.tuning, tuningError: null }
          : { tuningProgress: null, tuningError: r.message },
    ),
  resetTuning: () => set({ tuningProgress: null, tuned: null, tuningError: null }),
  backendComparison: null,
  comparisonStatus: 'idle',
  backendChoice: 'auto',
  setBackendComparison: (c, status = 'idle') => set({ backendComparison: c, comparisonStatus: status }),
  setBackendChoice: (choice) => set({ backendChoice: choice }),
});
