// The Export panel's Compression section: int8 weights and magnitude pruning of the
// exported ONNX model. "Compare float32 and int8" runs both exports in ONNX Runtime on the
// validation examples and shows their file sizes, task metrics and largest output
// difference; "Accuracy vs sparsity" prunes the weight matrices (per tensor, smallest |w|
// first) to each sweep sparsity and plots the metric of the pruned export; "Download
// compressed ONNX" saves the model pruned to the slider's sparsity, int8 when ticked. The
// trained model itself is never changed: pruning works on a copy of its weights.
import { useState } from 'react';
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { PreparedDataset } from '../../data/types.ts';
import type { Int8Comparison, SweepPoint, TaskScore } from '../../export/compress.ts';
import type { ExportSource } from '../../state/export-controller.ts';
import { compressedOnnxFile, int8Comparison, pruningCurve } from '../../state/compression-controller.ts';
import { useStore } from '../../state/store.ts';

export interface CompressionSectionProps {
  source: ExportSource | null;
  dataset: PreparedDataset | null;
  /** Another export is running. */
  disabled: boolean;
  save: (fileName: string, bytes: Uint8Array, mimeType: string) => void;
  wasmOnly?: boolean;
  appVersion?: string;
  /** Starting state of the controls (URL: compress.int8, compress.sparsity). */
  initialInt8?: boolean;
  initialSparsityPct?: number;
}

type Status = { kind: 'idle' } | { kind: 'busy'; what: string } | { kind: 'ok'; message: string } | { kind: 'error'; message: string };

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** A metric value as the tables show it: accuracies in %, RMSE with 4 significant digits. */
export function scoreText(s: TaskScore): string {
  return s.higherIsBetter ? `${(100 * s.value).toFixed(1)}%` : s.value.toPrecision(4);
}

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

function changeText(from: TaskScore, to: TaskScore): string {
  const d = to.value - from.value;
  return from.higherIsBetter ? `${d >= 0 ? '+' : '−'}${Math.abs(100 * d).toFixed(1)} points` : `${d >= 0 ? '+' : '−'}${Math.abs(d).toPrecision(3)}`;
}

