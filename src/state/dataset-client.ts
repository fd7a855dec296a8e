// The page's side of the dataset worker, which builds datasets and runs the user's
// imports (unzip, manifest parsing, checks, decoding), so that the page only posts
// files and receives summaries, progress and the prepared dataset. For builds one
// request at a time matters — a newer one supersedes an older one, whose answer is then
// dropped; an import's plan and load are requests of their own, cancelled by message.
import type { ImportProgress, PlanSummary } from '../data/importer.ts';
import type { ColumnMapping } from '../data/manifest.ts';
import type { PreparedDataset, TaskKind, ValidationIssue, ValidationReport } from '../data/types.ts';
import { DatasetError, type DatasetProgress, type DatasetRequest } from './datasets.ts';
import { decodeClip, webAudioDecoder } from '../data/audio-decode.ts';
import type { PreparationSettings } from './settings.ts';

/** A picked file and its path relative to what was picked (a File crosses to a worker as a handle). */
export interface PickedFile {
  path: string;
  file: File;
}

/** A build as the worker takes it: an import is prepared from the examples the worker holds. */
export type WorkerBuildRequest = Exclude<DatasetRequest, { source: 'import' }> | { source: 'import'; preparation: PreparationSettings };

export type DatasetWorkerRequest =
  | { id: number; request: WorkerBuildRequest }
  | { id: number; plan: { files: PickedFile[]; fromFolder: boolean; folders?: string[] } }
  | { id: number; load: { mapping: ColumnMapping; imageSize: number } }
  | { id: number; cancel: true }
  /** The page's answer to a `decodeAudio` request of the load `id`. */
  | { id: number; decodedAudio: { request: number; clip: Float32Array | null; issues: ValidationIssue[] } };

/** The outcome of a load: the examples stay in the worker. */
export interface LoadSummary {
  name: string;
  task: TaskKind;
  report: ValidationReport;
}

export type DatasetWorkerReply =
  | { id: number; progress: DatasetProgress }
  | { id: number; importProgress: ImportProgress }
  /** The worker asks the page to decode an audio file (Web Audio exists only in the page). */
  | { id: number; decodeAudio: { request: number; bytes: Uint8Array; where: { path: string; file: string; row?: number } } }
  /** A built dataset; its spare copy follows in a message of its own. */
  | { id: number; ok: true; dataset: PreparedDataset }
  | { id: number; spare: PreparedDataset }
  | { id: number; ok: true; planned: PlanSummary }
  | { id: number; ok: true; loaded: LoadSummary }
  | { id: number; ok: false; error: string; report: ValidationReport | null; reportName: string | null; issues?: ValidationIssue[]; aborted?: boolean };

/** Thrown (as a rejection) when a newer request replaced this one. */
export class SupersededError extends Error {
  override name = 'SupersededError';
}

/** An import the worker refused, with the problems it found (ImportError's counterpart on the page). */
export class ImportRefused extends Error {
  override name = 'ImportRefused';
  constructor(
    message: string,
    readonly issues: ValidationIssue[],
  ) {
    super(message);
  }
}

type Pending = { resolve: (v: never) => void; reject: (e: Error) => void; onProgress?: (p: never) => void };

