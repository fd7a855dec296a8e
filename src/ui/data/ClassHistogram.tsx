// Examples per class and split (classification and multi-label).
import { visibleText } from '../../data/text.ts';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { PreparedDataset } from '../../data/types.ts';

/** Stacked bars of class counts in train / validation / test. */
export function ClassHistogram({ dataset }: { dataset: PreparedDataset }) {
  const t = dataset.targets;
  if (t.kind !== 'classification' && t.kind !== 'multilabel') return null;
  const s = dataset.stats;
  const data = t.classes.map((name, c) => ({ name: visibleText(name), train: s.train.classCounts![c], validation: s.validation.classCounts![c], test: s.test.classCounts![c] }));
  const many = data.length > 30;
  return (
    <fieldset data-testid="class-histogram">
      <legend>Classes ({t.classes.length})</legend>
      <div style={{ width: '100%', height: 260 }}>
        <ResponsiveContainer>
          <BarChart data={data} margin={{ top: 8, right: 8, bottom: many ? 20 : 52, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="name" interval={many ? 'preserveEnd' : 0} angle={many ? 0 : -35} textAnchor={many ? 'middle' : 'end'} tick={{ fontSize: 11 }} label={{ value: 'class', position: 'insideBottom', offset: many ? -14 : -46 }} />
            <YAxis allowDecimals={false} width={56} label={{ value: 'examples', angle: -90, position: 'insideLeft', offset: 8, style: { textAnchor: 'middle' } }} />
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
