// The Export panel: download the model as ONNX and verify it in ONNX Runtime, download the
// PyTorch bundle, save and load checkpoints, clear the saved session. Self-contained:
// props in (configs, dataset, how to read the trainer's state and GateScope's outputs),
// callbacks out (apply a checkpoint, clear the session). The work is done by the export
// controller (state/export-controller.ts); this panel shows its status and results. A
// checkpoint is checked completely before `onLoadCheckpoint` is called, so a bad file
// never touches the session.
import { useState } from 'react';
import type { PreparedDataset } from '../../data/types.ts';
import type { ModelConfig } from '../../models/config.ts';
import type { TrainConfig } from '../../train/config.ts';
import type { TrainingState } from '../../train/protocol.ts';
import type { StepStats } from '../../train/trainer.ts';
import type { Checkpoint } from '../../export/checkpoint.ts';
import type { VerifyResult } from '../../export/verify.ts';
import { checkpointFile, onnxFile, pytorchFile, readCheckpoint, verifyOnnx, type ExportSource } from '../../state/export-controller.ts';
import { downloadBytes } from './download.ts';
import { CompressionSection } from './CompressionSection.tsx';
import './export.css';

export interface ExportPanelProps {
  /** The session's model config; null disables the model exports. */
  model: ModelConfig | null;
  trainConfig: TrainConfig | null;
  dataset: PreparedDataset | null;
  /** Precomputed image features [N, Fin] (features encoder). */
  features?: Float32Array | null;
  /** Reads the current weights, optimizer state and position from the trainer; null before a model exists. */
  getTrainingState: (() => Promise<TrainingState>) | null;
  /** The session's per-step statistics, saved with a checkpoint so that its charts come back. */
  getSteps?: () => StepStats[];
  /** GateScope's forward outputs (evaluation mode, current weights) for dataset examples. */
  gatescopeOutputs: (indices: number[]) => Promise<Float32Array>;
  /** A checkpoint that passed every check; the app replaces the session with it (throw to report failure). */
  onLoadCheckpoint: (checkpoint: Checkpoint, notes: string[]) => void | Promise<void>;
  /** Removes the saved session (and whatever else the app resets). */
  onClearSession: () => void | Promise<void>;
  /** Saves a file; a browser download by default. */
  onDownload?: (fileName: string, bytes: Uint8Array, mimeType: string) => void;
  /** Examples the ONNX check and the PyTorch samples use (default 64 and 8). */
  verifyExamples?: number;
  sampleExamples?: number;
  /** Skip the WebGPU execution provider (tests). */
  wasmOnly?: boolean;
  /** Written into exported files. */
  appVersion?: string;
  /** Starting state of the Compression controls (URL: compress.int8, compress.sparsity). */
  compression?: { int8?: boolean; sparsityPct?: number };
}

type Status = { kind: 'idle' } | { kind: 'busy'; what: string } | { kind: 'ok'; message: string } | { kind: 'error'; message: string };

/** Largest |Δ| the check calls agreement. */
const VERIFY_TOLERANCE = 1e-4;

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function describeVerify(r: VerifyResult): { text: string; ok: boolean } {
  const within = r.maxAbsDiff <= VERIFY_TOLERANCE;
  let text = `ONNX Runtime (${r.provider === 'webgpu' ? 'WebGPU' : 'wasm'}) on ${r.examples} example${r.examples === 1 ? '' : 's'}: largest difference from GateScope ${r.maxAbsDiff.toExponential(2)} — ${within ? `within ${VERIFY_TOLERANCE}` : `more than ${VERIFY_TOLERANCE}`}.`;
  if (r.agreement) {
    const pct = r.agreement.total ? ((100 * r.agreement.agree) / r.agreement.total).toFixed(1) : '100';
    const what = r.agreement.unit === 'examples' ? 'Predicted classes agree on' : r.agreement.unit === 'labels' ? 'Predicted labels agree on' : 'Predicted next tokens agree on';
    text += ` ${what} ${r.agreement.agree} of ${r.agreement.total} ${r.agreement.unit} (${pct}%).`;
  }
  return { text, ok: within && (!r.agreement || r.agreement.agree === r.agreement.total) };
}

