// The training loop as a pure module: runs in the training worker (train.worker.ts is
// only a message switch around it) and on the main thread in tests.
//
// One step = build the batch on the host and upload it, forward, loss, backward, global
// gradient norms (and the clip factor) on the device, one fused optimizer kernel per
// parameter, all recorded into one command buffer and submitted once. Nothing in a step
// waits for the device: per-step statistics (loss, norms, per-timestep gradient norms)
// are copied into ring buffers on the device, and the rings are read back
// asynchronously every `readbackEvery` steps. The CPU is kept at most two steps ahead
// of the device.
import type { Backend } from '../backend/backend.ts';
import type { WebGpuBackend } from '../backend/webgpu.ts';
import { setPrecision } from '../ops/precision.ts';
import type { PreparedDataset } from '../data/types.ts';
import { backward, zeroGrad } from '../ops/grad.ts';
import { noGrad } from '../autograd/tape.ts';
import { scope, type Tensor } from '../tensor.ts';
import { split } from '../ops/concat.ts';
import { timeNormsFromEnd, timeShareFromEnd } from '../ops/norms.ts';
import { gradNorms } from '../optim/clip.ts';
import { createOptimizer, type Optimizer } from '../optim/optimizer.ts';
import { learningRate } from '../optim/schedule.ts';
import { Random } from '../random.ts';
import type { ModelConfig } from '../models/config.ts';
import { MultimodalModel, multiTaskLoss, type ForwardResult, type ModelBatch } from '../models/model.ts';
import { distillationLoss } from '../ops/distill.ts';
import { makeBatch } from './batch.ts';
import { higherIsBetter, type EarlyStoppingConfig, type MonitorMetric, type TrainConfig } from './config.ts';
import { EtaEstimator } from './eta.ts';
import { evaluate, forwardOutputs, metricValue, type EvalResult, type SplitName } from './evaluate.ts';

export type TrainerState = 'idle' | 'running' | 'paused' | 'stopped' | 'finished';

/** Statistics of one training step, as streamed to the page. */
export interface StepStats {
  step: number;
  epoch: number;
  loss: number;
  lr: number;
  gradNorm: number;
  /** Gradient norm per layer group (names in `layerNames`). */
  layerNorms: number[];
  /**
   * Gradient over time of the recurrent layer's input, over real tokens only: entry k is
   * the mean over the batch's examples with a text of at least k + 1 tokens of
   * ‖∂loss/∂x_{b, L_b−1−k}‖ (k = 0 is the last real token); NaN where no example reaches
   * k. Empty without text. See ops/norms.ts.
   */
  timeNorms: number[];
  /**
   * Per k, the share of the batch's examples with a text that reach k (same length as
   * timeNorms). Absent in sessions saved before it was recorded.
   */
  timeShare?: number[];
}

export interface ThroughputStats {
  msPerStep: number;
  examplesPerSecond: number;
}

export interface EpochRecord {
  epoch: number;
  step: number;
  trainLoss: number;
  validation: EvalSummary;
  /** Multi-task models: the validation split scored per task, the primary first. */
  tasks?: TaskSummary[];
}

/** Weights by parameter name plus optimizer state: enough to resume exactly (train/protocol.ts re-exports it). */
export interface TrainingState {
  weights: Record<string, Float32Array>;
  /** `paramSteps`: updates applied per parameter (absent in older states: every one at `step`). */
  optimizer: { step: number; tensors: Record<string, Float32Array>; paramSteps?: number[] };
  step: number;
  epoch: number;
  history: EpochRecord[];
  /** Where the current epoch stands: its shuffled order, the next position, the shuffler's state. */
  order: Int32Array;
  cursor: number;
  rngPosition: number;
  learningRateOverride: number | null;
  /** Losses of the current epoch's steps so far (for its mean train loss); absent = none. */
  epochLoss?: { sum: number; count: number };
}

/** The metrics of an evaluation without the per-example arrays (cheap to post and store). */
export interface EvalSummary {
  loss: number;
  accuracy?: number;
  macroF1?: number;
  auc?: number;
  rmse?: number;
  mae?: number;
  bleu?: number;
}

/** One task of a multi-task model at the end of an epoch (validation split): its own loss and metric. */
export interface TaskSummary {
  name: string;
  loss: number;
  /** Classification: accuracy; multi-label: subset accuracy. */
  accuracy?: number;
  /** Regression, target units. */
  rmse?: number;
}

/** Per-task summaries of a multi-task evaluation, the primary first; undefined for one task. */
export function summarizeTasks(r: EvalResult): TaskSummary[] | undefined {
  return r.tasks?.map((t) => ({ name: t.name, loss: t.loss, accuracy: t.accuracy, rmse: t.rmse }));
}

