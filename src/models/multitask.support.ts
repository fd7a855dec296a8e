// Random auxiliary targets for a tiny PreparedDataset (models.support.ts), for multi-task
// model and trainer tests where only shapes, losses and gradients matter.
import type { ExtraTarget, PreparedDataset } from '../data/types.ts';
import { Random } from '../random.ts';
import type { ExtraTaskConfig } from './config.ts';

/** `data` with one random auxiliary target per task of `tasks` (classes "c0"…, values around 5). */
export function withExtraTargets(data: PreparedDataset, tasks: readonly ExtraTaskConfig[], seed: number): PreparedDataset {
  const rng = new Random(seed);
  const N = data.size;
  const extraTargets: ExtraTarget[] = tasks.map((t) => {
    const classes = Array.from({ length: t.outputSize }, (_, c) => `c${c}`);
    if (t.kind === 'classification') return { name: t.name, weight: t.weight, targets: { kind: t.kind, classes, labels: Int32Array.from({ length: N }, () => rng.int(t.outputSize)) } };
    if (t.kind === 'multilabel') return { name: t.name, weight: t.weight, targets: { kind: t.kind, classes, labels: Float32Array.from({ length: N * t.outputSize }, () => (rng.next() < 0.4 ? 1 : 0)) } };
    return { name: t.name, weight: t.weight, targets: { kind: t.kind, values: Float32Array.from({ length: N }, () => rng.uniform(3, 7)), mean: 5, std: 1.2 } };
  });
  return { ...data, extraTargets };
}
