// What the guided demos do (their steps and words are in src/ui/demos/): set up the data,
// model and training of a demo, train, and queue comparison runs, all through the data
// controller, the training controller, the compare runner and the store's actions.
import { WHY_CLIP_PRESET, WHY_LSTM_PRESET } from '../data/long-memory.ts';
import { WHY_FUSE_PRESET } from '../data/shapes.ts';
import { SERIES_DEFAULTS, SPIKE_PRESET } from '../data/series.ts';
import type { CellKind } from '../ops/recurrent.ts';
import { buildDataset, datasetSettled } from './data-controller.ts';
import { compareRunner, compareRuns } from './compare-runner.ts';
import { defaultModelSettings, defaultTrainSettings, type DataSettings } from './settings.ts';
import type { CompareSetting } from './slices/compare.ts';
import { useStore } from './store.ts';
import { training } from './training.ts';

/** The demos' presets, whose numbers the demo steps quote. */
export { SPIKE_PRESET, WHY_CLIP_PRESET, WHY_FUSE_PRESET, WHY_LSTM_PRESET };

/** Text-only model of the "Why LSTM?" demo with the given cell. */
function whyLstmSetup(cell: CellKind) {
  const p = WHY_LSTM_PRESET;
  const model = defaultModelSettings();
  model.fusion = 'text';
  model.text = { ...model.text, cell, embeddingSize: p.embeddingSize, hiddenSize: p.hiddenSize, numLayers: 1, bidirectional: false, dropout: 0, forgetBias: p.forgetBias };
  model.head = { hiddenSize: 0, dropout: 0 };
  const train = defaultTrainSettings();
  train.optimizer = { kind: 'adam', lr: p.learningRate };
  train.clipNorm = p.clipNorm;
  train.batchSize = p.batchSize;
  train.epochs = p.epochs;
  return { model, train };
}

/** Series model of the spike story ("Why LSTM?" with numbers) with the given cell. */
function spikeSetup(cell: CellKind) {
  const p = SPIKE_PRESET;
  const model = defaultModelSettings();
  model.fusion = 'text';
  model.text = { ...model.text, cell, embeddingSize: p.embeddingSize, hiddenSize: p.hiddenSize, numLayers: 1, bidirectional: false, dropout: 0, forgetBias: p.forgetBias, identityInit: 0 };
  model.head = { hiddenSize: 0, dropout: 0 };
  const train = defaultTrainSettings();
  train.optimizer = { kind: 'adam', lr: p.learningRate };
  train.clipNorm = p.clipNorm;
  train.batchSize = p.batchSize;
  train.epochs = p.epochs;
  return { model, train };
}

/** Model and training of the "Why clip?" demo; `clip` turns gradient clipping on. */
function whyClipSetup(clip: boolean) {
  const p = WHY_CLIP_PRESET;
  const model = defaultModelSettings();
  model.fusion = 'text';
  model.text = { ...model.text, cell: p.cell, embeddingSize: p.embeddingSize, hiddenSize: p.hiddenSize, numLayers: 1, bidirectional: false, dropout: 0, forgetBias: 0, identityInit: p.identityInit };
  model.head = { hiddenSize: 0, dropout: 0 };
  const train = defaultTrainSettings();
  train.optimizer = { kind: 'sgd', lr: p.learningRate };
  train.clipNorm = clip ? p.clipNorm : 0;
  train.batchSize = p.batchSize;
  train.epochs = p.epochs;
  return { model, train };
}

/** Remember the first word, at the demo's length. */
function memoryData(d: DataSettings, length: number) {
  d.source = 'memory';
  d.memory.length = length;
}

/** The dataset a demo step loads: the long-memory task at a length, or the "Why fuse?" questions. */
export type DemoData = { kind: 'memory'; length: number } | { kind: 'why-fuse' } | { kind: 'spike' };

/** What a demo step sets up; each field is optional. */
export interface DemoSetup {
  data?: DemoData;
  /** The "Why LSTM?" model and training with this cell. */
  cell?: CellKind;
  /** The spike story's series model and training with this cell. */
  seriesCell?: CellKind;
  /** The "Why fuse?" model and training. */
  fuse?: boolean;
  /** The "Why clip?" model and training, with or without clipping. */
  clip?: boolean;
  /** Train once the dataset is ready. */
  train?: boolean;
}

/** Applies settings, waits for the dataset, and (optionally) trains. */
export async function applyDemoSetup(options: DemoSetup): Promise<void> {
  const store = useStore.getState();
  if (store.runStatus === 'running') training.pause();
  if (options.data) {
    const next = structuredClone(store.dataSettings);
    if (options.data.kind === 'memory') memoryData(next, options.data.length);
    else if (options.data.kind === 'spike') spikeData(next);
    else whyFuseData(next);
    store.setDataSettings(next);
    buildDataset();
  }
  if (options.cell) {
    const setup = whyLstmSetup(options.cell);
    store.setModel(setup.model);
    store.setTrain(setup.train);
  }
  if (options.seriesCell) {
    const setup = spikeSetup(options.seriesCell);
    store.setModel(setup.model);
    store.setTrain(setup.train);
  }
  if (options.clip !== undefined) {
    const setup = whyClipSetup(options.clip);
    store.setModel(setup.model);
    store.setTrain(setup.train);
  }
  if (options.fuse) {
    const model = defaultModelSettings();
    model.image = { ...model.image, pool: WHY_FUSE_PRESET.pool };
    store.setModel(model);
    store.setTrain({ ...defaultTrainSettings(), epochs: WHY_FUSE_PRESET.epochs });
  }
  if (!(await datasetSettled())) return;
  if (options.train) {
    if (useStore.getState().runStatus !== 'idle' || training.isStale()) await training.newSession();
    await training.train();
  }
}

/** Remember the spike, at the story's length. */
function spikeData(d: DataSettings) {
  const p = SPIKE_PRESET;
  d.source = 'series';
  d.series = { ...SERIES_DEFAULTS, generator: 'spike', count: p.count, length: p.length, horizon: p.horizon, seed: 1 };
}

/** Shapes & Questions with the "Why fuse?" colour questions. */
function whyFuseData(d: DataSettings) {
  d.source = 'shapes';
  d.shapes.mode = 'questions';
  d.shapes.kinds = [...WHY_FUSE_PRESET.kinds];
  d.shapes.count = WHY_FUSE_PRESET.count;
  d.preparation.imageSize = WHY_FUSE_PRESET.imageSize;
}

/** Queues a comparison over `values` of `setting` with the current settings. */
export async function queueDemoComparison(setting: CompareSetting, values: string[], epochs: number): Promise<void> {
  if (!(await datasetSettled())) return;
  const store = useStore.getState();
  if (store.compareRunning) return;
  store.setCompareSetting(setting);
  store.setCompareValues(setting, values);
  store.setCompareEpochs(epochs);
  const s = useStore.getState();
  const { runs, problems } = compareRuns({ model: s.model, train: s.train }, s.dataset, s.features, setting, values, epochs);
  if (problems.length) {
    s.addLog(`The demo could not queue its runs: ${problems.join(' ')}`);
    return;
  }
  void compareRunner.start(runs);
}
