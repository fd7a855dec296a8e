// Multi-task learning in the Train panel: each task's validation loss (and the weighted
// total the trainer minimises) and each task's validation metric, one line per task,
// measured after every epoch. Shown only for a model with auxiliary tasks.
import { useStore } from '../../state/store.ts';
import { LineChartCard, type ChartRow } from '../charts/LineChartCard.tsx';
import { useChartColors } from '../charts/colors.ts';
import { metric } from '../common/format.ts';

export function TaskCharts() {
  const history = useStore((s) => s.history);
  const c = useChartColors().series;
  const withTasks = history.filter((h) => h.tasks?.length);
  if (withTasks.length === 0) return null;
  const names = withTasks[withTasks.length - 1].tasks!.map((t) => t.name);
  const lossRows: ChartRow[] = withTasks.map((h) => {
    const row: ChartRow = { step: h.step, total: h.validation.loss };
    h.tasks!.forEach((t, k) => (row[`task${k}`] = t.loss));
    return row;
  });
  // Accuracy where the task has it, else RMSE (target units): one chart, one line per task.
  const scoreOf = (t: { accuracy?: number; rmse?: number }) => t.accuracy ?? t.rmse ?? null;
  const hasRmse = withTasks[withTasks.length - 1].tasks!.some((t) => t.accuracy === undefined);
  const metricRows: ChartRow[] = withTasks.map((h) => {
    const row: ChartRow = { step: h.step };
    h.tasks!.forEach((t, k) => (row[`task${k}`] = scoreOf(t)));
    return row;
  });
  const last = withTasks[withTasks.length - 1].tasks!;
  const label = (t: { name: string; accuracy?: number; rmse?: number }) => (t.accuracy !== undefined ? `${t.name} accuracy ${metric(t.accuracy, 3)}` : `${t.name} RMSE ${metric(t.rmse, 3)}`);
  return (
    <>
      <LineChartCard
        title="Loss per task"
        testId="chart-task-loss"
        rows={lossRows}
        yLabel="validation loss"
        series={[{ key: 'total', name: 'total (weighted)', color: c[1], connect: true, width: 2.5 }, ...names.map((n, k) => ({ key: `task${k}`, name: n, color: c[(k + 2) % c.length], connect: true, width: 2 }))]}
        summary={last.map((t) => `${t.name} ${metric(t.loss)}`).join(' · ')}
        empty="Measured on the validation split after each epoch."
      />
      <LineChartCard
        title={hasRmse ? 'Metric per task (accuracy; RMSE for regression)' : 'Accuracy per task'}
        testId="chart-task-metric"
        rows={metricRows}
        yLabel={hasRmse ? 'accuracy / RMSE' : 'accuracy'}
        series={names.map((n, k) => ({ key: `task${k}`, name: n, color: c[(k + 2) % c.length], connect: true, width: 2 }))}
        summary={last.map(label).join(' · ')}
        yDomain={hasRmse ? ['auto', 'auto'] : [0, 1]}
        empty="Measured on the validation split after each epoch."
      />
    </>
  );
}
