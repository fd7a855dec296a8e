// Examples per class and split (classification and multi-label).
import { visibleText } from '../../state/for-ui.ts';
import { BarChartSvg } from '../charts/BarChartSvg.tsx';
import type { PreparedDataset } from '../../data/types.ts';

const SERIES = [
  { key: 'train', name: 'train', color: '#4063d8' },
  { key: 'validation', name: 'validation', color: '#e6a23c' },
  { key: 'test', name: 'test', color: '#67a35a' },
];

/** Stacked bars of class counts in train / validation / test. */
export function ClassHistogram({ dataset }: { dataset: PreparedDataset }) {
  const t = dataset.targets;
  if (t.kind !== 'classification' && t.kind !== 'multilabel') return null;
  const s = dataset.stats;
  const splits = [s.train, s.validation, s.test];
  return (
    <fieldset data-testid="class-histogram">
      <legend>Classes ({t.classes.length})</legend>
      <BarChartSvg
        categories={t.classes.map((name) => visibleText(name))}
        series={SERIES}
        values={splits.map((split) => t.classes.map((_, c) => split.classCounts![c]))}
        xLabel="class"
        yLabel="examples"
        tilt={t.classes.length <= 30}
        height={260}
      />
    </fieldset>
  );
}
