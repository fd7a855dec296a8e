// The user's own files, step by step with the data components: pick (folder, .zip,
// manifest or drop), map the columns, decode the images with progress and cancel. The
// loaded examples are handed to the data controller, which prepares them off the main
// thread with the current preparation settings.
import { useEffect, useRef, useState } from 'react';
import { createDecoderPool, type DecoderPool } from '../../data/decode.ts';
import { ImportError, loadImport, planImport, type ImportPlan, type ImportProgress } from '../../data/importer.ts';
import type { ColumnMapping } from '../../data/manifest.ts';
import { emptyReport } from '../../data/report.ts';
import type { ValidationReport } from '../../data/types.ts';
import { setImportedExamples } from '../../state/data-controller.ts';
import { ColumnMappingForm } from '../data/ColumnMappingForm.tsx';
import type { GatheredFiles } from '../data/gatherFiles.ts';
import { ImportPicker } from '../data/ImportPicker.tsx';
import { ImportProgressBar } from '../data/ImportProgressBar.tsx';

type Stage =
  | { step: 'pick' }
  | { step: 'planning' }
  | { step: 'mapping'; plan: ImportPlan; mapping: ColumnMapping }
  | { step: 'loading'; plan: ImportPlan; mapping: ColumnMapping; progress: ImportProgress };

export interface ImportFailure {
  message: string;
  report?: ValidationReport;
  name?: string;
}

/** Import steps; failures go to `onError` (null clears it). */
export function ImportFlow({ imageSize, onError }: { imageSize: number; onError: (e: ImportFailure | null) => void }) {
  const [stage, setStage] = useState<Stage>({ step: 'pick' });
  const abort = useRef<AbortController | null>(null);
  const pool = useRef<DecoderPool | null>(null);
  useEffect(() => () => pool.current?.dispose(), []);

  const onFiles = (g: GatheredFiles) => {
    onError(null);
    setStage({ step: 'planning' });
    planImport(g.files, { fromFolder: g.fromFolder, folders: g.folders }).then(
      (plan) => setStage({ step: 'mapping', plan, mapping: plan.mapping }),
      (e: Error) => {
        setStage({ step: 'pick' });
        const issues = e instanceof ImportError ? e.issues : [];
        onError({ message: e.message, report: { ...emptyReport(), issues, rowsSkipped: 0 }, name: g.files[0]?.path ?? 'import' });
      },
    );
  };

  const startLoad = () => {
    if (stage.step !== 'mapping') return;
    const { plan, mapping } = stage;
    const controller = new AbortController();
    abort.current = controller;
    pool.current?.dispose();
    pool.current = createDecoderPool(imageSize);
    let last = 0;
    onError(null);
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
          setImportedExamples({ name: result.name, examples: result.examples, report: result.report, task: result.task });
          setStage({ step: 'mapping', plan, mapping });
        },
        (e: Error) => {
          setStage({ step: 'mapping', plan, mapping });
          if (e instanceof ImportError) onError({ message: e.message, report: { ...emptyReport(), issues: e.issues }, name: plan.name });
          else onError({ message: e.name === 'AbortError' ? 'Import cancelled; nothing was loaded.' : `Import failed: ${e.message}` });
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

  const loading = stage.step === 'loading' || stage.step === 'planning';
  return (
    <>
      <ImportPicker onFiles={onFiles} onError={(message) => onError({ message })} disabled={loading} />
      {stage.step === 'planning' && <p>Reading the file list…</p>}
      {stage.step === 'mapping' && (
        <ColumnMappingForm plan={stage.plan} mapping={stage.mapping} onChange={(mapping) => setStage({ ...stage, mapping })} onLoad={startLoad} onCancel={() => setStage({ step: 'pick' })} />
      )}
      {stage.step === 'loading' && <ImportProgressBar progress={stage.progress} onCancel={cancel} />}
    </>
  );
}