export function CompressionSection(props: CompressionSectionProps) {
  const { source, dataset } = props;
  const [int8, setInt8] = useState(props.initialInt8 ?? false);
  const [sparsityPct, setSparsityPct] = useState(Math.min(95, Math.max(0, Math.round((props.initialSparsityPct ?? 0) / 5) * 5)));
  const [status, setStatus] = useState<Status>({ kind: 'idle' });
  const setTab = useStore((s) => s.setTab);
  const [comparison, setComparison] = useState<Int8Comparison | null>(null);
  const [curve, setCurve] = useState<SweepPoint[] | null>(null);
  const busy = status.kind === 'busy';
  const off = !source || props.disabled || busy;

  const download = async () => {
    if (!source) return;
    setStatus({ kind: 'busy', what: 'Exporting the compressed ONNX model…' });
    try {
      const file = await compressedOnnxFile(source, { sparsity: sparsityPct / 100, int8, appVersion: props.appVersion });
      props.save(file.fileName, file.bytes, file.mimeType);
      setStatus({ kind: 'ok', message: `Saved ${file.fileName}, ${kb(file.bytes.length)}${int8 ? `, ${file.int8Tensors} weight tensors as int8` : ''}${sparsityPct ? `, weight matrices ${sparsityPct}% zeros` : ''}.` });
    } catch (e) {
      setStatus({ kind: 'error', message: `Compressed export failed: ${message(e)}` });
    }
  };

  const compare = async () => {
    if (!source || !dataset) return;
    setStatus({ kind: 'busy', what: 'Running the float32 and int8 models in ONNX Runtime…' });
    setComparison(null);
    try {
      setComparison(await int8Comparison({ ...source, dataset }, { wasmOnly: props.wasmOnly }));
      setStatus({ kind: 'idle' });
    } catch (e) {
      setStatus({ kind: 'error', message: `The int8 check failed: ${message(e)}` });
    }
  };

  const sweep = async () => {
    if (!source || !dataset) return;
    setStatus({ kind: 'busy', what: 'Pruning sweep…' });
    setCurve(null);
    try {
      const points = await pruningCurve({ ...source, dataset }, {
        wasmOnly: props.wasmOnly,
        onPoint: (p, done) => setStatus({ kind: 'busy', what: `Pruning sweep… ${done} sparsities done (last ${Math.round(p.sparsity * 100)}%)` }),
      });
      setCurve(points);
      setStatus({ kind: 'idle' });
    } catch (e) {
      setStatus({ kind: 'error', message: `The pruning sweep failed: ${message(e)}` });
    }
  };

  const metric = comparison?.f32.score.metric ?? curve?.[0]?.score.metric ?? 'metric';
  return (
    <fieldset data-testid="compression">
      <legend>Compression</legend>
      <p className="export-note">
        int8 weights: every weight matrix (Linear, Conv, embedding, recurrent W and R) is stored as int8 with one scale per output row and read through DequantizeLinear; the graph
        computes in float32. Pruning sets the given share of each weight matrix’s smallest-magnitude values to 0, on a copy: the trained model is not changed.
      </p>
      <p className="export-note" data-testid="compress-distill-link">
        Knowledge distillation — a smaller student trained on this model’s softened outputs, compared with it — is in the{' '}
        <button type="button" className="link-button" onClick={() => setTab('compare')}>
          Compare panel
        </button>
        .
      </p>
      <div className="export-row">
        <label>
          <input type="checkbox" checked={int8} onChange={(e) => setInt8(e.target.checked)} data-testid="compress-int8" /> int8 weights
        </label>
        <label>
          Prune weight matrices{' '}
          <input type="range" min={0} max={95} step={5} value={sparsityPct} onChange={(e) => setSparsityPct(Number(e.target.value))} data-testid="compress-sparsity" aria-valuetext={`${sparsityPct}%`} />{' '}
          <output data-testid="compress-sparsity-value">{sparsityPct}%</output>
        </label>
        <button type="button" onClick={download} disabled={off} data-testid="compress-download">
          Download compressed ONNX
        </button>
      </div>
      <div className="export-row">
        <button type="button" onClick={compare} disabled={off || !dataset} data-testid="compress-compare">
          Compare float32 and int8 in ONNX Runtime
        </button>
        <button type="button" onClick={sweep} disabled={off || !dataset} data-testid="compress-sweep">
          {metric === 'metric' || metric.includes('accuracy') ? 'Accuracy' : metric} vs sparsity
        </button>
      </div>
      {status.kind === 'busy' && <p className="export-note" role="status" data-testid="compress-status">{status.what}</p>}
      {status.kind === 'ok' && <p className="export-ok" role="status" data-testid="compress-status">{status.message}</p>}
      {status.kind === 'error' && <p className="export-error" role="alert" data-testid="compress-status">{status.message}</p>}
      {comparison && (
        <div data-testid="compress-int8-result">
          <table className="compress-table">
            <thead>
              <tr>
                <th>model</th>
                <th>file size</th>
                <th>{comparison.f32.score.metric}</th>
              </tr>
            </thead>
            <tbody>
              <tr data-testid="compress-row-f32">
                <td>float32</td>
                <td>{kb(comparison.f32.bytes)}</td>
                <td>{scoreText(comparison.f32.score)}</td>
              </tr>
              <tr data-testid="compress-row-int8">
                <td>int8 weights</td>
                <td>{kb(comparison.int8.bytes)}</td>
                <td>{scoreText(comparison.int8.score)}</td>
              </tr>
            </tbody>
          </table>
          <p className="export-note" data-testid="compress-int8-summary">
            ONNX Runtime ({comparison.provider === 'webgpu' ? 'WebGPU' : 'wasm'}) on {comparison.examples} validation examples: int8 file {((100 * comparison.int8.bytes) / comparison.f32.bytes).toFixed(0)}% of
            float32 ({comparison.int8.tensors} tensors as int8); {comparison.f32.score.metric} change {changeText(comparison.f32.score, comparison.int8.score)}; largest output
            difference {comparison.maxAbsDiff.toExponential(2)}.
          </p>
        </div>
      )}
      {curve && (
        <div data-testid="compress-sweep-result">
          <div style={{ width: '100%', height: 220 }}>
            <ResponsiveContainer>
              <LineChart data={curve.map((p) => ({ sparsity: Math.round(p.sparsity * 100), value: p.score.higherIsBetter ? 100 * p.score.value : p.score.value }))} margin={{ top: 8, right: 16, bottom: 16, left: 0 }}>
                <CartesianGrid strokeDasharray="3 3" className="gs-chart-grid" />
                <XAxis type="number" dataKey="sparsity" domain={[0, 100]} ticks={[0, 25, 50, 70, 80, 90, 95]} label={{ value: 'sparsity (%)', position: 'insideBottom', offset: -8 }} />
                <YAxis type="number" width={64} domain={curve[0].score.higherIsBetter ? [0, 100] : ['auto', 'auto']} />
                <Tooltip isAnimationActive={false} />
                <Line dataKey="value" name={curve[0].score.metric} isAnimationActive={false} dot={false} />
              </LineChart>
            </ResponsiveContainer>
          </div>
          <table className="compress-table">
            <thead>
              <tr>
                <th>sparsity</th>
                <th>{curve[0].score.metric}</th>
              </tr>
            </thead>
            <tbody>
              {curve.map((p) => (
                <tr key={p.sparsity} data-testid="compress-sweep-row">
                  <td>{Math.round(p.sparsity * 100)}%</td>
                  <td>{scoreText(p.score)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </fieldset>
  );
}