export type TrainerEvent =
  | { type: 'steps'; stats: StepStats[]; throughput: ThroughputStats }
  | { type: 'progress'; epoch: number; step: number; stepInEpoch: number; stepsPerEpoch: number; totalSteps: number; etaSeconds: number | null }
  | { type: 'epoch'; record: EpochRecord }
  /** `failed`: the loop stopped on an error (the reason is its message), not on a request or a NaN. */
  | { type: 'state'; state: TrainerState; reason?: string; failed?: boolean }
  | { type: 'nan'; step: number; tensor: string; message: string }
  | { type: 'log'; message: string };

export interface TrainerOptions {
  /** Precomputed image features [N, Fin] for the features encoder. */
  features?: Float32Array;
  /** Continue from these weights (checkpoint) instead of a fresh initialisation. */
  model?: MultimodalModel;
  /** Steps between two refreshes of the host copy (see Trainer.hostCopy); default HOST_COPY_EVERY. */
  hostCopyEvery?: number;
  /** Train as a student of a teacher's logits (knowledge distillation; classification only). */
  teacher?: TeacherTargets;
}

/**
 * A teacher's logits for every example of the dataset, [N, C] row-major by example index
 * (computed once in evaluation mode: a batch's inputs are the same every epoch, so the
 * teacher's outputs are too), and the distillation settings. A step's loss is then
 * α · T² · KL(softmax(teacher / T) ‖ softmax(student / T)) + (1 − α) · CE(student, labels)
 * (ops/distill.ts).
 */
export interface TeacherTargets {
  logits: Float32Array;
  temperature: number;
  alpha: number;
}

/** Problems with teacher targets for this dataset and model (empty when they fit). */
export function teacherProblems(teacher: TeacherTargets, data: PreparedDataset, modelConfig: ModelConfig): string[] {
  const problems: string[] = [];
  if (modelConfig.task !== 'classification' || data.targets.kind !== 'classification') {
    problems.push(`Distillation needs a classification task (the teacher's softened class probabilities are the targets); this task is ${modelConfig.task}.`);
    return problems;
  }
  const C = modelConfig.outputSize;
  if (teacher.logits.length !== data.size * C) problems.push(`The teacher's logits hold ${teacher.logits.length} values; ${data.size} examples × ${C} classes = ${data.size * C} are needed.`);
  if (!(teacher.temperature > 0 && Number.isFinite(teacher.temperature))) problems.push(`The distillation temperature must be a positive number (got ${teacher.temperature}).`);
  if (!(teacher.alpha >= 0 && teacher.alpha <= 1)) problems.push(`The distillation weight α must be from 0 to 1 (got ${teacher.alpha}).`);
  return problems;
}

/**
 * Default steps between host copies of the training state. A copy reads every weight and
 * optimizer moment back (3 × the parameters for Adam); at the default model that is
 * a few milliseconds of device time (measured in trainer-host-copy.browser.test.ts), so
 * every 25 steps costs well under 1 % of training and repeats at most 25 steps after a
 * device loss.
 */
const HOST_COPY_EVERY = 25;

export function summarize(r: EvalResult): EvalSummary {
  return {
    loss: r.loss,
    accuracy: r.classification?.accuracy ?? r.multilabel?.subsetAccuracy,
    macroF1: r.classification?.macroF1 ?? r.multilabel?.macroF1,
    auc: r.classification?.auc,
    rmse: r.regression?.rmse,
    mae: r.regression?.mae,
    bleu: r.captions?.bleu.bleu,
  };
}

/** Groups a parameter name into its layer: ".weight"/".bias" dropped, RNN weights by layer·direction. */
export function layerOf(name: string): string {
  const rnn = name.match(/^(.*)\.(?:weight|bias)_(?:ih|hh)_(l\d+(?:_reverse)?)$/);
  if (rnn) return `${rnn[1]}.${rnn[2]}`;
  return name.replace(/\.(weight|bias)$/, '');
}

/** Yields to the event loop (lets worker messages in) without timer clamping. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What the host knows of a step when it is recorded. */
interface StepMeta {
  step: number;
  epoch: number;
  lr: number;
  /** See StepStats.timeShare; empty when the step recorded no time norms. */
  timeShare: number[];
}

/**
 * Per-step statistics rings on the device: row k holds [loss, P + 2 norms, T time
 * norms] of the k-th step since the last drain.
 */
class StatsRing {
  readonly width: number;
  private ring: Tensor;
  private rows = 0;
  private meta: StepMeta[] = [];
  private lastDrain = performance.now();
  private examples = 0;

  constructor(
    private backend: Backend,
    readonly capacity: number,
    private paramCount: number,
    private T: number,
  ) {
    this.width = 1 + paramCount + 2 + T;
    this.ring = backend.zeros([capacity, this.width], 'f32', 'trainer.statsRing').keep();
  }

  get full(): boolean {
    return this.rows >= this.capacity;
  }

