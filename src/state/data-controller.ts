// Builds the dataset the data settings describe, off the main thread (dataset worker),
// and runs the user's import there: the worker keeps the imported examples so a new
// preparation (image size, tokenizer, split) can be applied to them without importing
// again. Also runs the user's ONNX image encoder over the dataset when the "features"
// encoder is chosen.
import { datasetMemoryProblem } from '../models/memory.ts';
import { OnnxEncoderRefused } from '../models/onnx-check.ts';
import { checkOnnxEncoderOffThread } from './onnx-check-client.ts';
import { extractOnnxFeatures, type OnnxNormalization } from '../models/onnx-encoder.ts';
import type { ImportProgress, PlanSummary } from '../data/importer.ts';
import type { ColumnMapping } from '../data/manifest.ts';
import type { PreparedDataset } from '../data/types.ts';
import { DatasetClient, SupersededError, type LoadSummary, type PickedFile, type WorkerBuildRequest } from './dataset-client.ts';
import { DatasetError } from './datasets.ts';
import type { DataSettings, DataSource } from './settings.ts';
import type { SeriesImportOptions } from '../data/series-import.ts';
import { useStore } from './store.ts';

const client = new DatasetClient();
/** Second copies of prepared datasets (made by the dataset worker) for the training worker to take. */
const spares = new WeakMap<PreparedDataset, PreparedDataset>();

/** Folder of the shipped OpenMoji assets, as an absolute URL (the worker resolves it). */
function openMojiBaseUrl(): string {
  return new URL(`${import.meta.env.BASE_URL}openmoji/`, location.href).href;
}

/**
 * A copy of `dataset` that may be transferred (not copied) to a worker, once: the
 * dataset worker made it along with the dataset. Null when there is none (left), and
 * the caller then copies `dataset` itself.
 */
export function takeTransferableCopy(dataset: PreparedDataset): PreparedDataset | null {
  const spare = spares.get(dataset) ?? null;
  spares.delete(dataset);
  return spare;
}

/** Number of the newest build request; an older one's answer is dropped (also after a refusal). */
let buildSeq = 0;

/** The settings of the last build request (a change of anything else does not rebuild). */
let lastBuilt: string | null = null;

/**
 * Builds the dataset of the store's settings; the newest request wins. Unless `force`,
 * nothing happens when the settings are those of the last request.
 */
export function buildDataset(force = false): void {
  const store = useStore.getState();
  const settings: DataSettings = store.dataSettings;
  const key = JSON.stringify(settings);
  if (!force && key === lastBuilt) return;
  let request: WorkerBuildRequest;
  if (settings.source === 'import') {
    if (!client.hasImport()) return;
    request = { source: 'import', preparation: settings.preparation };
    lastBuilt = key;
  } else {
    request =
      settings.source === 'memory' || settings.source === 'series' || settings.source === 'sounds'
        ? { source: settings.source, settings }
        : { source: settings.source, settings, openMojiBaseUrl: openMojiBaseUrl() };
    lastBuilt = key;
  }
  const source = settings.source;
  // Refused before the worker generates or prepares anything: too many pictures at this size.
  const tooBig = datasetSizeProblem(request);
  if (tooBig) {
    ++buildSeq;
    store.datasetFailed({ message: tooBig, report: null, reportName: null });
    return;
  }
  runBuild(request, source);
}

/**
 * Reads the user's time-series files in the page and builds a series dataset from them
 * in the dataset worker (src/data/series-import.ts); bad rows and files end up in its
 * validation report. The Data panel's "Time series" source shows it.
 */
export async function importSeriesFiles(files: readonly File[], options: SeriesImportOptions): Promise<void> {
  const read = await Promise.all(files.map(async (f) => ({ name: f.webkitRelativePath || f.name, bytes: new Uint8Array(await f.arrayBuffer()) })));
  // The generator settings stay as they are: only a change of them replaces the import.
  lastBuilt = JSON.stringify(useStore.getState().dataSettings);
  runBuild({ source: 'series-files', files: read, options }, 'series');
}

/**
 * Puts back a series dataset read from the user's files (a saved session): shown under
 * "Time series", and the generator settings count as built so they do not replace it.
 */
export function restoreSeriesImport(dataset: PreparedDataset): void {
  lastBuilt = JSON.stringify(useStore.getState().dataSettings);
  ++buildSeq;
  useStore.getState().datasetReady(dataset, 'series');
}

function runBuild(request: WorkerBuildRequest, source: DataSource): void {
  const store = useStore.getState();
  const seq = ++buildSeq;
  store.datasetBuilding();
  client.build(request, (p) => useStore.getState().setDataProgress(p)).then(
    ({ dataset, spare }) => {
      if (seq !== buildSeq) return;
      if (spare) spares.set(dataset, spare);
      // In a task of its own: the panels' render is the page's longest task of an import.
      setTimeout(() => {
        if (seq === buildSeq) useStore.getState().datasetReady(dataset, source);
      }, 0);
    },
    (e: Error) => {
      if (e instanceof SupersededError || seq !== buildSeq) return;
      useStore.getState().datasetFailed({
        message: e.message,
        report: e instanceof DatasetError ? e.report : null,
        reportName: e instanceof DatasetError ? e.reportName : null,
      });
    },
  );
}

