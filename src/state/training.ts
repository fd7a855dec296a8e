// The page's training controller: owns the worker session of the main run, turns the
// user's commands into worker messages and the worker's events into store actions
// (throttled) and live-buffer pushes (every step). One session per worker; a new model
// gets a fresh worker.
import { TrainingClient } from '../train/client.ts';
import { transferables, type FromWorker, type InspectTarget, type Inspection, type TrainingState, type UnitScanRequest, type UnitScanResult } from '../train/protocol.ts';
import type { SplitName } from '../train/evaluate.ts';
import type { EpochRecord, StepStats } from '../train/trainer.ts';
import { MAX_SAVED_STEPS } from '../export/persistence.ts';
import { validateTrainConfig } from '../train/config.ts';
import { continuedEpochs, nextRun } from './continuation.ts';
import { takeTransferableCopy } from './data-controller.ts';
import { liveRun } from './live.ts';
import { currentTarget } from './target.ts';
import { useStore } from './store.ts';
import { saveTuningEntry, storedTuningEntries } from './tuning-storage.ts';
import { comparisonKey, comparisonText, readComparison } from '../train/backend-race.ts';
import type { BackendChoice, ReadyInfo } from '../train/protocol.ts';

/** What the Inspect panel calls; backed by the session's worker. */
export interface InspectApi {
  inspect(target: InspectTarget, saliency: boolean): Promise<Inspection>;
  scanUnits(request: UnitScanRequest): Promise<UnitScanResult>;
}

/** A session built from saved training state (a reload or a checkpoint) instead of fresh weights. */
export interface ResumeSpec {
  state: TrainingState;
  /** Per-step statistics shown before the save. */
  steps: StepStats[];
}

/** Steps whose per-timestep gradient norms are kept (the charts show the last 64). */
const KEPT_TIME_NORMS = 64;

/** Store updates of throughput at most this often. */
const THROUGHPUT_INTERVAL_MS = 250;
/**
 * Least time between two additions of epoch records to the store: a tiny dataset on a fast
 * backend ends ~15 epochs a second, and each addition re-renders the panels that chart them.
 */
const EPOCHS_INTERVAL_MS = 250;
/** The weights version changes at most this often while training. */
const WEIGHTS_INTERVAL_MS = 1000;

class TrainingController {
  private client: TrainingClient | null = null;
  private serial = 0;
  private ready: Promise<boolean> = Promise.resolve(false);
  private resolveReady: (ok: boolean) => void = () => {};
  private lastThroughput = 0;
  /** Epoch records not in the store yet (see EPOCHS_INTERVAL_MS). */
  private pendingEpochs: EpochRecord[] = [];
  private epochsTimer: ReturnType<typeof setTimeout> | null = null;
  private lastEpochs = -Infinity;
  private lastWeights = 0;
  private weightsTimer: ReturnType<typeof setTimeout> | null = null;
  private api: InspectApi | null = null;
  /** Learning rate and step delay the worker currently uses. */
  private sentLearningRate = 0;
  private sentDelay = 0;
  /** Early stopping as the worker has it (JSON). */
  private sentEarlyStopping = '';
  private resume: ResumeSpec | null = null;
  /** The session's per-step statistics, newest last (bounded; saved with the session). */
  private steps: StepStats[] = [];

