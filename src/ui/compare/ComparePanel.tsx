// The Compare panel: queue runs that differ in one setting (everything else, seed and
// data included, stays the same) or the k folds of a cross-validation, train them one
// after another in fresh sessions, and overlay their curves, with a table of final
// metrics, time and parameter count (for folds, their mean ± standard deviation).
import { useMemo, useState } from 'react';
import { CELL_KINDS, FUSION_KINDS, FUSIONS } from '../../state/for-ui.ts';
import { COMPARE_SETTINGS, compareRunner, compareRuns, variedName } from '../../state/compare-runner.ts';
import { compareLive } from '../../state/live.ts';
import type { CompareRun, CompareSetting, CompareVaried } from '../../state/slices/compare.ts';
import { useStore } from '../../state/store.ts';
import type { TaskKind } from '../../data/types.ts';
import { LineChartCard, type ChartRow } from '../charts/LineChartCard.tsx';
import { useChartColors } from '../charts/colors.ts';
import { useLive } from '../charts/useLive.ts';
import { accuracyReferences } from '../charts/levels.ts';
import { accuracyLevels } from '../../state/reference-levels.ts';
import { CompareGradients } from './CompareGradients.tsx';
import { NumberField, SelectField } from '../common/fields.tsx';
import { compact, duration, metric, percent } from '../common/format.ts';
import { CELL_LABELS } from '../common/labels.ts';
import { CrossValidationSetup, FoldSummaryRow, type MetricColumn } from './CrossValidation.tsx';
import { DistillSection, DistillSummary } from './DistillSection.tsx';

/** Choices of the categorical settings; the numeric ones are typed as a list. */
const CHOICES: Partial<Record<CompareSetting, readonly (readonly [string, string])[]>> = {
  cell: CELL_KINDS.map((c) => [c, CELL_LABELS[c]] as const),
  fusion: FUSION_KINDS.map((k) => [k, FUSIONS[k].title] as const),
  optimizer: [
    ['sgd', 'SGD'],
    ['adam', 'Adam'],
    ['adamw', 'AdamW'],
    ['rmsprop', 'RMSprop'],
  ],
  encoder: [
    ['cnn', 'CNN'],
    ['mlp', 'MLP'],
    ['features', 'ONNX features'],
  ],
  bidirectional: [
    ['false', 'one direction'],
    ['true', 'both directions'],
  ],
};

/** The metric a task's comparison shows, with a formatter. */
function mainMetric(task: TaskKind | undefined): { key: 'accuracy' | 'rmse' | 'bleu'; name: string; format: (v: number | undefined) => string } {
  if (task === 'regression') return { key: 'rmse', name: 'RMSE', format: (v) => metric(v, 3) };
  if (task === 'captioning') return { key: 'bleu', name: 'BLEU-4', format: (v) => metric(v, 3) };
  return { key: 'accuracy', name: 'accuracy', format: (v) => percent(v) };
}

/** The metrics a fold's row shows, mean ± std below them: accuracy and macro F1, RMSE and MAE, or BLEU-4. */
function foldMetrics(task: TaskKind | undefined): MetricColumn[] {
  if (task === 'regression') {
    return [
      { key: 'rmse', name: 'RMSE', format: (v) => metric(v, 3) },
      { key: 'mae', name: 'MAE', format: (v) => metric(v, 3) },
    ];
  }
  if (task === 'captioning') return [{ key: 'bleu', name: 'BLEU-4', format: (v) => metric(v, 3) }];
  return [
    { key: 'accuracy', name: task === 'multilabel' ? 'subset accuracy' : 'accuracy', format: (v) => percent(v) },
    { key: 'macroF1', name: 'macro F1', format: (v) => metric(v, 3) },
  ];
}

/** How a compared value is shown: the choice's label, the value as typed, or the fold. */
function valueLabel(setting: CompareVaried, value: string): string {
  if (setting === 'fold') return `fold ${value}`;
  if (setting === 'distill') return value;
  return CHOICES[setting]?.find(([v]) => v === value)?.[1] ?? value;
}

