// The live charts of the main run: loss (training per step, validation per epoch), the
// task's validation metric, learning rate, gradient norms (global and per layer), and the
// per-timestep gradient norm of the recurrent layer's input — the vanishing/exploding
// view. Per-step numbers come from the live buffers on animation frames; each card
// reduces them to its pixel width.
import { useMemo } from 'react';
import { useStore } from '../../state/store.ts';
import { JUDGE_FACTOR, liveRun, MIN_JUDGED_SHARE, PROFILE_STEPS, timeProfile, type TimeProfile } from '../../state/live.ts';
import { accuracyLevels } from '../../state/reference-levels.ts';
import { accuracyReferences } from '../charts/levels.ts';
import type { EpochRecord } from '../../train/trainer.ts';
import type { TaskKind } from '../../data/types.ts';
import { LineChartCard, shortNumber, type ChartRow, type SeriesSpec } from '../charts/LineChartCard.tsx';
import { useChartColors } from '../charts/colors.ts';
import { useLive } from '../charts/useLive.ts';
import { TimeNormStrip } from '../charts/TimeNormStrip.tsx';
import { metric } from '../common/format.ts';
import { TaskCharts } from './TaskCharts.tsx';

interface StepRows {
  version: number;
  steps: ChartRow[];
  layers: ChartRow[];
  layerNames: string[];
  stride: number;
}

/**
 * The chart's name for a parameter group: each recurrent layer (and direction) on its
 * own — the layers whose gradients vanish or explode — and every other module as one.
 */
function chartGroup(layer: string): string {
  const rnn = layer.match(/^(?:text_encoder|series_encoder|decoder)\.rnn\.l(\d+)(_reverse)?$/);
  if (rnn) return `recurrent layer ${Number(rnn[1]) + 1}${rnn[2] ? ' (reverse)' : ''}`;
  if (/^(text_encoder|decoder)\.embedding/.test(layer)) return 'embedding';
  if (layer.startsWith('series_encoder.input')) return 'frame projection';
  if (layer.startsWith('image_encoder')) return 'image encoder';
  if (layer.startsWith('fusion')) return 'fusion';
  if (/(^|\.)head(_[tv])?(\.|$)|^decoder\.out/.test(layer)) return 'head';
  return layer.split('.')[0];
}

function readSteps(): StepRows {
  const steps = liveRun.steps.all().map(([step, loss, lr, gradNorm]) => ({ step, loss, lr, gradNorm }));
  const groups: string[] = [];
  const groupOf = liveRun.layerNames.map((n) => {
    const g = chartGroup(n);
    let i = groups.indexOf(g);
    if (i < 0) i = groups.push(g) - 1;
    return i;
  });
  const layers = liveRun.layers.all().map(([step, ...norms]) => {
    const squares = new Array<number>(groups.length).fill(0);
    norms.forEach((v, i) => (squares[groupOf[i]] += v * v));
    const row: ChartRow = { step };
    squares.forEach((sq, g) => (row[`layer${g}`] = sq > 0 ? Math.sqrt(sq) : null));
    return row;
  });
  return { version: liveRun.version, steps, layers, layerNames: groups, stride: liveRun.steps.stride };
}

interface TimeView {
  rows: { step: number; values: Float64Array }[];
  profile: ChartRow[];
  latestStep: number | null;
  lo: number;
  hi: number;
  summary: TimeProfile | null;
}

function readTime(): TimeView {
  const rows = liveRun.time.rows().map((r) => ({ step: r.step, values: Float64Array.from(r.values) }));
  if (rows.length === 0 || rows[0].values.length === 0) return { rows: [], profile: [], latestStep: null, lo: -3, hi: 0, summary: null };
  const K = rows[0].values.length;
  const recent = rows.slice(-PROFILE_STEPS);
  const latest = rows[rows.length - 1];
  const summary = timeProfile(recent, liveRun.timeShare.rows().slice(-PROFILE_STEPS));
  const profile = profileRows(summary, latest.values);
  let lo = Infinity;
  let hi = -Infinity;
  for (const r of rows) {
    for (let k = 0; k < K; k++) {
      const v = r.values[k];
      if (v > 0 && Number.isFinite(v)) {
        const l = Math.log10(v);
        lo = Math.min(lo, l);
        hi = Math.max(hi, l);
      }
    }
  }
  if (!Number.isFinite(lo)) [lo, hi] = [-3, 0];
  if (hi - lo < 0.5) hi = lo + 0.5;
  return { rows, profile, latestStep: latest.step, lo, hi, summary };
}