  get pending(): number {
    return this.rows;
  }

  /** Records one step: loss (1 value), norms [P + 2] and time norms [T] (or nothing when T = 0). */
  push(meta: StepMeta, batchSize: number, loss: Tensor, norms: Tensor, time: Tensor | null): void {
    const o = this.rows * this.width;
    this.backend.copy(loss, this.ring, o);
    this.backend.copy(norms, this.ring, o + 1);
    if (time) this.backend.copy(time, this.ring, o + 1 + this.paramCount + 2);
    this.meta.push(meta);
    this.rows++;
    this.examples += batchSize;
  }

  /** Starts an asynchronous read of the recorded rows; resets the ring. */
  drain(): Promise<{ stats: StepStats[]; throughput: ThroughputStats; norms: Float32Array[] }> | null {
    if (this.rows === 0) return null;
    const rows = this.rows;
    const meta = this.meta;
    const examples = this.examples;
    this.rows = 0;
    this.meta = [];
    this.examples = 0;
    const P = this.paramCount;
    return this.ring.read().then((values) => {
      const now = performance.now();
      const elapsed = now - this.lastDrain;
      this.lastDrain = now;
      const stats: StepStats[] = [];
      const norms: Float32Array[] = [];
      for (let k = 0; k < rows; k++) {
        const o = k * this.width;
        const row = Float32Array.from(values.subarray(o, o + this.width));
        norms.push(row.subarray(1, 1 + P + 2));
        stats.push({
          ...meta[k],
          loss: row[0],
          gradNorm: row[1 + P],
          layerNorms: [],
          timeNorms: meta[k].timeShare.length ? Array.from(row.subarray(1 + P + 2, 1 + P + 2 + this.T)) : [],
        });
      }
      return { stats, norms, throughput: { msPerStep: elapsed / rows, examplesPerSecond: (examples / elapsed) * 1000 } };
    });
  }

  /** Restarts the throughput clock (after a pause). */
  resetClock(): void {
    this.lastDrain = performance.now();
    this.examples = 0;
  }

  dispose(): void {
    this.ring.persistent = false;
    this.ring.dispose();
  }
}

export class Trainer {
  readonly model: MultimodalModel;
  readonly optimizer: Optimizer;
  state: TrainerState = 'idle';
  /** Optimizer steps taken. */
  step = 0;
  epoch = 0;
  /** Position inside the current epoch's order. */
  private cursor = 0;
  private order: Int32Array = new Int32Array(0);
  private rng: Random;
  private ring: StatsRing;
  /** The trained tensors: the optimizer and the gradient norms see these. */
  private params: Tensor[];
  private paramNames: string[];
  /** Everything saved: the trained tensors and the buffers (batch norm's running statistics). */
  private weights: Tensor[];
  private weightNames: string[];
  /** Layer groups and, per parameter, its group index. */
  readonly layerNames: string[];
  private layerIndex: number[];
  private inflight: Promise<void>[] = [];
  private drains: Promise<void>[] = [];
  private lrOverride: number | null = null;
  private stepDelayMs: number;
  private lastGood: Tensor[] | null = null;
  private lastGoodStep = -1;
  /** The last training state read back to the host whose statistics were all finite. */
  private hostState: TrainingState | null = null;
  /** Step at which the newest host copy was started (accepted or not yet). */
  private hostCopyStep = 0;
  private hostCopyEvery: number;
  /**
   * Step whose statistics were not finite, while the run stays paused for it. Steps that
   * were already in flight ran on those weights; their statistics are not shown.
   */
  private nanStep: number | null = null;
  /** Early stopping as set now (it can change during a run, see setEarlyStopping). */
  private earlyStopping: EarlyStoppingConfig;
  /**
   * The best epoch so far by `best.metric` (early stopping's metric when it is on,
   * validation loss otherwise), with a copy of its weights: kept even when early
   * stopping is off, so that turning it on during a run can still keep the best epoch.
   */
  private best: { metric: MonitorMetric; value: number; epoch: number; weights: Tensor[] } | null = null;
  private epochsWithoutImprovement = 0;
  /** The best epoch's weights were put back (once per run). */
  private restoredBest = false;
  private epochLossSum = 0;
  private epochLossCount = 0;
  readonly history: EpochRecord[] = [];
  private loop: Promise<void> | null = null;
  /** The end-of-epoch evaluation in progress, if any. */
  private epochEnd: Promise<void> | null = null;
  /** The epoch's last batch was taken and its evaluation has not finished. */
  private epochPending = false;
  private loopToken = 0;
  private eta = new EtaEstimator();
  /** The first readback of the statistics was started (it follows the first step). */
  private firstReadback = false;

