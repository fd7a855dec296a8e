// Reference accuracies: chance, majority class and the per-kind single-modality ceiling
// weighted by the kinds of the validation split, read from the generator's KindInfo.
import { describe, expect, it } from 'vitest';
import { generateShapes } from '../data/shapes.ts';
import { DEFAULT_SPLIT, prepareDataset } from '../data/prepare.ts';
import { emptyReport } from '../data/report.ts';
import { accuracyLevels } from './reference-levels.ts';
import { DatasetBuilder } from './datasets.ts';
import { defaultDataSettings } from './settings.ts';

describe('accuracyLevels', () => {
  it('gives chance, the majority share and the kind-weighted ceilings of the validation split', async () => {
    const settings = defaultDataSettings();
    settings.shapes = { ...settings.shapes, mode: 'questions', count: 400, kinds: ['exists', 'colour'] };
    const data = await new DatasetBuilder().build({ source: 'shapes', settings, openMojiBaseUrl: '' });
    const levels = accuracyLevels(data)!;
    const val = Array.from(data.splits.validation);
    expect(levels.split).toBe('validation');
    if (data.targets.kind !== 'classification') throw new Error('classification expected');
    expect(levels.chance).toBeCloseTo(1 / data.targets.classes.length, 12);
    const counts = new Map<number, number>();
    for (const i of val) counts.set(data.targets.labels[i], (counts.get(data.targets.labels[i]) ?? 0) + 1);
    expect(levels.majority).toBeCloseTo(Math.max(...counts.values()) / val.length, 12);
    const o = settings.shapes;
    const infos = generateShapes({ count: o.count, seed: o.seed, difficulty: o.difficulty, imageSize: settings.preparation.imageSize, kinds: o.kinds }).kinds;
    const chanceOf = (kind: string) => infos.find((k) => k.kind === kind)!.chance!;
    const weighted = (pick: (c: { textOnly: number; imageOnly: number }) => number) => val.reduce((a, i) => a + pick(chanceOf(data.tags[i]!.kind)), 0) / val.length;
    expect(levels.textOnly).toBeCloseTo(weighted((c) => c.textOnly), 12);
    expect(levels.imageOnly).toBeCloseTo(weighted((c) => c.imageOnly), 12);
    expect(levels.mixedKinds).toBe(true);
  });

  it('has no ceiling without the generator, and nothing for other tasks', () => {
    const raw = generateShapes({ count: 60, seed: 3, kinds: ['count'] }).examples;
    const data = prepareDataset(raw, { task: 'classification', tokenizer: defaultDataSettings().preparation.tokenizer, imageSize: 16, split: DEFAULT_SPLIT, name: 't', report: emptyReport() });
    const levels = accuracyLevels(data)!;
    expect(levels.textOnly).toBeNull();
    expect(levels.imageOnly).toBeNull();
    expect(accuracyLevels({ ...data, targets: { kind: 'regression', values: new Float32Array(data.size), mean: 0, std: 1 } })).toBeNull();
  });
});
