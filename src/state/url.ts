// The setup in the page URL, so that a link reproduces it: one readable query parameter
// per setting, written only when it differs from the default. Reading never throws: a
// value that does not parse, is out of range or is unknown is reported in plain words
// and the default is kept.
import { DIFFICULTY, QUESTION_KINDS, type Difficulty, type QuestionKind } from '../data/shapes.ts';
import { SOUND_QUESTIONS, type SoundQuestion } from '../data/sounds.ts';
import { CELL_KINDS, FUSION_KINDS } from '../models/config.ts';
import type { MonitorMetric } from '../train/config.ts';
import type { BackendChoice } from '../train/protocol.ts';
import { PRECISIONS } from '../ops/precision-names.ts';
import type { OptimizerKind } from '../optim/optimizer.ts';
import { CLUES_TASKS, DATA_SOURCES, defaultSetup, type CluesTask, type Setup } from './settings.ts';
import { DISTILL_URL_KEYS, distillFromQuery } from './url-distill.ts';

/** One URL parameter: how to read it from a Setup, parse it and write it back. */
interface Field {
  key: string;
  /** What the value means, for messages. */
  label: string;
  get(s: Setup): unknown;
  /** Parses the text and applies it to `s`; returns a problem in plain words or null. */
  set(s: Setup, text: string): string | null;
  format(value: unknown): string;
}

type Schedule = Setup['train']['schedule'];
const SCHEDULE_KINDS = ['constant', 'step', 'cosine', 'linear'] as const;
const OPTIMIZERS: readonly OptimizerKind[] = ['sgd', 'adam', 'adamw', 'rmsprop'];
const METRICS: readonly MonitorMetric[] = ['loss', 'accuracy', 'macroF1', 'auc', 'rmse', 'bleu'];
const ENCODERS = ['cnn', 'mlp', 'features'] as const;
const TABS = ['data', 'model', 'train', 'inspect', 'evaluate', 'compare', 'export'] as const;
export type TabId = (typeof TABS)[number];

function intField(key: string, label: string, lo: number, hi: number, get: (s: Setup) => number, put: (s: Setup, v: number) => void): Field {
  return {
    key,
    label,
    get,
    format: (v) => String(v),
    set(s, text) {
      const v = Number(text);
      if (text.trim() === '' || !Number.isInteger(v)) return `"${key}=${text}": ${label} must be a whole number.`;
      if (v < lo || v > hi) return `"${key}=${text}": ${label} must be from ${lo} to ${hi}.`;
      put(s, v);
      return null;
    },
  };
}

function numberField(key: string, label: string, lo: number, hi: number, get: (s: Setup) => number, put: (s: Setup, v: number) => void, open = false): Field {
  return {
    key,
    label,
    get,
    format: (v) => String(v),
    set(s, text) {
      const v = Number(text);
      if (text.trim() === '' || !Number.isFinite(v)) return `"${key}=${text}": ${label} must be a number.`;
      if (v < lo || v > hi || (open && v === lo)) return `"${key}=${text}": ${label} must be ${open ? 'above' : 'from'} ${lo}${open ? ' and at most' : ' to'} ${hi}.`;
      put(s, v);
      return null;
    },
  };
}

function enumField<T extends string>(key: string, label: string, values: readonly T[], get: (s: Setup) => T, put: (s: Setup, v: T) => void): Field {
  return {
    key,
    label,
    get,
    format: (v) => String(v),
    set(s, text) {
      if (!values.includes(text as T)) return `"${key}=${text}": ${label} must be one of ${values.join(', ')}.`;
      put(s, text as T);
      return null;
    },
  };
}

function boolField(key: string, label: string, get: (s: Setup) => boolean, put: (s: Setup, v: boolean) => void): Field {
  return {
    key,
    label,
    get,
    format: (v) => (v ? '1' : '0'),
    set(s, text) {
      if (text !== '0' && text !== '1' && text !== 'true' && text !== 'false') return `"${key}=${text}": ${label} must be 1 or 0.`;
      put(s, text === '1' || text === 'true');
      return null;
    },
  };
}

