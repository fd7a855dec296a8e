// Train / validation / test splits and k folds, seeded and (for classification)
// stratified. Examples that share `tags.splitGroup` form one unit and always land in the
// same split, so near-duplicates (the Shapes twins, questions about one image) never
// leak between training and evaluation. Within each stratum the units are shuffled
// and unit j of m takes the split its quantile (j + ½)/m falls in, which reproduces
// the fractions as closely as whole units allow, even for small classes.
import { Random } from '../random.ts';
import type { PreparedDataset, SplitConfig, Splits } from './types.ts';

interface Unit {
  members: number[];
  stratum: number;
}

/** Groups example indices into units (by group tag) with a stratum each (label or 0). */
function makeUnits(indices: ArrayLike<number>, labels: ArrayLike<number> | null, groups: readonly (string | undefined)[] | null): Unit[] {
  const units: Unit[] = [];
  const byGroup = new Map<string, Unit>();
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k];
    const g = groups?.[i];
    const stratum = labels ? labels[i] : 0;
    if (g === undefined) {
      units.push({ members: [i], stratum });
      continue;
    }
    const existing = byGroup.get(g);
    if (existing) existing.members.push(i);
    else {
      const u = { members: [i], stratum };
      byGroup.set(g, u);
      units.push(u);
    }
  }
  return units;
}

/** Units bucketed by stratum, strata in ascending order, each bucket shuffled. */
function shuffledStrata(units: Unit[], rng: Random): Unit[][] {
  const strata = new Map<number, Unit[]>();
  for (const u of units) {
    const list = strata.get(u.stratum);
    if (list) list.push(u);
    else strata.set(u.stratum, [u]);
  }
  return [...strata.keys()].sort((a, b) => a - b).map((k) => rng.shuffle(strata.get(k)!));
}

function checkFractions(config: SplitConfig): void {
  const { train, validation } = config;
  if (!(train > 0) || !(validation >= 0) || train + validation > 1 + 1e-9) {
    throw new Error(`splits: need train > 0, validation ≥ 0 and train + validation ≤ 1, got train ${train}, validation ${validation}`);
  }
}

const sorted = (list: number[]): Int32Array => Int32Array.from(list).sort();

/**
 * Splits n examples. `labels` (class ids) are used for stratification when
 * config.stratify is set; `groups` (the examples' `tags.splitGroup`) keep units together.
 */
export function makeSplits(
  n: number,
  config: SplitConfig,
  labels: ArrayLike<number> | null = null,
  groups: readonly (string | undefined)[] | null = null,
): Splits {
  checkFractions(config);
  const all = Array.from({ length: n }, (_, i) => i);
  const units = makeUnits(all, config.stratify ? labels : null, groups);
  const rng = new Random(config.seed);
  const out: [number[], number[], number[]] = [[], [], []];
  for (const stratum of shuffledStrata(units, rng)) {
    stratum.forEach((u, j) => {
      const q = (j + 0.5) / stratum.length;
      const which = q < config.train ? 0 : q < config.train + config.validation ? 1 : 2;
      out[which].push(...u.members);
    });
  }
  return { train: sorted(out[0]), validation: sorted(out[1]), test: sorted(out[2]) };
}

/**
 * k folds for cross-validation over the dataset's train ∪ validation examples (the
 * test split stays apart and is the same in every fold). Fold i validates on the i-th
 * part and trains on the others; stratified by class for classification, groups kept
 * together, seeded.
 */
export function kFoldSplits(dataset: PreparedDataset, k: number, seed: number): Splits[] {
  if (!Number.isInteger(k) || k < 2) throw new Error(`kFoldSplits: k must be an integer ≥ 2, got ${k}`);
  const pool = [...dataset.splits.train, ...dataset.splits.validation].sort((a, b) => a - b);
  const labels = dataset.targets.kind === 'classification' ? dataset.targets.labels : null;
  const groups = dataset.tags.map((t) => t?.splitGroup);
  const units = makeUnits(pool, labels, groups);
  if (units.length < k) throw new Error(`kFoldSplits: ${units.length} units (examples or groups) cannot make ${k} folds of "${dataset.name}"`);
  const rng = new Random(seed);
  const folds: number[][] = Array.from({ length: k }, () => []);
  let next = 0; // continue dealing where the previous stratum stopped, so folds stay even
  for (const stratum of shuffledStrata(units, rng)) {
    for (const u of stratum) {
      folds[next].push(...u.members);
      next = (next + 1) % k;
    }
  }
  return folds.map((fold, i) => ({
    train: sorted(folds.flatMap((f, j) => (j === i ? [] : f))),
    validation: sorted(fold),
    test: Int32Array.from(dataset.splits.test),
  }));
}