  constructor(
    readonly backend: Backend,
    readonly data: PreparedDataset,
    readonly modelConfig: ModelConfig,
    readonly config: TrainConfig,
    private emit: (e: TrainerEvent) => void,
    private options: TrainerOptions = {},
  ) {
    if (data.splits.train.length === 0) throw new Error(`dataset "${data.name}" has no training examples`);
    if (options.teacher) {
      const problems = teacherProblems(options.teacher, data, modelConfig);
      if (problems.length) throw new Error(problems.join(' '));
    }
    // Weight precision (src/ops/precision.ts) is a property of the GPU backend; the CPU backend ignores it.
    if (backend.kind === 'webgpu') setPrecision(backend as WebGpuBackend, config.precision ?? 'f32');
    this.model = options.model ?? MultimodalModel.create(backend, modelConfig, config.seed);
    this.params = this.model.params.trainable();
    this.paramNames = this.model.params.trainableNames();
    this.weights = this.model.params.list();
    this.weightNames = this.model.params.names();
    this.optimizer = createOptimizer(this.params, config.optimizer);
    this.rng = new Random(config.seed ^ 0x5eed);
    this.stepDelayMs = config.stepDelayMs;
    this.hostCopyEvery = Math.max(1, options.hostCopyEvery ?? HOST_COPY_EVERY);
    this.earlyStopping = { ...config.earlyStopping };
    const groups: string[] = [];
    this.layerIndex = this.paramNames.map((n) => {
      const g = layerOf(n);
      let i = groups.indexOf(g);
      if (i < 0) i = groups.push(g) - 1;
      return i;
    });
    this.layerNames = groups;
    const T = modelConfig.task === 'captioning' ? captionSteps(data) : modelConfig.fusion === 'image' ? 0 : data.maxLength;
    this.ring = new StatsRing(backend, config.readbackEvery, this.params.length, T);
    this.newEpochOrder();
  }

  get stepsPerEpoch(): number {
    return Math.ceil(this.data.splits.train.length / this.config.batchSize);
  }

  get totalSteps(): number {
    return this.stepsPerEpoch * this.config.epochs;
  }

  /** Learning rate for the next step (schedule, or the live override). */
  currentLearningRate(): number {
    const base = this.lrOverride ?? this.config.optimizer.lr;
    return learningRate({ baseRate: base, schedule: this.config.schedule, warmupSteps: this.config.warmupSteps }, this.step);
  }

  setLearningRate(lr: number): void {
    if (!(lr > 0 && Number.isFinite(lr))) throw new Error(`learning rate must be a positive number, got ${lr}`);
    this.lrOverride = lr;
  }

  setStepDelay(ms: number): void {
    this.stepDelayMs = Math.max(0, ms);
  }

  private newEpochOrder(): void {
    const idx = Array.from(this.data.splits.train);
    this.rng.shuffle(idx);
    this.order = Int32Array.from(idx);
    this.cursor = 0;
  }

  /** Records and submits one training step. Never waits for the device. */
  trainStep(): void {
    if (this.cursor >= this.order.length) throw new Error('the epoch has ended; its evaluation must run before the next step');
    const B = Math.min(this.config.batchSize, this.order.length - this.cursor);
    const rows = this.order.subarray(this.cursor, this.cursor + B);
    const lr = this.currentLearningRate();
    const seed = (this.config.seed * 1_000_003 + this.step) >>> 0;
    const meta: StepMeta = { step: this.step, epoch: this.epoch, lr, timeShare: [] };
    zeroGrad(this.params);
    scope(() => {
      const batch = makeBatch(this.backend, this.data, this.modelConfig, rows, {
        modalityDropout: this.modelConfig.modalityDropout,
        seed,
        features: this.options.features,
      });
      const out = this.model.forward(batch, { training: true, seed });
      const loss = this.stepLoss(batch, out, rows);
      const embedded = out.text?.embedded ?? null;
      backward(loss, undefined, embedded ? [embedded] : undefined);
      noGrad(() => {
        const norms = gradNorms(this.params, this.config.clipNorm);
        const P = this.params.length;
        const factor = split(norms.values, [P + 1, 1])[1];
        this.optimizer.update(lr, factor);
        let time: Tensor | null = null;
        const lengths = realTextLengths(batch);
        if (embedded?.grad && lengths && this.ring.width > 1 + P + 2) {
          const T = embedded.grad.shape[1];
          time = timeNormsFromEnd(embedded.grad, this.backend.fromArray(lengths, [B], 'i32', 'trainer.textLengths'));
          meta.timeShare = timeShareFromEnd(lengths, T);
        }
        this.ring.push(meta, B, loss, norms.values, time);
      });
    });
    this.backend.flush();
    this.step++;
    this.cursor += B;
    if (this.cursor >= this.order.length) this.epochPending = true;
  }

