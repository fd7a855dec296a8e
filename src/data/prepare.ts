// RawExamples → PreparedDataset: checks each target against the task, encodes the
// targets, splits (seeded, stratified, groups kept together), builds the vocabulary
// from the training split only, tokenizes with truncation counted, resizes and
// normalises the images, and gathers per-split statistics. Pure: runs in Node, the
// page and workers.
import { imageToTensor } from './image.ts';
import { issue } from './report.ts';
import { makeSplits } from './splits.ts';
import { buildVocabulary, encode } from './tokenizer.ts';
import {
  PAD,
  type EncodedTargets,
  type ExtraTarget,
  type ExtraTaskSpec,
  type PerSplitStats,
  type PreparedDataset,
  type RawExample,
  type SplitConfig,
  type TaskKind,
  type TokenizerConfig,
  type ValidationIssue,
  type ValidationReport,
} from './types.ts';

export interface PrepareOptions {
  task: TaskKind;
  tokenizer: TokenizerConfig;
  /** Side S of the square model input, 16–128. */
  imageSize: number;
  split: SplitConfig;
  name: string;
  /** The loader's report; prepareDataset returns a copy with its own findings added. */
  report: ValidationReport;
  /**
   * Auxiliary tasks (multi-task learning), read from each example's `extraTargets[name]`.
   * An example without a valid target for one of them is skipped and reported.
   */
  extraTasks?: readonly ExtraTaskSpec[];
}

/** Smallest and largest image side the models accept. */
const IMAGE_SIZE_RANGE = [16, 128] as const;

/** Default split: 70 / 15 / 15, stratified, seed 1. */
export const DEFAULT_SPLIT: SplitConfig = { train: 0.7, validation: 0.15, seed: 1, stratify: true };

const collator = new Intl.Collator('en', { numeric: true });

const TARGET_FOR_TASK: Record<TaskKind, RawExample['target']['kind'][]> = {
  classification: ['class'],
  multilabel: ['labels', 'class'],
  regression: ['number'],
  captioning: ['caption'],
};

/** Task names become parameter names (`head_<name>`) and ONNX outputs: letters, digits, underscores. */
export const TASK_NAME = /^[a-z][a-z0-9_]{0,31}$/u;

function checkOptions(o: PrepareOptions): void {
  const names = new Set<string>();
  for (const t of o.extraTasks ?? []) {
    if (!TASK_NAME.test(t.name)) throw new Error(`prepareDataset("${o.name}"): task name "${t.name}" must be lower-case letters, digits and underscores, starting with a letter (at most 32)`);
    if (names.has(t.name)) throw new Error(`prepareDataset("${o.name}"): task "${t.name}" is chosen twice`);
    if (!(t.weight >= 0 && Number.isFinite(t.weight))) throw new Error(`prepareDataset("${o.name}"): the loss weight of task "${t.name}" must be a number ≥ 0, got ${t.weight}`);
    names.add(t.name);
  }
  if (o.extraTasks?.length && o.task === 'captioning') throw new Error(`prepareDataset("${o.name}"): auxiliary tasks need a classification, multi-label or regression primary task, not captioning`);
  const [lo, hi] = IMAGE_SIZE_RANGE;
  if (!Number.isInteger(o.imageSize) || o.imageSize < lo || o.imageSize > hi) {
    throw new Error(`prepareDataset("${o.name}"): imageSize must be an integer in ${lo}–${hi}, got ${o.imageSize}`);
  }
  if (!Number.isInteger(o.tokenizer.maxLength) || o.tokenizer.maxLength < 1) {
    throw new Error(`prepareDataset("${o.name}"): tokenizer.maxLength must be an integer ≥ 1, got ${o.tokenizer.maxLength}`);
  }
}

function encodeTargets(task: TaskKind, kept: RawExample[]): Exclude<EncodedTargets, { kind: 'captioning' }> | null {
  const n = kept.length;
  if (task === 'classification') {
    const classes = [...new Set(kept.map((e) => (e.target as { label: string }).label))].sort(collator.compare);
    const id = new Map(classes.map((c, i) => [c, i]));
    return { kind: 'classification', classes, labels: Int32Array.from(kept, (e) => id.get((e.target as { label: string }).label)!) };
  }
  if (task === 'multilabel') {
    const labelsOf = (e: RawExample) => (e.target.kind === 'labels' ? e.target.labels : e.target.kind === 'class' ? [e.target.label] : []);
    const classes = [...new Set(kept.flatMap(labelsOf))].sort(collator.compare);
    const id = new Map(classes.map((c, i) => [c, i]));
    const labels = new Float32Array(n * classes.length);
    kept.forEach((e, i) => labelsOf(e).forEach((l) => (labels[i * classes.length + id.get(l)!] = 1)));
    return { kind: 'multilabel', classes, labels };
  }
  if (task === 'regression') {
    return { kind: 'regression', values: Float32Array.from(kept, (e) => (e.target as { value: number }).value), mean: 0, std: 1 };
  }
  return null;
}

