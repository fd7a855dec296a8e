// Reference accuracies of a classification dataset, drawn on accuracy charts so a number
// like 41 % can be read: chance (1 / classes), the majority class's share, and where the
// generator knows it exactly, the best accuracy one modality alone can reach — all on
// the split the trainer evaluates (validation, or training when there is none).
import type { PreparedDataset } from '../data/types.ts';

export interface AccuracyLevels {
  split: 'validation' | 'train';
  /** 1 / number of classes. */
  chance: number;
  /** Share of the most frequent class in the split. */
  majority: number;
  /**
   * Kind-frequency-weighted mean of the generator's per-kind text-only ceiling over the
   * split (exact: the question text says which kind it is); null when unknown.
   */
  textOnly: number | null;
  /** The same for the image alone; null when unknown. */
  imageOnly: number | null;
  /**
   * The split mixes question kinds: the image-only figure then assumes the picture tells
   * the kind apart, so it is an upper bound rather than exact.
   */
  mixedKinds: boolean;
}

/** The reference levels of `data`, or null when its task is not single-label classification. */
export function accuracyLevels(data: PreparedDataset): AccuracyLevels | null {
  const t = data.targets;
  if (t.kind !== 'classification' || t.classes.length === 0) return null;
  const split = data.splits.validation.length > 0 ? 'validation' : 'train';
  const indices = data.splits[split];
  if (indices.length === 0) return null;
  const counts = new Array<number>(t.classes.length).fill(0);
  for (const i of indices) counts[t.labels[i]]++;
  let textOnly: number | null = null;
  let imageOnly: number | null = null;
  const kinds = new Set<string>();
  const ceilings = data.kindCeilings;
  if (ceilings) {
    let text = 0;
    let image = 0;
    let known = true;
    for (const i of indices) {
      const kind = data.tags[i]?.kind;
      const c = kind === undefined ? undefined : ceilings[kind];
      if (!c || kind === undefined) {
        known = false;
        break;
      }
      kinds.add(kind);
      text += c.textOnly;
      image += c.imageOnly;
    }
    if (known) {
      textOnly = text / indices.length;
      imageOnly = image / indices.length;
    }
  }
  return { split, chance: 1 / t.classes.length, majority: Math.max(...counts) / indices.length, textOnly, imageOnly, mixedKinds: kinds.size > 1 };
}