/**
 * Chart rows of a profile, x = k (tokens before the last): the mean where enough texts
 * reach k to judge it, and separately (dashed) where fewer do; the latest step's values.
 */
function profileRows(p: TimeProfile, latest: ArrayLike<number>): ChartRow[] {
  const positive = (v: number) => (v > 0 && Number.isFinite(v) ? v : null);
  const rows: ChartRow[] = [];
  for (let k = 0; k < p.mean.length; k++) {
    const judged = p.share[k] >= MIN_JUDGED_SHARE;
    // The dashed part starts at the last judged point so the two parts join.
    const few = !judged || (k + 1 < p.mean.length && p.share[k + 1] < MIN_JUDGED_SHARE && positive(p.mean[k + 1]) !== null);
    rows.push({ k, mean: judged ? positive(p.mean[k]) : null, few: few ? positive(p.mean[k]) : null, latest: positive(latest[k]) });
  }
  return rows;
}

/** The card's summary line for a profile. */
function profileSummary(p: TimeProfile | null): string {
  if (!p || p.ratio === null || p.perStep === null || p.trend === null || p.judgedUpTo === null) return 'the recurrent layer’s input gradient, by distance from the last real token';
  // The verdict first: the card's summary line is cut with an ellipsis when narrow.
  const verdict = p.verdict ? `${p.verdict} — ` : '';
  return `${verdict}×${p.perStep.toPrecision(2)} per step back (median), ×${shortNumber(p.trend)} over ${p.judgedUpTo} steps · earliest ÷ last token ${shortNumber(p.ratio)}`;
}

/** One sentence on how the gradient-over-time card is computed (also in the README). */
const TIME_NOTE =
  `Each point is ‖∂loss/∂xₜ‖ at k tokens before each text’s last real token, averaged over the texts that long (padding never counts) and over the last ${PROFILE_STEPS} steps; ` +
  `“vanishing” or “exploding” means the median change per step, compounded over the positions at least ${Math.round(MIN_JUDGED_SHARE * 100)} % of the texts reach, ` +
  `falls or rises more than ${JUDGE_FACTOR}×.`;

/** The validation metrics a task reports, by EvalSummary field. */
function taskMetrics(task: TaskKind | undefined): { key: keyof EpochRecord['validation']; name: string }[] {
  switch (task) {
    case 'regression':
      return [
        { key: 'rmse', name: 'validation RMSE' },
        { key: 'mae', name: 'validation MAE' },
      ];
    case 'captioning':
      return [{ key: 'bleu', name: 'validation BLEU-4' }];
    case 'multilabel':
      return [
        { key: 'accuracy', name: 'validation subset accuracy' },
        { key: 'macroF1', name: 'validation macro F1' },
      ];
    default:
      return [
        { key: 'accuracy', name: 'validation accuracy' },
        { key: 'macroF1', name: 'validation macro F1' },
      ];
  }
}

/** The loss chart has no point yet: its first one is read on the next frame. */
const noSteps = (shown: ReturnType<typeof readSteps>) => shown.steps.length === 0;

