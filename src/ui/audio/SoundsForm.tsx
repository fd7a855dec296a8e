// Options of the built-in Sounds & Questions generator (src/data/sounds.ts): examples,
// seed and the question kinds asked.
import type { SoundQuestion } from '../../data/sounds.ts';
import type { SoundsSettings } from '../../data/sounds-dataset.ts';
import { SOUND_QUESTIONS } from '../../state/for-ui.ts';
import { NumberField } from '../common/fields.tsx';

const KIND_LABELS: Record<SoundQuestion, string> = {
  count: 'how many sounds are there?',
  first: 'what comes first?',
  last: 'what comes last?',
  exists: 'is there a … ? (yes/no)',
};

export function SoundsForm({ value, onChange, onGenerate, busy }: { value: SoundsSettings; onChange: (v: SoundsSettings) => void; onGenerate: () => void; busy: boolean }) {
  return (
    <fieldset data-testid="sounds-form">
      <legend>Sounds &amp; Questions</legend>
      <p className="data-note">
        One-second clips (16 kHz, generated here) of one to three sounds in a row — a low beep, a high beep, a rising or a falling chirp, a noise burst — with a question about them. The
        model reads the clip as log-mel frames (40 bands every 10 ms) through a recurrent audio encoder, and the question through the text encoder; the fusion strategy joins the two.
        “First” and “last” need the order of the sounds, so the audio encoder has to read the frames in time.
      </p>
      <div className="data-row">
        <NumberField label="Examples" value={value.count} onChange={(count) => onChange({ ...value, count })} min={50} max={10000} integer testId="sounds-count" />
        <NumberField label="Seed" value={value.seed} onChange={(seed) => onChange({ ...value, seed })} min={0} integer testId="sounds-seed" />
        <button type="button" onClick={onGenerate} disabled={busy} data-testid="sounds-generate">
          Generate
        </button>
      </div>
      <fieldset className="data-row" data-testid="sounds-kinds">
        <legend>Question kinds</legend>
        {SOUND_QUESTIONS.map((k) => (
          <label key={k}>
            <input
              type="checkbox"
              checked={value.kinds.includes(k)}
              disabled={value.kinds.length === 1 && value.kinds.includes(k)}
              onChange={(e) => onChange({ ...value, kinds: SOUND_QUESTIONS.filter((q) => (q === k ? e.target.checked : value.kinds.includes(q))) })}
              data-testid={`sounds-kind-${k}`}
            />
            {KIND_LABELS[k]}
          </label>
        ))}
      </fieldset>
    </fieldset>
  );
}