  /**
   * Builds a fresh session (new worker) for the current settings — with the saved weights,
   * optimizer state and position of `resume` when given; resolves true once it is ready.
   */
  newSession(resume: ResumeSpec | null = null): Promise<boolean> {
    const store = useStore.getState();
    const { target } = currentTarget(store);
    if (!target) return Promise.resolve(false);
    this.closeClient();
    const serial = ++this.serial;
    // Records of the old session still held are dropped with it.
    if (this.epochsTimer) clearTimeout(this.epochsTimer);
    this.epochsTimer = null;
    this.pendingEpochs = [];
    liveRun.reset([]);
    this.resume = resume;
    this.steps = resume ? resume.steps.slice(-MAX_SAVED_STEPS) : [];
    const features = store.features && target.features ? { fileName: store.features.fileName, featureSize: store.features.featureSize, provider: store.features.provider } : null;
    store.sessionStarting({
      key: target.key,
      dataset: target.dataset,
      model: target.model,
      train: target.train,
      setup: { data: store.dataSettings, model: store.model, train: store.train },
      datasetSource: store.datasetSource,
      features,
      featureValues: target.features ?? null,
    });
    this.ready = new Promise((resolve) => (this.resolveReady = resolve));
    const client = new TrainingClient((e) => {
      if (serial === this.serial) this.onEvent(e);
    });
    this.client = client;
    this.api = {
      inspect: (t, saliency) => client.request({ type: 'inspect', target: t, saliency }),
      scanUnits: (request) => client.request({ type: 'scanUnits', request }),
    };
    this.sentLearningRate = target.train.optimizer.lr;
    this.sentDelay = target.train.stepDelayMs;
    this.sentEarlyStopping = JSON.stringify(target.train.earlyStopping);
    // The dataset worker's spare copy moves to the training worker; without one the dataset is copied here.
    const spare = takeTransferableCopy(target.dataset);
    store.resetTuning();
    client.send(
      { type: 'init', dataset: spare ?? target.dataset, model: target.model, train: target.train, backend: store.backendChoice, features: target.features, resume: resume?.state, tuningEntries: storedTuningEntries() },
      spare ? transferables(spare) : [],
    );
    return this.ready;
  }

  /** The session's weights, optimizer state, position and history, read from the worker. */
  async exportState(): Promise<TrainingState> {
    if (!this.client || !this.inspectApi()) throw new Error('there is no model yet: wait for the session to start, or press Train');
    return this.client.request({ type: 'exportState' });
  }

  /** The model's forward output for dataset examples (see Trainer.outputs). */
  async outputs(indices: number[]): Promise<Float32Array> {
    if (!this.client || !this.inspectApi()) throw new Error('there is no model yet: wait for the session to start, or press Train');
    return this.client.request({ type: 'outputs', indices });
  }

  /** The session's recent per-step statistics (per-timestep norms only for the last few). */
  recentSteps(): StepStats[] {
    const cut = this.steps.length - KEPT_TIME_NORMS;
    return this.steps.map((s, i) => (i < cut && s.timeNorms.length ? { ...s, timeNorms: [], timeShare: [] } : s));
  }

  /** The session's InspectApi, or null when no model exists in a worker. */
  inspectApi(): InspectApi | null {
    const status = useStore.getState().runStatus;
    return status === 'none' || status === 'starting' || status === 'failed' ? null : this.api;
  }

  /** True when the session was built from different settings than the current ones. */
  isStale(): boolean {
    const s = useStore.getState();
    const { target } = currentTarget(s);
    return !s.session || !target || target.key !== s.session.key;
  }

  /** Train: resumes a paused run or starts the idle one; otherwise builds a new session first. */
  async train(): Promise<void> {
    const s = useStore.getState();
    if (s.compareRunning) return;
    if (s.runStatus === 'paused') {
      this.client?.send({ type: 'resume' });
      return;
    }
    if (s.runStatus === 'running') return;
    // A session being built (e.g. right after the page opened) is waited for, not ignored.
    if (s.runStatus === 'starting' && !(await this.ready)) return;
    const now = useStore.getState();
    if (now.runStatus === 'running') return;
    if (now.runStatus === 'finished' || now.runStatus === 'stopped') {
      if (!(await this.afterEnd('train'))) return;
    } else if (now.runStatus !== 'idle' || this.isStale()) {
      if (!(await this.newSession())) return;
    }
    if (!(await this.chooseFasterBackend())) return;
    this.syncLive();
    this.client?.send({ type: 'start' });
  }