  /** The task's loss, or the distillation loss when the run has a teacher. */
  private stepLoss(batch: ModelBatch, out: ForwardResult, rows: Int32Array): Tensor {
    const teacher = this.options.teacher;
    // Without a teacher: the task loss (L_primary + Σ w_k · L_k for a multi-task model).
    if (!teacher || batch.target?.kind !== 'classification') return multiTaskLoss(this.modelConfig, batch, out).loss;
    const output = out.output;
    const C = output.shape[1];
    const logits = new Float32Array(rows.length * C);
    rows.forEach((example, b) => logits.set(teacher.logits.subarray(example * C, example * C + C), b * C));
    const teacherLogits = this.backend.fromArray(logits, [rows.length, C], 'f32', 'trainer.teacherLogits');
    return distillationLoss(output, teacherLogits, batch.target.labels, teacher.temperature, teacher.alpha);
  }

  /** Runs steps until paused, stopped or finished. A loop that is still winding down finishes first. */
  start(): Promise<void> {
    if (this.state === 'running' && this.loop) return this.loop;
    if (this.state === 'finished' || this.state === 'stopped') throw new Error(`training has ${this.state}; build a new trainer to train again`);
    this.setState('running');
    const previous = this.loop;
    const token = ++this.loopToken;
    this.loop = (async () => {
      if (previous) await previous.catch(() => {});
      this.nanStep = null;
      this.ring.resetClock();
      this.eta.restart(performance.now());
      await this.runLoop(token);
    })();
    return this.loop;
  }

  /**
   * Stops the loop after the step in flight. "paused" is announced once the loop has
   * wound down (runLoop), so that the step in flight is reported before it: a user who
   * sees "Paused at step N" and presses Step gets step N + 1.
   */
  pause(): void {
    if (this.state !== 'running') return;
    this.state = 'paused';
    if (!this.loop) this.emit({ type: 'state', state: 'paused' });
  }

  resume(): Promise<void> {
    if (this.state !== 'paused' && this.state !== 'idle') return this.loop ?? Promise.resolve();
    return this.start();
  }

  stop(): void {
    if (this.state === 'running' || this.state === 'paused' || this.state === 'idle') this.setState('stopped');
  }

  /** One step while paused (or idle), then its statistics. Waits for a pausing loop to wind down. */
  async stepOnce(): Promise<void> {
    if (this.state === 'running') throw new Error('pause training before stepping once');
    if (this.loop) await this.loop.catch(() => {});
    if (this.state === 'finished' || this.state === 'stopped') throw new Error(`training has ${this.state}`);
    this.eta.restart(performance.now());
    this.nanStep = null;
    await this.advance(true);
    await this.flushStats();
  }

  private setState(state: TrainerState, reason?: string): void {
    this.state = state;
    this.emit({ type: 'state', state, reason });
  }

  private async runLoop(token: number): Promise<void> {
    try {
      while (this.state === 'running' && token === this.loopToken) {
        await this.advance();
        if (this.stepDelayMs > 0) await sleep(this.stepDelayMs);
        else await yieldToEventLoop();
      }
      await this.flushStats();
      if (this.state === 'paused' && token === this.loopToken) this.emit({ type: 'state', state: 'paused' });
    } catch (e) {
      this.state = 'paused';
      this.emit({ type: 'state', state: 'paused', reason: e instanceof Error ? e.message : String(e), failed: true });
      throw e;
    } finally {
      if (token === this.loopToken) this.loop = null;
    }
  }

  /** One step plus its bookkeeping: readbacks, pacing, end of epoch. `single`: a step while paused (step once). */
  private async advance(single = false): Promise<void> {
    await this.finishEpochIfDone();
    if (this.state === 'finished') return;
    // A pause that arrived during the epoch-end evaluation takes no further step.
    if (!single && this.state !== 'running') return;
    this.trainStep();
    const done = this.backend.sync();
    // Left over when a lost device ends the loop: handled here, still awaited below.
    done.catch(() => {});
    this.inflight.push(done);
    if (this.inflight.length > 2) await this.inflight.shift();
    this.eta.record(performance.now());
    // The first step's statistics are read at once and waited for: its loss is the first
    // point on the chart, posted before step 2 is taken, instead of after `readbackEvery`
    // steps of pipeline building (or, on a loaded CPU, whenever the read gets its turn).
    let first: Promise<void> | null = null;
    if (this.ring.full || !this.firstReadback) {
      const drained = this.startDrain();
      if (!this.firstReadback) first = drained;
      this.firstReadback = true;
    }
    this.emitProgress();
    // A failed read is reported by flushStats, like every other drain's.
    if (first) await first.catch(() => {});
    await this.finishEpochIfDone();
  }

  /** Ends the epoch when its last batch has been taken (once, however many callers wait). */
  private finishEpochIfDone(): Promise<void> {
    // A run ended early between an epoch's last step and its record (early stopping turned
    // on just then) gets no record: its weights are already the best epoch's.
    if (!this.epochEnd && this.epochPending && this.state !== 'finished') {
      this.epochEnd = this.endEpoch().finally(() => (this.epochEnd = null));
    }
    return this.epochEnd ?? Promise.resolve();
  }

