// Building the prepared dataset the settings describe: Shapes & Questions, OpenMoji, the
// long-memory task, or the user's imported examples. Pure (no DOM): runs in the dataset
// worker (dataset.worker.ts), and in tests on the main thread.
import { generateClues } from '../data/clues.ts';
import { generateLongMemory } from '../data/long-memory.ts';
import { generateSeries } from '../data/series.ts';
import { soundsDataset, SOUNDS_DEFAULTS, withAudio } from '../data/sounds-dataset.ts';
import { importSeries, type SeriesFile, type SeriesImportOptions } from '../data/series-import.ts';
import { loadOpenMoji } from '../data/openmoji.ts';
import { prepareDataset } from '../data/prepare.ts';
import { emptyReport } from '../data/report.ts';
import { generateShapes } from '../data/shapes.ts';
import type { ExtraTaskKind, PreparedDataset, RawExample, TaskKind, ValidationReport } from '../data/types.ts';
import type { DataSettings, PreparationSettings } from './settings.ts';

/** Raw examples of the user's import, as the importer returned them. */
export interface ImportedExamples {
  name: string;
  examples: RawExample[];
  report: ValidationReport;
  task: TaskKind;
  /** Auxiliary tasks whose targets the examples carry (extra target columns, or a built-in's "also predict"). */
  extraTasks?: { name: string; kind: ExtraTaskKind }[];
}

/** What to build: a built-in from its settings, or an import. */
export type DatasetRequest =
  | { source: 'shapes' | 'openmoji' | 'clues'; settings: DataSettings; openMojiBaseUrl: string }
  | { source: 'memory'; settings: DataSettings }
  | { source: 'series'; settings: DataSettings }
  | { source: 'sounds'; settings: DataSettings }
  /** The user's time-series files (read in the page, parsed here). */
  | { source: 'series-files'; files: SeriesFile[]; options: SeriesImportOptions }
  | { source: 'import'; imported: ImportedExamples; preparation: PreparationSettings };

/**
 * Where a preparation stands, for the page's header: what is being prepared, the stage
 * (in plain words) and its number among the stages of this request.
 */
export interface DatasetProgress {
  what: string;
  stage: string;
  step: number;
  steps: number;
}

/** A failure that still has a report to show (e.g. every row was skipped). */
export class DatasetError extends Error {
  constructor(
    message: string,
    readonly report: ValidationReport | null,
    readonly reportName: string | null,
  ) {
    super(message);
  }
}

/** Raw examples of a built-in, before preparation. */
interface RawBuiltIn extends ImportedExamples {
  key: string;
  kindCeilings?: PreparedDataset['kindCeilings'];
}

/** Builds datasets, keeping the last built-in's raw examples so a new preparation does not regenerate them. */
export class DatasetBuilder {
  private cached: RawBuiltIn | null = null;

  async build(request: DatasetRequest, onProgress: (p: DatasetProgress) => void = () => {}): Promise<PreparedDataset> {
    if (request.source === 'memory') {
      const m = request.settings.memory;
      onProgress({ what: 'the long-memory task', stage: `generating ${count(m.count)} sequences of ${m.length} tokens`, step: 1, steps: 1 });
      return generateLongMemory({ count: m.count, length: m.length, seed: m.seed });
    }
    if (request.source === 'series') {
      const o = request.settings.series;
      onProgress({ what: 'the series task', stage: `generating ${count(o.count)} series of ${o.length + o.horizon} steps`, step: 1, steps: 1 });
      return generateSeries(o);
    }
    if (request.source === 'sounds') {
      // A session saved before Sounds & Questions existed has no settings for it.
      const o = request.settings.sounds ?? SOUNDS_DEFAULTS;
      onProgress({ what: 'Sounds & Questions', stage: `generating ${count(o.count)} one-second clips and their log-mel frames`, step: 1, steps: 1 });
      try {
        return soundsDataset(o, request.settings.preparation);
      } catch (e) {
        throw new DatasetError(`Nothing to train on: ${(e as Error).message}`, null, null);
      }
    }
    if (request.source === 'series-files') {
      onProgress({ what: 'your series', stage: `reading ${count(request.files.length)} file${request.files.length === 1 ? '' : 's'}`, step: 1, steps: 1 });
      const r = importSeries(request.files, request.options);
      if (!r.dataset) throw new DatasetError(`Nothing to train on: fewer than 2 series of ${r.name} could be read. The validation report says why each row or file was skipped.`, r.report, r.name);
      return r.dataset;
    }
    if (request.source === 'import') {
      onProgress({ what: `your data (${request.imported.name})`, stage: preparingStage(request.imported.examples.length), step: 1, steps: 1 });
      return prepare(request.imported, request.preparation);
    }
    const raw = await this.rawBuiltIn(request, onProgress);
    onProgress({ what: raw.name, stage: preparingStage(raw.examples.length), step: 2, steps: 2 });
    const also = request.source === 'clues' ? (request.settings.clues.also ?? []) : [];
    const prepared = prepare(also.length ? { ...raw, extraTasks: also.map((name) => ({ name, kind: 'classification' as const })) } : raw, request.settings.preparation);
    if (raw.kindCeilings) prepared.kindCeilings = raw.kindCeilings;
    return prepared;
  }

