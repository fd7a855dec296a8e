// Data slice: the dataset settings and the prepared dataset they produced (built off the
// main thread by the data controller), its errors, and precomputed ONNX image features.
// A new dataset may switch the model's fusion (captioning, one modality only).
import type { StateCreator } from 'zustand';
import type { PreparedDataset, ValidationReport } from '../../data/types.ts';
import { fittingFusion } from '../../models/dataset-fit.ts';
import type { DatasetProgress } from '../datasets.ts';
import { defaultDataSettings, type DataSettings, type DataSource } from '../settings.ts';
import type { Store } from '../store.ts';

/** Image features from the user's ONNX encoder, computed for one dataset version. */
export interface FeatureSet {
  fileName: string;
  featureSize: number;
  /** [N, featureSize]. */
  features: Float32Array;
  provider: 'webgpu' | 'wasm';
  /** The `datasetVersion` they were computed for. */
  datasetVersion: number;
}

export interface DataError {
  message: string;
  report: ValidationReport | null;
  reportName: string | null;
}

export interface DataSlice {
  dataSettings: DataSettings;
  /** The dataset the app trains on (the last one prepared), or null before the first. */
  dataset: PreparedDataset | null;
  /** Which source produced `dataset`. */
  datasetSource: DataSource | null;
  /** Bumped for every newly prepared dataset. */
  datasetVersion: number;
  dataBusy: boolean;
  /** The stage of the preparation in progress (null when none is running). */
  dataProgress: DatasetProgress | null;
  dataError: DataError | null;
  features: FeatureSet | null;
  setDataSettings(next: DataSettings): void;
  datasetBuilding(): void;
  setDataProgress(progress: DatasetProgress): void;
  datasetReady(dataset: PreparedDataset, source: DataSource): void;
  datasetFailed(error: DataError | null): void;
  setFeatures(features: FeatureSet | null): void;
}

export const createDataSlice: StateCreator<Store, [], [], DataSlice> = (set) => ({
  dataSettings: defaultDataSettings(),
  dataset: null,
  datasetSource: null,
  datasetVersion: 0,
  dataBusy: false,
  dataProgress: null,
  dataError: null,
  features: null,
  setDataSettings: (next) => set({ dataSettings: next }),
  datasetBuilding: () => set({ dataBusy: true, dataProgress: null }),
  setDataProgress: (progress) => set((s) => (s.dataBusy ? { dataProgress: progress } : {})),
  // A dataset the chosen fusion cannot serve (captions, one modality only) switches the
  // fusion in the same update, so no "Cannot train" flashes; fusionNote says why.
  datasetReady: (dataset, source) =>
    set((s) => {
      const fit = fittingFusion(s.model, dataset);
      const next = { dataset, datasetSource: source, datasetVersion: s.datasetVersion + 1, dataBusy: false, dataProgress: null, dataError: null, features: null };
      return fit ? { ...next, model: { ...s.model, fusion: fit.fusion }, fusionNote: fit.reason } : next;
    }),
  datasetFailed: (error) => set({ dataBusy: false, dataProgress: null, dataError: error }),
  setFeatures: (features) => set({ features }),
});