/** The Export panel. */
export function ExportPanel(props: ExportPanelProps) {
  const { model, trainConfig, dataset, getTrainingState } = props;
  const save = props.onDownload ?? downloadBytes;
  const [onnxStatus, setOnnxStatus] = useState<Status>({ kind: 'idle' });
  const [verify, setVerify] = useState<{ text: string; ok: boolean } | null>(null);
  const [torchStatus, setTorchStatus] = useState<Status>({ kind: 'idle' });
  const [checkpointStatus, setCheckpointStatus] = useState<Status>({ kind: 'idle' });
  const [sessionStatus, setSessionStatus] = useState<Status>({ kind: 'idle' });
  const [confirmClear, setConfirmClear] = useState(false);

  const canExport = !!model && !!getTrainingState;
  const busy = [onnxStatus, torchStatus, checkpointStatus, sessionStatus].some((s) => s.kind === 'busy');
  const source: ExportSource | null = model && getTrainingState ? { model, getTrainingState, dataset, features: props.features, gatescopeOutputs: props.gatescopeOutputs } : null;
  const producer = `GateScope${props.appVersion ? ` ${props.appVersion}` : ''}`;

  const downloadOnnx = async () => {
    if (!source) return;
    setOnnxStatus({ kind: 'busy', what: 'Exporting ONNX…' });
    setVerify(null);
    try {
      const file = await onnxFile(source, props.appVersion);
      save(file.fileName, file.bytes, file.mimeType);
      setOnnxStatus({ kind: 'ok', message: `Saved ${(file.bytes.length / 1024).toFixed(0)} KB. Inputs: ${file.inputs.join(', ')}. Outputs: ${file.outputs.join(', ')}.` });
    } catch (e) {
      setOnnxStatus({ kind: 'error', message: `ONNX export failed: ${message(e)}` });
    }
  };

  const runVerify = async () => {
    if (!source || !dataset) return;
    setOnnxStatus({ kind: 'busy', what: 'Running the exported model in ONNX Runtime…' });
    setVerify(null);
    try {
      const result = await verifyOnnx(
        { ...source, dataset },
        {
          examples: props.verifyExamples ?? 64,
          wasmOnly: props.wasmOnly,
          onProgress: (done, total) =>
          setOnnxStatus({ kind: 'busy', what: done < total ? `Running the exported model in ONNX Runtime… ${done} of ${total} examples` : `Ran ${done} of ${total} examples in ONNX Runtime; comparing with GateScope…` }),
        },
      );
      setVerify(describeVerify(result));
      setOnnxStatus({ kind: 'idle' });
    } catch (e) {
      setOnnxStatus({ kind: 'error', message: `Verification failed: ${message(e)}` });
    }
  };

  const downloadTorch = async () => {
    if (!source) return;
    setTorchStatus({ kind: 'busy', what: 'Building the PyTorch bundle…' });
    try {
      const file = await pytorchFile(source, { sampleExamples: props.sampleExamples ?? 8, producer });
      save(file.fileName, file.bytes, file.mimeType);
      setTorchStatus({ kind: 'ok', message: `Saved ${(file.bytes.length / 1024).toFixed(0)} KB: gatescope_model.py, model.safetensors, config.json${file.hasSamples ? ', samples.safetensors' : ''}, README.md.` });
    } catch (e) {
      setTorchStatus({ kind: 'error', message: `PyTorch export failed: ${message(e)}` });
    }
  };

  const saveCheckpointFile = async () => {
    if (!source || !trainConfig || !dataset) return;
    setCheckpointStatus({ kind: 'busy', what: 'Saving the checkpoint…' });
    try {
      const file = await checkpointFile({ ...source, train: trainConfig, dataset, getSteps: props.getSteps });
      save(file.fileName, file.bytes, file.mimeType);
      setCheckpointStatus({ kind: 'ok', message: `Saved the checkpoint at step ${file.step} (epoch ${file.epoch}), ${(file.bytes.length / 1024).toFixed(0)} KB.` });
    } catch (e) {
      setCheckpointStatus({ kind: 'error', message: `Saving the checkpoint failed: ${message(e)}` });
    }
  };

  const loadCheckpointFile = async (file: File) => {
    setCheckpointStatus({ kind: 'busy', what: `Reading ${file.name}…` });
    const read = await readCheckpoint(file, dataset);
    if (!read.ok) {
      setCheckpointStatus({ kind: 'error', message: `${read.message}\nThe current session was not changed.` });
      return;
    }
    const { checkpoint, notes } = read;
    try {
      await props.onLoadCheckpoint(checkpoint, notes);
      setCheckpointStatus({ kind: 'ok', message: `Loaded ${file.name}: step ${checkpoint.state.step}, epoch ${checkpoint.state.epoch}.${notes.length ? ` ${notes.join(' ')}` : ''}` });
    } catch (e) {
      setCheckpointStatus({ kind: 'error', message: `${file.name} could not be applied: ${message(e)}` });
    }
  };

  const clear = async () => {
    setConfirmClear(false);
    setSessionStatus({ kind: 'busy', what: 'Clearing the saved session…' });
    try {
      await props.onClearSession();
      setSessionStatus({ kind: 'ok', message: 'The saved session was cleared.' });
    } catch (e) {
      setSessionStatus({ kind: 'error', message: `Clearing the session failed: ${message(e)}` });
    }
  };

  const show = (s: Status, testId: string) => {
    if (s.kind === 'busy') return <p className="export-note" role="status" data-testid={testId}>{s.what}</p>;
    if (s.kind === 'ok') return <p className="export-ok" role="status" data-testid={testId}>{s.message}</p>;
    if (s.kind === 'error') return <p className="export-error" role="alert" data-testid={testId}>{s.message}</p>;
    return null;
  };

  return (
    <section className="export-panel" aria-label="Export" data-testid="export-panel">
      {!canExport && <p className="export-note">Build or train a model to export it.</p>}
      <fieldset>
        <legend>ONNX</legend>
        <p className="export-note">The whole model (image encoder, text encoder, fusion, head) as an ONNX file, opset 17, any batch size.</p>
        <div className="export-row">
          <button type="button" onClick={downloadOnnx} disabled={!canExport || busy} data-testid="export-onnx">
            Download ONNX
          </button>
          <button type="button" onClick={runVerify} disabled={!canExport || !dataset || busy} data-testid="verify-onnx">
            Verify with ONNX Runtime
          </button>
        </div>
        {show(onnxStatus, 'onnx-status')}
        {verify && (
          <p className={verify.ok ? 'export-ok' : 'export-warn'} role="status" data-testid="verify-result">
            {verify.text}
          </p>
        )}
      </fieldset>
      <CompressionSection
        source={source}
        dataset={dataset}
        disabled={busy}
        save={save}
        wasmOnly={props.wasmOnly}
        appVersion={props.appVersion}
        initialInt8={props.compression?.int8}
        initialSparsityPct={props.compression?.sparsityPct}
      />
      <fieldset>
        <legend>PyTorch</legend>
        <p className="export-note">A .zip with gatescope_model.py (a torch.nn.Module for this model), the weights as safetensors, config.json and sample outputs to check against.</p>
        <div className="export-row">
          <button type="button" onClick={downloadTorch} disabled={!canExport || busy} data-testid="export-pytorch">
            Download PyTorch bundle
          </button>
        </div>
        {show(torchStatus, 'pytorch-status')}
      </fieldset>
      <fieldset>
        <legend>Checkpoint</legend>
        <p className="export-note">Model and training configs, weights, optimizer state and history in one file; loading it continues training where it stopped.</p>
        <div className="export-row">
          <button type="button" onClick={saveCheckpointFile} disabled={!canExport || !trainConfig || !dataset || busy} data-testid="save-checkpoint">
            Save checkpoint
          </button>
          <label>
            Load checkpoint{' '}
            <input
              type="file"
              accept=".safetensors"
              disabled={busy}
              data-testid="load-checkpoint"
              onChange={(e) => {
                const file = e.target.files?.[0];
                e.target.value = '';
                if (file) void loadCheckpointFile(file);
              }}
            />
          </label>
        </div>
        {show(checkpointStatus, 'checkpoint-status')}
      </fieldset>
      <fieldset>
        <legend>Session</legend>
        <p className="export-note">The session is kept in this browser and restored after a reload.</p>
        <div className="export-row">
          {confirmClear ? (
            <>
              <span id="confirm-clear-label">Clear the saved session? This cannot be undone.</span>
              <button type="button" onClick={clear} aria-describedby="confirm-clear-label" data-testid="confirm-clear-session">
                Yes, clear it
              </button>
              <button type="button" onClick={() => setConfirmClear(false)}>
                Cancel
              </button>
            </>
          ) : (
            <button type="button" onClick={() => setConfirmClear(true)} disabled={busy} data-testid="clear-session">
              Clear session
            </button>
          )}
        </div>
        {show(sessionStatus, 'session-status')}
      </fieldset>
    </section>
  );
}
