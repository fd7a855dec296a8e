// Labelled form controls shared by the panels. A number field keeps what the user types
// while it is not a number yet (and says so) instead of snapping it to a value; numbers
// out of range are passed on, so the model's validation can explain them.
import { useEffect, useEffectEvent, useId, useState, type ReactNode } from 'react';

/** Number input with its label; `onChange` receives only parseable numbers. */
export function NumberField({
  label,
  value,
  onChange,
  min,
  max,
  step,
  integer = false,
  width = '5.5em',
  hint,
  testId,
  disabled,
}: {
  label: ReactNode;
  value: number;
  onChange: (v: number) => void;
  min?: number;
  max?: number;
  step?: number | 'any';
  integer?: boolean;
  width?: string;
  hint?: string;
  testId?: string;
  disabled?: boolean;
}) {
  const [text, setText] = useState(String(value));
  const [problem, setProblem] = useState<string | null>(null);
  const hintId = useId();
  // Follow outside changes (URL, demos) unless the text already means this value. Only a
  // new value runs this; the text being typed is read, not watched.
  const followValue = useEffectEvent((next: number) => {
    if (Number(text) !== next || text.trim() === '') {
      setText(String(next));
      setProblem(null);
    }
  });
  useEffect(() => followValue(value), [value]);
  const out = (v: number) => (min !== undefined && v < min) || (max !== undefined && v > max) || (integer && !Number.isInteger(v));
  return (
    <label className="field">
      <span className="field-label">{label}</span>
      <input
        type="number"
        inputMode={integer ? 'numeric' : 'decimal'}
        value={text}
        min={min}
        max={max}
        step={step ?? (integer ? 1 : 'any')}
        style={{ width }}
        disabled={disabled}
        data-testid={testId}
        aria-invalid={problem !== null || out(value) ? true : undefined}
        aria-describedby={problem || hint ? hintId : undefined}
        onChange={(e) => {
          const t = e.target.value;
          setText(t);
          const v = Number(t);
          if (t.trim() === '' || !Number.isFinite(v)) {
            setProblem('enter a number');
            return;
          }
          setProblem(null);
          onChange(v);
        }}
      />
      {(problem || hint) && (
        <span id={hintId} className={problem ? 'field-problem' : 'field-hint'}>
          {problem ?? hint}
        </span>
      )}
    </label>
  );
}

/** Select with its label. */
export function SelectField<T extends string>({
  label,
  value,
  options,
  onChange,
  testId,
  disabled,
}: {
  label: ReactNode;
  value: T;
  options: readonly (readonly [T, string])[];
  onChange: (v: T) => void;
  testId?: string;
  disabled?: boolean;
}) {
  return (
    <label className="field">
      <span className="field-label">{label}</span>
      <select value={value} onChange={(e) => onChange(e.target.value as T)} data-testid={testId} disabled={disabled}>
        {options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Checkbox with its label. */
export function CheckField({ label, checked, onChange, testId, disabled }: { label: ReactNode; checked: boolean; onChange: (v: boolean) => void; testId?: string; disabled?: boolean }) {
  return (
    <label className="field field-check">
      <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} data-testid={testId} disabled={disabled} />
      <span className="field-label">{label}</span>
    </label>
  );
}