/** Examples kept by the last import (the dataset worker holds them); an upper bound on its pictures. */
let importedRows = 0;

/** Why the dataset of `request` would not fit in memory (pictures × image size), or null. */
function datasetSizeProblem(request: WorkerBuildRequest): string | null {
  if (request.source === 'series-files') return null; // no pictures
  const size = request.source === 'import' ? request.preparation.imageSize : request.settings.preparation.imageSize;
  if (request.source === 'shapes') return datasetMemoryProblem('Shapes & Questions', request.settings.shapes.count, size, 'the number of examples');
  if (request.source === 'clues') return datasetMemoryProblem('Complementary clues', request.settings.clues.count, size, 'the number of examples');
  if (request.source === 'import') return datasetMemoryProblem('Your data', importedRows, size, null);
  return null;
}

/** Step 1 of an import, in the dataset worker: the files are read there and a mapping proposed. */
export function planImport(files: PickedFile[], fromFolder: boolean, folders?: string[]): Promise<PlanSummary> {
  return client.planImport(files, fromFolder, folders);
}

/**
 * Step 2: loads the planned import in the dataset worker (images decoded at `imageSize`)
 * and, when it succeeds, prepares the examples with the current settings.
 */
export async function loadImport(mapping: ColumnMapping, imageSize: number, onProgress: (p: ImportProgress) => void, signal?: AbortSignal): Promise<LoadSummary> {
  const loaded = await client.loadImport(mapping, imageSize, onProgress, signal);
  importedRows = loaded.report.rowsKept;
  buildDataset(true);
  return loaded;
}

/** Resolves once no dataset is being built (true when one is ready for the current settings). */
export function datasetSettled(): Promise<boolean> {
  return new Promise((resolve) => {
    const check = () => {
      const s = useStore.getState();
      if (s.dataBusy) return false;
      resolve(s.dataset !== null && s.datasetSource === s.dataSettings.source);
      return true;
    };
    if (check()) return;
    const unsubscribe = useStore.subscribe(() => {
      if (check()) unsubscribe();
    });
  });
}

/** Images per ONNX Runtime run when the encoder's batch size is not fixed. */
const FEATURE_BATCH = 16;

/** The user's ONNX encoder, kept so features are recomputed when the dataset changes. */
let onnxModel: { name: string; bytes: Uint8Array; normalization: OnnxNormalization } | null = null;
let featureAbort: AbortController | null = null;

export interface FeatureProgress {
  done: number;
  total: number;
}

/** The ONNX encoder file in use, if any. */
export function onnxEncoderName(): string | null {
  return onnxModel?.name ?? null;
}

/**
 * Runs the ONNX image encoder over the current dataset and stores the features.
 * Rejects with the encoder's message on failure; `AbortError` when cancelled.
 */
export async function computeFeatures(model: { name: string; bytes: Uint8Array; normalization: OnnxNormalization } | null, onProgress: (p: FeatureProgress) => void): Promise<void> {
  const chosen = model ?? onnxModel;
  if (!chosen) throw new Error('choose an ONNX image encoder file first');
  const { dataset, datasetVersion } = useStore.getState();
  if (!dataset) throw new Error('no dataset is ready yet');
  // Read and checked off the page before ONNX Runtime sees it: a broken or huge file is refused in words.
  const checked = await checkOnnxEncoderOffThread(chosen.bytes, { count: dataset.size, imageSize: dataset.imageSize, batchSize: FEATURE_BATCH });
  chosen.bytes = checked.bytes;
  if (!checked.result.ok) {
    if (chosen === onnxModel) onnxModel = null;
    throw new OnnxEncoderRefused(`${chosen.name} cannot be used: ${checked.result.problem}`);
  }
  onnxModel = chosen;
  featureAbort?.abort();
  const abort = new AbortController();
  featureAbort = abort;
  try {
    const out = await extractOnnxFeatures(chosen.bytes, dataset, {
      normalization: chosen.normalization,
      batchSize: FEATURE_BATCH,
      signal: abort.signal,
      onProgress: (done, total) => onProgress({ done, total }),
    });
    if (useStore.getState().datasetVersion !== datasetVersion) throw new Error('the dataset changed while the features were computed; compute them again');
    useStore.getState().setFeatures({ fileName: chosen.name, featureSize: out.featureSize, features: out.features, provider: out.provider, datasetVersion });
  } finally {
    if (featureAbort === abort) featureAbort = null;
  }
}

/** Cancels a running feature extraction. */
export function cancelFeatures(): void {
  featureAbort?.abort();
}