  /**
   * The first Train of an untrained model on a fallback adapter (a software GPU such as
   * SwiftShader), with the backend left to the app: the worker times a few steps of this
   * model on WebGPU and on the CPU (once: the result is cached per model shape, adapter
   * and browser, and the next session of this shape is built on the faster backend at
   * once), and the session moves to the CPU when that is faster. False when the run must
   * not start (a comparison is already running, or the session could not be rebuilt).
   */
  private async chooseFasterBackend(): Promise<boolean> {
    const s = useStore.getState();
    if (s.comparisonStatus === 'running') return false;
    const info = s.runInfo;
    if (s.backendChoice !== 'auto' || info?.backendKind !== 'webgpu' || !info.adapter?.isFallbackAdapter) return true;
    if (s.backendComparison || (s.progress?.step ?? 0) > 0) return true;
    await this.compareBackends();
    const c = useStore.getState().backendComparison;
    // A failed comparison is said in the Performance section; training stays on WebGPU.
    if (!c) return true;
    // Said after the move: a new session starts with an empty log.
    const ready = c.faster === 'cpu' ? await this.newSession() : true;
    useStore.getState().addLog(`${comparisonText(c)}: this model trains on the ${c.faster === 'cpu' ? 'CPU' : 'WebGPU'} backend. The Performance section lets you switch.`);
    return ready;
  }

  /**
   * Train or Step once the run has ended: a trained model the settings still describe is
   * rebuilt from its state and goes on (a finished run gets more epochs); one they no
   * longer describe is only replaced once the user agrees (see `replaceTrained`).
   * Resolves true when a session is ready for `action`.
   */
  private async afterEnd(action: 'train' | 'step'): Promise<boolean> {
    const s = useStore.getState();
    const { target } = currentTarget(s);
    const spec = s.session;
    if (!target) return false;
    const step = s.progress?.step ?? 0;
    const decision = nextRun({
      ended: true,
      trainedSteps: step,
      session: spec && { dataset: spec.dataset, model: spec.model, train: spec.train, features: spec.featureValues },
      target: { dataset: target.dataset, model: target.model, train: target.train, features: target.features },
      before: spec?.setup ?? null,
      after: { data: s.dataSettings, model: s.model, train: s.train },
    });
    if (decision.kind === 'new') return this.newSession();
    if (decision.kind === 'ask') {
      s.setReplaceQuestion({ step, changes: decision.changes, action });
      return false;
    }
    let state: TrainingState;
    try {
      state = await this.exportState();
    } catch (e) {
      s.addLog(`Could not read the trained model to continue it: ${(e as Error).message}`);
      return false;
    }
    // A finished run's state ends on a recorded epoch with its order used up; restored as it
    // is, the trainer would take it for an epoch still to record. Without an order it starts
    // a freshly shuffled one.
    if (state.cursor >= state.order.length) state = { ...state, order: new Int32Array(0), cursor: 0 };
    const steps = this.steps.slice();
    const now = useStore.getState();
    const epochs = continuedEpochs(state.epoch, now.train.epochs);
    if (epochs !== now.train.epochs) {
      now.setTrain({ ...now.train, epochs });
      now.addLog(`Training the trained model on from step ${state.step}: epochs ${state.epoch} → ${epochs}.`);
    }
    return this.newSession({ state, steps });
  }

  /** The user agreed: a new, untrained model replaces the trained one, then does what they pressed. */
  async replaceTrained(): Promise<void> {
    const question = useStore.getState().replaceQuestion;
    if (!question) return;
    useStore.getState().setReplaceQuestion(null);
    if (!(await this.newSession())) return;
    this.syncLive();
    this.client?.send({ type: question.action === 'train' ? 'start' : 'step' });
  }

  pause(): void {
    this.client?.send({ type: 'pause' });
  }

