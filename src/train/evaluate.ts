// Evaluation of a model on a split: forward in batches without gradients, then the
// task's metrics on the host. Captioning is scored on the teacher-forced loss and on
// greedy-decoded captions (BLEU-4, exact match) of the first examples.
import type { Backend } from '../backend/backend.ts';
import type { PreparedDataset } from '../data/types.ts';
import { EOS, PAD, BOS } from '../data/types.ts';
import { noGrad } from '../autograd/tape.ts';
import { scope, type Tensor } from '../tensor.ts';
import { classificationReport, argmaxRows, type ClassificationReport } from '../metrics/classification.ts';
import { macroAuc, rocCurve, rocOneVsRest, type RocCurve } from '../metrics/roc.ts';
import { regressionReport, type RegressionReport } from '../metrics/regression.ts';
import { forecastReport, type ForecastReport } from '../metrics/forecast.ts';
import { naiveForecast } from '../data/series.ts';
import { multilabelReport, type MultilabelReport } from '../metrics/multilabel.ts';
import { corpusBleu, exactMatch, type BleuReport } from '../metrics/caption.ts';
import { multiTaskLoss, type MultimodalModel } from '../models/model.ts';
import type { EncodedTargets } from '../data/types.ts';
import { greedyDecode } from '../models/decode.ts';
import { makeBatch, type BatchOptions } from './batch.ts';
import type { MonitorMetric } from './config.ts';

export type SplitName = 'train' | 'validation' | 'test';

export interface CaptionSample {
  index: number;
  reference: string;
  generated: string;
}

export interface EvalResult {
  split: SplitName;
  count: number;
  loss: number;
  /** Dataset indices evaluated, in order. */
  indices: Int32Array;
  /** Predicted class per example (classification), or the prediction in target units (regression; [count, k] when forecasting k steps). */
  predictions: Float32Array;
  /** Softmax / sigmoid probabilities [count, C] (classification, multilabel). */
  probabilities: Float32Array | null;
  classification?: ClassificationReport & { roc: RocCurve[]; auc: number };
  multilabel?: MultilabelReport;
  regression?: RegressionReport;
  /**
   * Series datasets: the model's forecast scored per horizon step, and the naive forecast
   * "repeat the last input value" scored the same way (the baseline to beat).
   */
  forecast?: { model: ForecastReport; naive: ForecastReport; naivePredictions: Float32Array; horizon: number };
  captions?: { bleu: BleuReport; exactMatch: number; samples: CaptionSample[] };
  /**
   * Multi-task models: every task scored on its own head, the primary first (its loss is
   * the primary loss alone; `loss` above is the weighted total L_primary + Σ w_k · L_k).
   */
  tasks?: TaskEval[];
}

/** One task of a multi-task model on a split: its own loss and its metric. */
export interface TaskEval {
  name: string;
  kind: 'classification' | 'multilabel' | 'regression';
  weight: number;
  loss: number;
  /** Classification: accuracy; multi-label: subset accuracy. */
  accuracy?: number;
  macroF1?: number;
  /** Regression, in target units. */
  rmse?: number;
  /** Predicted class per example (classification) or value in target units (regression); multi-label: sigmoid scores [count, C]. */
  predictions: Float32Array;
}

/** Name of the primary task in per-task lists (its head keeps the name `head`). */
export const PRIMARY_TASK = 'primary';

/** The value early stopping and comparisons read from an evaluation. */
export function metricValue(r: EvalResult, metric: MonitorMetric): number {
  switch (metric) {
    case 'loss':
      return r.loss;
    case 'accuracy':
      return r.classification?.accuracy ?? r.multilabel?.subsetAccuracy ?? NaN;
    case 'macroF1':
      return r.classification?.macroF1 ?? r.multilabel?.macroF1 ?? NaN;
    case 'auc':
      return r.classification?.auc ?? NaN;
    case 'rmse':
      return r.regression?.rmse ?? NaN;
    case 'bleu':
      return r.captions?.bleu.bleu ?? NaN;
  }
}

/** Caption ids → words, stopping at <eos> and skipping <bos>/<pad>. */
export function captionText(ids: ArrayLike<number>, vocab: readonly string[], separator: string): string {
  const words: string[] = [];
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    if (id === EOS) break;
    if (id === BOS || id === PAD) continue;
    words.push(vocab[id] ?? '<unk>');
  }
  return words.join(separator);
}