function ValuesField({ setting }: { setting: CompareSetting }) {
  const values = useStore((s) => s.compareValues[setting]);
  const setValues = useStore((s) => s.setCompareValues);
  const choices = CHOICES[setting];
  const [text, setText] = useState(values.join(', '));
  if (choices) {
    return (
      <fieldset className="compare-values">
        <legend>Values</legend>
        {choices.map(([v, label]) => (
          <label key={v} className="field field-check">
            <input
              type="checkbox"
              checked={values.includes(v)}
              data-testid={`compare-value-${v}`}
              onChange={(e) => setValues(setting, e.target.checked ? choices.map(([c]) => c).filter((c) => c === v || values.includes(c)) : values.filter((x) => x !== v))}
            />
            <span>{label}</span>
          </label>
        ))}
      </fieldset>
    );
  }
  return (
    <label className="field">
      <span className="field-label">Values (comma-separated)</span>
      <input
        type="text"
        value={text}
        data-testid="compare-values-text"
        style={{ width: '14em' }}
        onChange={(e) => {
          setText(e.target.value);
          setValues(
            setting,
            e.target.value
              .split(/[,\s]+/)
              .map((v) => v.trim())
              .filter(Boolean),
          );
        }}
      />
    </label>
  );
}

function readLosses(runs: CompareRun[]): ChartRow[] {
  const rows: ChartRow[] = [];
  for (const run of runs) {
    const h = compareLive.runs.get(run.id);
    if (!h) continue;
    for (const [step, loss] of h.decimated(200)) rows.push({ step, [run.id]: loss });
  }
  return rows.sort((a, b) => (a.step as number) - (b.step as number));
}