  /**
   * On a fallback adapter: times a few steps of this model on WebGPU and on the CPU (in
   * the worker, on fresh copies of the model), shows and caches the result.
   */
  async compareBackends(): Promise<void> {
    const store = useStore.getState();
    const info = store.runInfo;
    const session = store.session;
    if (!this.client || !info?.adapter || !session) return;
    store.setBackendComparison(store.backendComparison, 'running');
    try {
      const c = await this.client.request({ type: 'compareBackends' });
      saveTuningEntry(comparisonKey(info.adapter, session.model, session.train, session.dataset), JSON.stringify(c));
      useStore.getState().setBackendComparison(c);
      this.showBackend(info);
    } catch (e) {
      useStore.getState().setBackendComparison(store.backendComparison, { error: (e as Error).message });
    }
  }

  /**
   * Trains this model on the chosen backend from now on: the session is rebuilt there
   * (from its trained state when it has taken steps).
   */
  async useBackend(choice: BackendChoice): Promise<void> {
    const store = useStore.getState();
    if (store.backendChoice === choice || store.runStatus === 'running') return;
    let resume: ResumeSpec | null = null;
    if ((store.progress?.step ?? 0) > 0) {
      try {
        resume = { state: await this.exportState(), steps: this.steps.slice() };
      } catch (e) {
        store.addLog(`Could not read the trained model to move it: ${(e as Error).message}`);
        return;
      }
    }
    useStore.getState().setBackendChoice(choice);
    await this.newSession(resume);
  }

  /** The backend badge's words for a ready session (and the cached backend comparison on a fallback adapter). */
  private showBackend(info: ReadyInfo, lostPrefix = 'WebGPU unavailable: '): void {
    const store = useStore.getState();
    const session = store.session;
    const cached =
      info.adapter?.isFallbackAdapter && session ? readComparison(storedTuningEntries()[comparisonKey(info.adapter, session.model, session.train, session.dataset)], navigator.userAgent) : null;
    if (info.adapter?.isFallbackAdapter || store.backendChoice === 'auto') store.setBackendComparison(cached);
    const comparison = useStore.getState().backendComparison;
    if (info.chosenReason) store.setBackendProbe({ kind: 'cpu', text: info.chosenReason });
    else if (store.backendChoice === 'cpu') store.setBackendProbe({ kind: 'cpu', text: `${info.backend} — chosen for this model${comparison ? `: ${comparisonText(comparison)}` : ''}` });
    else if (info.fallbackReason) store.setBackendProbe({ kind: 'cpu', text: `${info.backend} — ${lostPrefix}${info.fallbackReason}` });
    else store.setBackendProbe({ kind: 'webgpu', text: comparison ? `${info.backend} · ${comparisonText(comparison)}` : info.backend });
  }

  /** "Re-run tuning": the worker times the kernels again for this session's model (refused while training runs). */
  retuneKernels(): void {
    this.client?.send({ type: 'retune' });
  }

  /** Destroys the training worker's GPU device as a driver reset would (test hook, see README). */
  loseGpuDevice(): void {
    this.client?.send({ type: 'loseDevice' });
  }

  /** One step (from an idle or paused run; builds a session first when there is none). */
  async stepOnce(): Promise<void> {
    const s = useStore.getState();
    if (s.runStatus === 'running' || s.compareRunning) return;
    if (s.runStatus === 'starting' && !(await this.ready)) return;
    const now = useStore.getState().runStatus;
    if (now === 'finished' || now === 'stopped') {
      if (!(await this.afterEnd('step'))) return;
    } else if ((now !== 'idle' && now !== 'paused') || (now === 'idle' && this.isStale())) {
      // An untrained session of older settings (the new dataset arrived, the rebuild is
      // still debounced) is replaced, as Train does: the step goes to what the panels show.
      if (!(await this.newSession())) return;
    }
    this.syncLive();
    this.client?.send({ type: 'step' });
  }

  stop(): void {
    this.client?.send({ type: 'stop' });
  }

