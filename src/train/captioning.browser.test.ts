// Acceptance of captioning on WebGPU, with the numbers seen printed: Shapes & Questions
// captions ("a red circle above a blue square"), easy, 16 px; a GRU decoder conditioned on
// the image through `init` or `early`, trained with teacher forcing for a short run, then greedy
// decoding (evaluate) and beam search on the test split, scored with corpus BLEU-4
// against the one reference caption per image.
//
// Both conditionings are held to the floor. `init` used to die: its h₀ = tanh(W_h v + b_h)
// saturated (|W_h v + b_h| > 200 after ~40 steps, tanh′ exactly 0 in float32), so no
// gradient reached the image and every image got the same caption (BLEU 0). The decoder
// now reads the image linearly (v and h₀ = W_h v + b_h), which cannot saturate.
import { describe, expect, it } from 'vitest';
import { WebGpuBackend } from '../backend/webgpu.ts';
import { prepareDataset } from '../data/prepare.ts';
import { emptyReport } from '../data/report.ts';
import { generateShapes } from '../data/shapes.ts';
import { DEFAULT_TOKENIZER } from '../data/tokenizer.ts';
import { defaultModelConfig, validateModelConfig } from '../models/config.ts';
import { resolveModelConfig } from '../models/dataset-fit.ts';
import { beamSearch } from '../models/decode.ts';
import { corpusBleu } from '../metrics/caption.ts';
import { noGrad } from '../autograd/tape.ts';
import { scope, type Tensor } from '../tensor.ts';
import { makeBatch } from './batch.ts';
import { defaultTrainConfig } from './config.ts';
import { captionText } from './evaluate.ts';
import { Trainer, type StepStats } from './trainer.ts';

const S = 16;
/** Floor of the test-split BLEU-4 after the short run (the untrained decoder's score is printed beside it). */
const BLEU_FLOOR = 0.5;
/** 33 steps per epoch: 231 training steps per conditioning. */
const EPOCHS = 7;

const data = prepareDataset(generateShapes({ count: 1500, seed: 1, imageSize: S, kinds: ['caption'], difficulty: 'easy' }).examples, {
  task: 'captioning',
  tokenizer: DEFAULT_TOKENIZER,
  imageSize: S,
  split: { train: 0.7, validation: 0.15, seed: 1, stratify: false },
  name: 'shapes captions',
  report: emptyReport(),
});

describe('captioning on Shapes & Questions captions', () => {
  for (const conditioning of ['init', 'early'] as const) {
    it(`a GRU decoder conditioned by ${conditioning} reaches BLEU-4 > ${BLEU_FLOOR} in ${EPOCHS} epochs (greedy and beam search)`, async () => {
      const gpu = await WebGpuBackend.create();
      const t = data.targets;
      if (t.kind !== 'captioning') throw new Error('expected captions');
      // The same derivation as the app's: the dataset decides the vocabulary, output size and image size.
      const model = resolveModelConfig(
        defaultModelConfig({
          fusion: conditioning,
          text: { cell: 'gru', vocabSize: 0, embeddingSize: 32, hiddenSize: 64, numLayers: 1, bidirectional: false, dropout: 0 },
          image: { encoder: 'cnn', imageSize: 0, channels: [16, 32], mlpHidden: 64, inputFeatures: 0, featureSize: 64 },
          caption: { conditioning, maxLength: t.maxLength },
        }),
        data,
        null,
      );
      expect(validateModelConfig(model)).toEqual([]);
      const steps: StepStats[] = [];
      const trainer = new Trainer(gpu, data, model, defaultTrainConfig({ batchSize: 32, epochs: EPOCHS, optimizer: { kind: 'adam', lr: 0.005 }, readbackEvery: 10, captionEvalExamples: 32 }), (e) => e.type === 'steps' && steps.push(...e.stats));
      const untrained = (await trainer.evaluate('test')).captions!.bleu.bleu;
      await trainer.start();
      const greedy = await trainer.evaluate('test');
      const captions = greedy.captions!;

      // Beam search (width 3) over the same test examples.
      const rows = Int32Array.from(data.splits.test.subarray(0, 64));
      const pixels: Tensor = noGrad(() => scope(() => makeBatch(gpu, data, model, rows, {}).pixels!.keep()));
      const beams = await beamSearch(trainer.model, pixels, 3);
      pixels.persistent = false;
      pixels.dispose();
      const L = t.tokens.length / data.size;
      const refs = Array.from(rows, (i) => [captionText(t.tokens.subarray(i * L, (i + 1) * L), t.vocab.tokens, ' ').split(' ')]);
      const beam = corpusBleu(beams.map((ids) => ids.map((id) => t.vocab.tokens[id])), refs);

      const first = steps.slice(0, 10).reduce((a, s) => a + s.loss, 0) / 10;
      const last = steps.slice(-10).reduce((a, s) => a + s.loss, 0) / 10;
      console.log(
        `captions · ${conditioning}: test BLEU-4 untrained ${untrained.toFixed(3)}, trained greedy ${captions.bleu.bleu.toFixed(3)} (exact match ${captions.exactMatch.toFixed(3)}), beam 3 ${beam.bleu.toFixed(3)}; ` +
          `loss ${first.toFixed(3)} → ${last.toFixed(3)} in ${trainer.step} steps; e.g. "${captions.samples[0].reference}" → "${captions.samples[0].generated}"`,
      );
      expect(last).toBeLessThan(first);
      expect(captions.bleu.bleu).toBeGreaterThan(BLEU_FLOOR);
      expect(beam.bleu).toBeGreaterThan(BLEU_FLOOR);
      trainer.dispose();
      trainer.model.dispose();
      // Steps, not seconds, decide the outcome; the limit only stops a hung run (a loaded 2-core machine needs ~2 min).
    }, 300_000);
  }
});
