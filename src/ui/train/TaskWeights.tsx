// Multi-task learning in the Train panel: the loss weight of each auxiliary task. The
// trainer minimises L_primary + Σ w_k · L_k; a weight is a data-preparation setting
// (URL `taskWeights`), so changing it prepares the dataset again for the next run.
import { useStore } from '../../state/store.ts';
import { NumberField } from '../common/fields.tsx';

export function TaskWeights() {
  const dataset = useStore((s) => s.dataset);
  const settings = useStore((s) => s.dataSettings);
  const setSettings = useStore((s) => s.setDataSettings);
  const status = useStore((s) => s.runStatus);
  // A weight prepares the data again: not while a run is using it.
  const live = status === 'running' || status === 'paused';
  const tasks = dataset?.extraTargets ?? [];
  if (tasks.length === 0) return null;
  const weights = settings.preparation.taskWeights ?? {};
  const setWeight = (name: string, w: number) => {
    // Out of range stays in the field (it says so) and is not applied.
    if (!(w >= 0 && w <= 100)) return;
    setSettings({ ...settings, preparation: { ...settings.preparation, taskWeights: { ...weights, [name]: w } } });
  };
  return (
    <fieldset data-testid="task-weights">
      <legend>Tasks (multi-task learning)</legend>
      <p className="muted small">
        One model, one head per task on the same fused feature. Loss = L<sub>primary</sub> + Σ w<sub>k</sub>·L<sub>k</sub>; a weight of 0 leaves that head untrained. The next run uses the
        new weights.
      </p>
      <div className="field-grid">
        {tasks.map((t) => (
          <NumberField
            key={t.name}
            label={`Loss weight of "${t.name}" (${t.targets.kind})`}
            value={weights[t.name] ?? t.weight}
            onChange={(w) => setWeight(t.name, w)}
            min={0}
            max={100}
            step="any"
            testId={`task-weight-${t.name}`}
            disabled={live}
            hint={live ? 'stop the run to change it' : undefined}
          />
        ))}
      </div>
    </fieldset>
  );
}
