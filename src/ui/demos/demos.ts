// The two guided demos. Each is a short list of steps, one sentence each; a step's
// action drives the real app (settings, training, compare queue) and shows a panel.
import { WHY_CLIP_PRESET, WHY_LSTM_PRESET } from '../../data/long-memory.ts';
import { WHY_FUSE_PRESET } from '../../data/shapes.ts';
import type { CellKind } from '../../ops/recurrent.ts';
import { buildDataset, datasetSettled } from '../../state/data-controller.ts';
import { compareRunner, compareRuns } from '../../state/compare-runner.ts';
import { defaultModelSettings, defaultTrainSettings } from '../../state/settings.ts';
import type { DemoId } from '../../state/slices/ui.ts';
import type { CompareSetting } from '../../state/slices/compare.ts';
import { useStore } from '../../state/store.ts';
import { training } from '../../state/training.ts';
import type { TabId } from '../../state/url.ts';

export interface DemoStep {
  /** One sentence. */
  text: string;
  /** The panel this step is about (shown when the step opens). */
  tab: TabId;
  /** What "do it" does, if anything. */
  action?: { label: string; run: () => Promise<void> };
}

export interface Demo {
  id: DemoId;
  title: string;
  steps: DemoStep[];
}

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
const memoryData = (length: number) => (d: ReturnType<typeof useStore.getState>['dataSettings']) => {
  d.source = 'memory';
  d.memory.length = length;
};

/** Applies settings, waits for the dataset, and (optionally) trains. */
async function apply(options: {
  data?: (d: ReturnType<typeof useStore.getState>['dataSettings']) => void;
  cell?: CellKind;
  fuse?: boolean;
  clip?: boolean;
  train?: boolean;
}) {
  const store = useStore.getState();
  if (store.runStatus === 'running') training.pause();
  if (options.data) {
    const next = structuredClone(store.dataSettings);
    options.data(next);
    store.setDataSettings(next);
    buildDataset();
  }
  if (options.cell) {
    const setup = whyLstmSetup(options.cell);
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

/** Shapes & Questions with the "Why fuse?" colour questions. */
function whyFuseData(d: ReturnType<typeof useStore.getState>['dataSettings']) {
  d.source = 'shapes';
  d.shapes.mode = 'questions';
  d.shapes.kinds = [...WHY_FUSE_PRESET.kinds];
  d.shapes.count = WHY_FUSE_PRESET.count;
  d.preparation.imageSize = WHY_FUSE_PRESET.imageSize;
}

/** Queues a comparison over `values` of `setting` with the current settings. */
async function queue(setting: CompareSetting, values: string[], epochs: number) {
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

export const DEMOS: Record<DemoId, Demo> = {
  'why-lstm': {
    id: 'why-lstm',
    title: 'Why LSTM?',
    steps: [
      {
        text: 'Each text is “apple” or “river” followed by 59 random filler words, and the class is that first word — so the model must remember one word across 60 steps.',
        tab: 'data',
        action: { label: 'Load the task', run: () => apply({ data: memoryData(60), cell: 'rnn_tanh' }) },
      },
      {
        text: 'Train a plain RNN on it and watch the bottom chart: the gradient reaching the first word is orders of magnitude smaller than at the last one, so the first word barely learns.',
        tab: 'train',
        action: { label: 'Train the RNN', run: () => apply({ data: memoryData(60), cell: 'rnn_tanh', train: true }) },
      },
      {
        text: 'Now train an LSTM with the same data and seed: its forget gate starts near 1, the cell state carries the word, and the gradient over time stays much flatter.',
        tab: 'train',
        action: { label: 'Train the LSTM', run: () => apply({ data: memoryData(60), cell: 'lstm', train: true }) },
      },
      {
        text: 'Finally, queue RNN, LSTM and GRU one after another: the gated cells reach nearly 100 % while the RNN stays near chance (50 %).',
        tab: 'compare',
        action: {
          label: 'Compare RNN, LSTM, GRU',
          run: async () => {
            await apply({ data: memoryData(60), cell: 'lstm' });
            await queue('cell', ['rnn_tanh', 'lstm', 'gru'], WHY_LSTM_PRESET.epochs);
          },
        },
      },
    ],
  },
  'why-fuse': {
    id: 'why-fuse',
    title: 'Why fuse?',
    steps: [
      {
        text: 'Each picture holds a circle, a square and a triangle in three different colours, and is asked “what colour is the …?” about all three; each question meets every colour equally often — so the words alone, or the picture alone, can only guess (1 in 3).',
        tab: 'data',
        action: { label: 'Load the questions', run: () => apply({ data: whyFuseData, fuse: true }) },
      },
      {
        text: 'Queue three runs that differ only in fusion — text only, image only, and late fusion of both — with the same data and seed.',
        tab: 'compare',
        action: {
          label: 'Queue the three runs',
          run: async () => {
            await apply({ data: whyFuseData, fuse: true });
            await queue('fusion', ['text', 'image', 'late'], WHY_FUSE_PRESET.epochs);
          },
        },
      },
      {
        text: 'Text only and image only stay at 33 % while late fusion climbs past 90 %: the answer is in neither input alone, only in the pair.',
        tab: 'compare',
      },
      {
        text: 'The CNN ends in a global max pooling, so one “red square” detector serves every position; set Pooling to “flatten” in the Model panel and queue again to see it stay at chance.',
        tab: 'model',
      },
    ],
  },
  'why-clip': {
    id: 'why-clip',
    title: 'Why clip?',
    steps: [
      {
        text: `The same first-word task, ${WHY_CLIP_PRESET.length} words long, with a ReLU RNN whose recurrent weights start at ${WHY_CLIP_PRESET.identityInit} × the identity: every step multiplies the state — and the gradient flowing back — by about ${WHY_CLIP_PRESET.identityInit}. Plain SGD (learning rate ${WHY_CLIP_PRESET.learningRate}), no gradient clipping.`,
        tab: 'model',
        action: { label: 'Load the setup', run: () => apply({ data: memoryData(WHY_CLIP_PRESET.length), clip: false }) },
      },
      {
        text: 'Train it and watch the gradient-norm chart: the norm grows by orders of magnitude in two or three steps, one update throws the weights far away, and the loss becomes NaN — GateScope pauses and says at which step.',
        tab: 'train',
        action: { label: 'Train without clipping', run: () => apply({ data: memoryData(WHY_CLIP_PRESET.length), clip: false, train: true }) },
      },
      {
        text: `Now clip the gradient to norm ${WHY_CLIP_PRESET.clipNorm} and change nothing else: the norms before clipping still reach about 10², but no single step can be larger than the clipped one, and the same model learns the task (about 100 % within ${WHY_CLIP_PRESET.epochs} epochs).`,
        tab: 'train',
        action: { label: 'Train with clipping', run: () => apply({ data: memoryData(WHY_CLIP_PRESET.length), clip: true, train: true }) },
      },
    ],
  },
};
