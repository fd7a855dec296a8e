// The user's import, as the Data panel's import steps call it: plan the picked files
// (read in the dataset worker, a column mapping proposed), then load the planned import
// with progress and cancel. Both run through the data controller in the dataset worker;
// here their failures become what the panel shows: a message, and for a refused import
// the validation report of why.
import type { ImportProgress, PlanSummary } from '../data/importer.ts';
import type { ColumnMapping } from '../data/manifest.ts';
import { emptyReport } from '../data/report.ts';
import type { ValidationReport } from '../data/types.ts';
import { loadImport, planImport } from './data-controller.ts';
import { ImportRefused, type PickedFile } from './dataset-client.ts';

/** Why an import step failed: a message, and the report (with its file name) when the import was refused. */
export interface ImportFailure {
  message: string;
  report?: ValidationReport;
  name?: string;
}

/** Step 1: the plan of the picked files, or why they cannot be imported. */
export async function planPickedFiles(files: PickedFile[], fromFolder: boolean, folders?: string[]): Promise<{ plan: PlanSummary } | { failure: ImportFailure }> {
  try {
    return { plan: await planImport(files, fromFolder, folders) };
  } catch (e) {
    const error = e as Error;
    const issues = error instanceof ImportRefused ? error.issues : [];
    return { failure: { message: error.message, report: { ...emptyReport(), issues, rowsSkipped: 0 }, name: files[0]?.path ?? 'import' } };
  }
}

/**
 * Step 2: loads `plan` with `mapping` (images decoded at `imageSize`); the dataset is then
 * built from it. Resolves to null on success, else to the failure (also when cancelled
 * through `signal`). The worker posts progress at most every 50 ms.
 */
export async function loadPlannedImport(
  plan: PlanSummary,
  mapping: ColumnMapping,
  imageSize: number,
  onProgress: (p: ImportProgress) => void,
  signal: AbortSignal,
): Promise<ImportFailure | null> {
  try {
    await loadImport(mapping, imageSize, onProgress, signal);
    return null;
  } catch (e) {
    const error = e as Error;
    if (error instanceof ImportRefused) return { message: error.message, report: { ...emptyReport(), issues: error.issues }, name: plan.name };
    return { message: error.name === 'AbortError' ? 'Import cancelled; nothing was loaded.' : `Import failed: ${error.message}` };
  }
}
