// The Performance section of the Train panel: the adapter, the kernels the tuner chose
// for this model with their GFLOP/s, how they were timed, the current run's ms per step,
// "Re-run tuning", the benchmark page, and on a fallback adapter the WebGPU-vs-CPU
// comparison for this model with the choice between them. Plain words on the CPU backend
// and before any tuning.
import { useStore } from '../../state/store.ts';
import { training } from '../../state/training.ts';
import { comparisonText } from '../../state/for-ui.ts';

/**
 * "Tuning kernels for this GPU… 3/6" while the worker tunes, and "Timing this model on
 * WebGPU and on the CPU…" while the backends are compared (shown in the header).
 */
export function TuningNote() {
  const progress = useStore((s) => s.tuningProgress);
  const comparing = useStore((s) => s.comparisonStatus === 'running');
  if (!progress && !comparing) return null;
  return (
    <p className="tuning-note muted" data-testid="tuning-note" role="status">
      {progress ? `Tuning kernels for this GPU… ${progress.done}/${progress.total}` : 'Timing this model on WebGPU and on the CPU…'}
    </p>
  );
}

/** "268,435,456" for a byte or count limit. */
const limit = (n: number) => n.toLocaleString('en-US');

function AdapterFacts() {
  const info = useStore((s) => s.runInfo);
  const a = info?.adapter;
  if (!a) return null;
  return (
    <dl className="performance-facts" data-testid="performance-adapter">
      <dt>Adapter</dt>
      <dd>
        {a.vendor} / {a.architecture}
        {a.description ? ` (${a.description})` : ''}
      </dd>
      <dt>Fallback adapter</dt>
      <dd>{a.isFallbackAdapter ? 'yes (a software or low-power adapter)' : 'no'}</dd>
      <dt>Features</dt>
      <dd>{a.features.length ? a.features.join(', ') : 'none'}</dd>
      {info.limits && (
        <>
          <dt>Limits</dt>
          <dd data-testid="performance-limits">
            <ul className="performance-limits">
              {Object.entries(info.limits).map(([name, value]) => (
                <li key={name}>
                  <code>{name}</code> {limit(value)}
                </li>
              ))}
            </ul>
          </dd>
        </>
      )}
    </dl>
  );
}

/**
 * On a fallback adapter (a software GPU such as SwiftShader) the CPU backend can be the
 * faster one: measure both on this model, and let the user train on either.
 */
function BackendRace() {
  const info = useStore((s) => s.runInfo);
  const comparison = useStore((s) => s.backendComparison);
  const status = useStore((s) => s.comparisonStatus);
  const choice = useStore((s) => s.backendChoice);
  const run = useStore((s) => s.runStatus);
  const fallback = info?.adapter?.isFallbackAdapter ?? false;
  const busy = run === 'running' || run === 'starting' || status === 'running';
  if (info?.chosenReason) {
    return (
      <div className="backend-race" data-testid="backend-race">
        <p>
          <span data-testid="backend-chosen">{info.chosenReason}</span> (measured for this model on this adapter).{' '}
          <button type="button" data-testid="use-webgpu" disabled={busy} onClick={() => void training.useBackend('webgpu')}>
            Use WebGPU for this model
          </button>
        </p>
      </div>
    );
  }
  if (!fallback && choice !== 'cpu') return null;
  return (
    <div className="backend-race" data-testid="backend-race">
      {choice === 'cpu' ? (
        <p>
          This model trains on the CPU backend because you chose it{comparison ? ` (${comparisonText(comparison)})` : ''}.{' '}
          <button type="button" data-testid="use-webgpu" disabled={busy} onClick={() => void training.useBackend('webgpu')}>
            Use WebGPU again
          </button>
        </p>
      ) : (
        <>
          <p>
            This is a fallback adapter (a software or low-power GPU): for some models the CPU backend is faster.{' '}
            {comparison ? <span data-testid="backend-comparison">{comparisonText(comparison)}.</span> : 'Not compared for this model yet.'}
          </p>
          <p>
            <button type="button" data-testid="compare-backends" disabled={busy} title={run === 'running' ? 'Pause training to compare' : undefined} onClick={() => void training.compareBackends()}>
              {status === 'running' ? 'Comparing…' : comparison ? 'Compare again' : 'Compare with the CPU backend'}
            </button>{' '}
            <button type="button" data-testid="use-cpu" disabled={busy} onClick={() => void training.useBackend('cpu')}>
              Train this model on the CPU{comparison?.faster === 'cpu' ? ' (faster)' : ''}
            </button>
          </p>
        </>
      )}
      {typeof status === 'object' && <p className="danger">Could not compare: {status.error}</p>}
    </div>
  );
}

