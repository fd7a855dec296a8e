// "Bring your own image encoder": pick an .onnx file; it runs once over the dataset in
// ONNX Runtime Web (extractOnnxFeatures) and the model trains on the frozen features. The
// file is first read and checked in a worker, so a broken or huge one is refused in words.
import { useState } from 'react';
import type { OnnxNormalization } from '../../models/onnx-encoder.ts';
import { cancelFeatures, computeFeatures, onnxEncoderName, type FeatureProgress } from '../../state/data-controller.ts';
import { useStore } from '../../state/store.ts';

const NORMALIZATIONS: [OnnxNormalization, string][] = [
  ['minus-one-one', 'pixels in [−1, 1]'],
  ['zero-one', 'pixels in [0, 1]'],
  ['imagenet', 'ImageNet mean/std'],
];

export function OnnxEncoderPicker() {
  const features = useStore((s) => s.features);
  const datasetVersion = useStore((s) => s.datasetVersion);
  const [normalization, setNormalization] = useState<OnnxNormalization>('minus-one-one');
  const [progress, setProgress] = useState<FeatureProgress | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = (file: File | null) => {
    setError(null);
    const go = async () => {
      const model = file ? { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()), normalization } : null;
      setProgress({ done: 0, total: 1 });
      await computeFeatures(model, setProgress);
    };
    go().then(
      () => setProgress(null),
      (e: Error) => {
        setProgress(null);
        setError(e.name === 'AbortError' ? 'Cancelled; no features were computed.' : e.name === 'OnnxEncoderRefused' ? e.message : `The ONNX encoder failed: ${e.message}`);
      },
    );
  };
  const current = features && features.datasetVersion === datasetVersion ? features : null;
  const name = onnxEncoderName();
  return (
    <div className="onnx-picker" data-testid="onnx-picker">
      <div className="field-row">
        <label className="field">
          <span className="field-label">ONNX image encoder</span>
          <input type="file" accept=".onnx" onChange={(e) => run(e.currentTarget.files?.[0] ?? null)} disabled={progress !== null} data-testid="onnx-file" />
        </label>
        <label className="field">
          <span className="field-label">Its input</span>
          <select value={normalization} onChange={(e) => setNormalization(e.target.value as OnnxNormalization)} disabled={progress !== null}>
            {NORMALIZATIONS.map(([v, t]) => (
              <option key={v} value={v}>
                {t}
              </option>
            ))}
          </select>
        </label>
        {name && !current && progress === null && (
          <button type="button" onClick={() => run(null)}>
            Compute features for this dataset
          </button>
        )}
      </div>
      {progress && (
        <div className="field-row">
          <progress value={progress.done} max={Math.max(1, progress.total)} aria-label="Feature extraction" />
          <span>
            {progress.done} / {progress.total} images
          </span>
          <button type="button" onClick={cancelFeatures}>
            Cancel
          </button>
        </div>
      )}
      {current && (
        <p className="muted" data-testid="onnx-features">
          {current.fileName}: {current.featureSize} features per image ({current.provider === 'webgpu' ? 'WebGPU' : 'WebAssembly'}), frozen; the model trains a Linear → ReLU on top.
        </p>
      )}
      {!current && !progress && <p className="muted">The file stays on this computer. Its first input must be an NCHW float32 image batch; its first output, one feature row per image.</p>}
      {error && (
        <p className="field-problem" role="alert" data-testid="onnx-error">
          {error}
        </p>
      )}
    </div>
  );
}
