// Shared pieces of the series export tests: a tiny multivariate series dataset with
// ragged lengths (F = 2 frames, 1–6 steps, k = 3) and a series model config whose sizes
// all differ (E 3, H 4, head 5), so a transposed weight cannot pass.
import { seriesDataset, type SeriesWindow } from '../data/series.ts';
import type { PreparedDataset } from '../data/types.ts';
import { defaultModelConfig, type ModelConfig } from '../models/config.ts';
import { resolveModelConfig } from '../models/dataset-fit.ts';
import type { CellKind } from '../ops/recurrent.ts';
import { Random } from '../random.ts';

export function seriesExportData(seed = 3): PreparedDataset {
  const rng = new Random(seed);
  const lengths = [6, 1, 4, 6, 2, 5, 3, 6];
  const windows: SeriesWindow[] = lengths.map((L, i) => ({
    id: `s${i}`,
    frames: Float32Array.from({ length: L * 2 }, () => rng.uniform(-2, 3)),
    length: L,
    target: Float32Array.from({ length: 3 }, () => rng.uniform(-1, 1)),
  }));
  return seriesDataset(windows, { name: 'series export', frameSize: 2, split: { train: 0.5, validation: 0.25, seed: 1, stratify: false }, report: { issues: [], rowsSeen: 8, rowsKept: 8, rowsSkipped: 0 } });
}

export function seriesExportConfig(data: PreparedDataset, cell: CellKind, numLayers = 1, bidirectional = false, headHidden = 5): ModelConfig {
  return resolveModelConfig(
    defaultModelConfig({
      fusion: 'text',
      text: { cell, vocabSize: 4, embeddingSize: 3, hiddenSize: 4, numLayers, bidirectional, dropout: 0.2 },
      head: { hiddenSize: headHidden, dropout: 0.3 },
    }),
    data,
    null,
  );
}