  private emitProgress(): void {
    const left = this.totalSteps - this.step;
    this.emit({
      type: 'progress',
      epoch: this.epoch,
      step: this.step,
      stepInEpoch: Math.ceil(this.cursor / this.config.batchSize),
      stepsPerEpoch: this.stepsPerEpoch,
      totalSteps: this.totalSteps,
      etaSeconds: this.eta.estimate(left),
    });
  }

  /** Starts reading the recorded statistics; returns the read (null when nothing was recorded). */
  private startDrain(): Promise<void> | null {
    const pending = this.ring.drain();
    if (!pending) return null;
    const snapshot = this.snapshotCandidate();
    // The host copy is read in stream order right after the drained steps, so it holds
    // exactly the state their statistics describe.
    const host = this.step - this.hostCopyStep >= this.hostCopyEvery ? this.readState() : null;
    if (host) this.hostCopyStep = this.step;
    const drained = Promise.all([pending, host]).then(([{ stats, norms, throughput }, hostState]) => {
      if (this.nanStep !== null) {
        snapshot?.forEach((t) => t.dispose());
        return;
      }
      for (let k = 0; k < stats.length; k++) {
        const s = stats[k];
        s.layerNorms = this.groupNorms(norms[k]);
        const bad = this.firstNonFinite(s.loss, norms[k]);
        if (bad) {
          this.nanStep = s.step;
          if (this.state === 'running') this.setState('paused', `${bad} is not finite at step ${s.step}`);
          this.emit({
            type: 'nan',
            step: s.step,
            tensor: bad,
            message: `Training paused: ${bad} became ${Number.isNaN(s.loss) || bad !== 'loss' ? 'NaN or infinite' : 'infinite'} at step ${s.step}. ` +
              (this.lastGoodStep >= 0 ? `The last good weights are from step ${this.lastGoodStep}.` : 'No earlier good weights were kept.'),
          });
          snapshot?.forEach((t) => t.dispose());
          this.emit({ type: 'steps', stats: stats.slice(0, k + 1), throughput });
          return;
        }
      }
      for (const st of stats) {
        if (st.epoch !== this.epoch) continue;
        this.epochLossSum += st.loss;
        this.epochLossCount++;
      }
      if (snapshot) this.acceptSnapshot(snapshot, stats[stats.length - 1].step);
      if (hostState) {
        // Earlier drains resolved first (device order), so the epoch's loss sum now
        // covers every step up to the copy's.
        hostState.epochLoss = { sum: this.epochLossSum, count: this.epochLossCount };
        this.acceptHostState(hostState);
      }
      this.emit({ type: 'steps', stats, throughput });
    });
    // A lost device rejects the reads; flushStats still sees the rejection.
    drained.catch(() => {});
    this.drains.push(drained);
    return drained;
  }

  /**
   * The last training state kept on the host (weights, optimizer moments, position, epoch
   * history): refreshed every `hostCopyEvery` steps and at every epoch end from steps whose
   * statistics were all finite. It needs no device, so it survives a device loss. Null
   * before the first copy was read.
   */
  get hostCopy(): TrainingState | null {
    return this.hostState;
  }

  /** Reads the state as it is now into the host copy (at the start, after a restore, at epoch ends). */
  refreshHostCopy(): Promise<void> {
    this.hostCopyStep = this.step;
    const reading = this.readState().then((state) => {
      if (this.nanStep === null) this.acceptHostState(state);
    });
    reading.catch(() => {});
    return reading;
  }

  private acceptHostState(state: TrainingState): void {
    // Two copies in flight: the older one never replaces the newer.
    if (this.hostState && this.hostState.step > state.step) return;
    this.hostState = state;
  }

  /** Reads every recorded statistic; resolves when they were emitted. */
  async flushStats(): Promise<void> {
    this.startDrain();
    const drains = this.drains;
    this.drains = [];
    await Promise.all(drains);
  }

  private firstNonFinite(loss: number, norms: Float32Array): string | null {
    if (!Number.isFinite(loss)) return 'loss';
    for (let p = 0; p < this.params.length; p++) if (!Number.isFinite(norms[p])) return `gradient of ${this.paramNames[p]}`;
    return null;
  }

  private groupNorms(norms: Float32Array): number[] {
    const sq = new Array<number>(this.layerNames.length).fill(0);
    for (let p = 0; p < this.params.length; p++) sq[this.layerIndex[p]] += norms[p] * norms[p];
    return sq.map(Math.sqrt);
  }

