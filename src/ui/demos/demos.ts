// The guided demos. Each is a short list of steps, one sentence each; a step's action
// drives the real app (settings, training, compare queue) through the demo controller
// (state/demo-controller.ts) and shows a panel.
import { applyDemoSetup, queueDemoComparison, SPIKE_PRESET, WHY_CLIP_PRESET, WHY_FUSE_PRESET, WHY_LSTM_PRESET } from '../../state/demo-controller.ts';
import type { DemoId } from '../../state/slices/ui.ts';
import type { TabId } from '../../state/url.ts';

export interface DemoStep {
  /** One sentence. */
  text: string;
  /** The panel this step is about (shown when the step opens). */
  tab: TabId;
  /** What "do it" does, if anything. */
  action?: { label: string; run: () => Promise<void> };
}

/** The long-memory task at `length` words. */
const memoryData = (length: number) => ({ kind: 'memory', length }) as const;
/** The "Why fuse?" colour questions. */
const whyFuseData = { kind: 'why-fuse' } as const;

export interface Demo {
  id: DemoId;
  title: string;
  steps: DemoStep[];
}

export const DEMOS: Record<DemoId, Demo> = {
  'why-lstm': {
    id: 'why-lstm',
    title: 'Why LSTM?',
    steps: [
      {
        text: 'Each text is “apple” or “river” followed by 59 random filler words, and the class is that first word — so the model must remember one word across 60 steps.',
        tab: 'data',
        action: { label: 'Load the task', run: () => applyDemoSetup({ data: memoryData(60), cell: 'rnn_tanh' }) },
      },
      {
        text: 'Train a plain RNN on it and watch the bottom chart: the gradient reaching the first word is orders of magnitude smaller than at the last one, so the first word barely learns.',
        tab: 'train',
        action: { label: 'Train the RNN', run: () => applyDemoSetup({ data: memoryData(60), cell: 'rnn_tanh', train: true }) },
      },
      {
        text: 'Now train an LSTM with the same data and seed: its forget gate starts near 1, the cell state carries the word, and the gradient over time stays much flatter.',
        tab: 'train',
        action: { label: 'Train the LSTM', run: () => applyDemoSetup({ data: memoryData(60), cell: 'lstm', train: true }) },
      },
      {
        text: 'Finally, queue RNN, LSTM and GRU one after another: the gated cells reach nearly 100 % while the RNN stays near chance (50 %).',
        tab: 'compare',
        action: {
          label: 'Compare RNN, LSTM, GRU',
          run: async () => {
            await applyDemoSetup({ data: memoryData(60), cell: 'lstm' });
            await queueDemoComparison('cell', ['rnn_tanh', 'lstm', 'gru'], WHY_LSTM_PRESET.epochs);
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
        action: { label: 'Load the questions', run: () => applyDemoSetup({ data: whyFuseData, fuse: true }) },
      },
      {
        text: 'Queue three runs that differ only in fusion — text only, image only, and late fusion of both — with the same data and seed.',
        tab: 'compare',
        action: {
          label: 'Queue the three runs',
          run: async () => {
            await applyDemoSetup({ data: whyFuseData, fuse: true });
            await queueDemoComparison('fusion', ['text', 'image', 'late'], WHY_FUSE_PRESET.epochs);
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
        action: { label: 'Load the setup', run: () => applyDemoSetup({ data: memoryData(WHY_CLIP_PRESET.length), clip: false }) },
      },
      {
        text: 'Train it and watch the gradient-norm chart: the norm grows by orders of magnitude in two or three steps, one update throws the weights far away, and the loss becomes NaN — GateScope pauses and says at which step.',
        tab: 'train',
        action: { label: 'Train without clipping', run: () => applyDemoSetup({ data: memoryData(WHY_CLIP_PRESET.length), clip: false, train: true }) },
      },
      {
        text: `Now clip the gradient to norm ${WHY_CLIP_PRESET.clipNorm} and change nothing else: the norms before clipping still reach about 10², but no single step can be larger than the clipped one, and the same model learns the task (about 100 % within ${WHY_CLIP_PRESET.epochs} epochs).`,
        tab: 'train',
        action: { label: 'Train with clipping', run: () => applyDemoSetup({ data: memoryData(WHY_CLIP_PRESET.length), clip: true, train: true }) },
      },
    ],
  },
  'why-lstm-series': {
    id: 'why-lstm-series',
    title: 'Why gates?',
    steps: [
      {
        text: `Each series is noise with one spike (±2 to ±4) in its first four steps; after ${SPIKE_PRESET.length} steps the model must forecast the next ${SPIKE_PRESET.horizon} values, which sit at half the spike’s height — one number to carry across the whole window.`,
        tab: 'data',
        action: { label: 'Load the series', run: () => applyDemoSetup({ data: { kind: 'spike' }, seriesCell: 'rnn_tanh' }) },
      },
      {
        text: 'Train a plain RNN: its loss stays where predicting 0 would leave it, because the gradient from the forecast fades long before it reaches the spike.',
        tab: 'train',
        action: { label: 'Train the RNN', run: () => applyDemoSetup({ data: { kind: 'spike' }, seriesCell: 'rnn_tanh', train: true }) },
      },
      {
        text: `Now an LSTM with the same data and seed, its forget gate starting at σ(${SPIKE_PRESET.forgetBias}) ≈ 0.99: the cell state holds the spike, and the loss falls within a few epochs. The Evaluate panel then plots its forecasts next to the naive one.`,
        tab: 'train',
        action: { label: 'Train the LSTM', run: () => applyDemoSetup({ data: { kind: 'spike' }, seriesCell: 'lstm', train: true }) },
      },
      {
        text: 'Queue RNN, LSTM and GRU one after another: the gated cells forecast the level, the RNN does not (README, “Time series”).',
        tab: 'compare',
        action: {
          label: 'Compare RNN, LSTM, GRU',
          run: async () => {
            await applyDemoSetup({ data: { kind: 'spike' }, seriesCell: 'lstm' });
            await queueDemoComparison('cell', ['rnn_tanh', 'lstm', 'gru'], SPIKE_PRESET.epochs);
          },
        },
      },
    ],
  },
};
