// Options of the two teaching tasks: "Remember the first word" (text only, for the
// "Why LSTM?" demo) and "Complementary clues" (each modality holds half of the answer).
import { CLUES_TASKS, type CluesSettings, type CluesTask, type MemorySettings } from '../../state/settings.ts';
import { CheckField, NumberField } from '../common/fields.tsx';

/** What each auxiliary task of Complementary clues reads its answer from. */
const CLUES_TASK_LABELS: Record<CluesTask, string> = {
  shape: 'Also predict the shape (a second head; the image says it)',
  colour: 'Also predict the colour (a second head; the text says it)',
};

export function MemoryForm({ value, onChange, onGenerate, busy }: { value: MemorySettings; onChange: (v: MemorySettings) => void; onGenerate: () => void; busy: boolean }) {
  return (
    <fieldset data-testid="memory-form">
      <legend>Remember the first word</legend>
      <p className="data-note">
        Each text is a signal word (“apple” or “river”) followed by random filler words; the class is the first word. Everything after it is noise, so the model has to carry one piece of
        information across the whole text. A plain RNN’s gradient from the end back to the first word shrinks at every step; LSTM and GRU keep it in their gated state.
      </p>
      <div className="data-row">
        <NumberField label="Tokens per text" value={value.length} onChange={(length) => onChange({ ...value, length })} min={2} max={400} integer testId="memory-length" />
        <NumberField label="Examples" value={value.count} onChange={(count) => onChange({ ...value, count })} min={100} max={20000} integer />
        <NumberField label="Seed" value={value.seed} onChange={(seed) => onChange({ ...value, seed })} min={0} integer />
        <button type="button" onClick={onGenerate} disabled={busy} data-testid="memory-generate">
          Generate
        </button>
      </div>
    </fieldset>
  );
}

export function CluesForm({ value, onChange, onGenerate, busy }: { value: CluesSettings; onChange: (v: CluesSettings) => void; onGenerate: () => void; busy: boolean }) {
  return (
    <fieldset data-testid="clues-form">
      <legend>Complementary clues</legend>
      <p className="data-note">
        The image shows one grey shape, the text names a colour (“it is red”), and the class is the pair (“red circle”). Text alone or image alone gets one third right; adding what
        each says is enough — unlike Shapes &amp; Questions, where the answer depends on how the two interact, every fusion strategy (even a weighted average) solves it.
      </p>
      <div className="data-row">
        <NumberField label="Examples" value={value.count} onChange={(count) => onChange({ ...value, count })} min={18} max={50000} integer />
        <NumberField label="Seed" value={value.seed} onChange={(seed) => onChange({ ...value, seed })} min={0} integer />
        <button type="button" onClick={onGenerate} disabled={busy} data-testid="clues-generate">
          Generate
        </button>
      </div>
      <div className="data-row" role="group" aria-label="Multi-task learning">
        {CLUES_TASKS.map((task) => (
          <CheckField
            key={task}
            label={CLUES_TASK_LABELS[task]}
            checked={(value.also ?? []).includes(task)}
            onChange={(on) => onChange({ ...value, also: CLUES_TASKS.filter((k) => (k === task ? on : (value.also ?? []).includes(k))) })}
            testId={`clues-also-${task}`}
          />
        ))}
      </div>
    </fieldset>
  );
}
