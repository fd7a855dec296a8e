// Knowledge distillation from the page: the trained model (the teacher) teaches a smaller
// student. The teacher's logits for every example are read once from the training
// session (evaluation mode; a batch's inputs are the same every epoch, so they do not
// change), then the compare queue trains two runs with the teacher's data and seed: the
// student on α · T² · KL(teacher / T ‖ student / T) + (1 − α) · CE(labels) (TrainerOptions.teacher),
// and the same student on the labels alone — the baseline distillation is measured
// against. The Compare panel shows teacher, student and baseline side by side, with each
// one's agreement with the teacher on the validation examples.
import type { CellKind } from '../ops/recurrent.ts';
import { validateModelConfig, type ModelConfig } from '../models/config.ts';
import type { TrainConfig } from '../train/config.ts';
import type { EpochRecord } from '../train/trainer.ts';
import { CHECKPOINT_VERSION, datasetReference } from '../export/checkpoint.ts';
import { compareRunner } from './compare-runner.ts';
import { applyCheckpoint } from './session-store.ts';
import { queuedRun, type CompareRun } from './slices/compare.ts';
import type { SessionSpec } from './slices/run.ts';
import { resolveTrainConfig } from './target.ts';
import { training } from './training.ts';
import { useStore } from './store.ts';

export interface DistillSettings {
  /** The student's recurrent hidden size. */
  hiddenSize: number;
  /** The student's recurrent layers. */
  numLayers: number;
  cell: CellKind;
  /** Temperature T > 0 of the softened probabilities. */
  temperature: number;
  /** Weight α of the soft (teacher) term; 1 − α weighs the labels' cross-entropy. */
  alpha: number;
  /** Epochs of each student. */
  epochs: number;
}

/** Defaults for a teacher: a quarter of its hidden size (at least 4), its layers and cell, T = 3, α = 0.5, its epochs. */
export function defaultDistillSettings(teacher: ModelConfig, epochs: number): DistillSettings {
  return {
    hiddenSize: Math.max(4, Math.round(teacher.text.hiddenSize / 4)),
    numLayers: teacher.text.numLayers,
    cell: teacher.text.cell,
    temperature: 3,
    alpha: 0.5,
    epochs,
  };
}

/** What the teacher is, in words. */
export function teacherName(model: ModelConfig, steps: number): string {
  return `${model.text.cell.toUpperCase().replace('_', ' ')}, ${model.text.hiddenSize} units, ${model.text.numLayers} layer${model.text.numLayers === 1 ? '' : 's'}, ${steps} steps`;
}

/** The trained model as a teacher, or why it cannot be one. */
export function teacherProblem(session: SessionSpec | null, steps: number, datasetChanged: boolean): string | null {
  if (!session || steps === 0) return 'Train a model first: it becomes the teacher.';
  if (session.model.task !== 'classification') {
    return `Distillation needs a classification task: the student learns the teacher's class probabilities, and a ${session.model.task} model has none.`;
  }
  if (datasetChanged) return 'The data changed after the teacher was trained: train the teacher on the current data first.';
  return null;
}

/** Teacher, student and labels-only student rows for the queue; problems name the setting. */
export function distillRuns(
  teacher: { session: SessionSpec; parameters: number; history: EpochRecord[]; steps: number },
  settings: DistillSettings,
): { runs: CompareRun[]; problems: string[] } {
  const problems: string[] = [];
  const { session } = teacher;
  if (!(settings.temperature > 0 && Number.isFinite(settings.temperature))) problems.push(`The temperature must be a positive number (got ${settings.temperature}).`);
  if (!(settings.alpha >= 0 && settings.alpha <= 1)) problems.push(`α must be from 0 to 1 (got ${settings.alpha}).`);
  if (!Number.isInteger(settings.epochs) || settings.epochs < 1) problems.push(`Epochs must be a whole number ≥ 1 (got ${settings.epochs}).`);
  const model: ModelConfig = structuredClone(session.model);
  model.text.hiddenSize = settings.hiddenSize;
  model.text.numLayers = settings.numLayers;
  model.text.cell = settings.cell;
  problems.push(...validateModelConfig(model).map((p) => `Student: ${p}`));
  if (problems.length) return { runs: [], problems };
  const train: TrainConfig = resolveTrainConfig({ ...session.train, epochs: settings.epochs, stepDelayMs: 0 }, session.dataset);
  const stamp = Date.now().toString(36);
  const name = teacherName(session.model, teacher.steps);
  const common = { temperature: settings.temperature, alpha: settings.alpha, teacher: name };
  const row = (role: 'student' | 'baseline', value: string): CompareRun => queuedRun({ id: `distill-${stamp}-${role}`, setting: 'distill', value, model, train, distill: { role, ...common } });
  const teacherRow: CompareRun = {
    id: `distill-${stamp}-teacher`,
    setting: 'distill',
    value: `teacher (${session.model.text.hiddenSize} units)`,
    model: session.model,
    train: session.train,
    status: 'done',
    parameters: teacher.parameters,
    history: teacher.history,
    seconds: null,
    steps: teacher.steps,
    note: 'the trained model; not trained again',
    distill: { role: 'teacher', ...common, agreement: 1 },
  };
  return {
    runs: [teacherRow, row('student', `student (${settings.hiddenSize} units, T = ${settings.temperature}, α = ${settings.alpha})`), row('baseline', `labels only (${settings.hiddenSize} units)`)],
    problems: [],
  };
}

/** Reads the teacher's logits from the training session and queues the distillation. */
export async function startDistillation(settings: DistillSettings): Promise<string | null> {
  const s = useStore.getState();
  const steps = s.progress?.step ?? 0;
  const problem = teacherProblem(s.session, steps, s.dataset !== s.session?.dataset);
  if (problem) return problem;
  const session = s.session!;
  const planned = distillRuns({ session, parameters: s.runInfo?.parameters ?? 0, history: s.history, steps }, settings);
  if (planned.problems.length) return planned.problems.join(' ');
  if (s.runStatus === 'running') training.pause();
  let logits: Float32Array;
  try {
    logits = await training.outputs(Array.from({ length: session.dataset.size }, (_, i) => i));
  } catch (e) {
    return `Could not read the teacher's outputs: ${e instanceof Error ? e.message : String(e)}`;
  }
  void compareRunner.start(planned.runs, { logits, dataset: session.dataset });
  return null;
}

/**
 * Makes a trained student (or the labels-only student) the app's model, as loading its
 * checkpoint would: the Model and Train settings become the student's and the session
 * continues from its weights, so Inspect, Evaluate and Export work on it like on any
 * model. The teacher's session is replaced (its row stays in the compare table).
 */
export async function adoptStudent(runId: string): Promise<string | null> {
  const s = useStore.getState();
  const run = s.compareRuns.find((r) => r.id === runId);
  const state = compareRunner.keptState(runId);
  if (!run || !state) return 'The student’s weights are kept only in the page that trained it: train the student again to use it.';
  if (!s.dataset) return 'No dataset is ready.';
  try {
    await applyCheckpoint({ version: CHECKPOINT_VERSION, savedAt: new Date().toISOString(), model: run.model, train: run.train, dataset: datasetReference(s.dataset), state });
  } catch (e) {
    return `The student could not become the model: ${e instanceof Error ? e.message : String(e)}`;
  }
  return null;
}
