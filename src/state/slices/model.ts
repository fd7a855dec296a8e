// Model slice: the user's model settings (a ModelConfig whose dataset-given fields are
// filled in by resolveModelConfig when a session starts), and why the fusion was switched
// when a dataset could not use the chosen one.
import type { StateCreator } from 'zustand';
import type { ModelConfig } from '../../models/config.ts';
import { defaultModelSettings } from '../settings.ts';
import type { Store } from '../store.ts';

export interface ModelSlice {
  model: ModelConfig;
  /** Why the app changed the fusion itself to fit the dataset (see datasetReady), until the user picks one. */
  fusionNote: string | null;
  setModel(next: ModelConfig): void;
}

export const createModelSlice: StateCreator<Store, [], [], ModelSlice> = (set) => ({
  model: defaultModelSettings(),
  fusionNote: null,
  setModel: (next) => set((s) => ({ model: next, fusionNote: next.fusion === s.model.fusion ? s.fusionNote : null })),
});
