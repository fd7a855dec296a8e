// Train / Pause / Step / Stop for the main run, always in the header so that one click
// trains from any panel, and a line saying what the run is doing (or, before the first
// dataset is ready, what is being prepared).
import { useStore } from '../../state/store.ts';
import { sameRun } from '../../state/continuation.ts';
import { currentTarget } from '../../state/target.ts';
import { training } from '../../state/training.ts';

const STATUS_TEXT: Record<string, string> = {
  none: 'No model yet',
  starting: 'Building the model…',
  idle: 'Ready to train',
  running: 'Training',
  paused: 'Paused',
  finished: 'Finished',
  stopped: 'Stopped',
  failed: 'Could not start',
};

/** Small icons drawn in SVG (no font needed for the glyphs). */
function Icon({ kind }: { kind: 'play' | 'pause' | 'step' | 'stop' }) {
  const paths = {
    play: 'M3 2 L13 8 L3 14 Z',
    pause: 'M3 2 H6.5 V14 H3 Z M9.5 2 H13 V14 H9.5 Z',
    step: 'M2 2 L10 8 L2 14 Z M11 2 H14 V14 H11 Z',
    stop: 'M3 3 H13 V13 H3 Z',
  };
  return (
    <svg className="icon" viewBox="0 0 16 16" width="13" height="13" aria-hidden="true">
      <path d={paths[kind]} fill="currentColor" />
    </svg>
  );
}

/** The run buttons. Test ids: train-start, train-pause, train-step, train-stop. */
export function RunControls() {
  const status = useStore((s) => s.runStatus);
  const compareRunning = useStore((s) => s.compareRunning);
  const setTab = useStore((s) => s.setTab);
  const tab = useStore((s) => s.tab);
  // A string (not an object) so the selector is stable between renders.
  const problem = useStore((s) => currentTarget(s).problems[0] ?? null);
  const canBuild = problem === null && !compareRunning;
  // While the model is being built a click waits for it, so the buttons stay enabled.
  const trainEnabled = status === 'paused' ? !compareRunning : canBuild && status !== 'running';
  const stepEnabled = canBuild && status !== 'running';
  // After the run ended, Train goes on with the trained model while the settings still describe it.
  const continues = useStore((s) => {
    const { target } = currentTarget(s);
    const spec = s.session;
    return !!target && !!spec && (s.progress?.step ?? 0) > 0 && sameRun({ dataset: spec.dataset, model: spec.model, train: spec.train, features: spec.featureValues }, target);
  });
  const ended = status === 'finished' || status === 'stopped';
  const trainLabel = status === 'paused' ? 'Resume' : ended ? (continues ? 'Train more' : 'Train again') : 'Train';
  const onTrain = () => {
    // The first press from the data or model panel shows the live charts.
    if (status !== 'paused' && (tab === 'data' || tab === 'model')) setTab('train');
    void training.train();
  };
  return (
    <div className="run-controls" role="group" aria-label="Training">
      <button type="button" className="primary run-button" data-testid="train-start" disabled={!trainEnabled} onClick={onTrain} title={problem ?? undefined}>
        <Icon kind="play" /> {trainLabel}
      </button>
      <button type="button" className="run-button" data-testid="train-pause" disabled={status !== 'running'} onClick={() => training.pause()}>
        <Icon kind="pause" /> Pause
      </button>
      <button type="button" className="run-button" data-testid="train-step" disabled={!stepEnabled} onClick={() => void training.stepOnce()} title="Run one training step">
        <Icon kind="step" /> Step
      </button>
      <button type="button" className="run-button" data-testid="train-stop" disabled={status !== 'running' && status !== 'paused'} onClick={() => training.stop()}>
        <Icon kind="stop" /> Stop
      </button>
    </div>
  );
}

/** The first dataset's preparation in words, or null once a dataset exists (or its preparation failed). */
function usePreparation(): string | null {
  const waiting = useStore((s) => s.dataset === null && s.dataError === null);
  const progress = useStore((s) => s.dataProgress);
  if (!waiting) return null;
  if (!progress) return 'Getting the dataset ready…';
  return `Preparing ${progress.what}: ${progress.stage}… (stage ${progress.step} of ${progress.steps})`;
}

/** One line: what the run is doing, why it cannot start, or that the settings changed since it started. */
export function RunStatusLine() {
  const preparation = usePreparation();
  const status = useStore((s) => s.runStatus);
  const step = useStore((s) => s.progress?.step ?? 0);
  const reason = useStore((s) => s.runReason);
  const compareRunning = useStore((s) => s.compareRunning);
  const problem = useStore((s) => currentTarget(s).problems[0] ?? null);
  const stale = useStore((s) => {
    if (!s.session || s.runStatus === 'none' || s.runStatus === 'starting') return false;
    const { target } = currentTarget(s);
    return target !== null && target.key !== s.session.key && (s.progress?.step ?? 0) > 0;
  });
  const statusText = status === 'paused' ? `Paused at step ${step}` : STATUS_TEXT[status];
  let text = statusText;
  let tone = 'muted';
  if (compareRunning) {
    text = 'The Compare panel is training its queue; the main run waits.';
  } else if (preparation) {
    text = preparation;
  } else if (problem && status !== 'running' && status !== 'paused') {
    text = `Cannot train: ${problem}`;
    tone = 'danger';
  } else if (status === 'failed') {
    text = `Could not start: ${reason ?? 'unknown error'}`;
    tone = 'danger';
  } else if (stale) {
    text =
      status === 'paused' || status === 'running'
        ? `${statusText} — settings changed since this model was built: Stop, then Train to use them.`
        : `${statusText} — settings changed: Train builds a new model with them (it asks first when that replaces a trained one).`;
  } else if (reason && (status === 'paused' || status === 'finished')) {
    text = `${statusText}: ${reason}`;
  }
  return (
    <p className={`run-status tone-${tone}`} data-testid="run-status" data-preparing={preparation ? 'true' : undefined} role="status" title={text}>
      {text}
    </p>
  );
}
