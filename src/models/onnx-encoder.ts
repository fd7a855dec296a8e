// "Bring your own ONNX encoder": the user's image feature extractor (.onnx) runs once over
// the dataset in onnxruntime-web (WebGPU EP, falling back to wasm); GateScope then trains
// on the cached, frozen features with the `features` image encoder. Nothing is downloaded.
//
// Input: the model's first input, NCHW float32 with 3 channels. Images are fed as the
// dataset stores them (normalised to [−1, 1]) unless `normalization` says otherwise, and
// resized bilinearly when the model declares a fixed spatial size different from the
// dataset's. Output: the model's first output, flattened per example.
import type { PreparedDataset } from '../data/types.ts';
import { openSession } from './ort-session.ts';
import { featureProblem, OnnxEncoderRefused } from './onnx-check.ts';

export type OnnxNormalization = 'minus-one-one' | 'zero-one' | 'imagenet';

export interface OnnxEncoderOptions {
  normalization?: OnnxNormalization;
  batchSize?: number;
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
  /** Force the wasm execution provider (tests, or a GPU that rejects the model). */
  wasmOnly?: boolean;
}

export interface OnnxFeatures {
  /** [N, featureSize]; rows of examples without an image are zeros. */
  features: Float32Array;
  featureSize: number;
  provider: 'webgpu' | 'wasm';
  inputName: string;
  outputName: string;
  inputSize: number;
}

const IMAGENET_MEAN = [0.485, 0.456, 0.406];
const IMAGENET_STD = [0.229, 0.224, 0.225];

/** Bilinear resize of one [3, S, S] image to [3, R, R] (align_corners = false). */
export function resizeChw(src: Float32Array, S: number, R: number, out: Float32Array, outOffset: number): void {
  const scale = S / R;
  for (let c = 0; c < 3; c++) {
    for (let y = 0; y < R; y++) {
      const sy = Math.min(S - 1, Math.max(0, (y + 0.5) * scale - 0.5));
      const y0 = Math.floor(sy);
      const y1 = Math.min(S - 1, y0 + 1);
      const fy = sy - y0;
      for (let x = 0; x < R; x++) {
        const sx = Math.min(S - 1, Math.max(0, (x + 0.5) * scale - 0.5));
        const x0 = Math.floor(sx);
        const x1 = Math.min(S - 1, x0 + 1);
        const fx = sx - x0;
        const at = (yy: number, xx: number) => src[c * S * S + yy * S + xx];
        out[outOffset + c * R * R + y * R + x] =
          (1 - fy) * ((1 - fx) * at(y0, x0) + fx * at(y0, x1)) + fy * ((1 - fx) * at(y1, x0) + fx * at(y1, x1));
      }
    }
  }
}

/** Maps a stored value in [−1, 1] to the model's expected normalisation, channel c. */
function renormalize(v: number, c: number, mode: OnnxNormalization): number {
  if (mode === 'minus-one-one') return v;
  const unit = (v + 1) / 2;
  return mode === 'zero-one' ? unit : (unit - IMAGENET_MEAN[c]) / IMAGENET_STD[c];
}

/** Runs `model` over every image of `data`. */
export async function extractOnnxFeatures(model: Uint8Array, data: PreparedDataset, options: OnnxEncoderOptions = {}): Promise<OnnxFeatures> {
  const { ort, session, provider } = await openSession(model, { wasmOnly: options.wasmOnly });
  try {
    const inputName = session.inputNames[0];
    const outputName = session.outputNames[0];
    if (!inputName || !outputName) throw new Error('the ONNX model has no inputs or no outputs');
    const meta = session.inputMetadata?.[0];
    const shape = meta && meta.isTensor ? meta.shape : [];
    if (meta && meta.isTensor && meta.type !== 'float32') throw new Error(`the ONNX model's input "${inputName}" is ${meta.type}; an image encoder needs float32 NCHW input`);
    if (shape.length && shape.length !== 4) throw new Error(`the ONNX model's input "${inputName}" has ${shape.length} dimensions; an image encoder needs [N, 3, H, W]`);
    if (shape.length && typeof shape[1] === 'number' && shape[1] !== 3) throw new Error(`the ONNX model's input "${inputName}" has ${shape[1]} channels; GateScope images have 3 (RGB)`);
    const fixedBatch = typeof shape[0] === 'number' ? shape[0] : null;
    const declared = typeof shape[2] === 'number' ? shape[2] : null;
    if (declared !== null && typeof shape[3] === 'number' && shape[3] !== declared) throw new Error(`the ONNX model expects ${declared}×${shape[3]} images; only square inputs are supported`);
    const S = data.imageSize;
    const R = declared ?? S;
    const B = fixedBatch ?? Math.max(1, options.batchSize ?? 16);
    const mode = options.normalization ?? 'minus-one-one';
    const N = data.size;
    let features: Float32Array | null = null;
    let F = 0;
    const stride = 3 * S * S;
    const inputStride = 3 * R * R;
    const scratch = new Float32Array(inputStride);
    for (let start = 0; start < N; start += B) {
      if (options.signal?.aborted) throw new DOMException('feature extraction was cancelled', 'AbortError');
      const count = Math.min(B, N - start);
      const input = new Float32Array(B * inputStride);
      for (let k = 0; k < count; k++) {
        const i = start + k;
        if (!data.hasImage[i]) continue;
        let src = data.images.subarray(i * stride, (i + 1) * stride);
        if (R !== S) {
          resizeChw(src, S, R, scratch, 0);
          src = scratch;
        }
        for (let c = 0; c < 3; c++) {
          for (let p = 0; p < R * R; p++) input[k * inputStride + c * R * R + p] = renormalize(src[c * R * R + p], c, mode);
        }
      }
      const result = await session.run({ [inputName]: new ort.Tensor('float32', input, [B, 3, R, R]) });
      const out = result[outputName];
      const values = (await out.getData()) as Float32Array;
      const perExample = values.length / B;
      if (!Number.isInteger(perExample) || perExample < 1) throw new Error(`the ONNX model's output "${outputName}" [${out.dims.join(', ')}] does not have one row per example`);
      if (!features) {
        // A width only a run reveals (a named output dimension) is checked before it is allocated.
        const tooBig = featureProblem(N, perExample);
        if (tooBig) throw new OnnxEncoderRefused(`This encoder cannot be used: ${tooBig}`);
        F = perExample;
        features = new Float32Array(N * F);
      } else if (perExample !== F) {
        throw new Error(`the ONNX model's output width changed from ${F} to ${perExample}`);
      }
      for (let k = 0; k < count; k++) {
        if (data.hasImage[start + k]) features.set(values.subarray(k * F, (k + 1) * F), (start + k) * F);
      }
      out.dispose();
      options.onProgress?.(start + count, N);
    }
    return { features: features ?? new Float32Array(0), featureSize: F, provider, inputName, outputName, inputSize: R };
  } finally {
    await session.release();
  }
}
