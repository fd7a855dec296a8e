// The data section: choose a dataset (Shapes & Questions, OpenMoji, or the user's own
// files), import with a mapping step, progress and cancel, prepare it for the models,
// and show the validation report, examples, class and text-length histograms and split
// sizes. Self-contained: props in, `onDatasetReady` out; no global store.
import { useCallback, useEffect, useRef, useState } from 'react';
import { createDecoderPool, type DecoderPool } from '../../data/decode.ts';
import { ImportError, loadImport, planImport, type ImportPlan, type ImportProgress } from '../../data/importer.ts';
import type { ColumnMapping } from '../../data/manifest.ts';
import { loadOpenMoji, type OpenMojiOptions } from '../../data/openmoji.ts';
import { DEFAULT_SPLIT, prepareDataset } from '../../data/prepare.ts';
import { emptyReport } from '../../data/report.ts';
import { generateShapes } from '../../data/shapes.ts';
import { DEFAULT_TOKENIZER } from '../../data/tokenizer.ts';
import type { PreparedDataset, RawExample, TaskKind, ValidationReport } from '../../data/types.ts';
import { ClassHistogram } from './ClassHistogram.tsx';
import { ColumnMappingForm } from './ColumnMappingForm.tsx';
import { DatasetChooser, type DatasetSource } from './DatasetChooser.tsx';
import type { GatheredFiles } from './gatherFiles.ts';
import { ImportPicker } from './ImportPicker.tsx';
import { ImportProgressBar } from './ImportProgressBar.tsx';
import { OpenMojiForm } from './OpenMojiForm.tsx';
import { PreparationSettings, type PreparationValue } from './PreparationSettings.tsx';
import { PreviewGallery } from './PreviewGallery.tsx';
import { ShapesForm, type ShapesFormValue } from './ShapesForm.tsx';
import { SplitSizes } from './SplitSizes.tsx';
import { TextLengthHistogram } from './TextLengthHistogram.tsx';
import { ValidationReportView } from './ValidationReportView.tsx';
import './data.css';

/** Raw examples of the chosen dataset before preparation. */
interface RawDataset {
  source: DatasetSource;
  name: string;
  examples: RawExample[];
  report: ValidationReport;
  task: TaskKind;
}

type ImportStage =
  | { step: 'pick' }
  | { step: 'planning' }
  | { step: 'mapping'; plan: ImportPlan; mapping: ColumnMapping }
  | { step: 'loading'; plan: ImportPlan; mapping: ColumnMapping; progress: ImportProgress };

export interface DataSectionProps {
  /** Called with every newly prepared dataset. */
  onDatasetReady?: (dataset: PreparedDataset) => void;
  /** Folder of the OpenMoji assets (default: `${BASE_URL}openmoji/`). */
  openMojiBaseUrl?: string;
}

const DEFAULT_PREPARATION: PreparationValue = { imageSize: 32, tokenizer: DEFAULT_TOKENIZER, split: DEFAULT_SPLIT };