  /** Sends the learning rate, step delay and early stopping of the current settings when they differ from the session's. */
  syncLive(): void {
    const s = useStore.getState();
    if (!this.client || s.runStatus === 'none' || s.runStatus === 'starting' || s.runStatus === 'failed') return;
    const lr = s.train.optimizer.lr;
    if (lr !== this.sentLearningRate && lr > 0 && Number.isFinite(lr)) {
      this.client.send({ type: 'setLearningRate', lr });
      this.sentLearningRate = lr;
    }
    const delay = s.train.stepDelayMs;
    if (delay !== this.sentDelay && delay >= 0) {
      this.client.send({ type: 'setSpeed', stepDelayMs: delay });
      this.sentDelay = delay;
    }
    const es = JSON.stringify(s.train.earlyStopping);
    if (es !== this.sentEarlyStopping && validateTrainConfig(s.train).length === 0) {
      this.client.send({ type: 'setEarlyStopping', earlyStopping: s.train.earlyStopping });
      this.sentEarlyStopping = es;
    }
  }

  /** Puts back the weights of the last finite readback after a NaN. */
  async restoreLastGood(): Promise<void> {
    if (!this.client) return;
    const store = useStore.getState();
    try {
      const { step } = await this.client.request({ type: 'restoreLastGood' });
      store.setNan(null);
      store.addLog(`Restored the weights from step ${step}; the optimizer's moments start afresh. Lower the learning rate or clip harder before resuming.`);
      store.bumpWeights();
    } catch (e) {
      store.addLog(`Could not restore: ${(e as Error).message}`);
    }
  }

  async evaluate(split: SplitName): Promise<void> {
    const store = useStore.getState();
    if (!this.client || !this.inspectApi()) {
      store.evaluationFailed('There is no model yet: wait for the session to start, or press Train.');
      return;
    }
    store.evaluationStarted();
    try {
      store.evaluationDone(await this.client.request({ type: 'evaluate', split }));
    } catch (e) {
      useStore.getState().evaluationFailed((e as Error).message);
    }
  }

  private bumpWeightsThrottled(): void {
    const now = performance.now();
    if (now - this.lastWeights >= WEIGHTS_INTERVAL_MS) {
      this.lastWeights = now;
      useStore.getState().bumpWeights();
      return;
    }
    if (this.weightsTimer) return;
    this.weightsTimer = setTimeout(() => {
      this.weightsTimer = null;
      this.lastWeights = performance.now();
      useStore.getState().bumpWeights();
    }, WEIGHTS_INTERVAL_MS - (now - this.lastWeights));
  }

  /** Adds the held epoch records to the store. */
  private flushEpochs(): void {
    if (this.epochsTimer) clearTimeout(this.epochsTimer);
    this.epochsTimer = null;
    if (this.pendingEpochs.length === 0) return;
    const records = this.pendingEpochs;
    this.pendingEpochs = [];
    this.lastEpochs = performance.now();
    useStore.getState().addEpochs(records);
  }

