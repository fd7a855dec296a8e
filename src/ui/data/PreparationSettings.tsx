// Settings that turn raw examples into model input: image size, tokenizer, split.
import type { SplitConfig, TokenizerConfig } from '../../data/types.ts';

export interface PreparationValue {
  imageSize: number;
  tokenizer: TokenizerConfig;
  split: SplitConfig;
}

const SIZES = [16, 24, 32, 48, 64, 96, 128];

/** Form for PreparationValue; every change is reported whole. */
export function PreparationSettings({ value, onChange, disabled }: { value: PreparationValue; onChange: (v: PreparationValue) => void; disabled?: boolean }) {
  const tok = (patch: Partial<TokenizerConfig>) => onChange({ ...value, tokenizer: { ...value.tokenizer, ...patch } });
  const split = (patch: Partial<SplitConfig>) => onChange({ ...value, split: { ...value.split, ...patch } });
  const int = (s: string, lo: number, hi: number) => Math.min(hi, Math.max(lo, Math.round(Number(s) || lo)));
  return (
    <fieldset disabled={disabled}>
      <legend>Preparation</legend>
      <div className="data-row">
        <label>
          Image size
          <select value={value.imageSize} onChange={(e) => onChange({ ...value, imageSize: Number(e.target.value) })} data-testid="setting-image-size">
            {SIZES.map((s) => (
              <option key={s} value={s}>
                {s}×{s}
              </option>
            ))}
          </select>
        </label>
        <label>
          Tokens
          <select value={value.tokenizer.level} onChange={(e) => tok({ level: e.target.value as 'word' | 'char' })} data-testid="setting-token-level">
            <option value="word">words</option>
            <option value="char">characters</option>
          </select>
        </label>
        <label>
          Max length
          <input type="number" min={1} max={512} value={value.tokenizer.maxLength} onChange={(e) => tok({ maxLength: int(e.target.value, 1, 512) })} style={{ width: '4.5em' }} />
        </label>
        <label>
          Min frequency
          <input type="number" min={1} max={100} value={value.tokenizer.minFrequency} onChange={(e) => tok({ minFrequency: int(e.target.value, 1, 100) })} style={{ width: '4em' }} />
        </label>
        <label>
          Max vocabulary
          <input type="number" min={8} max={100000} value={value.tokenizer.maxVocab} onChange={(e) => tok({ maxVocab: int(e.target.value, 8, 100000) })} style={{ width: '6em' }} />
        </label>
      </div>
      <div className="data-row">
        <label>
          Train %
          <input type="number" min={10} max={95} value={Math.round(value.split.train * 100)} onChange={(e) => split({ train: int(e.target.value, 10, 95) / 100, validation: Math.min(value.split.validation, 1 - int(e.target.value, 10, 95) / 100) })} style={{ width: '4em' }} />
        </label>
        <label>
          Validation %
          <input type="number" min={0} max={90} value={Math.round(value.split.validation * 100)} onChange={(e) => split({ validation: Math.min(int(e.target.value, 0, 90) / 100, 1 - value.split.train) })} style={{ width: '4em' }} />
        </label>
        <span className="data-note">Test {Math.max(0, Math.round((1 - value.split.train - value.split.validation) * 100))}%</span>
        <label>
          Split seed
          <input type="number" value={value.split.seed} onChange={(e) => split({ seed: Math.round(Number(e.target.value)) || 0 })} style={{ width: '5em' }} />
        </label>
        <label>
          <input type="checkbox" checked={value.split.stratify} onChange={(e) => split({ stratify: e.target.checked })} />
          stratify by class
        </label>
      </div>
    </fieldset>
  );
}
