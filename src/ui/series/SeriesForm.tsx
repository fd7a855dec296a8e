// Options of the built-in series (Sines with regime changes, Remember the spike), and a
// preview of a few generated windows with what follows them.
import { useState } from 'react';
import type { PreparedDataset } from '../../data/types.ts';
import type { SeriesSettings } from '../../state/settings.ts';
import { NumberField, SelectField } from '../common/fields.tsx';
import { SeriesPlot, SERIES_COLORS } from './SeriesPlot.tsx';

const NOTES: Record<SeriesSettings['generator'], string> = {
  sines:
    'Each window is a noisy sum of two sines whose frequencies and amplitudes switch at a random point; the task is to forecast the next values. The naive forecast “repeat the last value” is the baseline to beat.',
  spike:
    'Each window is noise with one spike of random sign and height in its first four steps; the values after the window sit at half the spike’s height. Everything in between is noise, so the model has to carry one number across the whole window — the “Why LSTM?” story with numbers. With T = 100 and the memory-gate bias at 5, LSTM and GRU learn it; the tanh RNN stays at the naive forecast (README, “Time series”).',
};

export function SeriesForm({ value, onChange, onGenerate, busy }: { value: SeriesSettings; onChange: (v: SeriesSettings) => void; onGenerate: () => void; busy: boolean }) {
  return (
    <fieldset data-testid="series-form">
      <legend>Time series</legend>
      <p className="data-note">{NOTES[value.generator]}</p>
      <div className="data-row">
        <SelectField
          label="Generator"
          value={value.generator}
          options={[
            ['sines', 'Sines with regime changes'],
            ['spike', 'Remember the spike'],
          ]}
          onChange={(generator) => onChange({ ...value, generator })}
          testId="series-generator"
        />
        <NumberField label="Window (T)" value={value.length} onChange={(length) => onChange({ ...value, length })} min={2} max={1000} integer testId="series-length" />
        <NumberField label="Forecast (k)" value={value.horizon} onChange={(horizon) => onChange({ ...value, horizon })} min={1} max={64} integer testId="series-horizon" />
        <NumberField label="Noise" value={value.noise} onChange={(noise) => onChange({ ...value, noise })} min={0} max={10} step="any" testId="series-noise" />
        <NumberField label="Series" value={value.count} onChange={(count) => onChange({ ...value, count })} min={10} max={50000} integer testId="series-count" />
        <NumberField label="Seed" value={value.seed} onChange={(seed) => onChange({ ...value, seed })} min={0} integer />
        <button type="button" onClick={onGenerate} disabled={busy} data-testid="series-generate">
          Generate
        </button>
      </div>
    </fieldset>
  );
}

/** The first few training windows: input steps, then the k values to forecast. */
export function SeriesPreview({ dataset, count = 4 }: { dataset: PreparedDataset; count?: number }) {
  const s = dataset.series;
  const t = dataset.targets;
  if (!s || t.kind !== 'regression') return null;
  const k = t.width ?? 1;
  const rows = Array.from(dataset.splits.train.subarray(0, count));
  return (
    <section className="gs-card" aria-label="Series preview" data-testid="series-preview">
      <h3>Examples</h3>
      <div className="series-grid">
        {rows.map((i) => {
          const L = dataset.lengths[i];
          const input = Array.from({ length: L }, (_, step) => s.frames[(i * s.length + step) * s.frameSize]);
          return (
            <SeriesPlot
              key={i}
              testId={`series-preview-${i}`}
              title={`${dataset.ids[i]}: ${L} input steps and the ${k} to forecast`}
              lines={[
                { key: 'input', label: `input (${dataset.ids[i]})`, values: input, start: 0, color: SERIES_COLORS.input },
                { key: 'truth', label: 'to forecast', values: t.values.subarray(i * k, (i + 1) * k), start: L, color: SERIES_COLORS.truth },
              ]}
            />
          );
        })}
      </div>
    </section>
  );
}

/**
 * The user's series: one CSV / TSV / JSONL with a column holding a sequence per row, or
 * one CSV per series. The target is the last k values (k from the form above) or a named
 * column. Bad rows and files are listed in the validation report below.
 */
export function SeriesImportForm({ horizon, onImport, busy }: { horizon: number; onImport: (files: File[], column: string, targetColumn: string) => void; busy: boolean }) {
  const [column, setColumn] = useState('');
  const [target, setTarget] = useState('');
  return (
    <fieldset data-testid="series-import">
      <legend>Your series</legend>
      <p className="data-note">
        One CSV, TSV or JSONL file with a column that holds a whole sequence per row — a JSON array (<code>[1, 2.5, 3]</code>, or <code>[[1, 2], [3, 4]]</code> for several values per
        step) or numbers separated by spaces, semicolons or commas — or several CSV files with one series each (one number per line). The target is the last {horizon} values of each
        sequence, or the values in a target column.
      </p>
      <div className="data-row">
        <label className="field">
          <span className="field-label">Sequence column</span>
          <input type="text" value={column} placeholder="found by itself" onChange={(e) => setColumn(e.target.value)} data-testid="series-import-column" />
        </label>
        <label className="field">
          <span className="field-label">Target column</span>
          <input type="text" value={target} placeholder={`last ${horizon} values`} onChange={(e) => setTarget(e.target.value)} data-testid="series-import-target" />
        </label>
        <label className="field">
          <span className="field-label">Files</span>
          <input
            type="file"
            multiple
            accept=".csv,.tsv,.tab,.jsonl,.ndjson"
            disabled={busy}
            data-testid="series-import-input"
            onChange={(e) => {
              const files = Array.from(e.target.files ?? []);
              if (files.length) onImport(files, column, target);
              e.target.value = '';
            }}
          />
        </label>
      </div>
    </fieldset>
  );
}
