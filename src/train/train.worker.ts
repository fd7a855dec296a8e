// The training worker: a switch over the typed message union. All logic lives in
// TrainingSession (session.ts), which tests drive without a worker.
/// <reference lib="webworker" />
import { TrainingSession } from './session.ts';
import { transferables, type FromWorker, type ToWorker } from './protocol.ts';

declare const self: DedicatedWorkerGlobalScope;

const post = (message: FromWorker) => self.postMessage(message, message.type === 'result' ? transferables(message) : []);
const session = new TrainingSession(post);

self.onmessage = (event: MessageEvent<ToWorker>) => {
  const m = event.data;
  try {
    switch (m.type) {
      case 'init':
        session.init(m).catch((e: unknown) => post({ type: 'fatal', message: e instanceof Error ? e.message : String(e) }));
        break;
      case 'start':
        session.start();
        break;
      case 'pause':
        session.pause();
        break;
      case 'resume':
        session.resume();
        break;
      case 'step':
        session.stepOnce().catch((e: unknown) => post({ type: 'log', message: e instanceof Error ? e.message : String(e) }));
        break;
      case 'stop':
        session.stop();
        break;
      case 'setLearningRate':
        session.setLearningRate(m.lr);
        break;
      case 'setSpeed':
        session.setSpeed(m.stepDelayMs);
        break;
      case 'setEarlyStopping':
        session.setEarlyStopping(m.earlyStopping);
        break;
      case 'restoreLastGood':
        void session.answer(m.requestId, () => session.restoreLastGood());
        break;
      case 'evaluate':
        void session.answer(m.requestId, () => session.evaluate(m.split));
        break;
      case 'inspect':
        void session.answer(m.requestId, () => session.inspect(m.target, m.saliency));
        break;
      case 'scanUnits':
        void session.answer(m.requestId, () => session.scanUnits(m.request));
        break;
      case 'exportState':
        void session.answer(m.requestId, () => session.exportState());
        break;
      case 'outputs':
        void session.answer(m.requestId, () => session.outputs(m.indices));
        break;
      case 'compareBackends':
        void session.answer(m.requestId, () => session.compareBackends());
        break;
      case 'retune':
        session.retune().catch((e: unknown) => post({ type: 'log', message: e instanceof Error ? e.message : String(e) }));
        break;
      case 'loseDevice':
        session.loseDevice();
        break;
      case 'dispose':
        session.dispose();
        self.close();
        break;
      default: {
        const unknown: never = m;
        post({ type: 'log', message: `unknown message ${JSON.stringify(unknown)}` });
      }
    }
  } catch (e) {
    post({ type: 'log', message: e instanceof Error ? e.message : String(e) });
  }
};
