// Progress of the main run: a bar over all steps and one line with epoch, step, ETA,
// ms/step and examples/s (fixed-width figures, so nothing shifts while it counts). The
// trainer sends an ETA only once step times have settled (train/eta.ts); until then a
// running run says "estimating…".
import { useStore } from '../../state/store.ts';
import { duration } from '../common/format.ts';

export function ProgressBar() {
  const progress = useStore((s) => s.progress);
  const throughput = useStore((s) => s.throughput);
  const status = useStore((s) => s.runStatus);
  const total = progress?.totalSteps ?? 0;
  const step = progress?.step ?? 0;
  const epochs = progress && progress.stepsPerEpoch > 0 ? Math.round(progress.totalSteps / progress.stepsPerEpoch) : 0;
  const epoch = progress ? Math.min(epochs, progress.epoch + (progress.stepInEpoch > 0 || step === 0 ? 1 : 0)) : 0;
  const running = status === 'running';
  return (
    <div className="progress-box">
      <progress className="progress-bar" data-testid="progress-bar" value={step} max={Math.max(1, total)} aria-label="Training progress" />
      <p className="progress-text" data-testid="progress">
        {progress ? (
          <>
            <span>
              epoch {epoch}/{epochs}
            </span>
            <span>
              step {step}/{total}
            </span>
            <span data-testid="progress-eta">ETA {running ? (progress.etaSeconds !== null ? duration(progress.etaSeconds) : 'estimating…') : '—'}</span>
            <span>{throughput ? `${throughput.msPerStep.toFixed(0)} ms/step` : '— ms/step'}</span>
            <span>{throughput ? `${throughput.examplesPerSecond.toFixed(0)} examples/s` : '— examples/s'}</span>
          </>
        ) : (
          <span>step 0 — no model yet</span>
        )}
      </p>
    </div>
  );
}
