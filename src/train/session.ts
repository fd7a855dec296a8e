// The training session behind the worker: owns the backend and the Trainer, answers
// requests, and throttles what it posts so the page renders smoothly at any training
// speed: step statistics and progress are posted together at most every
// `progressIntervalMs`, except a trainer's first statistics, which go out at once (a tiny
// model on a fast backend takes ~1,000 steps a second, and one message per step kept the
// page's main thread busy for up to 0.9 s at a time). Any other
// event first posts what is pending, so the page sees events in the trainer's order.
// Pure: tests drive it without a worker.
//
// Device loss: the trainer keeps a host copy of its last good state (Trainer.hostCopy).
// When the GPU device is lost, the session answers saves from that copy, acquires a new
// device (or falls back to the CPU), rebuilds the model and optimizer from the copy and,
// when the run was training, trains on at once: the user pressed Train and the copy is a
// state the run already reached, so waiting for a click would only leave a run standing.
import type { Backend } from '../backend/backend.ts';
import { createCpuBackend } from '../backend/cpu-engine.ts';
import { WebGpuBackend } from '../backend/webgpu.ts';
import { modelFromWeights, type MultimodalModel } from '../models/model.ts';
import { validateModelConfig } from '../models/config.ts';
import { Trainer, type TrainerEvent } from './trainer.ts';
import { validateTrainConfig, type EarlyStoppingConfig } from './config.ts';
import { inspect, scanUnits } from './inspect.ts';
import type { FromWorker, ReadyInfo, ResultValues, ToWorker, TrainingState, UnitScanRequest } from './protocol.ts';
import { tuneKernels, TUNING_BUDGET_MS } from '../ops/gemm-tuning.ts';
import { PRECISION_LABELS } from '../ops/precision-names.ts';
import { recordStorage } from '../ops/tuning-cache.ts';
import { limitsOfInterest, tuningShapes } from './kernel-tuning.ts';
import { compareBackends, comparisonKey, readComparison, type BackendComparison } from './backend-race.ts';

type InitMessage = Extract<ToWorker, { type: 'init' }>;

/**
 * How long a training loop that failed on the GPU waits for the device's loss to be
 * announced before its error is shown: a read on a dying device can fail a moment before
 * `device.lost` resolves.
 */
const LOSS_ANNOUNCE_GRACE_MS = 1000;

export class TrainingSession {
  private backend: Backend | null = null;
  private trainer: Trainer | null = null;
  private lastProgress = 0;
  /** Whether this trainer's first step statistics have been posted (they go out at once). */
  private firstStatsPosted = false;
  private pendingProgress: Extract<TrainerEvent, { type: 'progress' }> | null = null;
  /** Step statistics not posted yet (in step order) and the newest throughput. */
  private pendingSteps: Extract<TrainerEvent, { type: 'steps' }> | null = null;
  private progressTimer: ReturnType<typeof setTimeout> | null = null;
  /** What the session was built from (to rebuild it on a new device). */
  private built: InitMessage | null = null;
  /** Events of older trainers (a lost device's) are dropped. */
  private generation = 0;
  private unsubscribeLost: (() => void) | null = null;
  /** A failed-loop pause held back while the device may be announcing its loss. */
  private heldPause: Extract<TrainerEvent, { type: 'state' }> | null = null;
  /** Set between a device loss and the rebuilt trainer: the state saves are answered from. */
  private recovering: { state: TrainingState | null; train: boolean } | null = null;
  /** Live settings sent since init (re-applied to a rebuilt trainer). */
  private stepDelayMs: number | null = null;
  private earlyStopping: EarlyStoppingConfig | null = null;
  /** The page's kernel-tuning entries plus what this session tuned (a worker has no localStorage). */
  private tuningEntries: Record<string, string> = {};
  /** Tuning of the current WebGPU backend, once begun (the first step waits for it). */
  private tuning: Promise<void> | null = null;
  /** A start or resume is waiting for the tuning; a pause meanwhile cancels it. */
  private startPending = false;

  constructor(
    private post: (message: FromWorker) => void,
    private progressIntervalMs = 100,
  ) {}

