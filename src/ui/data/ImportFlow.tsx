// The user's own files, step by step with the data components: pick (folder, .zip,
// manifest or drop), map the columns, decode the images with progress and cancel. The
// work happens in the dataset worker (through the import controller): the page posts the
// picked files, shows the proposed mapping and the progress, and gets the prepared
// dataset — nothing of the size of the data is handled here.
import { useRef, useState } from 'react';
import type { ImportProgress, PlanSummary } from '../../data/importer.ts';
import type { ColumnMapping } from '../../data/manifest.ts';
import { loadPlannedImport, planPickedFiles, type ImportFailure } from '../../state/import-controller.ts';
import { ColumnMappingForm } from './ColumnMappingForm.tsx';
import type { GatheredFiles } from './gatherFiles.ts';
import { ImportPicker } from './ImportPicker.tsx';
import { ImportProgressBar } from './ImportProgressBar.tsx';

type Stage =
  | { step: 'pick' }
  | { step: 'planning' }
  | { step: 'mapping'; plan: PlanSummary; mapping: ColumnMapping }
  | { step: 'loading'; plan: PlanSummary; mapping: ColumnMapping; progress: ImportProgress };

/** Import steps; failures go to `onError` (null clears it). */
export function ImportFlow({ imageSize, onError }: { imageSize: number; onError: (e: ImportFailure | null) => void }) {
  const [stage, setStage] = useState<Stage>({ step: 'pick' });
  const abort = useRef<AbortController | null>(null);

  const onFiles = (g: GatheredFiles) => {
    onError(null);
    setStage({ step: 'planning' });
    void planPickedFiles(g.files, g.fromFolder, g.folders).then((planned) => {
      if ('plan' in planned) {
        setStage({ step: 'mapping', plan: planned.plan, mapping: planned.plan.mapping });
      } else {
        setStage({ step: 'pick' });
        onError(planned.failure);
      }
    });
  };

  const startLoad = () => {
    if (stage.step !== 'mapping') return;
    const { plan, mapping } = stage;
    const controller = new AbortController();
    abort.current = controller;
    onError(null);
    setStage({ step: 'loading', plan, mapping, progress: { phase: 'reading', done: 0, total: 0 } });
    void loadPlannedImport(plan, mapping, imageSize, (progress) => setStage({ step: 'loading', plan, mapping, progress }), controller.signal).then((failure) => {
      abort.current = null;
      setStage({ step: 'mapping', plan, mapping });
      if (failure) onError(failure);
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