  private async rawBuiltIn(request: Extract<DatasetRequest, { source: 'shapes' | 'openmoji' | 'clues' }>, onProgress: (p: DatasetProgress) => void): Promise<RawBuiltIn> {
    const s = request.settings;
    const key =
      request.source === 'shapes'
        ? JSON.stringify(['shapes', s.shapes, s.preparation.imageSize])
        : request.source === 'clues'
          ? JSON.stringify(['clues', s.clues, s.preparation.imageSize])
          : JSON.stringify(['openmoji', s.openMoji, request.openMojiBaseUrl]);
    if (this.cached?.key === key) return this.cached;
    let raw: RawBuiltIn;
    const first = (what: string, stage: string) => onProgress({ what, stage, step: 1, steps: 2 });
    if (request.source === 'clues') {
      first('Complementary clues', `generating ${count(s.clues.count)} examples and their pictures`);
      const examples = generateClues({ count: s.clues.count, seed: s.clues.seed, imageSize: s.preparation.imageSize });
      raw = { key, name: 'Complementary clues', examples, report: { ...emptyReport(), rowsSeen: examples.length, rowsKept: examples.length }, task: 'classification' };
    } else if (request.source === 'shapes') {
      const o = s.shapes;
      first('Shapes & Questions', `generating ${count(o.count)} ${o.mode === 'captions' ? 'captioned pictures' : 'questions and their pictures'}`);
      const d = generateShapes({ count: o.count, seed: o.seed, difficulty: o.difficulty, imageSize: s.preparation.imageSize, kinds: o.mode === 'captions' ? ['caption'] : o.kinds });
      const report = { ...emptyReport(), rowsSeen: d.examples.length, rowsKept: d.examples.length };
      const kindCeilings: NonNullable<PreparedDataset['kindCeilings']> = {};
      for (const k of d.kinds) if (k.chance) kindCeilings[k.kind] = { textOnly: k.chance.textOnly, imageOnly: k.chance.imageOnly };
      raw = { key, name: 'Shapes & Questions', examples: d.examples, report, task: o.mode === 'captions' ? 'captioning' : 'classification', kindCeilings };
    } else {
      first(`OpenMoji (${s.openMoji.task})`, 'loading the emoji pictures');
      const { examples, report } = await loadOpenMoji(request.openMojiBaseUrl, s.openMoji);
      raw = { key, name: `OpenMoji (${s.openMoji.task})`, examples, report, task: s.openMoji.task === 'caption' ? 'captioning' : 'classification' };
    }
    this.cached = raw;
    return raw;
  }
}

const count = (n: number) => n.toLocaleString('en-US');

function preparingStage(n: number): string {
  return `tokenizing, resizing and splitting ${count(n)} examples`;
}

function prepare(raw: ImportedExamples, p: PreparationSettings): PreparedDataset {
  try {
    const extraTasks = raw.extraTasks?.map((t) => ({ ...t, weight: p.taskWeights?.[t.name] ?? 1 }));
    const prepared = prepareDataset(raw.examples, { task: raw.task, tokenizer: p.tokenizer, imageSize: p.imageSize, split: p.split, name: raw.name, report: raw.report, ...(extraTasks?.length ? { extraTasks } : {}) });
    if (raw.examples.some((e) => e.audio)) {
      // Audio imports: the clips (16 kHz, decoded in the page) become log-mel frames in the image's place.
      const byId = new Map(raw.examples.map((e) => [e.id, e.audio ?? null]));
      return withAudio(
        prepared,
        prepared.ids.map((id) => byId.get(id) ?? null),
      );
    }
    return prepared;
  } catch (e) {
    throw new DatasetError(`Nothing to train on: ${(e as Error).message}`, raw.report, raw.name);
  }
}