  /** Copies the weights (recorded now, after the steps being drained) as the next "last good" candidate. */
  private snapshotCandidate(): Tensor[] {
    return this.weights.map((p) => {
      const t = this.backend.empty(p.shape, 'f32', `snapshot.${p.label}`).keep();
      this.backend.copy(p, t);
      return t;
    });
  }

  private acceptSnapshot(weights: Tensor[], step: number): void {
    this.lastGood?.forEach((t) => {
      t.persistent = false;
      t.dispose();
    });
    this.lastGood = weights;
    this.lastGoodStep = step;
  }

  /** Puts back the weights of the last readback whose statistics were all finite. */
  restoreLastGood(): number {
    if (!this.lastGood) throw new Error('no finite weights were recorded yet');
    this.weights.forEach((p, i) => this.backend.copy(this.lastGood![i], p));
    // The optimizer's moments may hold the non-finite values: start them afresh.
    const { step, tensors } = this.optimizer.state();
    const zeros: Record<string, Float32Array> = {};
    for (const [name, t] of Object.entries(tensors)) zeros[name] = new Float32Array(t.size);
    this.optimizer.loadState(step, zeros);
    this.backend.flush();
    return this.lastGoodStep;
  }

  private async endEpoch(): Promise<void> {
    await this.flushStats();
    const trainLoss = this.epochLossCount ? this.epochLossSum / this.epochLossCount : NaN;
    this.epoch++;
    const validationSplit: SplitName = this.data.splits.validation.length > 0 ? 'validation' : 'train';
    const result = await this.evaluate(validationSplit);
    const tasks = summarizeTasks(result);
    const record: EpochRecord = { epoch: this.epoch, step: this.step, trainLoss, validation: summarize(result), ...(tasks ? { tasks } : {}) };
    this.history.push(record);
    this.epochPending = false;
    this.emit({ type: 'epoch', record });
    this.epochLossSum = 0;
    this.epochLossCount = 0;
    // Early stopping turned on while this epoch was evaluated may have ended the run already.
    if (this.state !== 'finished') {
      const stop = this.trackBest(result);
      if (this.epoch >= this.config.epochs || stop) this.finish(stop);
      else this.newEpochOrder();
    }
    void this.refreshHostCopy();
  }

  /** Ends the run (early or after its last epoch), putting back the best epoch's weights when early stopping keeps them. */
  private finish(early: boolean): void {
    const es = this.earlyStopping;
    if (es.enabled && es.restoreBest && this.best?.metric === es.metric) this.restoreBest();
    this.setState('finished', early ? `early stopping: no better validation ${es.metric} for ${this.epochsWithoutImprovement} epochs` : 'all epochs done');
  }

  /**
   * Changes early stopping during a run. When it is turned on after the watched metric
   * already went `patience` epochs without improving, the run ends now (between two
   * steps), with the best epoch's weights put back when `restoreBest` is set; a run that
   * already finished gets the best epoch's weights back.
   */
  setEarlyStopping(es: EarlyStoppingConfig): void {
    this.earlyStopping = { ...es };
    if (this.best && this.best.metric !== es.metric && es.enabled) {
      // Epochs were ranked by another metric: ranking starts again at the next epoch.
      this.releaseBest();
      this.epochsWithoutImprovement = 0;
    }
    // During an epoch-end evaluation the decision waits for its result (trackBest), so
    // that weights are never swapped under an evaluation.
    if (this.epochEnd || !es.enabled || !this.best || this.epochsWithoutImprovement < es.patience) return;
    if (this.state === 'running' || this.state === 'paused' || this.state === 'idle') this.finish(true);
    else if (this.state === 'finished' && es.restoreBest) this.restoreBest();
  }

  /** Puts back the best epoch's weights (when they differ from the current ones). */
  private restoreBest(): void {
    const best = this.best;
    if (!best || best.epoch >= this.epoch || this.restoredBest) return;
    this.weights.forEach((p, i) => this.backend.copy(best.weights[i], p));
    this.backend.flush();
    this.restoredBest = true;
    this.emit({ type: 'log', message: `Restored the weights of epoch ${best.epoch} (best validation ${best.metric}).` });
  }

  private releaseBest(): void {
    for (const t of this.best?.weights ?? []) {
      t.persistent = false;
      t.dispose();
    }
    this.best = null;
  }

  /** Updates the best epoch; true when early stopping should stop now. */
  private trackBest(result: EvalResult): boolean {
    const es = this.earlyStopping;
    const metric: MonitorMetric = es.enabled ? es.metric : 'loss';
    const value = metricValue(result, metric);
    if (!Number.isFinite(value)) return false;
    const better = !this.best || (higherIsBetter(metric) ? value > this.best.value : value < this.best.value);
    if (better) {
      const weights = this.best?.weights ?? this.weights.map((p) => this.backend.empty(p.shape, 'f32', `best.${p.label}`).keep());
      this.weights.forEach((p, i) => this.backend.copy(p, weights[i]));
      this.best = { metric, value, epoch: this.epoch, weights };
      this.epochsWithoutImprovement = 0;
      return false;
    }
    this.epochsWithoutImprovement++;
    return es.enabled && this.epochsWithoutImprovement >= es.patience;
  }