export function PerformanceSection() {
  const info = useStore((s) => s.runInfo);
  const tuned = useStore((s) => s.tuned);
  const progress = useStore((s) => s.tuningProgress);
  const error = useStore((s) => s.tuningError);
  const throughput = useStore((s) => s.throughput);
  const status = useStore((s) => s.runStatus);
  const onGpu = info?.backendKind === 'webgpu';
  let body: React.ReactNode;
  if (!info) body = <p className="muted">No model yet: the adapter is shown once the session has started.</p>;
  else if (!onGpu) body = <p data-testid="performance-cpu">Training runs on the CPU backend{info.fallbackReason ? ` (${info.fallbackReason})` : ''}: there are no GPU kernels to tune.</p>;
  else if (!tuned && !progress) body = <p className="muted" data-testid="performance-untuned">Not tuned yet: the kernels are timed for this GPU when training starts (at most 2 s, once per adapter and browser version).</p>;
  return (
    <details className="performance" data-testid="performance" open>
      <summary>Performance</summary>
      <AdapterFacts />
      {info?.precision && <p data-testid="performance-precision">Precision: {info.precision}</p>}
      {body}
      <BackendRace />
      {error && <p className="danger">Tuning failed, the built-in kernels are used: {error}</p>}
      {onGpu && tuned && (
        <>
          <table className="performance-table" data-testid="performance-kernels">
            <thead>
              <tr>
                <th>kernels</th>
                <th>chosen</th>
                <th>GFLOP/s</th>
                <th>timed</th>
              </tr>
            </thead>
            <tbody>
              {tuned.jobs.map((j) => (
                <tr key={j.job} data-testid={`performance-job-${j.job.split(':')[0]}${j.job.startsWith('gemm:') ? '-half' : ''}`}>
                  <td>{j.label}</td>
                  <td>{j.measured > 0 ? <code>{j.choice.name}</code> : 'built-in default'}</td>
                  <td>{j.measured > 0 ? j.choice.gflops.toFixed(2) : '—'}</td>
                  <td>
                    {j.measured}/{j.candidates} candidates{j.measured === 0 ? ' (budget spent)' : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p data-testid="performance-source">
            {tuned.fromCache ? 'From the cache of this adapter and browser (tuned earlier). ' : `Tuned in ${(tuned.elapsedMs / 1000).toFixed(1)} s (budget ${(tuned.budgetMs / 1000).toFixed(0)} s), after ${(tuned.warmMs / 1000).toFixed(1)} s compiling the built-in kernels the first step needs anyway. `}
            Timing: {tuned.timing === 'timestamp-query' ? 'GPU timestamps (timestamp-query)' : 'wall clock'}.
            {tuned.jobs.some((j) => j.measured === 0) ? ' Kernels not timed within the budget keep the built-in default; Re-run tuning times them.' : ''}
          </p>
        </>
      )}
      {info && (
        <p data-testid="performance-step">
          This run: {throughput ? `${throughput.msPerStep.toFixed(1)} ms per training step` : 'no steps timed yet'}.
        </p>
      )}
      <p className="performance-actions">
        {onGpu && (
          <button type="button" data-testid="retune" disabled={status === 'running' || progress !== null} title={status === 'running' ? 'Pause training to re-run the tuning' : undefined} onClick={() => training.retuneKernels()}>
            Re-run tuning
          </button>
        )}{' '}
        <a href="?bench" target="_blank" rel="noopener" data-testid="bench-link">
          Open the benchmark page
        </a>
      </p>
    </details>
  );
}