/** The whole data flow of the app, as one self-contained component. */
export function DataSection({ onDatasetReady, openMojiBaseUrl = `${import.meta.env.BASE_URL}openmoji/` }: DataSectionProps) {
  const [source, setSource] = useState<DatasetSource>('shapes');
  const [preparation, setPreparation] = useState<PreparationValue>(DEFAULT_PREPARATION);
  const [shapes, setShapes] = useState<ShapesFormValue>({ count: 2400, seed: 1, difficulty: 'normal', mode: 'questions' });
  const [openMoji, setOpenMoji] = useState<OpenMojiOptions>({ task: 'group', text: 'tags' });
  const [stage, setStage] = useState<ImportStage>({ step: 'pick' });
  const [raw, setRaw] = useState<RawDataset | null>(null);
  const [prepared, setPrepared] = useState<PreparedDataset | null>(null);
  const [error, setError] = useState<{ message: string; report?: ValidationReport; name?: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const abort = useRef<AbortController | null>(null);
  // The latest callback, so that a new function from the parent does not re-prepare.
  const readyCallback = useRef(onDatasetReady);
  readyCallback.current = onDatasetReady;
  const pool = useRef<DecoderPool | null>(null);

  const generate = useCallback(
    (value: ShapesFormValue, imageSize: number) => {
      setBusy(true);
      // Let the page paint "Generating…" before the synchronous work.
      setTimeout(() => {
        try {
          const d = generateShapes({ count: value.count, seed: value.seed, difficulty: value.difficulty, imageSize, kinds: value.mode === 'captions' ? ['caption'] : undefined });
          const report = { ...emptyReport(), rowsSeen: d.examples.length, rowsKept: d.examples.length };
          setRaw({ source: 'shapes', name: 'Shapes & Questions', examples: d.examples, report, task: value.mode === 'captions' ? 'captioning' : 'classification' });
          setError(null);
        } catch (e) {
          setError({ message: (e as Error).message });
        } finally {
          setBusy(false);
        }
      }, 0);
    },
    [],
  );

  // The app opens on the built-in Shapes dataset; it is drawn again at a new image size.
  useEffect(() => {
    if (source === 'shapes') generate(shapes, preparation.imageSize);
  }, [preparation.imageSize]); // only the size: other shape options wait for "Generate"

  // Prepare whenever the raw data or the preparation settings change.
  useEffect(() => {
    if (!raw) return;
    try {
      const d = prepareDataset(raw.examples, { task: raw.task, tokenizer: preparation.tokenizer, imageSize: preparation.imageSize, split: preparation.split, name: raw.name, report: raw.report });
      setPrepared(d);
      setError(null);
      readyCallback.current?.(d);
    } catch (e) {
      setPrepared(null);
      setError({ message: `Nothing to train on: ${(e as Error).message}`, report: raw.report, name: raw.name });
    }
  }, [raw, preparation]);

  useEffect(() => () => pool.current?.dispose(), []);

  const chooseSource = (s: DatasetSource) => {
    setSource(s);
    setError(null);
    if (s === 'shapes') generate(shapes, preparation.imageSize);
    if (s === 'import') setStage({ step: 'pick' });
  };

  const loadEmoji = () => {
    setBusy(true);
    loadOpenMoji(openMojiBaseUrl, openMoji).then(
      ({ examples, report }) => {
        setRaw({ source: 'openmoji', name: `OpenMoji (${openMoji.task})`, examples, report, task: openMoji.task === 'caption' ? 'captioning' : 'classification' });
        setBusy(false);
      },
      (e: Error) => {
        setError({ message: e.message });
        setBusy(false);
      },
    );
  };

  const onFiles = (g: GatheredFiles) => {
    setError(null);
    setStage({ step: 'planning' });
    planImport(g.files, { fromFolder: g.fromFolder }).then(
      (plan) => setStage({ step: 'mapping', plan, mapping: plan.mapping }),
      (e: Error) => {
        setStage({ step: 'pick' });
        const issues = e instanceof ImportError ? e.issues : [];
        setError({ message: e.message, report: { ...emptyReport(), issues, rowsSkipped: 0 }, name: g.files[0]?.path ?? 'import' });
      },
    );
  };

  const startLoad = () => {
    if (stage.step !== 'mapping') return;
    const { plan, mapping } = stage;
    const controller = new AbortController();
    abort.current = controller;
    pool.current?.dispose();
    pool.current = createDecoderPool(preparation.imageSize);
    let last = 0;
    setStage({ step: 'loading', plan, mapping, progress: { phase: 'reading', done: 0, total: 0 } });
    loadImport(plan, mapping, {
      decode: pool.current.decode,
      signal: controller.signal,
      onProgress: (progress) => {
        const now = performance.now();
        if (now - last < 50 && progress.done < progress.total) return;
        last = now;
        setStage({ step: 'loading', plan, mapping, progress });
      },
    })
      .then(
        (result) => {
          setRaw({ source: 'import', name: result.name, examples: result.examples, report: result.report, task: result.task });
          setStage({ step: 'mapping', plan, mapping });
        },
        (e: Error) => {
          setStage({ step: 'mapping', plan, mapping });
          setError({ message: e.name === 'AbortError' ? 'Import cancelled; nothing was loaded.' : `Import failed: ${e.message}` });
        },
      )
      .finally(() => {
        pool.current?.dispose();
        pool.current = null;
        abort.current = null;
      });
  };

  const cancel = () => {
    abort.current?.abort();
    pool.current?.dispose();
  };

  const shown = prepared && raw?.source === source ? prepared : null;
  const loading = stage.step === 'loading' || stage.step === 'planning';
  return (
    <div className="data-section" data-testid="data-section">
      <DatasetChooser value={source} onChange={chooseSource} disabled={loading} />
      <PreparationSettings value={preparation} onChange={setPreparation} disabled={loading} />
      {source === 'shapes' && <ShapesForm value={shapes} onChange={setShapes} onGenerate={() => generate(shapes, preparation.imageSize)} busy={busy} />}
      {source === 'openmoji' && <OpenMojiForm value={openMoji} onChange={setOpenMoji} onLoad={loadEmoji} busy={busy} />}
      {source === 'import' && (
        <>
          <ImportPicker onFiles={onFiles} onError={(message) => setError({ message })} disabled={loading} />
          {stage.step === 'planning' && <p>Reading the file list…</p>}
          {stage.step === 'mapping' && (
            <ColumnMappingForm plan={stage.plan} mapping={stage.mapping} onChange={(mapping) => setStage({ ...stage, mapping })} onLoad={startLoad} onCancel={() => setStage({ step: 'pick' })} />
          )}
          {stage.step === 'loading' && <ImportProgressBar progress={stage.progress} onCancel={cancel} />}
        </>
      )}
      {busy && <p data-testid="data-busy">Preparing the dataset…</p>}
      {error && (
        <p className="data-error" role="alert" data-testid="data-error">
          {error.message}
        </p>
      )}
      {error?.report && !shown && <ValidationReportView report={error.report} name={error.name ?? 'import'} />}
      {shown && (
        <>
          <ValidationReportView report={shown.report} name={shown.name} />
          <SplitSizes dataset={shown} />
          <ClassHistogram dataset={shown} />
          <TextLengthHistogram dataset={shown} />
          <PreviewGallery dataset={shown} />
        </>
      )}
    </div>
  );
}