  private requireTrainer(): Trainer {
    if (this.recovering) throw new Error('the GPU was reset and the model is being rebuilt; try again in a moment');
    if (!this.trainer) throw new Error('the training session is not initialised');
    return this.trainer;
  }

  async init(m: InitMessage): Promise<void> {
    const problems = [...validateModelConfig(m.model), ...validateTrainConfig(m.train)];
    if (problems.length) throw new Error(problems.join(' '));
    this.dispose();
    this.backend = null;
    let fallbackReason: string | null = null;
    if (m.backend !== 'cpu') {
      try {
        this.backend = await WebGpuBackend.create();
      } catch (e) {
        if (m.backend === 'webgpu') throw e;
        fallbackReason = e instanceof Error ? e.message : String(e);
      }
    } else fallbackReason = 'the CPU backend was chosen';
    let chosenReason: string | null = null;
    if (m.backend === 'auto' && this.backend instanceof WebGpuBackend && this.backend.gpu.info.isFallbackAdapter) {
      // A measured comparison for this model on this fallback adapter (backend-race.ts) picks the faster backend.
      const gpu = this.backend;
      const cpu = await createCpuBackend();
      const c = readComparison(m.tuningEntries?.[comparisonKey(gpu.gpu.info, m.model, m.train, m.dataset)], userAgent(), cpu.description);
      if (c?.faster === 'cpu') {
        chosenReason = `${cpu.description} chosen: ${c.cpuMs.toFixed(0)} ms/step vs ${c.webgpuMs.toFixed(0)} ms/step on the fallback GPU (${c.adapter})`;
        gpu.device.destroy();
        this.backend = cpu;
      }
    }
    this.backend ??= await createCpuBackend();
    this.built = m;
    this.stepDelayMs = null;
    this.earlyStopping = null;
    this.tuningEntries = { ...(m.tuningEntries ?? {}) };
    this.tuning = null;
    const trainer = this.buildTrainer(m.resume ?? null);
    this.post({ type: 'ready', info: { ...this.readyInfo(trainer, fallbackReason), chosenReason } });
    await this.applyCachedTuning();
  }

  /** Applies cached kernel choices for this model at once (then the first step does not wait for tuning). */
  private async applyCachedTuning(): Promise<void> {
    const gpu = this.backend;
    if (!(gpu instanceof WebGpuBackend) || !this.built) return;
    try {
      const r = await tuneKernels(gpu, tuningShapes(this.built.model, this.built.train, this.built.dataset), { storage: recordStorage(this.tuningEntries), userAgent: userAgent(), cacheOnly: true });
      if (r) {
        this.tuning = Promise.resolve();
        this.post({ type: 'tuning', report: { status: 'done', tuning: r } });
      }
    } catch (e) {
      this.post({ type: 'tuning', report: { status: 'failed', message: e instanceof Error ? e.message : String(e) } });
    }
  }

  /**
   * Tunes the kernels for this model on the WebGPU backend (once per backend, or again
   * with `force`), reporting progress; the built-in defaults stay when it fails.
   */
  private tune(force = false): Promise<void> {
    const gpu = this.backend;
    if (!(gpu instanceof WebGpuBackend) || !this.built) return Promise.resolve();
    if (this.tuning && !force) return this.tuning;
    const built = this.built;
    const storage = recordStorage(this.tuningEntries);
    this.tuning = (async () => {
      try {
        const r = await tuneKernels(gpu, tuningShapes(built.model, built.train, built.dataset), {
          storage,
          userAgent: userAgent(),
          force,
          budgetMs: built.tuningBudgetMs ?? TUNING_BUDGET_MS,
          onProgress: (done, total) => this.post({ type: 'tuning', report: { status: 'running', done, total } }),
        });
        if (!r) return;
        if (r.store) this.tuningEntries[r.store.key] = JSON.stringify(r.store.entry);
        this.post({ type: 'tuning', report: { status: 'done', tuning: r } });
      } catch (e) {
        this.post({ type: 'tuning', report: { status: 'failed', message: e instanceof Error ? e.message : String(e) } });
      }
    })();
    return this.tuning;
  }

