// Inspection of one example for the gate viewer: the prediction, every gate activation
// and state per token (read from what the recurrent forward saved — no extra pass), and
// a saliency map of the image (|∂ score / ∂ pixel|, the predicted class's logit or the
// regression output). Runs between training steps; it zeroes the gradients it made.
import type { PreparedDataset } from '../data/types.ts';
import { backward, zeroGrad } from '../ops/grad.ts';
import { noGrad } from '../autograd/tape.ts';
import { scope, type Tensor } from '../tensor.ts';
import { mul } from '../ops/elementwise.ts';
import { sum } from '../ops/reduce.ts';
import { readGateCapture } from '../ops/recurrent.ts';
import { greedyDecode } from '../models/decode.ts';
import type { ModelBatch, MultimodalModel } from '../models/model.ts';
import { makeBatch } from './batch.ts';
import { captionText } from './evaluate.ts';
import type { InspectTarget, Inspection, UnitScanRequest, UnitScanResult } from './protocol.ts';
import { tokenizeForModel } from './text-input.ts';

function softmax(x: ArrayLike<number>): number[] {
  let max = -Infinity;
  for (let i = 0; i < x.length; i++) max = Math.max(max, x[i]);
  const e = Array.from(x, (v) => Math.exp(v - max));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

/** A one-example batch for the target; custom text is tokenised with the dataset's vocabulary. */
function batchFor(model: MultimodalModel, data: PreparedDataset, target: InspectTarget, features?: Float32Array): { batch: ModelBatch; tokens: Int32Array | null; length: number } {
  const backend = model.params.list()[0].backend;
  if ('example' in target) {
    if (!(target.example >= 0 && target.example < data.size)) throw new Error(`no example ${target.example} (the dataset has ${data.size})`);
    const batch = makeBatch(backend, data, model.config, [target.example], { features });
    return { batch, tokens: batch.text?.hostTokens ?? null, length: batch.text?.lengths[0] ?? 0 };
  }
  if (data.series) throw new Error('a series model reads numbers, not typed text: inspect one of the dataset\'s series instead');
  const imageExample = target.imageExample;
  const base = imageExample ?? 0;
  if (imageExample !== null && !(imageExample >= 0 && imageExample < data.size)) throw new Error(`no example ${imageExample} (the dataset has ${data.size})`);
  const batch = makeBatch(backend, data, model.config, [base], { features });
  const ids = tokenizeForModel(data, target.text);
  if (batch.text) {
    batch.text.tokens.dispose();
    const T = data.maxLength;
    const host = new Int32Array(T);
    host.set(ids.subarray(0, T));
    const length = Math.max(1, Math.min(T, ids.length));
    batch.text = { tokens: backend.fromArray(host, [1, T], 'i32', 'inspect.tokens'), hostTokens: host, lengths: Int32Array.of(length) };
    batch.textMissing = ids.length === 0 ? Float32Array.of(1) : null;
  }
  if (imageExample === null) batch.imageMissing = Float32Array.of(1);
  return { batch, tokens: batch.text?.hostTokens ?? null, length: batch.text?.lengths[0] ?? 0 };
}

export async function inspect(
  model: MultimodalModel,
  data: PreparedDataset,
  target: InspectTarget,
  options: { saliency: boolean; features?: Float32Array },
): Promise<Inspection> {
  const c = model.config;
  const S = data.imageSize;
  // Pass 1 (no gradients): the output and what the recurrent forward saved.
  const first = noGrad(() =>
    scope(() => {
      const { batch, tokens, length } = batchFor(model, data, target, options.features);
      const out = model.forward(batch, { training: false, seed: 0 });
      const pixels = batch.pixels?.keep() ?? null;
      if (target.encoder === 'audio') {
        if (!out.audio) throw new Error('this model has no audio encoder to show');
        // Audio frames are labelled by their start time (10 ms apart).
        return { output: out.output, capture: out.audio.recurrent.capture, pixels, tokens: null, length: 0, frames: batch.audio!.lengths[0] };
      }
      return { output: out.output, capture: out.text?.recurrent.capture ?? null, pixels, tokens, length, frames: 0 };
    }),
  );
  const kept: Tensor[] = [first.output, ...(first.capture ? [...first.capture.saved, ...first.capture.outputs] : [])];
  try {
    const outputValues = await first.output.read();
    const traces = first.capture ? (await readGateCapture(first.capture, [0]))[0] : [];
    // Pass 2: gradient of the predicted score (the arg-max logit, or the regression
    // output) with respect to the pixels.
    let saliency: Float32Array | null = null;
    if (options.saliency && first.pixels && c.image.encoder !== 'features' && c.task !== 'captioning') {
      const C = outputValues.length;
      const onehot = new Float32Array(C);
      let best = 0;
      for (let j = 1; j < C; j++) if (outputValues[j] > outputValues[best]) best = j;
      onehot[best] = 1;
      const pixels = first.pixels;
      const grad = scope(() => {
        pixels.requiresGrad = true;
        const { batch } = batchFor(model, data, target, options.features);
        batch.pixels?.dispose();
        batch.pixels = pixels;
        const out = model.forward(batch, { training: false, seed: 0 });
        backward(sum(mul(out.output, out.output.backend.fromArray(onehot, out.output.shape, 'f32', 'inspect.onehot'))));
        const g = pixels.grad;
        pixels.grad = null;
        pixels.requiresGrad = false;
        return g;
      });
      zeroGrad(model.params.list());
      if (grad) {
        const g = await grad.read();
        grad.dispose();
        saliency = new Float32Array(S * S);
        for (let p = 0; p < S * S; p++) saliency[p] = Math.max(Math.abs(g[p]), Math.abs(g[S * S + p]), Math.abs(g[2 * S * S + p]));
        const max = saliency.reduce((a, b) => Math.max(a, b), 0);
        if (max > 0) for (let p = 0; p < saliency.length; p++) saliency[p] /= max;
      }
    }
    // Series steps are labelled by time (t=1…T), tokens by their word.
    const tokens = first.frames
      ? Array.from({ length: first.frames }, (_, k) => `${(k / 100).toFixed(2)} s`)
      : first.tokens
        ? Array.from(first.tokens.subarray(0, first.length), (id, k) => (data.series ? `t=${k + 1}` : (data.vocab.tokens[id] ?? '<unk>')))
        : [];
    let prediction: Inspection['prediction'];
    const targets = data.targets;
    if (targets.kind === 'classification') {
      prediction = { kind: 'classes', classes: targets.classes, probabilities: softmax(outputValues) };
    } else if (targets.kind === 'multilabel') {
      prediction = { kind: 'classes', classes: targets.classes, probabilities: Array.from(outputValues, (v) => 1 / (1 + Math.exp(-v))) };
    } else if (targets.kind === 'regression') {
      const values = Array.from(outputValues, (v) => v * (targets.std || 1) + targets.mean);
      prediction = { kind: 'value', value: values[0], values: (targets.width ?? 1) > 1 ? values : undefined };
    } else {
      const generated = await greedyDecode(model, first.pixels!);
      prediction = { kind: 'caption', text: captionText(generated[0], targets.vocab.tokens, targets.vocab.level === 'char' ? '' : ' ') };
    }
    return { tokens, traces, prediction, saliency, imageSize: S };
  } finally {
    for (const t of kept) t.dispose();
    if (first.pixels) {
      first.pixels.persistent = false;
      first.pixels.dispose();
    }
  }
}

/** Mean value of the chosen units per token, over the first `limit` examples of a split. */
export async function scanUnits(model: MultimodalModel, data: PreparedDataset, request: UnitScanRequest, batchSize = 64): Promise<UnitScanResult> {
  const c = model.config;
  if (c.task === 'captioning' || c.fusion === 'image') throw new Error('this model has no text encoder to scan');
  const D = c.text.bidirectional ? 2 : 1;
  if (!(request.layer >= 0 && request.layer < c.text.numLayers)) throw new Error(`no layer ${request.layer} (the model has ${c.text.numLayers})`);
  if (!(request.direction >= 0 && request.direction < D)) throw new Error(`no direction ${request.direction}`);
  const H = c.text.hiddenSize;
  for (const u of request.units) if (!(u >= 0 && u < H)) throw new Error(`no unit ${u} (the layer has ${H})`);
  const indices = data.splits[request.split].subarray(0, Math.max(0, request.limit));
  const backend = model.params.list()[0].backend;
  const examples: UnitScanResult['examples'] = [];
  for (let start = 0; start < indices.length; start += batchSize) {
    const rows = indices.subarray(start, Math.min(indices.length, start + batchSize));
    const handle = noGrad(() =>
      scope(() => {
        const batch = makeBatch(backend, data, c, rows);
        const out = model.forward(batch, { training: false, seed: 0 });
        return { capture: out.text!.recurrent.capture, tokens: batch.text!.hostTokens, lengths: batch.text!.lengths };
      }),
    );
    try {
      const traces = await readGateCapture(handle.capture, Array.from(rows, (_, k) => k));
      const T = data.maxLength;
      traces.forEach((perLayer, k) => {
        const trace = perLayer[request.layer * D + request.direction];
        const values = trace.values[request.state];
        if (!values) throw new Error(`the ${c.text.cell} has no state "${request.state}" (it has ${Object.keys(trace.values).join(', ')})`);
        const L = handle.lengths[k];
        const perToken: number[] = [];
        for (let t = 0; t < L; t++) {
          let sum = 0;
          for (const u of request.units) sum += values[t * H + u];
          perToken.push(request.units.length ? sum / request.units.length : 0);
        }
        const tokens = Array.from(handle.tokens.subarray(k * T, k * T + L), (id, t) => (data.series ? `t=${t + 1}` : (data.vocab.tokens[id] ?? '<unk>')));
        examples.push({ index: rows[k], tokens, values: perToken });
      });
    } finally {
      for (const t of [...handle.capture.saved, ...handle.capture.outputs]) t.dispose();
    }
  }
  return { examples };
}
