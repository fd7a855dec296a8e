// The Evaluate panel: choose a split and evaluate; then, by task, the confusion matrix
// (click a cell → its examples → inspect one), per-class precision / recall / F1, ROC
// curves with AUC, the misclassified gallery; multilabel per-label scores; regression
// scatter; caption samples with BLEU. Dataset text is rendered as text, with hidden and
// direction-changing characters escaped (visibleText, ShownText).
import { useCallback, useEffect, useId, useMemo, useState } from 'react';
import { visibleText } from '../../state/for-ui.ts';
import type { PreparedDataset } from '../../data/types.ts';
import type { ModelConfig } from '../../models/config.ts';
import type { EvalResult } from '../../train/evaluate.ts';
import { ShownText } from '../data/ShownText.tsx';
import { ExampleImage } from '../inspect/ExampleImage.tsx';
import { formatValue } from '../inspect/traces.ts';
import { ConfusionMatrix } from './ConfusionMatrix.tsx';
import { ExampleCards, type ExampleCard } from './ExampleCards.tsx';
import { RegressionScatter } from './RegressionScatter.tsx';
import { ForecastView } from '../series/ForecastView.tsx';
import '../series/series.css';
import { RocChart, aucText } from './RocChart.tsx';
import '../inspect/inspect.css';
import './evaluate.css';
import { TaskMetrics } from './TaskMetrics.tsx';

export type EvalSplit = 'train' | 'validation' | 'test';

export interface EvaluatePanelProps {
  dataset: PreparedDataset;
  modelConfig: ModelConfig;
  result: EvalResult | null;
  busy: boolean;
  onEvaluate(split: EvalSplit): void;
  onInspectExample(index: number): void;
}

const SPLITS: readonly EvalSplit[] = ['train', 'validation', 'test'];
const PAGE = 24;
const pct = (v: number) => (Number.isFinite(v) ? `${(100 * v).toFixed(1)}%` : '—');

export function EvaluatePanel(props: EvaluatePanelProps) {
  const { dataset, result, busy } = props;
  const [split, setSplit] = useState<EvalSplit>(result?.split ?? (dataset.splits.validation.length ? 'validation' : 'train'));
  const id = useId();
  return (
    <div className="gs-evaluate" data-testid="evaluate-panel">
      <div className="gs-card gs-row gs-evaluate-controls">
        <label htmlFor={id}>Split</label>
        <select id={id} value={split} onChange={(e) => setSplit(e.target.value as EvalSplit)} data-testid="evaluate-split">
          {SPLITS.map((s) => (
            <option key={s} value={s} disabled={dataset.splits[s].length === 0}>
              {s} ({dataset.splits[s].length} examples)
            </option>
          ))}
        </select>
        <button type="button" onClick={() => props.onEvaluate(split)} disabled={busy || dataset.splits[split].length === 0} data-testid="evaluate-run">
          {busy ? 'Evaluating…' : 'Evaluate'}
        </button>
        <span className="gs-muted" aria-live="polite">
          {busy ? `Evaluating the ${split} split…` : result ? `Showing the ${result.split} split: ${result.count} examples, loss ${formatValue(result.loss, 4)}` : 'Not evaluated yet.'}
        </span>
      </div>
      {result && <TaskMetrics result={result} />}
      {result ? <Results {...props} result={result} /> : <p className="gs-empty">Choose a split and press Evaluate to score the current weights.</p>}
    </div>
  );
}

function Results(props: EvaluatePanelProps & { result: EvalResult }) {
  const { result, dataset, onInspectExample } = props;
  if (result.classification && dataset.targets.kind === 'classification') return <ClassificationResults {...props} />;
  if (result.multilabel) return <MultilabelResults result={result} />;
  if (result.forecast) return <ForecastView dataset={dataset} result={result} onInspectExample={onInspectExample} />;
  if (result.regression) {
    return <RegressionScatter dataset={dataset} indices={result.indices} predictions={result.predictions} report={result.regression} onInspectExample={onInspectExample} />;
  }
  if (result.captions) return <CaptionResults {...props} />;
  return <p className="gs-empty">This result has no metrics to show.</p>;
}