  /**
   * Times a few steps of this model, built afresh, on the WebGPU backend (tuned first) and
   * on the CPU backend (see backend-race.ts). The session's own model is not touched.
   */
  async compareBackends(): Promise<BackendComparison> {
    const gpu = this.backend;
    if (!(gpu instanceof WebGpuBackend) || !this.built) throw new Error('training runs on the CPU backend: there is no GPU to compare with');
    if (this.trainer?.state === 'running' || this.startPending) throw new Error('pause training before comparing the backends');
    await this.tune();
    return compareBackends(gpu, await createCpuBackend(), gpu.gpu.info.description || `${gpu.gpu.info.vendor} / ${gpu.gpu.info.architecture}`, userAgent(), this.built);
  }

  /** "Re-run tuning": times the kernels again (refused while training runs: the timings would include its steps). */
  async retune(): Promise<void> {
    if (!(this.backend instanceof WebGpuBackend)) throw new Error('training runs on the CPU backend: there are no GPU kernels to tune');
    if (this.trainer?.state === 'running' || this.startPending) throw new Error('pause training before re-running the kernel tuning');
    await this.tuning?.catch(() => {});
    await this.tune(true);
  }

  /** A trainer on the current backend, continuing from `state` (or freshly initialised). */
  private buildTrainer(state: TrainingState | null): Trainer {
    const m = this.built!;
    const backend = this.backend;
    if (!backend) throw new Error('the training session has no backend yet');
    const generation = ++this.generation;
    this.firstStatsPosted = false;
    let model: MultimodalModel | undefined;
    if (state) model = modelFromWeights(backend, m.model, state.weights);
    const trainer = new Trainer(backend, m.dataset, m.model, m.train, (e) => generation === this.generation && this.onEvent(e), {
      features: m.features,
      model,
      hostCopyEvery: m.hostCopyEvery,
      teacher: m.teacher,
    });
    if (state) trainer.restore(state);
    void trainer.refreshHostCopy();
    this.trainer = trainer;
    if (backend instanceof WebGpuBackend) this.unsubscribeLost = backend.onLost((reason) => void this.deviceLost(reason, generation));
    return trainer;
  }

  private readyInfo(trainer: Trainer, fallbackReason: string | null): ReadyInfo {
    const backend = trainer.backend;
    const gpu = backend instanceof WebGpuBackend ? backend : null;
    return {
      adapter: gpu ? gpu.gpu.info : undefined,
      limits: gpu ? limitsOfInterest(gpu) : undefined,
      backend: backend.description,
      backendKind: backend.kind,
      fallbackReason,
      precision: precisionText(gpu !== null, this.built!.train.precision ?? 'f32'),
      parameters: trainer.model.params.trainable().reduce((n, t) => n + t.size, 0),
      paramNames: trainer.model.params.trainableNames(),
      layerNames: trainer.layerNames,
      stepsPerEpoch: trainer.stepsPerEpoch,
      totalSteps: trainer.totalSteps,
    };
  }

  /**
   * The device of `generation`'s trainer was lost: saves are answered from its host copy
   * while a new device (or the CPU) is acquired and the trainer rebuilt from that copy;
   * a run that was training trains on.
   */
  private async deviceLost(reason: string, generation: number): Promise<void> {
    const old = this.trainer;
    if (generation !== this.generation || !old || this.recovering) return;
    const train = old.state === 'running' || this.heldPause !== null;
    this.heldPause = null;
    this.generation++;
    const state = old.hostCopy;
    this.recovering = { state, train };
    this.post({ type: 'deviceLost', reason, lostAtStep: old.step, keptStep: state?.step ?? 0 });
    this.releaseTrainer();
    this.backend = null;
    let fallbackReason: string | null = null;
    try {
      this.backend = await WebGpuBackend.create();
    } catch (e) {
      fallbackReason = `a new GPU device could not be created (${e instanceof Error ? e.message : String(e)})`;
      this.backend = await createCpuBackend();
    }
    // Kernel choices belong to a backend: the new one takes them from the cache (or tunes) before its first step.
    this.tuning = null;
    try {
      const trainer = this.buildTrainer(state);
      if (this.stepDelayMs !== null) trainer.setStepDelay(this.stepDelayMs);
      if (this.earlyStopping) trainer.setEarlyStopping(this.earlyStopping);
      const resume = this.recovering.train && trainer.state !== 'finished';
      this.recovering = null;
      this.post({
        type: 'recovered',
        info: this.readyInfo(trainer, fallbackReason),
        lostAtStep: old.step,
        position: { step: trainer.step, epoch: trainer.epoch, cursor: state?.cursor ?? 0, history: trainer.history.slice() },
        resumed: resume,
      });
      if (resume) this.start();
    } catch (e) {
      this.recovering = null;
      this.post({ type: 'fatal', message: `The GPU was reset at step ${old.step} and the model could not be rebuilt: ${e instanceof Error ? e.message : String(e)}` });
    }
  }

