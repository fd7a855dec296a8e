// Options of the built-in Shapes & Questions generator.
import type { Difficulty } from '../../data/shapes.ts';

export interface ShapesFormValue {
  count: number;
  seed: number;
  difficulty: Difficulty;
  /** Questions (classification) or captions (captioning). */
  mode: 'questions' | 'captions';
}

/** Form for the generator; `onGenerate` makes the dataset. */
export function ShapesForm({ value, onChange, onGenerate, busy }: { value: ShapesFormValue; onChange: (v: ShapesFormValue) => void; onGenerate: () => void; busy?: boolean }) {
  return (
    <fieldset>
      <legend>Shapes &amp; Questions</legend>
      <p className="data-note">
        Generated images of 1–4 coloured shapes with questions ("is there a red circle?", "what colour is the square?", "how many triangles are there?", "is the blue shape left
        of the green one?") or captions. Each question kind is balanced so that neither the text alone nor the image alone beats chance: the model has to combine them.
      </p>
      <div className="data-row">
        <label>
          Task
          <select value={value.mode} onChange={(e) => onChange({ ...value, mode: e.target.value as ShapesFormValue['mode'] })} data-testid="shapes-mode">
            <option value="questions">answer questions (classification)</option>
            <option value="captions">caption the image</option>
          </select>
        </label>
        <label>
          Examples
          <input type="number" min={50} max={50000} step={50} value={value.count} onChange={(e) => onChange({ ...value, count: Math.min(50000, Math.max(50, Math.round(Number(e.target.value)) || 50)) })} style={{ width: '6em' }} data-testid="shapes-count" />
        </label>
        <label>
          Difficulty
          <select value={value.difficulty} onChange={(e) => onChange({ ...value, difficulty: e.target.value as Difficulty })}>
            <option value="easy">easy</option>
            <option value="normal">normal</option>
            <option value="hard">hard</option>
          </select>
        </label>
        <label>
          Seed
          <input type="number" value={value.seed} onChange={(e) => onChange({ ...value, seed: Math.round(Number(e.target.value)) || 0 })} style={{ width: '5em' }} />
        </label>
        <button type="button" onClick={onGenerate} disabled={busy} data-testid="shapes-generate">
          Generate
        </button>
      </div>
    </fieldset>
  );
}
