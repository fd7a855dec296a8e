// The dataset worker: generating and preparing a dataset takes long enough (about half a
// second for the default Shapes & Questions) to freeze the page, and so do the steps of
// an import (expanding a zip, parsing a manifest of 10,000 rows, checking every row), so
// all of them happen here. It keeps the plan between the two import steps and the
// imported examples afterwards, so they never cross to the page. A switch over the
// message union; the logic is DatasetBuilder (datasets.ts) and the importer (data/).
/// <reference lib="webworker" />
import { createDecoderPool } from '../data/decode.ts';
import { fileFromFileLike } from '../data/files.ts';
import { ImportError, loadImport, planImport, summarisePlan, type ImportPlan, type ImportProgress } from '../data/importer.ts';
import { transferables } from '../train/protocol.ts';
import type { ValidationIssue } from '../data/types.ts';
import { DatasetBuilder, DatasetError, type DatasetProgress, type DatasetRequest, type ImportedExamples } from './datasets.ts';
import type { DatasetWorkerReply, DatasetWorkerRequest, WorkerBuildRequest } from './dataset-client.ts';

declare const self: DedicatedWorkerGlobalScope;

const builder = new DatasetBuilder();
let plan: ImportPlan | null = null;
let imported: ImportedExamples | null = null;
const running = new Map<number, AbortController>();
/** Audio decodes the page was asked for, by request number. */
const audioRequests = new Map<number, (r: { clip: Float32Array | null; issues: ValidationIssue[] }) => void>();
let audioRequest = 0;

/** Progress is posted at most this often (the last one always). */
const PROGRESS_INTERVAL_MS = 50;

function failure(id: number, e: unknown): DatasetWorkerReply {
  const message = e instanceof Error ? e.message : String(e);
  if (e instanceof ImportError) return { id, ok: false, error: message, report: null, reportName: null, issues: e.issues };
  if (e instanceof Error && e.name === 'AbortError') return { id, ok: false, error: message, report: null, reportName: null, aborted: true };
  return { id, ok: false, error: message, report: e instanceof DatasetError ? e.report : null, reportName: e instanceof DatasetError ? e.reportName : null };
}

async function build(id: number, r: WorkerBuildRequest): Promise<void> {
  const onProgress = (progress: DatasetProgress) => self.postMessage({ id, progress } satisfies DatasetWorkerReply);
  let full: DatasetRequest;
  if (r.source === 'import') {
    if (!imported) throw new DatasetError('Your files are no longer loaded (the page’s data worker was restarted); import them again.', null, null);
    full = { source: 'import', imported, preparation: r.preparation };
  } else full = r;
  const dataset = await builder.build(full, onProgress);
  // A second copy for the training worker, made here so the page never copies the
  // dataset itself (a structured clone of ~100 MB of images blocks the page for seconds).
  // It follows in a message of its own, so the page reads the two in two short tasks
  // (one message with both took ~200 ms of the page's thread for a 10,000-row import).
  const spare = structuredClone(dataset);
  self.postMessage({ id, ok: true, dataset } satisfies DatasetWorkerReply, transferables(dataset));
  self.postMessage({ id, spare } satisfies DatasetWorkerReply, transferables(spare));
}

async function load(id: number, mapping: Parameters<typeof loadImport>[1], imageSize: number): Promise<void> {
  if (!plan) throw new Error('nothing is planned: pick the files again');
  const abort = new AbortController();
  running.set(id, abort);
  const pool = createDecoderPool(imageSize);
  let last = 0;
  try {
    const result = await loadImport(plan, mapping, {
      decode: pool.decode,
      decodeAudio: (bytes, where) =>
        new Promise((resolve) => {
          const request = ++audioRequest;
          audioRequests.set(request, resolve);
          self.postMessage({ id, decodeAudio: { request, bytes, where } } satisfies DatasetWorkerReply);
        }),
      signal: abort.signal,
      onProgress: (p: ImportProgress) => {
        const now = performance.now();
        if (now - last < PROGRESS_INTERVAL_MS && p.done < p.total) return;
        last = now;
        self.postMessage({ id, importProgress: p } satisfies DatasetWorkerReply);
      },
    });
    imported = { name: result.name, examples: result.examples, report: result.report, task: result.task, extraTasks: result.extraTasks };
    self.postMessage({ id, ok: true, loaded: { name: result.name, task: result.task, report: result.report } } satisfies DatasetWorkerReply);
  } finally {
    pool.dispose();
    running.delete(id);
  }
}

self.onmessage = (event: MessageEvent<DatasetWorkerRequest>) => {
  const m = event.data;
  let work: Promise<void>;
  if ('request' in m) work = build(m.id, m.request);
  else if ('plan' in m) {
    work = planImport(
      m.plan.files.map((f) => fileFromFileLike(f.file, f.path)),
      { fromFolder: m.plan.fromFolder, folders: m.plan.folders },
    ).then((p) => {
      plan = p;
      self.postMessage({ id: m.id, ok: true, planned: summarisePlan(p) } satisfies DatasetWorkerReply);
    });
  } else if ('load' in m) work = load(m.id, m.load.mapping, m.load.imageSize);
  else if ('decodedAudio' in m) {
    const { request, clip, issues } = m.decodedAudio;
    audioRequests.get(request)?.({ clip, issues });
    audioRequests.delete(request);
    return;
  } else {
    running.get(m.id)?.abort();
    return;
  }
  work.catch((e: unknown) => self.postMessage(failure(m.id, e)));
};