  /** Evaluates the current weights on a split (awaits the device; not part of a step). */
  async evaluate(split: SplitName, indices?: Int32Array): Promise<EvalResult> {
    return evaluate(this.backend, this.model, this.data, split, {
      batchSize: Math.max(this.config.batchSize, 64),
      captionExamples: this.config.captionEvalExamples,
      features: this.options.features,
      indices,
    });
  }

  /**
   * Everything needed to continue exactly from here (awaits pending statistics). Every
   * read is issued before the first await, so a loop that keeps training meanwhile cannot
   * mix weights of one step with optimizer moments or counters of another.
   */
  async exportState(): Promise<TrainingState> {
    // An epoch whose last batch was taken is evaluated first, so a saved state never sits
    // between an epoch's last step and its record.
    await this.flushStats();
    await this.finishEpochIfDone();
    return this.readState();
  }

  /** Issues the reads of the state as it is now (no await before the last read is recorded). */
  private async readState(): Promise<TrainingState> {
    const names = this.weightNames;
    const opt = this.optimizer.state();
    const entries = Object.entries(opt.tensors);
    const reads = Promise.all([...this.weights.map((p) => p.read()), ...entries.map(([, t]) => t.read())]);
    const position = {
      step: this.step,
      epoch: this.epoch,
      history: this.history.map((h) => ({ ...h, validation: { ...h.validation } })),
      order: Int32Array.from(this.order),
      cursor: this.cursor,
      rngPosition: this.rng.position,
      learningRateOverride: this.lrOverride,
      epochLoss: { sum: this.epochLossSum, count: this.epochLossCount },
    };
    const values = await reads;
    const weights: Record<string, Float32Array> = {};
    names.forEach((n, i) => (weights[n] = Float32Array.from(values[i])));
    const tensors: Record<string, Float32Array> = {};
    entries.forEach(([n], i) => (tensors[n] = Float32Array.from(values[names.length + i])));
    return { weights, optimizer: { step: opt.step, tensors, paramSteps: [...opt.paramSteps] }, ...position };
  }

  /**
   * The model's forward output (evaluation mode, current weights) for dataset examples:
   * logits [B, C], the standardised value [B, 1], or caption logits [B·L, V].
   */
  outputs(indices: ArrayLike<number>): Promise<Float32Array> {
    return forwardOutputs(this.backend, this.model, this.data, indices, this.options.features);
  }

  /** Continues from an exported state (weights are given to the constructor through `options.model`). */
  restore(s: TrainingState): void {
    if (this.step !== 0) throw new Error('restore a training state into a fresh trainer only');
    this.optimizer.loadState(s.optimizer.step, s.optimizer.tensors, s.optimizer.paramSteps);
    this.step = s.step;
    this.epoch = s.epoch;
    this.history.push(...s.history);
    const n = this.data.splits.train.length;
    if (s.order.length === n && s.cursor >= 0 && s.cursor <= n) {
      this.order = Int32Array.from(s.order);
      this.cursor = s.cursor;
      this.rng.position = s.rngPosition;
    }
    this.lrOverride = s.learningRateOverride;
    // A state saved between an epoch's last step and its record (older files): the
    // record is made before the next step.
    if (this.cursor >= n && s.history.length < this.config.epochs) {
      this.epoch = s.history.length;
      this.epochPending = true;
    }
    this.epochLossSum = s.epochLoss?.sum ?? 0;
    this.epochLossCount = s.epochLoss?.count ?? 0;
    if (this.epoch >= this.config.epochs) this.state = 'finished';
  }

  dispose(): void {
    this.state = 'stopped';
    this.ring.dispose();
    this.optimizer.dispose();
    for (const t of this.lastGood ?? []) {
      t.persistent = false;
      t.dispose();
    }
    this.releaseBest();
  }
}

/**
 * Real token count of each example's recurrent input (the caption decoder's input when
 * captioning), 0 where the example has no text (it takes no part in the gradient-over-time
 * view; its one <unk> step is a stand-in, not the user's text). Null without text.
 */
function realTextLengths(batch: ModelBatch): Int32Array | null {
  if (batch.target?.kind === 'captioning') return Int32Array.from(batch.target.input.lengths);
  if (!batch.text) return null;
  const lengths = Int32Array.from(batch.text.lengths);
  if (batch.textMissing) batch.textMissing.forEach((m, b) => m > 0 && (lengths[b] = 0));
  return lengths;
}

function captionSteps(data: PreparedDataset): number {
  return data.targets.kind === 'captioning' ? data.targets.tokens.length / data.size - 1 : 0;
}
