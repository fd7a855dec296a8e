// The page's side of the training worker: starts it, sends commands, turns requests into
// promises and hands every event to one listener.
import type { FromWorker, ResultValues, ToWorker } from './protocol.ts';

type Request = Extract<ToWorker, { requestId: number }>;
type WithoutId<T> = T extends unknown ? Omit<T, 'requestId'> : never;
/** A request without its id (distributed over the union so each keeps its own fields). */
export type RequestBody = WithoutId<Request>;

export class TrainingClient {
  private worker: Worker;
  private nextRequest = 1;
  private pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  constructor(private onEvent: (e: FromWorker) => void) {
    this.worker = new Worker(new URL('./train.worker.ts', import.meta.url), { type: 'module', name: 'gatescope-training' });
    this.worker.onmessage = (e: MessageEvent<FromWorker>) => this.receive(e.data);
    this.worker.onerror = (e) => this.onEvent({ type: 'fatal', message: `training worker failed: ${e.message || 'unknown error'}` });
  }

  private receive(m: FromWorker): void {
    if (m.type === 'result') {
      const p = this.pending.get(m.requestId);
      if (!p) return;
      this.pending.delete(m.requestId);
      if (m.ok) p.resolve(m.value);
      else p.reject(new Error(m.error));
      return;
    }
    this.onEvent(m);
  }

  /**
   * Sends a command. Buffers in `transfer` move to the worker (the page loses them);
   * anything else, such as a dataset the page keeps, is copied.
   */
  send(message: Exclude<ToWorker, Request>, transfer: Transferable[] = []): void {
    this.worker.postMessage(message, transfer);
  }

  /** Sends a request and resolves with its result. */
  request<M extends RequestBody>(message: M): Promise<ResultValues[M['type']]> {
    const requestId = this.nextRequest++;
    return new Promise((resolve, reject) => {
      this.pending.set(requestId, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ ...message, requestId });
    });
  }

  terminate(): void {
    this.worker.postMessage({ type: 'dispose' } satisfies ToWorker);
    for (const p of this.pending.values()) p.reject(new Error('the training worker was closed'));
    this.pending.clear();
    setTimeout(() => this.worker.terminate(), 1000);
  }
}