  /** Destroys the GPU device as a driver reset would (the page's test hook `__gatescope.loseGpuDevice`). */
  loseDevice(): void {
    if (!(this.backend instanceof WebGpuBackend)) throw new Error('training runs on the CPU: there is no GPU device to lose');
    this.backend.device.destroy();
  }

  private onEvent(e: TrainerEvent): void {
    if (e.type === 'state' && e.failed && this.backend instanceof WebGpuBackend && !this.backend.lostReason) {
      // A loss announced within the grace period drops this pause (see deviceLost).
      this.heldPause = e;
      const generation = this.generation;
      setTimeout(() => {
        if (this.heldPause !== e || generation !== this.generation) return;
        this.heldPause = null;
        this.onEvent({ ...e, failed: undefined });
      }, LOSS_ANNOUNCE_GRACE_MS);
      return;
    }
    if (e.type === 'steps') {
      if (this.pendingSteps) this.pendingSteps = { type: 'steps', stats: this.pendingSteps.stats.concat(e.stats), throughput: e.throughput };
      else this.pendingSteps = e;
    } else if (e.type === 'progress') {
      this.pendingProgress = e;
    } else {
      this.flushProgress();
      this.post(e);
      return;
    }
    const now = Date.now();
    // The first loss point is drawn as soon as it exists, on every backend (a fast one would
    // otherwise be several steps further when the throttle lets it out).
    const first = e.type === 'steps' && !this.firstStatsPosted;
    if (first) this.firstStatsPosted = true;
    if (first || now - this.lastProgress >= this.progressIntervalMs) this.flushProgress();
    else if (!this.progressTimer) this.progressTimer = setTimeout(() => this.flushProgress(), this.progressIntervalMs);
  }

  private flushProgress(): void {
    if (this.progressTimer) clearTimeout(this.progressTimer);
    this.progressTimer = null;
    if (!this.pendingProgress && !this.pendingSteps) return;
    if (this.pendingSteps) this.post(this.pendingSteps);
    if (this.pendingProgress) this.post(this.pendingProgress);
    this.pendingSteps = null;
    this.pendingProgress = null;
    this.lastProgress = Date.now();
  }

  start(): void {
    this.run('start');
  }

  resume(): void {
    this.run('resume');
  }

  /** Starts or resumes the loop once the kernels are tuned; during a recovery, the rebuilt trainer trains on. */
  private run(how: 'start' | 'resume'): void {
    if (this.recovering) {
      this.recovering.train = true;
      return;
    }
    this.requireTrainer();
    this.afterTuning((trainer, generation) => trainer[how]().catch((e: unknown) => this.loopFailed(e, generation)));
  }

  /** Runs `go` once the kernels are tuned (at once when they are), unless a pause or a new trainer came first. */
  private afterTuning(go: (trainer: Trainer, generation: number) => void): void {
    const generation = this.generation;
    this.startPending = true;
    void this.tune().then(() => {
      if (!this.startPending || generation !== this.generation || !this.trainer) return;
      this.startPending = false;
      go(this.trainer, generation);
    });
  }

