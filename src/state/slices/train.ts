// Train slice: optimizer, schedule, batch, epochs, clipping, early stopping, readback
// interval and the demo speed (pause between steps).
import type { StateCreator } from 'zustand';
import type { TrainConfig } from '../../train/config.ts';
import { defaultTrainSettings } from '../settings.ts';
import type { Store } from '../store.ts';

export interface TrainSlice {
  train: TrainConfig;
  setTrain(next: TrainConfig): void;
}

export const createTrainSlice: StateCreator<Store, [], [], TrainSlice> = (set) => ({
  train: defaultTrainSettings(),
  setTrain: (next) => set({ train: next }),
});
