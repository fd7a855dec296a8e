// k-fold cross-validation in the Compare panel: the control that queues k folds of the
// current setup, and the table row with the mean ± standard deviation of each metric
// over the folds that finished.
import { useMemo } from 'react';
import { compareRunner, foldRuns } from '../../state/compare-runner.ts';
import { FOLD_RANGE, type CompareRun } from '../../state/slices/compare.ts';
import { useStore } from '../../state/store.ts';
import { summarizeFolds } from '../../state/for-ui.ts';
import type { EvalSummary } from '../../train/trainer.ts';
import { NumberField } from '../common/fields.tsx';

/** A metric column of the compare table. */
export interface MetricColumn {
  key: keyof EvalSummary;
  name: string;
  format: (v: number | undefined) => string;
}

export function CrossValidationSetup() {
  const k = useStore((s) => s.compareFolds);
  const setK = useStore((s) => s.setCompareFolds);
  const epochs = useStore((s) => s.compareEpochs);
  const running = useStore((s) => s.compareRunning);
  const model = useStore((s) => s.model);
  const train = useStore((s) => s.train);
  const dataset = useStore((s) => s.dataset);
  const datasetVersion = useStore((s) => s.datasetVersion);
  const features = useStore((s) => s.features);
  const planned = useMemo(() => foldRuns({ model, train }, dataset, datasetVersion, features, k, epochs), [model, train, dataset, datasetVersion, features, k, epochs]);
  return (
    <fieldset className="compare-setup" data-testid="compare-folds">
      <legend>Cross-validation of the current setup</legend>
      <div className="field-row">
        <NumberField label="Folds (k)" value={k} onChange={(v) => setK(Math.round(v))} min={FOLD_RANGE.min} max={FOLD_RANGE.max} integer testId="compare-folds-k" disabled={running} />
        <button type="button" className="primary" data-testid="compare-folds-start" disabled={running || planned.problems.length > 0} onClick={() => void compareRunner.start(planned.runs)}>
          Run {k} folds
        </button>
      </div>
      <p className="muted small">
        The training and validation examples are dealt into {k} folds (by class, related examples together). Each fold trains a fresh model on the other folds for {epochs}{' '}
        {epochs === 1 ? 'epoch' : 'epochs'} (Epochs per run above) and is validated on its own; the table then shows every fold and the mean ± standard deviation of each metric.
      </p>
      {planned.problems.length > 0 && (
        <ul className="field-problem" data-testid="compare-folds-problems">
          {planned.problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
    </fieldset>
  );
}

/** The last validation metrics of the folds that finished. */
function finishedFolds(runs: CompareRun[]): EvalSummary[] {
  return runs.filter((r) => r.fold && r.status === 'done' && r.history.length > 0).map((r) => r.history[r.history.length - 1].validation);
}

/** "0.912 ± 0.031" with the column's formatter on both parts. */
function meanStdText(v: { mean: number; std: number } | undefined, format: (v: number | undefined) => string): string {
  return v ? `${format(v.mean)} ± ${format(v.std)}` : '—';
}

/** The table row under the folds: mean ± sample standard deviation per metric. */
export function FoldSummaryRow({ runs, lossFormat, columns, before }: { runs: CompareRun[]; lossFormat: (v: number | undefined) => string; columns: MetricColumn[]; before: number }) {
  const done = finishedFolds(runs);
  const summary = summarizeFolds(done);
  return (
    <tr data-testid="compare-fold-summary" className="compare-summary">
      <th scope="row">mean ± std</th>
      <td>
        {done.length} of {runs.length} folds
      </td>
      {Array.from({ length: before }, (_, i) => (
        <td key={i}>—</td>
      ))}
      <td data-testid="fold-summary-loss">{meanStdText(summary.loss, lossFormat)}</td>
      {columns.map((c) => (
        <td key={c.key} data-testid={`fold-summary-${c.key}`}>
          {meanStdText(summary[c.key], c.format)}
        </td>
      ))}
    </tr>
  );
}