  /** A training loop ended on an error; said unless it was the device's loss (recovered from). */
  private loopFailed(e: unknown, generation: number): void {
    if (generation !== this.generation || this.recovering || (this.backend instanceof WebGpuBackend && this.backend.lostReason)) return;
    const message = `training stopped with an error: ${e instanceof Error ? e.message : String(e)}`;
    if (!(this.backend instanceof WebGpuBackend)) this.post({ type: 'log', message });
    // Said after the grace period, unless the device's loss was announced meanwhile.
    else setTimeout(() => generation === this.generation && !this.recovering && this.post({ type: 'log', message }), LOSS_ANNOUNCE_GRACE_MS);
  }

  pause(): void {
    if (this.recovering) {
      this.recovering.train = false;
      return;
    }
    this.startPending = false;
    this.requireTrainer().pause();
  }

  async stepOnce(): Promise<void> {
    this.requireTrainer();
    await this.tune();
    await this.requireTrainer().stepOnce();
    this.flushProgress();
  }

  stop(): void {
    this.requireTrainer().stop();
  }

  setLearningRate(lr: number): void {
    this.requireTrainer().setLearningRate(lr);
  }

  setSpeed(ms: number): void {
    this.stepDelayMs = ms;
    if (!this.recovering) this.requireTrainer().setStepDelay(ms);
  }

  setEarlyStopping(es: EarlyStoppingConfig): void {
    this.earlyStopping = { ...es };
    if (!this.recovering) this.requireTrainer().setEarlyStopping(es);
  }

  /** Runs a request and posts its result (or its error) under `requestId`. */
  async answer<K extends keyof ResultValues>(requestId: number, work: () => Promise<ResultValues[K]> | ResultValues[K]): Promise<void> {
    try {
      const value = await work();
      // Statistics of the steps the answer may describe arrive first.
      this.flushProgress();
      this.post({ type: 'result', requestId, ok: true, value });
    } catch (e) {
      this.post({ type: 'result', requestId, ok: false, error: e instanceof Error ? e.message : String(e) });
    }
  }

  evaluate(split: 'train' | 'validation' | 'test') {
    return this.requireTrainer().evaluate(split);
  }

  inspect(target: Parameters<typeof inspect>[2], saliency: boolean) {
    const t = this.requireTrainer();
    return inspect(t.model, t.data, target, { saliency, features: undefined });
  }

  scanUnits(request: UnitScanRequest) {
    const t = this.requireTrainer();
    return scanUnits(t.model, t.data, request);
  }

  restoreLastGood(): { step: number } {
    return { step: this.requireTrainer().restoreLastGood() };
  }

  /**
   * The state to save. Once the device is lost (or while the session is rebuilt after a
   * loss) it is the host copy, copied (results transfer their buffers).
   */
  async exportState(): Promise<TrainingState> {
    const lost = this.recovering ? this.recovering.state : this.backend instanceof WebGpuBackend && this.backend.lostReason ? (this.trainer?.hostCopy ?? null) : undefined;
    if (lost === undefined) return this.requireTrainer().exportState();
    if (!lost) throw new Error('the GPU was reset before any training state was kept on the host');
    return structuredClone(lost);
  }

  outputs(indices: number[]): Promise<Float32Array> {
    return this.requireTrainer().outputs(indices);
  }

  private releaseTrainer(): void {
    this.unsubscribeLost?.();
    this.unsubscribeLost = null;
    this.trainer?.dispose();
    this.trainer?.model.dispose();
    this.trainer = null;
  }

  dispose(): void {
    this.generation++;
    this.startPending = false;
    this.recovering = null;
    this.heldPause = null;
    this.releaseTrainer();
  }
}

/** The browser's user agent (a browser update retunes the kernels); '' outside a browser. */
function userAgent(): string {
  return typeof navigator !== 'undefined' ? navigator.userAgent : '';
}

/** The precision in use, in words (the CPU backend ignores the setting). */
function precisionText(onGpu: boolean, p: keyof typeof PRECISION_LABELS): string {
  if (onGpu) return PRECISION_LABELS[p];
  return p === 'f32' ? 'f32' : `f32 (the CPU backend ignores "${PRECISION_LABELS[p]}")`;
}
