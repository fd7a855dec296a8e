// Examples per class and split (classification and multi-label).
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { PreparedDataset } from '../../data/types.ts';

/** Stacked bars of class counts in train / validation / test. */
export function ClassHistogram({ dataset }: { dataset: PreparedDataset }) {
  const t = dataset.targets;
  if (t.kind !== 'classification' && t.kind !== 'multilabel') return null;
  const s = dataset.stats;
  const data = t.classes.map((name, c) => ({ name, train: s.train.classCounts![c], validation: s.validation.classCounts![c], test: s.test.classCounts![c] }));
  const many = data.length > 30;
  return (
    <fieldset data-testid="class-histogram">
      <legend>Classes ({t.classes.length})</legend>
      <div style={{ width: '100%', height: 260 }}>
        <ResponsiveContainer>
          <BarChart data={data} margin={{ top: 8, right: 8, bottom: many ? 8 : 40, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="name" interval={many ? 'preserveEnd' : 0} angle={many ? 0 : -35} textAnchor={many ? 'middle' : 'end'} tick={{ fontSize: 11 }} />
            <YAxis allowDecimals={false} />
            <Tooltip />
            <Legend verticalAlign="top" />
            <Bar dataKey="train" stackId="s" fill="#4063d8" isAnimationActive={false} />
            <Bar dataKey="validation" stackId="s" fill="#e6a23c" isAnimationActive={false} />
            <Bar dataKey="test" stackId="s" fill="#67a35a" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </div>
    </fieldset>
  );
}