function ClassificationResults({ result, dataset, onInspectExample }: EvaluatePanelProps & { result: EvalResult }) {
  const report = result.classification!;
  const targets = dataset.targets as Extract<PreparedDataset['targets'], { kind: 'classification' }>;
  const classes = targets.classes;
  const C = classes.length;
  const [cell, setCell] = useState<{ truth: number; predicted: number } | null>(null);
  const [shown, setShown] = useState(PAGE);
  useEffect(() => {
    setCell(null);
    setShown(PAGE);
  }, [result]);
  /** Card for the k-th evaluated example. */
  const card = useCallback(
    (k: number): ExampleCard => {
      const p = result.predictions[k];
      return { index: result.indices[k], truth: classes[targets.labels[result.indices[k]]], predicted: classes[p], confidence: result.probabilities ? result.probabilities[k * C + p] : undefined };
    },
    [result, targets, classes, C],
  );
  const cellCards = useMemo(() => {
    if (!cell) return [];
    const out: ExampleCard[] = [];
    for (let k = 0; k < result.count; k++) if (targets.labels[result.indices[k]] === cell.truth && result.predictions[k] === cell.predicted) out.push(card(k));
    return out;
  }, [cell, result, targets, card]);
  const wrong = useMemo(() => {
    const ks: number[] = [];
    for (let k = 0; k < result.count; k++) if (targets.labels[result.indices[k]] !== result.predictions[k]) ks.push(k);
    const conf = (k: number) => (result.probabilities ? result.probabilities[k * C + result.predictions[k]] : 0);
    return ks.sort((a, b) => conf(b) - conf(a));
  }, [result, targets, C]);

  return (
    <>
      <div className="gs-card gs-summary" data-testid="evaluate-summary">
        Accuracy <b>{pct(report.accuracy)}</b> · macro precision <b>{pct(report.macroPrecision)}</b> · macro recall <b>{pct(report.macroRecall)}</b> · macro F1 <b>{pct(report.macroF1)}</b> · {aucText(report.auc)} (macro) · {report.count} examples
      </div>
      <div className="gs-evaluate-grid">
        <section className="gs-card" aria-label="Confusion matrix">
          <h3>Confusion matrix</h3>
          <ConfusionMatrix classes={classes} confusion={report.confusion} selected={cell} onSelect={setCell} />
          {cell ? (
            <div className="gs-cell-examples">
              <h4>
                True <q>{visibleText(classes[cell.truth])}</q> predicted as <q>{visibleText(classes[cell.predicted])}</q>: {cellCards.length} example{cellCards.length === 1 ? '' : 's'}
              </h4>
              {cellCards.length === 0 ? <p className="gs-note">None.</p> : <ExampleCards dataset={dataset} cards={cellCards.slice(0, 100)} onInspectExample={onInspectExample} testId="confusion-examples" label="Examples of the chosen cell" />}
              {cellCards.length > 100 && <p className="gs-note">Showing the first 100.</p>}
            </div>
          ) : (
            <p className="gs-note">Click a cell to list its examples; click an example to inspect it.</p>
          )}
        </section>
        <section className="gs-card" aria-label="Per-class scores">
          <h3>Per class</h3>
          <ScoreTable
            testId="class-table"
            kind="class"
            rows={report.perClass}
            total={{ label: 'macro', precision: report.macroPrecision, recall: report.macroRecall, f1: report.macroF1, support: report.count }}
          />
        </section>
      </div>
      <div className="gs-card">
        <h3>ROC curves</h3>
        <RocChart classes={classes} curves={report.roc} auc={report.auc} />
      </div>
      <section className="gs-card" aria-label="Misclassified examples">
        <h3>
          Misclassified: {wrong.length} of {result.count} <span className="gs-muted">(most confident mistakes first)</span>
        </h3>
        {wrong.length === 0 ? (
          <p className="gs-note">Every example is right.</p>
        ) : (
          <>
            <ExampleCards dataset={dataset} cards={wrong.slice(0, shown).map(card)} onInspectExample={onInspectExample} testId="misclassified" label="Misclassified examples" />
            {wrong.length > shown && (
              <button type="button" onClick={() => setShown((s) => s + PAGE)}>
                Show more
              </button>
            )}
          </>
        )}
      </section>
    </>
  );
}