/** A schedule parameter that only exists for some schedule kinds. */
function scheduleNumber(key: string, label: string, kinds: Schedule['kind'][], lo: number, hi: number, read: (sc: Schedule) => number | undefined, write: (sc: Schedule, v: number) => void): Field {
  return {
    key,
    label,
    get: (s) => (kinds.includes(s.train.schedule.kind) ? read(s.train.schedule) : undefined),
    format: (v) => String(v),
    set(s, text) {
      const v = Number(text);
      if (text.trim() === '' || !Number.isFinite(v) || v < lo || v > hi) return `"${key}=${text}": ${label} must be a number from ${lo} to ${hi}.`;
      if (!kinds.includes(s.train.schedule.kind)) return `"${key}=${text}": ${label} applies only to the ${kinds.join(' or ')} schedule.`;
      write(s.train.schedule, v);
      return null;
    },
  };
}

/** Every parameter, in the order it is read (schedule kind before its parameters). */
const FIELDS: Field[] = [
  // Data.
  enumField('data', 'the dataset', DATA_SOURCES, (s) => s.data.source, (s, v) => (s.data.source = v)),
  intField('shapes.n', 'the number of Shapes examples', 50, 50000, (s) => s.data.shapes.count, (s, v) => (s.data.shapes.count = v)),
  intField('shapes.seed', 'the Shapes seed', 0, 2 ** 31 - 1, (s) => s.data.shapes.seed, (s, v) => (s.data.shapes.seed = v)),
  enumField('shapes.difficulty', 'the Shapes difficulty', Object.keys(DIFFICULTY) as Difficulty[], (s) => s.data.shapes.difficulty, (s, v) => (s.data.shapes.difficulty = v)),
  enumField('shapes.mode', 'the Shapes task', ['questions', 'captions'] as const, (s) => s.data.shapes.mode, (s, v) => (s.data.shapes.mode = v)),
  {
    key: 'shapes.kinds',
    label: 'the Shapes question kinds',
    get: (s) => s.data.shapes.kinds,
    format: (v) => (v as string[]).join(','),
    set(s, text) {
      const kinds = text.split(',').filter(Boolean);
      if (kinds.length === 0 || kinds.some((k) => !QUESTION_KINDS.includes(k as QuestionKind)) || new Set(kinds).size !== kinds.length) {
        return `"shapes.kinds=${text}": the Shapes question kinds must be some of ${QUESTION_KINDS.join(', ')}, separated by commas.`;
      }
      s.data.shapes.kinds = QUESTION_KINDS.filter((k) => kinds.includes(k));
      return null;
    },
  },
  enumField('emoji.task', 'the OpenMoji task', ['group', 'subgroup', 'caption'] as const, (s) => s.data.openMoji.task, (s, v) => (s.data.openMoji.task = v)),
  enumField('emoji.text', 'the OpenMoji text', ['tags', 'annotation', 'none'] as const, (s) => s.data.openMoji.text, (s, v) => (s.data.openMoji.text = v)),
  intField('clues.n', 'the number of clue examples', 18, 50000, (s) => s.data.clues.count, (s, v) => (s.data.clues.count = v)),
  intField('clues.seed', 'the clues seed', 0, 2 ** 31 - 1, (s) => s.data.clues.seed, (s, v) => (s.data.clues.seed = v)),
  {
    key: 'clues.also',
    label: 'the auxiliary tasks of Complementary clues',
    get: (s) => s.data.clues.also ?? [],
    format: (v) => (v as string[]).join(',') || 'none',
    set(s, text) {
      const tasks = text === 'none' ? [] : text.split(',').filter(Boolean);
      if (tasks.some((k) => !CLUES_TASKS.includes(k as CluesTask)) || new Set(tasks).size !== tasks.length) {
        return `"clues.also=${text}": the auxiliary tasks of Complementary clues must be some of ${CLUES_TASKS.join(', ')}, separated by commas.`;
      }
      s.data.clues.also = CLUES_TASKS.filter((k) => tasks.includes(k));
      return null;
    },
  },
  {
    key: 'taskWeights',
    label: 'the loss weights of the auxiliary tasks',
    get: (s) => s.data.preparation.taskWeights ?? {},
    format: (v) =>
      Object.entries(v as Record<string, number>)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, w]) => `${k}:${w}`)
        .join(',') || 'none',
    set(s, text) {
      const weights: Record<string, number> = {};
      for (const part of text === 'none' ? [] : text.split(',').filter(Boolean)) {
        const [name, value, ...rest] = part.split(':');
        const w = Number(value);
        if (rest.length || !/^[a-z][a-z0-9_]{0,31}$/u.test(name ?? '') || value === undefined || value.trim() === '' || !(w >= 0 && w <= 100) || name in weights) {
          return `"taskWeights=${text}": the loss weights must be task:weight pairs separated by commas (task names in lower case, weights from 0 to 100), e.g. shape:0.5.`;
        }
        weights[name] = w;
      }
      s.data.preparation.taskWeights = weights;
      return null;
    },
  },
  intField('memory.n', 'the number of long-memory examples', 100, 20000, (s) => s.data.memory.count, (s, v) => (s.data.memory.count = v)),
  intField('memory.length', 'the long-memory text length', 2, 400, (s) => s.data.memory.length, (s, v) => (s.data.memory.length = v)),
  intField('memory.seed', 'the long-memory seed', 0, 2 ** 31 - 1, (s) => s.data.memory.seed, (s, v) => (s.data.memory.seed = v)),
  enumField('series.gen', 'the series generator', ['sines', 'spike'] as const, (s) => s.data.series.generator, (s, v) => (s.data.series.generator = v)),
  intField('series.n', 'the number of series', 10, 50000, (s) => s.data.series.count, (s, v) => (s.data.series.count = v)),
  intField('series.length', 'the series window length', 2, 1000, (s) => s.data.series.length, (s, v) => (s.data.series.length = v)),
  intField('series.horizon', 'the forecast horizon', 1, 64, (s) => s.data.series.horizon, (s, v) => (s.data.series.horizon = v)),
  numberField('series.noise', 'the series noise', 0, 10, (s) => s.data.series.noise, (s, v) => (s.data.series.noise = v)),
  intField('series.seed', 'the series seed', 0, 2 ** 31 - 1, (s) => s.data.series.seed, (s, v) => (s.data.series.seed = v)),
  intField('sounds.n', 'the number of Sounds & Questions examples', 50, 10000, (s) => s.data.sounds.count, (s, v) => (s.data.sounds.count = v)),
  intField('sounds.seed', 'the Sounds & Questions seed', 0, 2 ** 31 - 1, (s) => s.data.sounds.seed, (s, v) => (s.data.sounds.seed = v)),
  {
    key: 'sounds.kinds',
    label: 'the Sounds & Questions question kinds',
    get: (s) => s.data.sounds.kinds,
    format: (v) => (v as string[]).join(','),
    set(s, text) {
      const kinds = text.split(',').filter(Boolean);
      if (kinds.length === 0 || kinds.some((k) => !SOUND_QUESTIONS.includes(k as SoundQuestion)) || new Set(kinds).size !== kinds.length) {
        return `"sounds.kinds=${text}": the Sounds & Questions question kinds must be some of ${SOUND_QUESTIONS.join(', ')}, separated by commas.`;
      }
      s.data.sounds.kinds = SOUND_QUESTIONS.filter((k) => kinds.includes(k));
      return null;
    },
  },
  enumField('img', 'the image size', ['16', '24', '32', '48', '64', '96', '128'] as const, (s) => String(s.data.preparation.imageSize) as '32', (s, v) => (s.data.preparation.imageSize = Number(v))),
  enumField('tokens', 'the token level', ['word', 'char'] as const, (s) => s.data.preparation.tokenizer.level, (s, v) => (s.data.preparation.tokenizer.level = v)),
  intField('maxlen', 'the maximum text length', 1, 512, (s) => s.data.preparation.tokenizer.maxLength, (s, v) => (s.data.preparation.tokenizer.maxLength = v)),
  intField('minfreq', 'the minimum token frequency', 1, 100, (s) => s.data.preparation.tokenizer.minFrequency, (s, v) => (s.data.preparation.tokenizer.minFrequency = v)),
  intField('maxvocab', 'the maximum vocabulary', 8, 100000, (s) => s.data.preparation.tokenizer.maxVocab, (s, v) => (s.data.preparation.tokenizer.maxVocab = v)),
  numberField('split.train', 'the training fraction', 0.1, 0.95, (s) => s.data.preparation.split.train, (s, v) => (s.data.preparation.split.train = v)),
  numberField('split.val', 'the validation fraction', 0, 0.9, (s) => s.data.preparation.split.validation, (s, v) => (s.data.preparation.split.validation = v)),
  intField('split.seed', 'the split seed', 0, 2 ** 31 - 1, (s) => s.data.preparation.split.seed, (s, v) => (s.data.preparation.split.seed = v)),
  boolField('split.stratify', 'stratified splits', (s) => s.data.preparation.split.stratify, (s, v) => (s.data.preparation.split.stratify = v)),
  // Model.
  enumField('cell', 'the recurrent cell', CELL_KINDS, (s) => s.model.text.cell, (s, v) => (s.model.text.cell = v)),
  intField('layers', 'the number of layers', 1, 8, (s) => s.model.text.numLayers, (s, v) => (s.model.text.numLayers = v)),
  intField('hidden', 'the hidden size', 1, 4096, (s) => s.model.text.hiddenSize, (s, v) => (s.model.text.hiddenSize = v)),
  boolField('bidir', 'bidirectional', (s) => s.model.text.bidirectional, (s, v) => (s.model.text.bidirectional = v)),
  {
    // Read after `cell`: peepholes exist only for the LSTM.
    key: 'peephole',
    label: 'peephole connections',
    get: (s) => s.model.text.peephole ?? false,
    format: (v) => (v ? '1' : '0'),
    set(s, text) {
      if (text !== '0' && text !== '1' && text !== 'true' && text !== 'false') return `"peephole=${text}": peephole connections must be 1 or 0.`;
      const on = text === '1' || text === 'true';
      if (on && s.model.text.cell !== 'lstm') return `"peephole=${text}": peephole connections need the LSTM cell (cell=lstm), not ${s.model.text.cell}.`;
      s.model.text.peephole = on;
      return null;
    },
  },
  intField('embed', 'the embedding size', 1, 4096, (s) => s.model.text.embeddingSize, (s, v) => (s.model.text.embeddingSize = v)),
  numberField('forgetbias', 'the memory-gate bias', -10, 10, (s) => s.model.text.forgetBias ?? 0, (s, v) => (s.model.text.forgetBias = v)),
  numberField('identity', 'the identity start of the recurrent weights', 0, 4, (s) => s.model.text.identityInit ?? 0, (s, v) => (s.model.text.identityInit = v)),
  numberField('rnn.dropout', 'the dropout between recurrent layers', 0, 0.95, (s) => s.model.text.dropout, (s, v) => (s.model.text.dropout = v)),
  enumField('encoder', 'the image encoder', ENCODERS, (s) => s.model.image.encoder, (s, v) => (s.model.image.encoder = v)),
  {
    key: 'channels',
    label: 'the CNN channels',
    get: (s) => s.model.image.channels,
    format: (v) => (v as number[]).join(','),
    set(s, text) {
      const parts = text.split(',').map((p) => Number(p));
      if (parts.length < 1 || parts.length > 3 || parts.some((p) => !Number.isInteger(p) || p < 1 || p > 512)) {
        return `"channels=${text}": the CNN channels must be 1 to 3 whole numbers from 1 to 512, separated by commas.`;
      }
      s.model.image.channels = parts;
      return null;
    },
  },
  enumField('imgpool', 'the CNN pooling', ['flatten', 'max'] as const, (s) => s.model.image.pool ?? 'flatten', (s, v) => (s.model.image.pool = v)),
  boolField('bn', 'batch norm in the CNN', (s) => s.model.image.batchNorm ?? false, (s, v) => (s.model.image.batchNorm = v)),
  intField('mlp', 'the pixel MLP hidden size', 1, 8192, (s) => s.model.image.mlpHidden, (s, v) => (s.model.image.mlpHidden = v)),
  intField('imgfeat', 'the image feature size', 1, 4096, (s) => s.model.image.featureSize, (s, v) => (s.model.image.featureSize = v)),
  enumField('fusion', 'the fusion strategy', FUSION_KINDS, (s) => s.model.fusion, (s, v) => (s.model.fusion = v)),
  intField('fusionsize', 'the fusion size', 1, 4096, (s) => s.model.fusionSize, (s, v) => (s.model.fusionSize = v)),
  intField('head', 'the head hidden size', 0, 4096, (s) => s.model.head.hiddenSize, (s, v) => (s.model.head.hiddenSize = v)),
  numberField('head.dropout', 'the head dropout', 0, 0.95, (s) => s.model.head.dropout, (s, v) => (s.model.head.dropout = v)),
  numberField('modaldrop', 'the modality dropout', 0, 0.95, (s) => s.model.modalityDropout, (s, v) => (s.model.modalityDropout = v)),
  intField('caption.maxlen', 'the longest generated caption', 1, 256, (s) => s.model.caption.maxLength, (s, v) => (s.model.caption.maxLength = v)),
  // Training.
  enumField('opt', 'the optimizer', OPTIMIZERS, (s) => s.train.optimizer.kind, (s, v) => (s.train.optimizer.kind = v)),
  numberField('lr', 'the learning rate', 0, 10, (s) => s.train.optimizer.lr, (s, v) => (s.train.optimizer.lr = v), true),
  numberField('momentum', 'the momentum', 0, 0.999, (s) => s.train.optimizer.momentum ?? 0, (s, v) => (s.train.optimizer.momentum = v)),
  numberField('wd', 'the weight decay', 0, 1, (s) => s.train.optimizer.weightDecay ?? (s.train.optimizer.kind === 'adamw' ? 0.01 : 0), (s, v) => (s.train.optimizer.weightDecay = v)),
  numberField('l1', 'the L1 penalty', 0, 1, (s) => s.train.optimizer.l1 ?? 0, (s, v) => (s.train.optimizer.l1 = v)),
  {
    key: 'sched',
    label: 'the learning-rate schedule',
    get: (s) => s.train.schedule.kind,
    format: (v) => String(v),
    set(s, text) {
      if (!SCHEDULE_KINDS.includes(text as Schedule['kind'])) return `"sched=${text}": the learning-rate schedule must be one of ${SCHEDULE_KINDS.join(', ')}.`;
      s.train.schedule = defaultSchedule(text as Schedule['kind']);
      return null;
    },
  },
  scheduleNumber('sched.every', 'the steps between decays', ['step'], 1, 1e7, (sc) => (sc.kind === 'step' ? sc.every : undefined), (sc, v) => sc.kind === 'step' && (sc.every = Math.round(v))),
  scheduleNumber('sched.factor', 'the decay factor', ['step'], 0.01, 1, (sc) => (sc.kind === 'step' ? sc.factor : undefined), (sc, v) => sc.kind === 'step' && (sc.factor = v)),
  scheduleNumber('sched.end', 'the final learning rate', ['cosine', 'linear'], 0, 10, (sc) => (sc.kind === 'cosine' ? sc.minRate ?? 0 : sc.kind === 'linear' ? sc.endRate ?? 0 : undefined), (sc, v) => {
    if (sc.kind === 'cosine') sc.minRate = v;
    if (sc.kind === 'linear') sc.endRate = v;
  }),
  intField('warmup', 'the warm-up steps', 0, 1e6, (s) => s.train.warmupSteps, (s, v) => (s.train.warmupSteps = v)),
  intField('batch', 'the batch size', 1, 4096, (s) => s.train.batchSize, (s, v) => (s.train.batchSize = v)),
  intField('epochs', 'the number of epochs', 1, 10000, (s) => s.train.epochs, (s, v) => (s.train.epochs = v)),
  numberField('clip', 'the gradient clipping norm', 0, 1e6, (s) => s.train.clipNorm, (s, v) => (s.train.clipNorm = v)),
  intField('seed', 'the training seed', 0, 2 ** 31 - 1, (s) => s.train.seed, (s, v) => (s.train.seed = v)),
  boolField('es', 'early stopping', (s) => s.train.earlyStopping.enabled, (s, v) => (s.train.earlyStopping.enabled = v)),
  enumField('es.metric', 'the early-stopping metric', METRICS, (s) => s.train.earlyStopping.metric, (s, v) => (s.train.earlyStopping.metric = v)),
  intField('es.patience', 'the early-stopping patience', 1, 1000, (s) => s.train.earlyStopping.patience, (s, v) => (s.train.earlyStopping.patience = v)),
  boolField('es.restore', 'restoring the best weights', (s) => s.train.earlyStopping.restoreBest, (s, v) => (s.train.earlyStopping.restoreBest = v)),
  intField('readback', 'the steps between statistics readbacks', 1, 1000, (s) => s.train.readbackEvery, (s, v) => (s.train.readbackEvery = v)),
  intField('delay', 'the pause between steps (ms)', 0, 10000, (s) => s.train.stepDelayMs, (s, v) => (s.train.stepDelayMs = v)),
  enumField('precision', 'the training precision', PRECISIONS, (s) => s.train.precision ?? 'f32', (s, v) => (s.train.precision = v)),
];