export function TrainCharts() {
  const history = useStore((s) => s.history);
  const task = useStore((s) => s.session?.model.task);
  const colors = useChartColors();
  const live = useLive(liveRun, readSteps, 250, noSteps);
  const time = useLive(liveRun, readTime, 300);
  const c = colors.series;

  const lastLoss = live.steps.length ? (live.steps[live.steps.length - 1].loss as number) : null;
  const lossRows: ChartRow[] = [...live.steps.map((r) => ({ step: r.step, loss: r.loss })), ...history.map((h) => ({ step: h.step, validation: h.validation.loss, epochTrain: h.trainLoss }))].sort(
    (a, b) => (a.step as number) - (b.step as number),
  );
  const lastVal = history.length ? history[history.length - 1].validation.loss : null;
  const averaged = live.stride > 1 ? ` · each point averages ≥ ${live.stride} steps` : '';

  const metrics = taskMetrics(task);
  const metricRows: ChartRow[] = history.map((h) => {
    const row: ChartRow = { step: h.step, epoch: h.epoch };
    for (const m of metrics) row[m.key] = (h.validation[m.key] as number | undefined) ?? null;
    return row;
  });
  const lastRecord = history[history.length - 1];
  const dataset = useStore((s) => s.dataset);
  const levels = useMemo(() => (task === 'classification' && dataset ? accuracyReferences(accuracyLevels(dataset)) : []), [task, dataset]);

  const gradRows: ChartRow[] = live.steps.map((r, i) => ({ ...(live.layers[i] ?? {}), step: r.step, gradNorm: (r.gradNorm as number) > 0 ? r.gradNorm : null }));
  const layerSeries: SeriesSpec[] = live.layerNames.map((name, i) => ({ key: `layer${i}`, name, color: c[(i + 1) % c.length], width: 1 }));
  const lastGrad = live.steps.length ? (live.steps[live.steps.length - 1].gradNorm as number) : null;
  const lastLr = live.steps.length ? (live.steps[live.steps.length - 1].lr as number) : null;

  return (
    <div className="chart-grid">
      <LineChartCard
        title="Loss"
        testId="chart-loss"
        rows={lossRows}
        yLabel="loss"
        series={[
          { key: 'loss', name: 'training (per step)', color: c[0] },
          { key: 'epochTrain', name: 'training (epoch mean)', color: c[0], dashed: true, connect: true, width: 2 },
          { key: 'validation', name: 'validation (per epoch)', color: c[1], connect: true, width: 2.5 },
        ]}
        summary={`training ${metric(lastLoss)} · validation ${metric(lastVal)}${averaged}`}
      />
      <LineChartCard
        title={task === 'regression' ? 'Validation error' : task === 'captioning' ? 'Validation BLEU' : 'Validation accuracy and F1'}
        testId="chart-metric"
        rows={metricRows}
        yLabel={task === 'regression' ? 'error' : task === 'captioning' ? 'BLEU-4' : 'score'}
        series={metrics.map((m, i) => ({ key: m.key, name: m.name, color: c[i + 2], connect: true, width: 2 }))}
        references={levels}
        summary={lastRecord ? metrics.map((m) => `${m.name.replace('validation ', '')} ${metric(lastRecord.validation[m.key] as number | undefined, 3)}`).join(' · ') : 'after the first epoch'}
        yDomain={task === 'regression' ? ['auto', 'auto'] : [0, 1]}
        empty="Measured on the validation split after each epoch."
      />
      <TaskCharts />
      <LineChartCard
        title="Learning rate"
        testId="chart-lr"
        rows={live.steps.map((r) => ({ step: r.step, lr: r.lr }))}
        yLabel="learning rate"
        series={[{ key: 'lr', name: 'learning rate', color: c[3] }]}
        yDomain={[0, 'auto']}
        summary={`now ${lastLr === null ? '—' : shortNumber(lastLr)}`}
      />
      <LineChartCard
        title="Gradient norms"
        testId="chart-grad"
        rows={gradRows}
        yLabel="‖gradient‖ (log)"
        series={[{ key: 'gradNorm', name: 'global (before clipping)', color: colors.fg, width: 2 }, ...layerSeries]}
        logY
        summary={`global ${lastGrad === null ? '—' : shortNumber(lastGrad)} (log scale)`}
      />
      <LineChartCard
        title="Gradient over time: ‖∂loss/∂xₜ‖ by distance from the last token"
        testId="chart-time"
        rows={time.profile}
        xKey="k"
        xLabel="tokens before the last real token (first words on the left)"
        xReversed
        yLabel="‖∂loss/∂xₜ‖ (log)"
        series={[
          { key: 'mean', name: `mean of the last ${Math.min(PROFILE_STEPS, time.rows.length)} steps`, color: c[4], width: 2.5 },
          ...(time.profile.some((r) => r.few !== null) ? [{ key: 'few', name: `reached by < ${Math.round(MIN_JUDGED_SHARE * 100)} % of texts (not judged)`, color: c[4], width: 1.5, dashed: true }] : []),
          { key: 'latest', name: `step ${time.latestStep ?? '—'}`, color: c[5], width: 1 },
        ]}
        logY
        summary={profileSummary(time.summary)}
        empty="Needs a text input; shown once training starts."
        height={190}
        wide
      >
        <p className="chart-note muted small" data-testid="chart-time-note">
          {TIME_NOTE}
        </p>
        {time.rows.length > 0 && <TimeNormStrip rows={time.rows} lo={time.lo} hi={time.hi} />}
      </LineChartCard>
    </div>
  );
}
