// The user's own files, step by step with the data components: pick (folder, .zip,
// manifest or drop), map the columns, decode the images with progress and cancel. The
// work happens in the dataset worker (through the data controller): the page posts the
// picked files, shows the proposed mapping and the progress, and gets the prepared
// dataset — nothing of the size of the data is handled here.
import { useRef, useState } from 'react';
import type { ImportProgress, PlanSummary } from '../../data/importer.ts';
import type { ColumnMapping } from '../../data/manifest.ts';
import { emptyReport } from '../../data/report.ts';
import type { ValidationReport } from '../../data/types.ts';
import { loadImport, planImport } from '../../state/data-controller.ts';
import { ImportRefused } from '../../state/dataset-client.ts';
import { ColumnMappingForm } from './ColumnMappingForm.tsx';
import type { GatheredFiles } from './gatherFiles.ts';
import { ImportPicker } from './ImportPicker.tsx';
import { ImportProgressBar } from './ImportProgressBar.tsx';

type Stage =
  | { step: 'pick' }
  | { step: 'planning' }
  | { step: 'mapping'; plan: PlanSummary; mapping: ColumnMapping }
  | { step: 'loading'; plan: PlanSummary; mapping: ColumnMapping; progress: ImportProgress };

export interface ImportFailure {
  message: string;
  report?: ValidationReport;
  name?: string;
}

/** Import steps; failures go to `onError` (null clears it). */
export function ImportFlow({ imageSize, onError }: { imageSize: number; onError: (e: ImportFailure | null) => void }) {
  const [stage, setStage] = useState<Stage>({ step: 'pick' });
  const abort = useRef<AbortController | null>(null);

  const onFiles = (g: GatheredFiles) => {
    onError(null);
    setStage({ step: 'planning' });
    planImport(g.files, g.fromFolder, g.folders).then(
      (plan) => setStage({ step: 'mapping', plan, mapping: plan.mapping }),
      (e: Error) => {
        setStage({ step: 'pick' });
        const issues = e instanceof ImportRefused ? e.issues : [];
        onError({ message: e.message, report: { ...emptyReport(), issues, rowsSkipped: 0 }, name: g.files[0]?.path ?? 'import' });
      },
    );
  };

  const startLoad = () => {
    if (stage.step !== 'mapping') return;
    const { plan, mapping } = stage;
    const controller = new AbortController();
    abort.current = controller;
    onError(null);
    setStage({ step: 'loading', plan, mapping, progress: { phase: 'reading', done: 0, total: 0 } });
    // The worker posts progress at most every 50 ms.
    loadImport(mapping, imageSize, (progress) => setStage({ step: 'loading', plan, mapping, progress }), controller.signal)
      .then(
        () => setStage({ step: 'mapping', plan, mapping }),
        (e: Error) => {
          setStage({ step: 'mapping', plan, mapping });
          if (e instanceof ImportRefused) onError({ message: e.message, report: { ...emptyReport(), issues: e.issues }, name: plan.name });
          else onError({ message: e.name === 'AbortError' ? 'Import cancelled; nothing was loaded.' : `Import failed: ${e.message}` });
        },
      )
      .finally(() => {
        abort.current = null;
      });
  };

  const cancel = () => abort.current?.abort();

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