export class DatasetClient {
  private worker: Worker | null = null;
  private latest = 0;
  private builds = new Map<number, Pending>();
  private imports = new Map<number, Pending>();
  /** Datasets received whose spare copy has not arrived yet. */
  private built = new Map<number, PreparedDataset>();
  /** Whether the worker holds imported examples (lost if it fails). */
  private holdsImport = false;

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(new URL('./dataset.worker.ts', import.meta.url), { type: 'module', name: 'gatescope-datasets' });
    worker.onmessage = (e: MessageEvent<DatasetWorkerReply>) => {
      const m = e.data;
      if ('decodeAudio' in m) {
        const { request, bytes, where } = m.decodeAudio;
        void decodeClip(bytes, where, webAudioDecoder).then((r) => {
          const reply: DatasetWorkerRequest = { id: m.id, decodedAudio: { request, clip: r.clip, issues: r.issues } };
          worker.postMessage(reply, r.clip ? [r.clip.buffer] : []);
        });
        return;
      }
      const p = this.builds.get(m.id) ?? this.imports.get(m.id);
      if (!p) return;
      if ('progress' in m || 'importProgress' in m) {
        p.onProgress?.(('progress' in m ? m.progress : m.importProgress) as never);
        return;
      }
      if ('dataset' in m) {
        this.built.set(m.id, m.dataset);
        return;
      }
      if ('spare' in m) {
        const dataset = this.built.get(m.id);
        this.built.delete(m.id);
        this.builds.delete(m.id);
        if (dataset) p.resolve({ dataset, spare: m.spare } as never);
        else p.reject(new Error('the dataset worker sent a copy without its dataset'));
        return;
      }
      this.builds.delete(m.id);
      this.imports.delete(m.id);
      if (m.ok) p.resolve(('planned' in m ? m.planned : m.loaded) as never);
      else if (m.aborted) p.reject(new DOMException('Import cancelled', 'AbortError'));
      else if (m.issues) p.reject(new ImportRefused(m.error, m.issues));
      else p.reject(new DatasetError(m.error, m.report, m.reportName));
    };
    worker.onerror = (e) => {
      for (const p of [...this.builds.values(), ...this.imports.values()]) p.reject(new Error(`the dataset worker failed: ${e.message || 'unknown error'}`));
      this.builds.clear();
      this.imports.clear();
      this.built.clear();
      this.holdsImport = false;
      this.worker?.terminate();
      this.worker = null;
    };
    this.worker = worker;
    return worker;
  }

  private post(message: DatasetWorkerRequest): void {
    this.ensureWorker().postMessage(message);
  }

  /**
   * Builds a dataset off the main thread (reporting its stages); an older build still
   * running is superseded. Besides the dataset the worker may send a second copy of it
   * (`spare`), made off the main thread, for the training worker to take over.
   */
  build(request: WorkerBuildRequest, onProgress: (p: DatasetProgress) => void = () => {}): Promise<{ dataset: PreparedDataset; spare: PreparedDataset | null }> {
    const id = ++this.latest;
    for (const [old, p] of this.builds) {
      p.reject(new SupersededError('a newer dataset was requested'));
      this.builds.delete(old);
      this.built.delete(old);
    }
    return new Promise((resolve, reject) => {
      this.builds.set(id, { resolve, reject, onProgress } as Pending);
      this.post({ id, request });
    });
  }

  /** True while the worker holds the examples of a finished import. */
  hasImport(): boolean {
    return this.holdsImport;
  }

  /** Step 1 of an import in the worker: read the file list, expand zips, parse the manifest. */
  planImport(files: PickedFile[], fromFolder: boolean, folders?: string[]): Promise<PlanSummary> {
    return this.importRequest((id) => ({ id, plan: { files, fromFolder, folders } }));
  }

  /**
   * Step 2: loads the planned import with `mapping`, decoding images at `imageSize`. The
   * worker keeps the examples (a later build with source "import" prepares them). An
   * abort rejects at once with an AbortError and tells the worker to stop.
   */
  async loadImport(mapping: ColumnMapping, imageSize: number, onProgress: (p: ImportProgress) => void, signal?: AbortSignal): Promise<LoadSummary> {
    const loaded = await this.importRequest<LoadSummary>((id) => ({ id, load: { mapping, imageSize } }), onProgress, signal);
    this.holdsImport = true;
    return loaded;
  }

  private importRequest<T>(message: (id: number) => DatasetWorkerRequest, onProgress?: (p: ImportProgress) => void, signal?: AbortSignal): Promise<T> {
    const id = ++this.latest;
    return new Promise<T>((resolve, reject) => {
      if (signal?.aborted) return reject(new DOMException('Import cancelled', 'AbortError'));
      this.imports.set(id, { resolve, reject, onProgress } as Pending);
      signal?.addEventListener('abort', () => {
        if (!this.imports.delete(id)) return;
        reject(new DOMException('Import cancelled', 'AbortError'));
        this.worker?.postMessage({ id, cancel: true } satisfies DatasetWorkerRequest);
      });
      this.post(message(id));
    });
  }
}
