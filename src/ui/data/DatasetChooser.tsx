// Picks the dataset source: the two built-ins or the user's own files.
export type DatasetSource = 'shapes' | 'openmoji' | 'import';

const LABELS: Record<DatasetSource, string> = {
  shapes: 'Shapes & Questions (built in)',
  openmoji: 'OpenMoji (built in)',
  import: 'Your own files',
};

/** Radio group of dataset sources. */
export function DatasetChooser({ value, onChange, disabled }: { value: DatasetSource; onChange: (s: DatasetSource) => void; disabled?: boolean }) {
  return (
    <fieldset className="data-row" disabled={disabled}>
      <legend>Dataset</legend>
      {(Object.keys(LABELS) as DatasetSource[]).map((s) => (
        <label key={s}>
          <input type="radio" name="dataset-source" value={s} checked={value === s} onChange={() => onChange(s)} data-testid={`dataset-source-${s}`} />
          {LABELS[s]}
        </label>
      ))}
    </fieldset>
  );
}
