// Model slice: the user's model settings (a ModelConfig whose dataset-given fields are
// filled in by resolveModelConfig when a session starts).
import type { StateCreator } from 'zustand';
import type { ModelConfig } from '../../models/config.ts';
import { defaultModelSettings } from '../settings.ts';
import type { Store } from '../store.ts';

export interface ModelSlice {
  model: ModelConfig;
  setModel(next: ModelConfig): void;
}

export const createModelSlice: StateCreator<Store, [], [], ModelSlice> = (set) => ({
  model: defaultModelSettings(),
  setModel: (next) => set({ model: next }),
});