/** Every parameter name (the README's table lists them; a test keeps them in sync). */
export const URL_KEYS: readonly string[] = [...FIELDS.map((f) => f.key), 'tab', 'compress.int8', 'compress.sparsity', ...DISTILL_URL_KEYS];

/**
 * The Export panel's Compression controls from the URL: `compress.int8=1|0` and
 * `compress.sparsity=0…95` (percent, multiples of 5). Values that do not parse are left
 * out and described in `problems`.
 */
export function compressionFromQuery(query: string): { int8?: boolean; sparsityPct?: number; problems: string[] } {
  const params = new URLSearchParams(query);
  const out: { int8?: boolean; sparsityPct?: number; problems: string[] } = { problems: [] };
  const int8 = params.get('compress.int8');
  if (int8 !== null) {
    if (int8 === '1' || int8 === '0') out.int8 = int8 === '1';
    else out.problems.push(`"compress.int8=${clip(int8)}": int8 weights must be 1 or 0. Kept 0.`);
  }
  const sparsity = params.get('compress.sparsity');
  if (sparsity !== null) {
    const v = Number(sparsity);
    if (sparsity.trim() !== '' && Number.isInteger(v) && v >= 0 && v <= 95 && v % 5 === 0) out.sparsityPct = v;
    else out.problems.push(`"compress.sparsity=${clip(sparsity)}": the pruning sparsity must be a multiple of 5 from 0 to 95 (percent). Kept 0.`);
  }
  return out;
}