export function ComparePanel() {
  const setting = useStore((s) => s.compareSetting);
  const setSetting = useStore((s) => s.setCompareSetting);
  const values = useStore((s) => s.compareValues[setting]);
  const epochs = useStore((s) => s.compareEpochs);
  const setEpochs = useStore((s) => s.setCompareEpochs);
  const runs = useStore((s) => s.compareRuns);
  const running = useStore((s) => s.compareRunning);
  const progress = useStore((s) => s.compareProgress);
  const model = useStore((s) => s.model);
  const train = useStore((s) => s.train);
  const dataset = useStore((s) => s.dataset);
  const features = useStore((s) => s.features);
  const colors = useChartColors();
  const planned = useMemo(() => compareRuns({ model, train }, dataset, features, setting, values, epochs), [model, train, dataset, features, setting, values, epochs]);
  const losses = useLive(compareLive, () => readLosses(runs), 300);
  const task = runs[0]?.model.task ?? dataset?.task;
  const main = mainMetric(task);
  const colorOf = (i: number) => colors.series[i % colors.series.length];
  const series = runs.map((r, i) => ({ key: r.id, name: valueLabel(r.setting, r.value), color: colorOf(i), width: 2, connect: true }));
  const byEpoch = (pick: (r: CompareRun, e: number) => number | undefined): ChartRow[] => {
    const n = Math.max(0, ...runs.map((r) => r.history.length));
    return Array.from({ length: n }, (_, e) => {
      const row: ChartRow = { epoch: e + 1 };
      for (const r of runs) row[r.id] = pick(r, e) ?? null;
      return row;
    });
  };
  const valLoss = byEpoch((r, e) => r.history[e]?.validation.loss);
  const valMetric = byEpoch((r, e) => r.history[e]?.validation[main.key]);
  const current = runs.findIndex((r) => r.status === 'starting' || r.status === 'running');
  // The queue's own setting (the chooser above may already show another one).
  const varied: CompareVaried = runs[0]?.setting ?? setting;
  const folds = varied === 'fold';
  const distilling = varied === 'distill';
  // Fold queues show every metric of the task (their mean ± std is the point); others the main one and its best epoch.
  const columns: MetricColumn[] = folds ? foldMetrics(task) : [{ key: main.key, name: main.name, format: main.format }];
  return (
    <div className="compare-panel">
      <fieldset className="compare-setup">
        <legend>Runs that differ in one setting</legend>
        <div className="field-row">
          <SelectField label="Vary" value={setting} options={Object.entries(COMPARE_SETTINGS) as [CompareSetting, string][]} onChange={setSetting} testId="compare-setting" disabled={running} />
          <ValuesField key={setting} setting={setting} />
          <NumberField label="Epochs per run" value={epochs} onChange={(v) => setEpochs(Math.max(1, Math.round(v)))} min={1} integer testId="compare-epochs" />
        </div>
        <p className="muted small">
          Every run uses the current data, the Model and Train settings and seed {train.seed}; only the {COMPARE_SETTINGS[setting]} changes. Runs train one after another, each in a fresh
          worker, at full speed.
        </p>
        {planned.problems.length > 0 && (
          <ul className="field-problem" data-testid="compare-problems">
            {planned.problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        )}
        <div className="field-row">
          <button type="button" className="primary" data-testid="compare-start" disabled={running || planned.problems.length > 0} onClick={() => void compareRunner.start(planned.runs)}>
            Queue {planned.runs.length} runs
          </button>
          <button type="button" data-testid="compare-stop" disabled={!running} onClick={() => compareRunner.stop()}>
            Stop the queue
          </button>
          <p className="muted" data-testid="compare-progress" role="status">
            {running && current >= 0
              ? `Run ${current + 1} of ${runs.length} (${folds ? valueLabel(varied, runs[current].value) : `${variedName(varied)} = ${valueLabel(varied, runs[current].value)}`}): ${progress ? `step ${progress.step}/${progress.totalSteps}, epoch ${Math.min(progress.epoch + 1, runs[current].train.epochs)}/${runs[current].train.epochs}` : 'building the model…'}`
              : runs.length
                ? `${runs.filter((r) => r.status === 'done').length} of ${runs.length} runs done.`
                : 'No runs yet.'}
          </p>
        </div>
      </fieldset>
      <CrossValidationSetup />
      <DistillSection />
      {runs.length > 0 && (
        <>
          <table className="compare-table" data-testid="compare-table">
            <caption className="visually-hidden">Summary of the compared runs</caption>
            <thead>
              <tr>
                <th scope="col">{variedName(varied)}</th>
                <th scope="col">status</th>
                <th scope="col">parameters</th>
                {distilling && <th scope="col">size (float32)</th>}
                <th scope="col">steps</th>
                <th scope="col">time</th>
                <th scope="col">validation loss</th>
                {columns.map((c) => (
                  <th scope="col" key={c.key}>
                    validation {c.name}
                  </th>
                ))}
                {!folds && <th scope="col">best {main.name}</th>}
                {distilling && <th scope="col">agreement with the teacher</th>}
              </tr>
            </thead>
            <tbody>
              {runs.map((r, i) => {
                const last = r.history[r.history.length - 1]?.validation;
                const values = r.history.map((h) => h.validation[main.key]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
                const best = values.length ? (main.key === 'rmse' ? Math.min(...values) : Math.max(...values)) : undefined;
                return (
                  <tr key={r.id} data-testid="compare-row" data-status={r.status} data-run={r.id}>
                    <th scope="row">
                      <span className="swatch" style={{ background: colorOf(i) }} aria-hidden="true" /> {valueLabel(r.setting, r.value)}
                    </th>
                    <td title={r.note ?? undefined}>
                      {r.status}
                      {r.note ? ` — ${r.note}` : ''}
                    </td>
                    <td>{r.parameters === null ? '—' : compact(r.parameters)}</td>
                    {distilling && <td data-testid="compare-size">{r.parameters === null ? '—' : `${((4 * r.parameters) / 1024).toFixed(1)} KB`}</td>}
                    <td>{r.steps || '—'}</td>
                    <td>{duration(r.seconds)}</td>
                    <td>{metric(last?.loss)}</td>
                    {columns.map((c) => (
                      <td key={c.key} data-testid={c.key === main.key ? 'compare-metric' : undefined}>
                        {c.format(last?.[c.key])}
                      </td>
                    ))}
                    {!folds && <td>{main.format(best)}</td>}
                    {distilling && <td data-testid="compare-agreement">{percent(r.distill?.agreement)}</td>}
                  </tr>
                );
              })}
              {folds && <FoldSummaryRow runs={runs} lossFormat={(v) => metric(v)} columns={columns} before={3} />}
            </tbody>
          </table>
          {distilling && <DistillSummary runs={runs} />}
          <div className="chart-grid">
            <LineChartCard title="Validation loss by epoch" testId="chart-compare-loss" rows={valLoss} series={series} xKey="epoch" xLabel="epoch" yLabel="loss" summary={`${runs.length} runs`} empty="After each run's first epoch." />
            <LineChartCard
              title={`Validation ${main.name} by epoch`}
              testId="chart-compare-metric"
              rows={valMetric}
              series={series}
              xKey="epoch"
              xLabel="epoch"
              yLabel={main.name}
              references={main.key === 'accuracy' && dataset ? accuracyReferences(accuracyLevels(dataset)) : []}
              yDomain={main.key === 'accuracy' || main.key === 'bleu' ? [0, 1] : ['auto', 'auto']}
              summary={runs.map((r) => `${valueLabel(r.setting, r.value)} ${main.format(r.history[r.history.length - 1]?.validation[main.key])}`).join(' · ')}
              empty="After each run's first epoch."
            />
            <LineChartCard title="Training loss by step" testId="chart-compare-train" rows={losses} series={series} yLabel="loss" summary="per step, averaged when long" />
            <CompareGradients runs={runs} series={series} />
          </div>
        </>
      )}
    </div>
  );
}
