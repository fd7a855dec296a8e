// Gate inspection of an audio model on the CPU backend: the audio encoder's gates over the
// clip's frames, labelled by start time; the text encoder's over the question on request.
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../backend/cpu.ts';
import { soundsDataset } from '../data/sounds-dataset.ts';
import { DEFAULT_TOKENIZER } from '../data/tokenizer.ts';
import { DEFAULT_SPLIT } from '../data/prepare.ts';
import { defaultModelConfig } from '../models/config.ts';
import { resolveModelConfig } from '../models/dataset-fit.ts';
import { MultimodalModel } from '../models/model.ts';
import { inspect } from './inspect.ts';

const data = soundsDataset({ count: 12, seed: 3, kinds: ['count', 'first', 'last', 'exists'] }, { tokenizer: DEFAULT_TOKENIZER, split: DEFAULT_SPLIT });

function audioConfig(fusion: 'late', cell: 'lstm', bidirectional: boolean) {
  const base = defaultModelConfig({
    fusion,
    text: { cell, vocabSize: 4, embeddingSize: 3, hiddenSize: 3, numLayers: 1, bidirectional, dropout: 0 },
    image: { encoder: 'cnn', imageSize: 16, channels: [2], mlpHidden: 4, inputFeatures: 0, featureSize: 4 },
    head: { hiddenSize: 3, dropout: 0 },
  });
  return resolveModelConfig(base, data, null);
}

describe('audio gate inspection', () => {
  it('shows the audio encoder over the clip frames, labelled by time, and the text encoder on request', async () => {
    const cpu = new CpuBackend();
    const c = audioConfig('late', 'lstm', true);
    const model = MultimodalModel.create(cpu, c, 2);
    const audio = await inspect(model, data, { example: 1, encoder: 'audio' }, { saliency: true });
    expect(audio.tokens).toHaveLength(97);
    expect(audio.tokens.slice(0, 3)).toEqual(['0.00 s', '0.01 s', '0.02 s']);
    expect(audio.traces).toHaveLength(2); // forward and reverse
    for (const tr of audio.traces) {
      expect(tr.length).toBe(97);
      expect(tr.values.i).toHaveLength(97 * 3);
      expect(tr.values.i.every((v) => v > 0 && v < 1)).toBe(true);
    }
    expect(audio.saliency).toBeNull();
    const text = await inspect(model, data, { example: 1 }, { saliency: false });
    expect(text.tokens).toHaveLength(data.lengths[1]);
    expect(text.tokens[0]).toBe(data.texts[1]!.split(' ')[0]);
    expect(text.traces[0].length).toBe(data.lengths[1]);
    // The same prediction either way: only the traces shown differ.
    expect(text.prediction).toEqual(audio.prediction);
    model.dispose();
  });
});