/** A schedule of `kind` with sensible parameters (totalSteps is set when a run starts). */
export function defaultSchedule(kind: Schedule['kind']): Schedule {
  switch (kind) {
    case 'constant':
      return { kind };
    case 'step':
      return { kind, every: 200, factor: 0.5 };
    case 'cosine':
      return { kind, totalSteps: 0, minRate: 0 };
    case 'linear':
      return { kind, totalSteps: 0, endRate: 0 };
  }
}

export interface ParsedUrl {
  setup: Setup;
  tab: TabId | null;
  /** `backend=webgpu|cpu|auto`: the backend to train on (absent: auto, the app chooses). */
  backend: BackendChoice | null;
  /** One plain sentence per value that was ignored. */
  problems: string[];
}

/** Reads a setup from a query string; never throws. */
export function setupFromQuery(query: string): ParsedUrl {
  const params = new URLSearchParams(query);
  const setup = defaultSetup();
  const problems: string[] = [];
  const known = new Set(FIELDS.map((f) => f.key));
  for (const field of FIELDS) {
    const text = params.get(field.key);
    if (text === null) continue;
    const problem = field.set(setup, text);
    // A long value is quoted clipped: the message is about the setting, not the text.
    if (problem) problems.push(`${text.length > CLIP ? problem.split(text).join(clip(text)) : problem} Kept ${field.format(field.get(setup))}.`);
  }
  let tab: TabId | null = null;
  const tabText = params.get('tab');
  if (tabText !== null) {
    if (TABS.includes(tabText as TabId)) tab = tabText as TabId;
    else problems.push(`"tab=${clip(tabText)}": there is no such panel; the panels are ${TABS.join(', ')}.`);
  }
  let backend: BackendChoice | null = null;
  const backendText = params.get('backend');
  if (backendText !== null) {
    if ((BACKEND_CHOICES as readonly string[]).includes(backendText)) backend = backendText as BackendChoice;
    else problems.push(`"backend=${clip(backendText)}": the backends are ${BACKEND_CHOICES.join(', ')}; the app chooses (auto).`);
  }
  problems.push(...compressionFromQuery(query).problems);
  problems.push(...distillFromQuery(query).problems);
  for (const key of new Set(params.keys())) {
    if (!known.has(key) && !PAGE_SWITCHES.has(key)) problems.push(`"${clip(key)}" is not a GateScope setting; it was ignored.`);
  }
  return { setup, tab, backend, problems };
}

