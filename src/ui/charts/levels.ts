// Reference levels of accuracy charts (chance, majority class, one modality alone) as
// labelled lines for LineChartCard.
import type { AccuracyLevels } from '../../state/reference-levels.ts';
import type { ReferenceLevel } from './LineChartCard.tsx';

const percent = (v: number) => `${(v * 100).toFixed(v < 0.1 ? 1 : 0)} %`;

/** The levels of `levels` (none when null), each labelled with its name and value. */
export function accuracyReferences(levels: AccuracyLevels | null): ReferenceLevel[] {
  if (!levels) return [];
  const out: ReferenceLevel[] = [
    { value: levels.chance, label: `chance ${percent(levels.chance)}` },
    { value: levels.majority, label: `majority class ${percent(levels.majority)}` },
  ];
  if (levels.textOnly !== null) out.push({ value: levels.textOnly, label: `text alone ${percent(levels.textOnly)}` });
  if (levels.imageOnly !== null) out.push({ value: levels.imageOnly, label: `image alone ${levels.mixedKinds ? 'at most ' : ''}${percent(levels.imageOnly)}` });
  return out;
}