function fitsExtraTask(kind: ExtraTaskSpec['kind'], t: RawExample['target'] | undefined): boolean {
  if (!t) return false;
  if (kind === 'regression') return t.kind === 'number' && Number.isFinite(t.value);
  return TARGET_FOR_TASK[kind].includes(t.kind);
}

/** An auxiliary task's targets, encoded as the primary task of that kind would be (regression statistics from the training split). */
function encodeExtraTarget(spec: ExtraTaskSpec, kept: readonly RawExample[], train: Int32Array): ExtraTarget {
  const asPrimary = kept.map((e) => ({ ...e, target: e.extraTargets![spec.name] }));
  const encoded = encodeTargets(spec.kind, asPrimary)!;
  if (encoded.kind !== 'regression') return { name: spec.name, weight: spec.weight, targets: encoded };
  const v = Array.from(train, (i) => encoded.values[i]);
  const mean = v.reduce((s, x) => s + x, 0) / Math.max(1, v.length);
  const variance = v.reduce((s, x) => s + (x - mean) ** 2, 0) / Math.max(1, v.length);
  return { name: spec.name, weight: spec.weight, targets: { ...encoded, mean, std: Math.sqrt(variance) || 1 } };
}

function splitStats(
  indices: Int32Array,
  targets: EncodedTargets,
  lengths: Int32Array,
  hasImage: Uint8Array,
  hasText: Uint8Array,
  truncatedFlags: Uint8Array,
): PerSplitStats {
  const stats: PerSplitStats = { count: indices.length, textLengths: [], withImage: 0, withText: 0, truncated: 0 };
  if (targets.kind === 'classification' || targets.kind === 'multilabel') stats.classCounts = new Array(targets.classes.length).fill(0);
  for (const i of indices) {
    if (hasImage[i]) stats.withImage++;
    if (hasText[i]) {
      stats.withText++;
      stats.textLengths.push(lengths[i]);
    }
    if (truncatedFlags[i]) stats.truncated++;
    if (targets.kind === 'classification') stats.classCounts![targets.labels[i]]++;
    else if (targets.kind === 'multilabel') {
      const c = targets.classes.length;
      for (let k = 0; k < c; k++) if (targets.labels[i * c + k]) stats.classCounts![k]++;
    }
  }
  return stats;
}

const TASK_WORDS: Record<TaskKind, string> = {
  classification: 'classification (one class per example)',
  multilabel: 'multi-label classification',
  regression: 'regression (a number per example)',
  captioning: 'captioning (a caption per example)',
};
const TARGET_WORDS: Record<RawExample['target']['kind'], string> = {
  class: 'class labels',
  labels: 'lists of labels',
  number: 'numbers',
  caption: 'captions',
  none: 'no target',
};
const TASK_FOR_TARGET_KIND: Partial<Record<RawExample['target']['kind'], TaskKind>> = { class: 'classification', labels: 'multilabel', number: 'regression', caption: 'captioning' };

/** Why no example of `raw` can be prepared for `task`, in the user's words. */
function nothingPrepared(name: string, task: TaskKind, raw: readonly RawExample[]): string {
  if (raw.length === 0) return `Nothing to prepare: no example was loaded from ${name}. The validation report says why each row was skipped.`;
  const fitting = raw.filter((e) => TARGET_FOR_TASK[task].includes(e.target.kind));
  if (fitting.length === 0) {
    const kinds = [...new Set(raw.map((e) => e.target.kind))];
    const other = kinds.map((k) => TASK_FOR_TARGET_KIND[k]).find((t) => t !== undefined);
    const hint = other ? ` Choose the target kind for ${TASK_WORDS[other]} in the mapping step, or a target column that holds what ${TASK_WORDS[task]} needs.` : '';
    return `None of the ${raw.length} examples of ${name} can be used for ${TASK_WORDS[task]}: their targets are ${kinds.map((k) => TARGET_WORDS[k]).join(' and ')}.${hint}`;
  }
  return `None of the ${raw.length} examples of ${name} has an image or a text to learn from: every row lacks both. Map an image column or a text column, or fill them in.`;
}

/**
 * Turns raw examples into typed arrays for the trainer (layouts in types.ts).
 * Examples whose target does not fit the task, or that have neither image nor text,
 * are skipped and reported. Throws when no example is left.
 */
