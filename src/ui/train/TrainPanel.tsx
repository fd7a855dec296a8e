// The Train panel: settings on the left; on the right the run's state, the overfitting
// notice, the live charts and the Performance section.
import { TrainSettings } from './TrainSettings.tsx';
import { TrainCharts } from './TrainCharts.tsx';
import { OverfittingNotice } from './OverfittingNotice.tsx';
import { FusionNote, RunLog } from '../shell/Notices.tsx';
import { useStore } from '../../state/store.ts';
import { compact } from '../common/format.ts';
import { CELL_LABELS } from '../common/labels.ts';
import { PerformanceSection } from './PerformanceSection.tsx';

function SessionSummary() {
  const info = useStore((s) => s.runInfo);
  const session = useStore((s) => s.session);
  if (!info || !session) return <p className="muted">The model is built when the dataset is ready.</p>;
  const m = session.model;
  return (
    <p className="session-summary" data-testid="session-summary">
      {m.fusion === 'image' ? 'no text encoder' : CELL_LABELS[m.text.cell]} · {m.fusion} fusion · {compact(info.parameters)} parameters · {info.stepsPerEpoch} steps per epoch · {session.dataset.name}
    </p>
  );
}

export function TrainPanel() {
  return (
    <div className="train-panel">
      <TrainSettings />
      <div className="train-main">
        <SessionSummary />
        <FusionNote />
        <RunLog />
        <OverfittingNotice />
        <TrainCharts />
        <PerformanceSection />
      </div>
    </div>
  );
}
