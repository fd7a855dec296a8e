// The live charts of the main run: loss (training per step, validation per epoch), the
// task's validation metric, learning rate, gradient norms (global and per layer), and the
// per-timestep gradient norm of the recurrent layer's input — the vanishing/exploding
// view. Per-step numbers come from the live buffers on animation frames.
import { useStore } from '../../state/store.ts';
import { liveRun } from '../../state/live.ts';
import type { EpochRecord } from '../../train/trainer.ts';
import type { TaskKind } from '../../data/types.ts';
import { LineChartCard, shortNumber, type ChartRow, type SeriesSpec } from '../charts/LineChartCard.tsx';
import { useChartColors } from '../charts/colors.ts';
import { useLive } from '../charts/useLive.ts';
import { TimeNormStrip } from '../charts/TimeNormStrip.tsx';
import { metric } from '../common/format.ts';

/** Points drawn per per-step line at most. */
const MAX_POINTS = 300;
/** Recent steps averaged for the per-timestep profile. */
const PROFILE_STEPS = 16;

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
export function chartGroup(layer: string): string {
  const rnn = layer.match(/^(?:text_encoder|decoder)\.rnn\.l(\d+)(_reverse)?$/);
  if (rnn) return `recurrent layer ${Number(rnn[1]) + 1}${rnn[2] ? ' (reverse)' : ''}`;
  if (/^(text_encoder|decoder)\.embedding/.test(layer)) return 'embedding';
  if (layer.startsWith('image_encoder')) return 'image encoder';
  if (layer.startsWith('fusion')) return 'fusion';
  if (/(^|\.)head(_[tv])?(\.|$)|^decoder\.out/.test(layer)) return 'head';
  return layer.split('.')[0];
}

function readSteps(): StepRows {
  const steps = liveRun.steps.decimated(MAX_POINTS).map(([step, loss, lr, gradNorm]) => ({ step, loss, lr, gradNorm }));
  const groups: string[] = [];
  const groupOf = liveRun.layerNames.map((n) => {
    const g = chartGroup(n);
    let i = groups.indexOf(g);
    if (i < 0) i = groups.push(g) - 1;
    return i;
  });
  const layers = liveRun.layers.decimated(MAX_POINTS).map(([step, ...norms]) => {
    const squares = new Array<number>(groups.length).fill(0);
    norms.forEach((v, i) => (squares[groupOf[i]] += v * v));
    const row: ChartRow = { step };
    squares.forEach((sq, g) => (row[`layer${g}`] = sq > 0 ? Math.sqrt(sq) : null));
    return row;
  });
  return { version: liveRun.version, steps, layers, layerNames: groups, stride: liveRun.steps.stride };
}

interface TimeProfile {
  rows: { step: number; values: Float64Array }[];
  profile: ChartRow[];
  latestStep: number | null;
  lo: number;
  hi: number;
  /** ‖∂L/∂x_first‖ / ‖∂L/∂x_last‖ of the recent mean (last non-zero timestep). */
  ratio: number | null;
}

function readTime(): TimeProfile {
  const rows = liveRun.time.rows().map((r) => ({ step: r.step, values: Float64Array.from(r.values) }));
  if (rows.length === 0 || rows[0].values.length === 0) return { rows: [], profile: [], latestStep: null, lo: -3, hi: 0, ratio: null };
  const T = rows[0].values.length;
  const recent = rows.slice(-PROFILE_STEPS);
  const latest = rows[rows.length - 1];
  const mean = new Float64Array(T);
  for (const r of recent) for (let t = 0; t < T; t++) mean[t] += r.values[t] / recent.length;
  const profile: ChartRow[] = Array.from({ length: T }, (_, t) => ({ t: t + 1, latest: latest.values[t] > 0 ? latest.values[t] : null, mean: mean[t] > 0 ? mean[t] : null }));
  let lo = Infinity;
  let hi = -Infinity;
  for (const r of rows) {
    for (const v of r.values) {
      if (v > 0) {
        const l = Math.log10(v);
        lo = Math.min(lo, l);
        hi = Math.max(hi, l);
      }
    }
  }
  if (!Number.isFinite(lo)) [lo, hi] = [-3, 0];
  if (hi - lo < 0.5) hi = lo + 0.5;
  let last = T - 1;
  while (last > 0 && !(mean[last] > 0)) last--;
  const ratio = mean[0] > 0 && last > 0 ? mean[0] / mean[last] : null;
  return { rows, profile, latestStep: latest.step, lo, hi, ratio };
}

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

export function TrainCharts() {
  const history = useStore((s) => s.history);
  const task = useStore((s) => s.session?.model.task);
  const colors = useChartColors();
  const live = useLive(liveRun, readSteps);
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
        series={metrics.map((m, i) => ({ key: m.key, name: m.name, color: c[i + 2], connect: true, width: 2 }))}
        summary={lastRecord ? metrics.map((m) => `${m.name.replace('validation ', '')} ${metric(lastRecord.validation[m.key] as number | undefined, 3)}`).join(' · ') : 'after the first epoch'}
        yDomain={task === 'regression' ? ['auto', 'auto'] : [0, 1]}
        empty="Measured on the validation split after each epoch."
      />
      <LineChartCard
        title="Learning rate"
        testId="chart-lr"
        rows={live.steps.map((r) => ({ step: r.step, lr: r.lr }))}
        series={[{ key: 'lr', name: 'learning rate', color: c[3] }]}
        yDomain={[0, 'auto']}
        summary={`now ${lastLr === null ? '—' : shortNumber(lastLr)}`}
      />
      <LineChartCard
        title="Gradient norms"
        testId="chart-grad"
        rows={gradRows}
        series={[{ key: 'gradNorm', name: 'global (before clipping)', color: colors.fg, width: 2 }, ...layerSeries]}
        logY
        summary={`global ${lastGrad === null ? '—' : shortNumber(lastGrad)} (log scale)`}
      />
      <LineChartCard
        title="Gradient over time: ‖∂loss/∂xₜ‖ per timestep"
        testId="chart-time"
        rows={time.profile}
        xKey="t"
        xLabel="timestep t"
        series={[
          { key: 'mean', name: `mean of the last ${Math.min(PROFILE_STEPS, time.rows.length)} steps`, color: c[4], width: 2.5 },
          { key: 'latest', name: `step ${time.latestStep ?? '—'}`, color: c[5], width: 1 },
        ]}
        logY
        summary={time.ratio === null ? 'the recurrent layer’s input gradient, per token position' : `first ÷ last timestep: ${shortNumber(time.ratio)}${time.ratio < 0.01 ? ' — vanishing' : time.ratio > 100 ? ' — exploding' : ''}`}
        empty="Needs a text input; shown once training starts."
        height={170}
        wide
      >
        {time.rows.length > 0 && <TimeNormStrip rows={time.rows} lo={time.lo} hi={time.hi} />}
      </LineChartCard>
    </div>
  );
}
