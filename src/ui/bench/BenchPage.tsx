// The benchmark page (`?bench`): runs the canonical configs on this browser's adapter with
// GateScope's WebGPU and CPU backends, shows progress and a table, and downloads the
// results as JSON to send in (README, "Benchmark your GPU").
import { benchJson, runBenchmark, useBench } from '../../state/bench-controller.ts';
import { downloadBytes } from '../export/download.ts';

const fmt = (v: number | null | undefined, digits = 1) => (v === null || v === undefined ? '—' : v.toFixed(digits));

export function BenchPage({ reduced }: { reduced: boolean }) {
  const s = useBench();
  const download = () => downloadBytes(`gatescope-benchmark-${new Date().toISOString().slice(0, 10)}.json`, new TextEncoder().encode(benchJson()), 'application/json');
  return (
    <div className="app bench-page" data-testid="bench-page">
      <header className="app-header">
        <div className="header-row">
          <h1 className="brand">GateScope benchmark</h1>
          <a href="./">back to the app</a>
        </div>
      </header>
      <main className="panels">
        <section className="panel">
          <p>
            Times a training step (forward, backward, Adam) and a forward pass of an LSTM and a GRU classifier
            {reduced ? ' (reduced configs for tests: B 8, T 8, I 16, H 32)' : ' (B 32, T 32, I 64, H 128)'} on this browser's GPU with GateScope's WebGPU backend, and on its CPU backend for
            comparison. It takes about a minute on a fast GPU and several on a slow one; keep this tab in front.
          </p>
          <p>
            <button type="button" data-testid="bench-run" disabled={s.status === 'running'} onClick={() => runBenchmark(reduced)}>
              {s.status === 'idle' ? 'Run the benchmark' : 'Run again'}
            </button>{' '}
            <button type="button" data-testid="bench-download" disabled={s.status !== 'done'} onClick={download}>
              Download JSON
            </button>
          </p>
          {s.progress && s.status === 'running' && (
            <p data-testid="bench-progress" role="status">
              {s.progress.message} ({s.progress.done}/{s.progress.total})
            </p>
          )}
          {s.status === 'done' && <p data-testid="bench-done">Done. Download the JSON and send it in (see the README, “Benchmark your GPU”).</p>}
          {s.error && <p className="danger">The benchmark stopped: {s.error}</p>}
          {s.adapter && (
            <p data-testid="bench-adapter">
              Adapter: {s.adapter.vendor} / {s.adapter.architecture}
              {s.adapter.description ? ` (${s.adapter.description})` : ''}
              {s.adapter.isFallbackAdapter ? ' — a fallback adapter' : ''}
            </p>
          )}
          {s.webgpuError && <p>WebGPU is unavailable here ({s.webgpuError}); only the CPU backend is timed.</p>}
          {s.rows.length > 0 && (
            <table className="performance-table" data-testid="bench-table">
              <thead>
                <tr>
                  <th>cell</th>
                  <th>B·T·I·H</th>
                  <th>backend</th>
                  <th>train ms/step</th>
                  <th>forward ms</th>
                  <th>steps</th>
                  <th>GFLOP/s</th>
                  <th>kernels</th>
                </tr>
              </thead>
              <tbody>
                {s.rows.map((r, i) => (
                  <tr key={i}>
                    <td>{r.cell.toUpperCase()}</td>
                    <td>
                      {r.B}·{r.T}·{r.I}·{r.H}
                    </td>
                    <td>{r.backend}</td>
                    <td>{r.error ? r.error : fmt(r.timing?.trainMs)}</td>
                    <td>{fmt(r.timing?.forwardMs)}</td>
                    <td>{r.timing?.steps ?? '—'}</td>
                    <td>{fmt(r.timing?.gflops, 2)}</td>
                    <td>{r.kernels ? `${r.kernels.gemm ?? 'default'}, ${r.kernels.step ?? 'default'} (${r.kernels.timing})` : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      </main>
    </div>
  );
}