interface ScoreRow {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

/** Precision, recall, F1 and support per class or label, with an optional total row. */
function ScoreTable({ testId, kind, rows, total }: { testId: string; kind: 'class' | 'label'; rows: ScoreRow[]; total?: ScoreRow }) {
  const cells = (r: ScoreRow) => (
    <>
      <th scope="row">{visibleText(r.label)}</th>
      <td className="gs-num">{pct(r.precision)}</td>
      <td className="gs-num">{pct(r.recall)}</td>
      <td className="gs-num">{pct(r.f1)}</td>
      <td className="gs-num">{r.support}</td>
    </>
  );
  return (
    <table className="gs-table" data-testid={testId}>
      <thead>
        <tr>
          <th scope="col">{kind}</th>
          <th scope="col">precision</th>
          <th scope="col">recall</th>
          <th scope="col">F1</th>
          <th scope="col">support</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.label}>{cells(r)}</tr>
        ))}
      </tbody>
      {total && (
        <tfoot>
          <tr>{cells(total)}</tr>
        </tfoot>
      )}
    </table>
  );
}

function MultilabelResults({ result }: { result: EvalResult }) {
  const r = result.multilabel!;
  return (
    <section className="gs-card" aria-label="Per-label scores" data-testid="multilabel">
      <h3>Per label (threshold 0.5)</h3>
      <p>
        Macro F1 <b>{pct(r.macroF1)}</b> · micro F1 <b>{pct(r.microF1)}</b> · subset accuracy <b>{pct(r.subsetAccuracy)}</b> · Hamming accuracy <b>{pct(r.hammingAccuracy)}</b> · {r.count} examples
      </p>
      <ScoreTable testId="label-table" kind="label" rows={r.perLabel} />
    </section>
  );
}

function CaptionResults({ result, dataset, onInspectExample }: EvaluatePanelProps & { result: EvalResult }) {
  const c = result.captions!;
  return (
    <section className="gs-card" aria-label="Caption samples" data-testid="captions">
      <h3>Captions</h3>
      <p>
        BLEU-4 <b data-testid="bleu">{formatValue(c.bleu.bleu, 4)}</b> · n-gram precisions {c.bleu.precisions.map((p) => formatValue(p, 3)).join(' / ')} · brevity penalty {formatValue(c.bleu.brevityPenalty, 3)} · exact match <b>{pct(c.exactMatch)}</b> · {c.samples.length} samples
        decoded (greedy)
      </p>
      <table className="gs-table gs-caption-table">
        <thead>
          <tr>
            <th scope="col">example</th>
            <th scope="col">image</th>
            <th scope="col">reference</th>
            <th scope="col">generated</th>
          </tr>
        </thead>
        <tbody>
          {c.samples.map((s) => (
            <tr key={s.index} className={s.generated === s.reference ? 'is-exact' : undefined}>
              <td>
                <button type="button" className="gs-link" onClick={() => onInspectExample(s.index)}>
                  #{s.index}
                </button>
              </td>
              <td>{dataset.hasImage[s.index] ? <ExampleImage dataset={dataset} index={s.index} size={40} /> : null}</td>
              <td>
                <ShownText text={s.reference} />
              </td>
              <td>
                <ShownText text={s.generated} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
