// "Distil the trained model" in the Compare panel: the student's size (hidden size,
// layers, cell), the temperature T, the weight α of the teacher's term and the epochs;
// the button reads the teacher's logits and queues the student and its labels-only
// baseline (src/state/distill.ts). Starting values come from the URL (distill.*).
import { useMemo, useState } from 'react';
import { adoptStudent, defaultDistillSettings, startDistillation, teacherProblem, type DistillSettings } from '../../state/distill.ts';
import { CELL_KINDS } from '../../state/for-ui.ts';
import { useStore } from '../../state/store.ts';
import { distillFromQuery } from '../../state/url-distill.ts';
import { NumberField, SelectField } from '../common/fields.tsx';
import { CELL_LABELS } from '../common/labels.ts';
import { percent } from '../common/format.ts';
import type { CompareRun } from '../../state/slices/compare.ts';

export function DistillSection() {
  const session = useStore((s) => s.session);
  const steps = useStore((s) => s.progress?.step ?? 0);
  const dataset = useStore((s) => s.dataset);
  const running = useStore((s) => s.compareRunning);
  const compareEpochs = useStore((s) => s.compareEpochs);
  const [edited, setEdited] = useState<Partial<DistillSettings>>(() => {
    const { problems: _problems, ...fromUrl } = distillFromQuery(window.location.search);
    return fromUrl;
  });
  const [error, setError] = useState<string | null>(null);
  const [reading, setReading] = useState(false);
  const settings: DistillSettings | null = useMemo(() => (session ? { ...defaultDistillSettings(session.model, compareEpochs), ...edited } : null), [session, compareEpochs, edited]);
  const problem = teacherProblem(session, steps, dataset !== session?.dataset);
  const set = (patch: Partial<DistillSettings>) => setEdited((e) => ({ ...e, ...patch }));
  const start = async () => {
    if (!settings) return;
    setReading(true);
    setError(await startDistillation(settings));
    setReading(false);
  };
  return (
    <fieldset className="compare-setup" data-testid="distill-setup" id="distill">
      <legend>Distil the trained model into a smaller student</legend>
      {settings && (
        <div className="field-row">
          <NumberField label="Student hidden size" value={settings.hiddenSize} onChange={(v) => set({ hiddenSize: Math.max(1, Math.round(v)) })} min={1} integer testId="distill-hidden" disabled={running} />
          <NumberField label="Layers" value={settings.numLayers} onChange={(v) => set({ numLayers: Math.max(1, Math.round(v)) })} min={1} max={8} integer testId="distill-layers" disabled={running} />
          <SelectField label="Cell" value={settings.cell} options={CELL_KINDS.map((c) => [c, CELL_LABELS[c]] as const)} onChange={(cell) => set({ cell })} testId="distill-cell" disabled={running} />
          <NumberField label="Temperature T" value={settings.temperature} onChange={(v) => set({ temperature: v })} min={0.1} step={0.5} testId="distill-temperature" disabled={running} />
          <NumberField label="α (teacher's weight)" value={settings.alpha} onChange={(v) => set({ alpha: v })} min={0} max={1} step={0.1} testId="distill-alpha" disabled={running} />
          <NumberField label="Epochs" value={settings.epochs} onChange={(v) => set({ epochs: Math.max(1, Math.round(v)) })} min={1} integer testId="distill-epochs" disabled={running} />
        </div>
      )}
      <p className="muted small">
        The trained model is the teacher. Its outputs (logits) for every example are read once: the inputs of a batch are the same every epoch, so they do not change. The student
        learns α · T² · KL(softmax(teacher / T) ‖ softmax(student / T)) + (1 − α) · cross-entropy with the labels: a higher T softens the teacher's probabilities so the student also
        sees how alike it finds the classes. A student of the same size trained on the labels alone, with the same seed and steps, is the baseline; the table shows both with the
        teacher, and how often each predicts the teacher's class on the validation examples. Classification tasks only.
      </p>
      {problem && (
        <p className="field-problem" data-testid="distill-problem">
          {problem}
        </p>
      )}
      {error && (
        <p className="field-problem" role="alert" data-testid="distill-error">
          {error}
        </p>
      )}
      <div className="field-row">
        <button type="button" className="primary" data-testid="distill-start" disabled={running || reading || problem !== null} onClick={() => void start()}>
          {reading ? "Reading the teacher's outputs…" : 'Train a student'}
        </button>
      </div>
    </fieldset>
  );
}

/** One sentence under the table of a distillation queue: student vs labels-only baseline vs teacher, as measured. */
export function DistillSummary({ runs }: { runs: CompareRun[] }) {
  const running = useStore((s) => s.compareRunning);
  const [adopting, setAdopting] = useState<'busy' | 'done' | string | null>(null);
  const role = (r: 'teacher' | 'student' | 'baseline') => runs.find((x) => x.distill?.role === r);
  const teacher = role('teacher');
  const student = role('student');
  const baseline = role('baseline');
  if (!teacher || !student || student.status !== 'done') return null;
  const acc = (r: CompareRun | undefined) => r?.history[r.history.length - 1]?.validation.accuracy;
  const d = student.distill!;
  const smaller = teacher.parameters && student.parameters ? teacher.parameters / student.parameters : null;
  const diff = baseline?.status === 'done' && acc(student) !== undefined && acc(baseline) !== undefined ? acc(student)! - acc(baseline)! : null;
  const adopt = async () => {
    setAdopting('busy');
    setAdopting((await adoptStudent(student.id)) ?? 'done');
  };
  return (
    <>
    <p className="muted" data-testid="distill-summary">
      Teacher ({d.teacher}): validation accuracy {percent(acc(teacher))}. Student (T = {d.temperature}, α = {d.alpha}
      {smaller ? `, ${smaller.toFixed(1)}× fewer parameters` : ''}): {percent(acc(student))}, agrees with the teacher on {percent(d.agreement)} of the validation examples
      {baseline?.status === 'done'
        ? `. The same student trained on the labels alone for the same ${baseline.steps} steps: ${percent(acc(baseline))}, agreement ${percent(baseline.distill?.agreement)}${
            diff === null ? '' : ` — distillation ${diff > 0 ? `gained ${(100 * diff).toFixed(1)} points` : diff < 0 ? `lost ${(-100 * diff).toFixed(1)} points` : 'changed nothing'} here`
          }.`
        : '.'}
    </p>
    <div className="field-row">
      <button type="button" data-testid="distill-use-student" disabled={running || adopting === 'busy'} onClick={() => void adopt()}>
        Use the student as the model
      </button>
      <p className="muted small" role="status" data-testid="distill-use-status">
        {adopting === 'busy'
          ? 'Building the student’s session…'
          : adopting === 'done'
            ? 'The student is now the model: Inspect, Evaluate and Export work on it.'
            : (adopting ?? 'Replaces the teacher’s session (download its checkpoint in Export first to keep it); the student’s weights are kept in this page only.')}
      </p>
    </div>
    </>
  );
}
