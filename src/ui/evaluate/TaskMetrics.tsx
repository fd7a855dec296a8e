// Multi-task learning in the Evaluate panel: every task of the model scored on the split,
// each on its own head — its loss, its loss weight and its metric (accuracy and macro F1,
// or RMSE in target units). The primary task's full results follow below it.
import type { EvalResult } from '../../train/evaluate.ts';
import { formatValue } from '../inspect/traces.ts';

const pct = (v: number | undefined) => (v !== undefined && Number.isFinite(v) ? `${(100 * v).toFixed(1)}%` : '—');

export function TaskMetrics({ result }: { result: EvalResult }) {
  const tasks = result.tasks;
  if (!tasks?.length) return null;
  return (
    <section className="gs-card" aria-label="Scores per task" data-testid="evaluate-tasks">
      <h3>Per task ({tasks.length} heads, one model)</h3>
      <p className="gs-muted">
        Total loss {formatValue(result.loss, 4)} = L<sub>primary</sub> + Σ w<sub>k</sub>·L<sub>k</sub>. The confusion matrix and galleries below are the primary task’s.
      </p>
      <table className="gs-table">
        <thead>
          <tr>
            <th scope="col">task</th>
            <th scope="col">kind</th>
            <th scope="col">weight</th>
            <th scope="col">loss</th>
            <th scope="col">accuracy</th>
            <th scope="col">macro F1</th>
            <th scope="col">RMSE</th>
          </tr>
        </thead>
        <tbody>
          {tasks.map((t) => (
            <tr key={t.name} data-testid="evaluate-task" data-task={t.name}>
              <th scope="row">{t.name}</th>
              <td>{t.kind}</td>
              <td className="gs-num">{t.weight}</td>
              <td className="gs-num">{formatValue(t.loss, 4)}</td>
              <td className="gs-num" data-testid="evaluate-task-accuracy">
                {pct(t.accuracy)}
              </td>
              <td className="gs-num">{pct(t.macroF1)}</td>
              <td className="gs-num">{t.rmse === undefined ? '—' : formatValue(t.rmse, 4)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
