// The one zustand store, built from slices (data, model, train, run, compare, ui, performance).
// Components select single fields; the slices' actions are the only writers. Per-step
// training numbers are not in the store: see live.ts.
import { create } from 'zustand';
import { createCompareSlice, type CompareSlice } from './slices/compare.ts';
import { createDataSlice, type DataSlice } from './slices/data.ts';
import { createModelSlice, type ModelSlice } from './slices/model.ts';
import { createRunSlice, type RunSlice } from './slices/run.ts';
import { createTrainSlice, type TrainSlice } from './slices/train.ts';
import { createUiSlice, type UiSlice } from './slices/ui.ts';
import { createPerformanceSlice, type PerformanceSlice } from './slices/performance.ts';

export type Store = DataSlice & ModelSlice & TrainSlice & RunSlice & CompareSlice & UiSlice & PerformanceSlice;

export const useStore = create<Store>()((...a) => ({
  ...createDataSlice(...a),
  ...createModelSlice(...a),
  ...createTrainSlice(...a),
  ...createRunSlice(...a),
  ...createCompareSlice(...a),
  ...createUiSlice(...a),
  ...createPerformanceSlice(...a),
}));
