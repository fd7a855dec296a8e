// The two guided demos. Each is a short list of steps, one sentence each; a step's
// action drives the real app (settings, training, compare queue) and shows a panel.
import { WHY_LSTM_PRESET } from '../../data/long-memory.ts';
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

/** Applies settings, waits for the dataset, and (optionally) trains. */
async function apply(options: { data?: (d: ReturnType<typeof useStore.getState>['dataSettings']) => void; cell?: CellKind; fuse?: boolean; train?: boolean }) {
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
  if (options.fuse) {
    store.setModel(defaultModelSettings());
    store.setTrain({ ...defaultTrainSettings(), epochs: 6 });
  }
  if (!(await datasetSettled())) return;
  if (options.train) {
    if (useStore.getState().runStatus !== 'idle' || training.isStale()) await training.newSession();
    await training.train();
  }
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
        action: { label: 'Load the task', run: () => apply({ data: (d) => ((d.source = 'memory'), (d.memory.length = 60)), cell: 'rnn_tanh' }) },
      },
      {
        text: 'Train a plain RNN on it and watch the bottom chart: the gradient reaching the first word is orders of magnitude smaller than at the last one, so the first word barely learns.',
        tab: 'train',
        action: { label: 'Train the RNN', run: () => apply({ data: (d) => ((d.source = 'memory'), (d.memory.length = 60)), cell: 'rnn_tanh', train: true }) },
      },
      {
        text: 'Now train an LSTM with the same data and seed: its forget gate starts near 1, the cell state carries the word, and the gradient over time stays much flatter.',
        tab: 'train',
        action: { label: 'Train the LSTM', run: () => apply({ data: (d) => ((d.source = 'memory'), (d.memory.length = 60)), cell: 'lstm', train: true }) },
      },
      {
        text: 'Finally, queue RNN, LSTM and GRU one after another: the gated cells reach nearly 100 % while the RNN stays near chance (50 %).',
        tab: 'compare',
        action: {
          label: 'Compare RNN, LSTM, GRU',
          run: async () => {
            await apply({ data: (d) => ((d.source = 'memory'), (d.memory.length = 60)), cell: 'lstm' });
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
        text: 'In Shapes & Questions every question is asked of two pictures with opposite answers, so the words alone, or the picture alone, can only guess (50 %).',
        tab: 'data',
        action: { label: 'Load the questions', run: () => apply({ data: (d) => ((d.source = 'shapes'), (d.shapes.mode = 'questions'), (d.shapes.kinds = ['exists'])), fuse: true }) },
      },
      {
        text: 'Queue three runs that differ only in fusion — text only, image only, and late fusion of both — with the same data and seed.',
        tab: 'compare',
        action: {
          label: 'Queue the three runs',
          run: async () => {
            await apply({ data: (d) => ((d.source = 'shapes'), (d.shapes.mode = 'questions'), (d.shapes.kinds = ['exists'])), fuse: true });
            await queue('fusion', ['text', 'image', 'late'], 6);
          },
        },
      },
      {
        text: 'Text only and image only stay at chance while late fusion climbs above it: the answer is in neither input alone, only in the pair.',
        tab: 'compare',
      },
      {
        text: 'Open the Model panel to read how the other strategies (early, FiLM, gated, …) mix the two inputs, and add them to the queue to see which learns fastest.',
        tab: 'model',
      },
    ],
  },
};