/** Parameters that are not settings: the open panel, the backend, the shader log, the benchmark page. */
const PAGE_SWITCHES = new Set(['tab', 'backend', 'debugShaders', 'bench', 'compress.int8', 'compress.sparsity', ...DISTILL_URL_KEYS]);

const BACKEND_CHOICES = ['auto', 'webgpu', 'cpu'] as const satisfies readonly BackendChoice[];

/**
 * `?bench` opens the benchmark page instead of the app (the canonical configs);
 * `?bench=quick` runs small configs (tests). Null when the parameter is absent.
 */
export function benchPageFromQuery(query: string): { reduced: boolean } | null {
  const value = new URLSearchParams(query).get('bench');
  if (value === null) return null;
  return { reduced: value === 'quick' };
}

/** Longest key or value quoted in full in a message. */
const CLIP = 40;

function clip(text: string): string {
  return text.length > CLIP ? `${text.slice(0, CLIP)}… (${text.length.toLocaleString('en-US')} characters)` : text;
}

/** Problems of a link shown in full; the rest are counted. */
const URL_PROBLEMS_SHOWN = 5;

/**
 * The problems of a link as shown to the user: the first `shown` of them, then one line
 * counting the rest (a link with thousands of bad parameters stays a short notice).
 */
export function summarizeUrlProblems(problems: readonly string[], shown = URL_PROBLEMS_SHOWN): string[] {
  if (problems.length <= shown) return [...problems];
  const rest = problems.length - shown;
  return [...problems.slice(0, shown), `…and ${rest.toLocaleString('en-US')} more ${rest === 1 ? 'problem' : 'problems'} in this link.`];
}

