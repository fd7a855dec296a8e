// Distribution of text lengths in tokens (after truncation), all splits together;
// for captioning also the caption lengths.
import { BarChartSvg } from '../charts/BarChartSvg.tsx';
import type { PreparedDataset } from '../../data/types.ts';

/** Counts of each length value 0…max. */
function lengthCounts(lengths: Iterable<number>): { length: number; count: number }[] {
  const counts: number[] = [];
  for (const l of lengths) counts[l] = (counts[l] ?? 0) + 1;
  return Array.from(counts, (c, length) => ({ length, count: c ?? 0 }));
}

function Histogram({ title, data, testId }: { title: string; data: { length: number; count: number }[]; testId: string }) {
  return (
    <fieldset data-testid={testId}>
      <legend>{title}</legend>
      <BarChartSvg categories={data.map((d) => String(d.length))} series={[{ key: 'count', name: 'examples', color: '#8a5cc2' }]} values={[data.map((d) => d.count)]} xLabel="tokens" yLabel="examples" height={200} />
    </fieldset>
  );
}

/** Text-length histogram (and caption-length histogram for captioning). */
export function TextLengthHistogram({ dataset }: { dataset: PreparedDataset }) {
  const s = dataset.stats;
  const texts = [...s.train.textLengths, ...s.validation.textLengths, ...s.test.textLengths];
  const t = dataset.targets;
  return (
    <>
      {texts.length > 0 && <Histogram title={`Text length (${dataset.vocab.level === 'word' ? 'words' : 'characters'}, max ${dataset.maxLength})`} data={lengthCounts(texts)} testId="text-length-histogram" />}
      {t.kind === 'captioning' && <Histogram title="Caption length (tokens without <bos>/<eos>)" data={lengthCounts(Array.from(t.lengths, (l) => l - 2))} testId="caption-length-histogram" />}
    </>
  );
}