  private onEvent(e: FromWorker): void {
    // Held epoch records reach the store before any event that may read them (a pause, a result).
    if (e.type !== 'epoch' && e.type !== 'steps' && e.type !== 'progress') this.flushEpochs();
    const store = useStore.getState();
    switch (e.type) {
      case 'ready':
        liveRun.reset(e.info.layerNames);
        if (this.resume) {
          liveRun.push(this.steps);
          store.sessionRestored(e.info, this.resume.state);
          this.resume = null;
        } else store.sessionReady(e.info);
        this.showBackend(e.info);
        this.resolveReady(true);
        break;
      case 'deviceLost':
        // The charts keep only steps the kept state has taken: later ones are trained again.
        this.steps = this.steps.filter((s) => s.step < e.keptStep);
        store.setDeviceNotice(`The GPU was reset at step ${e.lostAtStep}. Rebuilding the model from step ${e.keptStep}…`);
        break;
      case 'recovered': {
        const from = e.position.step;
        this.steps = this.steps.filter((s) => s.step < from);
        liveRun.reset(e.info.layerNames);
        liveRun.push(this.steps);
        store.sessionRestored(e.info, e.position);
        this.showBackend(e.info, '');
        store.setDeviceNotice(deviceLossMessage(e.lostAtStep, from, e.resumed ? 'resumed' : useStore.getState().runStatus === 'finished' ? 'finished' : 'paused', e.info.fallbackReason));
        break;
      }
      case 'fatal':
        store.sessionFailed(e.message);
        this.resolveReady(false);
        break;
      case 'steps': {
        liveRun.push(e.stats);
        for (const st of e.stats) this.steps.push(st);
        if (this.steps.length > MAX_SAVED_STEPS + 1000) this.steps.splice(0, this.steps.length - MAX_SAVED_STEPS);
        const now = performance.now();
        if (now - this.lastThroughput >= THROUGHPUT_INTERVAL_MS) {
          this.lastThroughput = now;
          store.setThroughput(e.throughput);
        }
        this.bumpWeightsThrottled();
        break;
      }
      case 'progress':
        // Single steps from idle leave the trainer idle; for the user the run is paused there.
        if (store.runStatus === 'idle' && e.step > 0) store.setRunStatus('paused');
        store.setProgress({ epoch: e.epoch, step: e.step, stepInEpoch: e.stepInEpoch, stepsPerEpoch: e.stepsPerEpoch, totalSteps: e.totalSteps, etaSeconds: e.etaSeconds });
        break;
      case 'epoch':
        this.pendingEpochs.push(e.record);
        if (performance.now() - this.lastEpochs >= EPOCHS_INTERVAL_MS) this.flushEpochs();
        else this.epochsTimer ??= setTimeout(() => this.flushEpochs(), EPOCHS_INTERVAL_MS);
        break;
      case 'state':
        store.setRunStatus(e.state, e.reason ?? null);
        if (e.state !== 'running') {
          this.lastWeights = performance.now();
          store.bumpWeights();
        }
        break;
      case 'nan':
        store.setNan({ step: e.step, tensor: e.tensor, message: e.message });
        break;
      case 'log':
        store.addLog(e.message);
        break;
      case 'tuning':
        store.applyTuningReport(e.report);
        if (e.report.status === 'done' && e.report.tuning.store) saveTuningEntry(e.report.tuning.store.key, JSON.stringify(e.report.tuning.store.entry));
        break;
      case 'result':
        break;
    }
  }

  private closeClient(): void {
    if (this.weightsTimer) clearTimeout(this.weightsTimer);
    this.weightsTimer = null;
    this.client?.terminate();
    this.client = null;
    this.api = null;
    this.resolveReady(false);
  }
}

/** What the user reads after a device loss: where it happened, where training went on, on what. */
function deviceLossMessage(lostAtStep: number, resumedFrom: number, run: 'resumed' | 'paused' | 'finished', fallbackReason: string | null): string {
  const where = fallbackReason ? `on the CPU, because ${fallbackReason}` : 'on a new GPU device';
  const repeated = Math.max(0, lostAtStep - resumedFrom);
  const again = repeated === 0 ? 'No step had to be repeated.' : repeated === 1 ? '1 step was repeated.' : `${repeated} steps were repeated.`;
  if (run === 'resumed') return `The GPU was reset at step ${lostAtStep}; training resumed from step ${resumedFrom} ${where}. ${again}`;
  if (run === 'finished') return `The GPU was reset after training finished at step ${lostAtStep}; the trained model was rebuilt ${where}.`;
  return `The GPU was reset at step ${lostAtStep}; the model was rebuilt from step ${resumedFrom} ${where}. Press Train to go on.${repeated > 0 ? ` The last ${repeated === 1 ? 'step' : `${repeated} steps`} will be trained again.` : ''}`;
}

/** The one controller of the main run. */
export const training = new TrainingController();

// Test hook for the device-loss e2e test and manual checks: `__gatescope.loseGpuDevice()`
// in the console destroys the training worker's GPU device (README, "Sessions and faults").
if (typeof window !== 'undefined') {
  const w = window as unknown as { __gatescope?: Record<string, unknown> };
  w.__gatescope = { ...w.__gatescope, loseGpuDevice: () => training.loseGpuDevice() };
}