/** The query string of a setup: only the values that differ from the defaults. */
export function queryFromSetup(setup: Setup, tab: TabId | null): string {
  const defaults = defaultSetup();
  const params = new URLSearchParams();
  for (const field of FIELDS) {
    const value = field.get(setup);
    if (value === undefined) continue;
    const text = field.format(value);
    const base = field.get(defaults);
    if (base !== undefined && field.format(base) === text) continue;
    params.set(field.key, text);
  }
  if (tab && tab !== 'data') params.set('tab', tab);
  return params.toString();
}

/** Values shown in upper case in change lists (the cell kinds are names, not words). */
const UPPER_VALUES = new Set(['cell']);

/**
 * The settings that differ between two setups, one "name old → new" phrase per URL
 * parameter (e.g. "cell LSTM → GRU", "hidden 64 → 128"), in URL order.
 */
export function setupChanges(before: Setup, after: Setup): string[] {
  const out: string[] = [];
  for (const field of FIELDS) {
    const a = field.get(before);
    const b = field.get(after);
    const from = a === undefined ? 'none' : field.format(a);
    const to = b === undefined ? 'none' : field.format(b);
    if (from === to) continue;
    const show = (v: string) => (UPPER_VALUES.has(field.key) ? v.toUpperCase() : v);
    out.push(`${field.key} ${show(from)} → ${show(to)}`);
  }
  return out;
}

/** The parameters of a query that set something up (the panel and debug switches do not). */
function setupParams(query: string): string {
  const params = new URLSearchParams(query);
  for (const key of PAGE_SWITCHES) params.delete(key);
  params.sort();
  return params.toString();
}

/**
 * True when `query` (the page's URL) sets up a model and is not the query the app itself
 * last wrote into this history entry (`written`, null when it wrote none): values the user
 * changed in the page are not a link to another setup. `openedAsLink`: the entry was first
 * opened with such a link, which stays one however the app rewrote it since.
 */
export function isForeignLink(query: string, written: string | null, openedAsLink = false): boolean {
  const own = setupParams(query);
  if (own === '') return false;
  return openedAsLink || written === null || setupParams(written) !== own;
}