export async function evaluate(
  backend: Backend,
  model: MultimodalModel,
  data: PreparedDataset,
  split: SplitName,
  options: { batchSize: number; captionExamples?: number; features?: Float32Array; indices?: Int32Array },
): Promise<EvalResult> {
  const indices = options.indices ?? data.splits[split];
  const n = indices.length;
  const batchOptions: BatchOptions = { features: options.features };
  let lossSum = 0;
  const targets = data.targets;
  const C = targets.kind === 'classification' || targets.kind === 'multilabel' ? targets.classes.length : 0;
  const probabilities = C ? new Float32Array(n * C) : null;
  const W = targets.kind === 'regression' ? (targets.width ?? 1) : 1;
  const predictions = new Float32Array(n * W);
  // Auxiliary tasks the dataset has targets for: loss sums and scores per task.
  const extraTargets = new Map((data.extraTargets ?? []).map((e) => [e.name, e.targets]));
  const tasks = (model.config.extraTasks ?? []).filter((t) => extraTargets.has(t.name));
  const multi = tasks.length > 0 && tasks.length === (model.config.extraTasks ?? []).length;
  const taskLossSums = new Float64Array(tasks.length + 1);
  const taskScores = multi ? tasks.map((t) => new Float32Array(n * t.outputSize)) : [];
  for (let start = 0; start < n; start += options.batchSize) {
    const rows = indices.subarray(start, Math.min(n, start + options.batchSize));
    const pending = noGrad(() =>
      scope(() => {
        const batch = makeBatch(backend, data, model.config, rows, batchOptions);
        const out = model.forward(batch, { training: false, seed: 0 });
        const { loss, scores, primary, extras } = multiTaskLoss(model.config, batch, out);
        return { loss, scores, parts: multi ? [primary, ...extras.flatMap((e) => [e.loss, e.scores])] : [] };
      }),
    );
    const [lossValue, scoreValues, ...partValues] = await Promise.all([pending.loss.read(), pending.scores.read(), ...pending.parts.map((t) => t.read())]);
    pending.loss.dispose();
    pending.scores.dispose();
    pending.parts.forEach((t) => t.dispose());
    lossSum += lossValue[0] * rows.length;
    if (multi) {
      taskLossSums[0] += partValues[0][0] * rows.length;
      tasks.forEach((t, k) => {
        taskLossSums[k + 1] += partValues[1 + 2 * k][0] * rows.length;
        taskScores[k].set(partValues[2 + 2 * k] as Float32Array, start * t.outputSize);
      });
    }
    if (targets.kind === 'classification') {
      probabilities!.set(scoreValues as Float32Array, start * C);
      const arg = argmaxRows(scoreValues, C);
      for (let k = 0; k < rows.length; k++) predictions[start + k] = arg[k];
    } else if (targets.kind === 'multilabel') {
      probabilities!.set(scoreValues as Float32Array, start * C);
    } else if (targets.kind === 'regression') {
      for (let k = 0; k < rows.length * W; k++) predictions[start * W + k] = scoreValues[k] * (targets.std || 1) + targets.mean;
    }
  }
  const result: EvalResult = { split, count: n, loss: n ? lossSum / n : NaN, indices, predictions, probabilities };
  if (targets.kind === 'classification') {
    const truth = Int32Array.from(indices, (i) => targets.labels[i]);
    const report = classificationReport(truth, predictions, targets.classes);
    const roc = C === 2 ? [rocCurve(Float32Array.from({ length: n }, (_, k) => probabilities![k * 2 + 1]), Array.from(truth, (t) => t === 1))] : rocOneVsRest(probabilities!, truth, C);
    result.classification = { ...report, roc, auc: C === 2 ? roc[0].auc : macroAuc(roc) };
  } else if (targets.kind === 'multilabel') {
    const truth = new Float32Array(n * C);
    indices.forEach((i, k) => truth.set(targets.labels.subarray(i * C, (i + 1) * C), k * C));
    result.multilabel = multilabelReport(probabilities!, truth, targets.classes);
  } else if (targets.kind === 'regression') {
    const truth = new Float32Array(n * W);
    indices.forEach((i, k) => truth.set(targets.values.subarray(i * W, (i + 1) * W), k * W));
    result.regression = regressionReport(predictions, truth);
    if (data.series) {
      const naivePredictions = naiveForecast(data, indices);
      result.forecast = { model: forecastReport(predictions, truth, W), naive: forecastReport(naivePredictions, truth, W), naivePredictions, horizon: W };
    }
  } else {
    const m = Math.min(n, options.captionExamples ?? 64);
    const sep = targets.vocab.level === 'char' ? '' : ' ';
    const samples: CaptionSample[] = [];
    const hyps: string[][] = [];
    const refs: string[][][] = [];
    for (let start = 0; start < m; start += options.batchSize) {
      const rows = indices.subarray(start, Math.min(m, start + options.batchSize));
      const pixels: Tensor = noGrad(() => scope(() => makeBatch(backend, data, model.config, rows, batchOptions).pixels!));
      const generated = await greedyDecode(model, pixels);
      pixels.dispose();
      generated.forEach((ids, k) => {
        const i = rows[k];
        const L = targets.tokens.length / data.size;
        const reference = captionText(targets.tokens.subarray(i * L, (i + 1) * L), targets.vocab.tokens, sep);
        const text = captionText(ids, targets.vocab.tokens, sep);
        samples.push({ index: i, reference, generated: text });
        hyps.push(ids.map((id) => targets.vocab.tokens[id]));
        refs.push([reference.split(sep || /(?:)/u)]);
      });
    }
    result.captions = { bleu: corpusBleu(hyps, refs), exactMatch: exactMatch(hyps, refs), samples };
  }
  if (multi && targets.kind !== 'captioning') {
    const primary = scoreTask(PRIMARY_TASK, 1, targets, indices, targets.kind === 'multilabel' ? probabilities! : predictions, taskLossSums[0] / n, true);
    const extras = tasks.map((t, k) => scoreTask(t.name, t.weight, extraTargets.get(t.name)!, indices, taskScores[k], taskLossSums[k + 1] / n, false));
    result.tasks = [primary, ...extras];
  }
  return result;
}

