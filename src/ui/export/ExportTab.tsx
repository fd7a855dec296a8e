// The Export tab: the Export panel connected to the main session — its configs and
// dataset, the worker's training state and forward outputs, checkpoint loading and
// clearing the saved session (state/session-store.ts).
import { useStore } from '../../state/store.ts';
import { training } from '../../state/training.ts';
import { applyCheckpoint, clearSavedSession } from '../../state/session-store.ts';
import { compressionFromQuery } from '../../state/url.ts';
import { ExportPanel } from './ExportPanel.tsx';

export function ExportTab() {
  const session = useStore((s) => s.session);
  const status = useStore((s) => s.runStatus);
  const ready = !!session && status !== 'none' && status !== 'starting' && status !== 'failed';
  return (
    <ExportPanel
      model={ready ? session.model : null}
      trainConfig={session?.train ?? null}
      dataset={session?.dataset ?? null}
      features={session?.featureValues ?? null}
      getTrainingState={ready ? () => training.exportState() : null}
      getSteps={() => training.recentSteps()}
      gatescopeOutputs={(indices) => training.outputs(indices)}
      onLoadCheckpoint={(checkpoint) => applyCheckpoint(checkpoint)}
      onClearSession={() => clearSavedSession()}
      appVersion={__APP_VERSION__}
      compression={compressionFromQuery(window.location.search)}
    />
  );
}
