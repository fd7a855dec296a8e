// The training session behind the worker: owns the backend and the Trainer, answers
// requests, and throttles what it posts so the page renders smoothly at any training
// speed (step statistics are batched by the trainer's readback interval; progress is
// sent at most every `progressIntervalMs`). Pure: tests drive it without a worker.
import type { Backend } from '../backend/backend.ts';
import { CpuBackend } from '../backend/cpu.ts';
import { WebGpuBackend } from '../backend/webgpu.ts';
import { modelFromWeights, type MultimodalModel } from '../models/model.ts';
import { validateModelConfig } from '../models/config.ts';
import { Trainer, type TrainerEvent } from './trainer.ts';
import { validateTrainConfig, type EarlyStoppingConfig } from './config.ts';
import { inspect, scanUnits } from './inspect.ts';
import type { FromWorker, ResultValues, ToWorker, TrainingState, UnitScanRequest } from './protocol.ts';

type InitMessage = Extract<ToWorker, { type: 'init' }>;

export class TrainingSession {
  private backend: Backend | null = null;
  private trainer: Trainer | null = null;
  private lastProgress = 0;
  private pendingProgress: Extract<TrainerEvent, { type: 'progress' }> | null = null;
  private progressTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private post: (message: FromWorker) => void,
    private progressIntervalMs = 100,
  ) {}

  private requireTrainer(): Trainer {
    if (!this.trainer) throw new Error('the training session is not initialised');
    return this.trainer;
  }

  async init(m: InitMessage): Promise<void> {
    const problems = [...validateModelConfig(m.model), ...validateTrainConfig(m.train)];
    if (problems.length) throw new Error(problems.join(' '));
    this.dispose();
    let fallbackReason: string | null = null;
    if (m.backend !== 'cpu') {
      try {
        this.backend = await WebGpuBackend.create();
      } catch (e) {
        if (m.backend === 'webgpu') throw e;
        fallbackReason = e instanceof Error ? e.message : String(e);
      }
    } else fallbackReason = 'the CPU backend was chosen';
    const backend = (this.backend ??= new CpuBackend());
    let model: MultimodalModel | undefined;
    if (m.resume) model = modelFromWeights(backend, m.model, m.resume.weights);
    const trainer = new Trainer(backend, m.dataset, m.model, m.train, (e) => this.onEvent(e), { features: m.features, model });
    if (m.resume) trainer.restore(m.resume);
    this.trainer = trainer;
    this.post({
      type: 'ready',
      info: {
        backend: backend.description,
        backendKind: backend.kind,
        fallbackReason,
        parameters: trainer.model.params.list().reduce((n, t) => n + t.size, 0),
        paramNames: trainer.model.params.names(),
        layerNames: trainer.layerNames,
        stepsPerEpoch: trainer.stepsPerEpoch,
        totalSteps: trainer.totalSteps,
      },
    });
  }

  private onEvent(e: TrainerEvent): void {
    if (e.type !== 'progress') {
      if (e.type === 'state' || e.type === 'epoch') this.flushProgress();
      this.post(e);
      return;
    }
    this.pendingProgress = e;
    const now = Date.now();
    if (now - this.lastProgress >= this.progressIntervalMs) this.flushProgress();
    else if (!this.progressTimer) this.progressTimer = setTimeout(() => this.flushProgress(), this.progressIntervalMs);
  }

  private flushProgress(): void {
    if (this.progressTimer) clearTimeout(this.progressTimer);
    this.progressTimer = null;
    if (!this.pendingProgress) return;
    this.post(this.pendingProgress);
    this.pendingProgress = null;
    this.lastProgress = Date.now();
  }

  start(): void {
    this.requireTrainer()
      .start()
      .catch((e: unknown) => this.post({ type: 'log', message: `training stopped with an error: ${e instanceof Error ? e.message : String(e)}` }));
  }

  pause(): void {
    this.requireTrainer().pause();
  }

  resume(): void {
    this.requireTrainer()
      .resume()
      .catch((e: unknown) => this.post({ type: 'log', message: `training stopped with an error: ${e instanceof Error ? e.message : String(e)}` }));
  }

  async stepOnce(): Promise<void> {
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
    this.requireTrainer().setStepDelay(ms);
  }

  setEarlyStopping(es: EarlyStoppingConfig): void {
    this.requireTrainer().setEarlyStopping(es);
  }

  /** Runs a request and posts its result (or its error) under `requestId`. */
  async answer<K extends keyof ResultValues>(requestId: number, work: () => Promise<ResultValues[K]> | ResultValues[K]): Promise<void> {
    try {
      const value = await work();
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

  exportState(): Promise<TrainingState> {
    return this.requireTrainer().exportState();
  }

  outputs(indices: number[]): Promise<Float32Array> {
    return this.requireTrainer().outputs(indices);
  }

  dispose(): void {
    this.trainer?.dispose();
    this.trainer?.model.dispose();
    this.trainer = null;
  }
}