/**
 * One task's metric from its head's scores: `scores` are probabilities [n, C]
 * (classification, multi-label) or standardised values [n, 1] (regression) — or, with
 * `decoded`, the primary's predictions already decoded (class ids / target units).
 */
function scoreTask(name: string, weight: number, t: Exclude<EncodedTargets, { kind: 'captioning' }>, indices: Int32Array, scores: Float32Array, loss: number, decoded: boolean): TaskEval {
  const n = indices.length;
  if (t.kind === 'classification') {
    const predictions = decoded ? scores : Float32Array.from(argmaxRows(scores, t.classes.length));
    const report = classificationReport(Int32Array.from(indices, (i) => t.labels[i]), predictions, t.classes);
    return { name, kind: t.kind, weight, loss, accuracy: report.accuracy, macroF1: report.macroF1, predictions };
  }
  if (t.kind === 'multilabel') {
    const C = t.classes.length;
    const truth = new Float32Array(n * C);
    indices.forEach((i, k) => truth.set(t.labels.subarray(i * C, (i + 1) * C), k * C));
    const report = multilabelReport(scores, truth, t.classes);
    return { name, kind: t.kind, weight, loss, accuracy: report.subsetAccuracy, macroF1: report.macroF1, predictions: scores };
  }
  const W = t.width ?? 1;
  const predictions = decoded ? scores : Float32Array.from(scores, (v) => v * (t.std || 1) + t.mean);
  const truth = new Float32Array(n * W);
  indices.forEach((i, k) => truth.set(t.values.subarray(i * W, (i + 1) * W), k * W));
  return { name, kind: t.kind, weight, loss, rmse: regressionReport(predictions, truth).rmse, predictions };
}

/**
 * The model's forward output (evaluation mode) for the examples at `indices`: logits
 * [B, C], the standardised value [B, 1], or caption logits [B·L, V] (teacher forcing).
 * The reference the ONNX check and the PyTorch bundle's samples compare against.
 */
export async function forwardOutputs(backend: Backend, model: MultimodalModel, data: PreparedDataset, indices: ArrayLike<number>, features?: Float32Array): Promise<Float32Array> {
  const out = noGrad(() =>
    scope(() => {
      const batch = makeBatch(backend, data, model.config, indices, { features });
      return model.forward(batch, { training: false, seed: 0 }).output.keep();
    }),
  );
  try {
    return Float32Array.from(await out.read());
  } finally {
    out.persistent = false;
    out.dispose();
  }
}
