// The page's side of the dataset worker: one request at a time matters — a newer
// request supersedes an older one, whose answer is then dropped.
import type { PreparedDataset, ValidationReport } from '../data/types.ts';
import { DatasetError, type DatasetProgress, type DatasetRequest } from './datasets.ts';

export interface DatasetWorkerRequest {
  id: number;
  request: DatasetRequest;
}

export type DatasetWorkerReply =
  | { id: number; progress: DatasetProgress }
  | { id: number; ok: true; dataset: PreparedDataset }
  | { id: number; ok: false; error: string; report: ValidationReport | null; reportName: string | null };

/** Thrown (as a rejection) when a newer request replaced this one. */
export class SupersededError extends Error {
  override name = 'SupersededError';
}

export class DatasetClient {
  private worker: Worker | null = null;
  private latest = 0;
  private pending = new Map<number, { resolve: (d: PreparedDataset) => void; reject: (e: Error) => void; onProgress: (p: DatasetProgress) => void }>();

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(new URL('./dataset.worker.ts', import.meta.url), { type: 'module', name: 'gatescope-datasets' });
    worker.onmessage = (e: MessageEvent<DatasetWorkerReply>) => {
      const m = e.data;
      const p = this.pending.get(m.id);
      if (!p) return;
      if ('progress' in m) {
        p.onProgress(m.progress);
        return;
      }
      this.pending.delete(m.id);
      if (m.ok) p.resolve(m.dataset);
      else p.reject(new DatasetError(m.error, m.report, m.reportName));
    };
    worker.onerror = (e) => {
      for (const p of this.pending.values()) p.reject(new Error(`the dataset worker failed: ${e.message || 'unknown error'}`));
      this.pending.clear();
      this.worker?.terminate();
      this.worker = null;
    };
    this.worker = worker;
    return worker;
  }

  /** Builds a dataset off the main thread (reporting its stages); an older request still running is superseded. */
  build(request: DatasetRequest, onProgress: (p: DatasetProgress) => void = () => {}): Promise<PreparedDataset> {
    const id = ++this.latest;
    for (const [old, p] of this.pending) {
      p.reject(new SupersededError('a newer dataset was requested'));
      this.pending.delete(old);
    }
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, onProgress });
      this.ensureWorker().postMessage({ id, request } satisfies DatasetWorkerRequest);
    });
  }
}
