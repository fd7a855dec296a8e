// Research tool, not a test: dumps a prepared Shapes & Questions dataset as raw binary
// files for scripts/research/shapes_prototype.py (a PyTorch copy of the default model,
// used to try architectures in seconds instead of minutes). Skipped unless asked for:
//   GATESCOPE_DUMP_SHAPES='{"img":16,"n":8000,"kinds":["colour"],"out":"/tmp/shapes"}' \
//     npx vitest run --project node scripts/research/dump-shapes.test.ts
// Writes <out>_{images,tokens,lengths,labels,train,val,test}.bin and <out>_meta.json.
import { describe, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { prepareDataset } from '../../src/data/prepare.ts';
import { emptyReport } from '../../src/data/report.ts';
import { generateShapes, type Difficulty, type ShapesKind } from '../../src/data/shapes.ts';
import { DEFAULT_TOKENIZER } from '../../src/data/tokenizer.ts';

interface DumpOptions {
  img?: number;
  n?: number;
  seed?: number;
  kinds?: ShapesKind[];
  diff?: Difficulty;
  out?: string;
}

const request = process.env.GATESCOPE_DUMP_SHAPES;

describe.skipIf(!request)('dump Shapes & Questions for the PyTorch prototype', () => {
  it('writes the dataset', () => {
    const o = JSON.parse(request ?? '{}') as DumpOptions;
    const S = o.img ?? 16;
    const raw = generateShapes({ count: o.n ?? 8000, seed: o.seed ?? 1, imageSize: S, kinds: o.kinds, difficulty: o.diff ?? 'normal' });
    const d = prepareDataset(raw.examples, {
      task: 'classification',
      tokenizer: DEFAULT_TOKENIZER,
      imageSize: S,
      split: { train: 0.7, validation: 0.15, seed: 1, stratify: true },
      name: 'shapes',
      report: emptyReport(),
    });
    if (d.targets.kind !== 'classification') throw new Error('expected a classification dataset');
    const out = o.out ?? '/tmp/shapes';
    const save = (name: string, a: ArrayBufferView) => writeFileSync(`${out}_${name}.bin`, Buffer.from(a.buffer, a.byteOffset, a.byteLength));
    save('images', d.images);
    save('tokens', d.tokens);
    save('lengths', d.lengths);
    save('labels', d.targets.labels);
    save('train', d.splits.train);
    save('val', d.splits.validation);
    save('test', d.splits.test);
    const meta = { S, maxLen: d.maxLength, vocab: d.vocab.tokens.length, classes: d.targets.classes, kinds: d.tags.map((t) => t?.kind) };
    writeFileSync(`${out}_meta.json`, JSON.stringify(meta));
  });
});
