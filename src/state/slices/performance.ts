// Performance slice: what the training worker's kernel tuner is doing or chose for the
// current session (the Performance section and the tuning note read it).
import type { StateCreator } from 'zustand';
import type { KernelTuning } from '../../ops/gemm-tuning.ts';
import type { TuningReport } from '../../train/protocol.ts';
import type { Store } from '../store.ts';

export interface PerformanceSlice {
  /** Candidates timed so far while a tuning runs, else null. */
  tuningProgress: { done: number; total: number } | null;
  /** The last finished tuning of this session (kept while a re-run is in progress), or null. */
  tuned: KernelTuning | null;
  /** Why the last tuning failed (the built-in kernels are used), or null. */
  tuningError: string | null;
  applyTuningReport(report: TuningReport): void;
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
});