export function prepareDataset(raw: readonly RawExample[], options: PrepareOptions): PreparedDataset {
  checkOptions(options);
  const { task, tokenizer, imageSize: S, name } = options;
  const extraTasks = options.extraTasks ?? [];
  const issues: ValidationIssue[] = [];
  const kept: RawExample[] = [];
  for (const e of raw) {
    if (!TARGET_FOR_TASK[task].includes(e.target.kind)) {
      issues.push(issue('target-mismatch', e.source.file, `the target holds ${TARGET_WORDS[e.target.kind]}, which ${TASK_WORDS[task]} cannot use; skipped`, e.source.row));
    } else if (e.image === null && !e.audio && (e.text === null || e.text.trim() === '')) {
      issues.push(issue('no-input', e.source.file, 'the example has neither an image nor a text; skipped', e.source.row));
    } else {
      const bad = extraTasks.find((t) => !fitsExtraTask(t.kind, e.extraTargets?.[t.name]));
      if (bad) {
        const got = e.extraTargets?.[bad.name];
        const what = !got || got.kind === 'none' ? 'is empty' : `holds ${TARGET_WORDS[got.kind]}, which ${TASK_WORDS[bad.kind]} cannot use`;
        issues.push(issue('extra-target-invalid', e.source.file, `the target of task "${bad.name}" ${what}; skipped`, e.source.row));
      } else kept.push(e);
    }
  }
  if (kept.length === 0) {
    throw new Error(nothingPrepared(name, task, raw));
  }
  const n = kept.length;
  // Rows seen by the loader (or the examples given, when the report has none).
  const rowsSeen = Math.max(options.report.rowsSeen, raw.length);
  const report: ValidationReport = { issues: [...options.report.issues, ...issues], rowsSeen, rowsKept: n, rowsSkipped: rowsSeen - n };

  // Splits first: the vocabulary (and regression statistics) come from the training split.
  const classTargets = encodeTargets(task, kept);
  const stratifyLabels = classTargets?.kind === 'classification' ? classTargets.labels : null;
  const splits = makeSplits(n, options.split, stratifyLabels, kept.map((e) => e.tags?.splitGroup));
  const train = Array.from(splits.train, (i) => kept[i]);

  const hasText = Uint8Array.from(kept, (e) => (e.text !== null && e.text.trim() !== '' ? 1 : 0));
  const vocab = buildVocabulary(
    train.map((e) => e.text),
    tokenizer,
  );
  const encodedTexts = kept.map((e, i) => (hasText[i] ? encode(e.text!, vocab, tokenizer.maxLength) : null));
  const longest = encodedTexts.reduce((m, t) => Math.max(m, t ? t.ids.length : 0), 0);
  const maxLength = Math.max(1, Math.min(tokenizer.maxLength, longest));
  const tokens = new Int32Array(n * maxLength).fill(PAD);
  const lengths = new Int32Array(n);
  const truncated = new Uint8Array(n);
  encodedTexts.forEach((t, i) => {
    if (!t) return;
    tokens.set(t.ids, i * maxLength);
    lengths[i] = t.ids.length;
    truncated[i] = t.truncated ? 1 : 0;
  });

  let targets: EncodedTargets;
  if (classTargets === null) {
    // Captioning: own vocabulary from the training captions, <bos> … <eos> <pad>….
    const captions = kept.map((e) => (e.target as { text: string }).text);
    const captionVocab = buildVocabulary(
      Array.from(splits.train, (i) => captions[i]),
      tokenizer,
    );
    const encoded = captions.map((c) => encode(c, captionVocab, tokenizer.maxLength, { bos: true, eos: true }));
    const capMax = Math.max(1, Math.min(tokenizer.maxLength, encoded.reduce((m, c) => Math.max(m, c.ids.length - 2), 0)));
    const L = capMax + 2;
    const capTokens = new Int32Array(n * L).fill(PAD);
    const capLengths = new Int32Array(n);
    encoded.forEach((c, i) => {
      capTokens.set(c.ids, i * L);
      capLengths[i] = c.ids.length;
      if (c.truncated) truncated[i] = 1;
    });
    targets = { kind: 'captioning', vocab: captionVocab, tokens: capTokens, lengths: capLengths, maxLength: capMax, references: captions };
  } else if (classTargets.kind === 'regression') {
    // Raw values; mean and std of the training split for the trainer to standardise.
    const v = Array.from(splits.train, (i) => classTargets.values[i]);
    const mean = v.reduce((s, x) => s + x, 0) / Math.max(1, v.length);
    const variance = v.reduce((s, x) => s + (x - mean) ** 2, 0) / Math.max(1, v.length);
    targets = { ...classTargets, mean, std: Math.sqrt(variance) || 1 };
  } else targets = classTargets;
  const extraTargets = extraTasks.map((t) => encodeExtraTarget(t, kept, splits.train));

  // images: [N, 3, S, S]; zeros (and hasImage 0) where the image is missing.
  const images = new Float32Array(n * 3 * S * S);
  const hasImage = new Uint8Array(n);
  kept.forEach((e, i) => {
    if (!e.image) return;
    imageToTensor(e.image, S, images, i * 3 * S * S);
    hasImage[i] = 1;
  });

  const stats = {
    train: splitStats(splits.train, targets, lengths, hasImage, hasText, truncated),
    validation: splitStats(splits.validation, targets, lengths, hasImage, hasText, truncated),
    test: splitStats(splits.test, targets, lengths, hasImage, hasText, truncated),
  };

  return {
    name,
    task,
    size: n,
    imageSize: S,
    images,
    hasImage,
    vocab,
    maxLength,
    tokens,
    lengths,
    hasText,
    targets,
    ...(extraTargets.length ? { extraTargets } : {}),
    splits,
    stats,
    texts: kept.map((e, i) => (hasText[i] ? e.text : null)),
    ids: kept.map((e) => e.id),
    tags: kept.map((e) => e.tags),
    report,
  };
}
