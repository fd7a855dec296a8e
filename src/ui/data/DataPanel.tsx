// The Data panel: choose a dataset (Shapes & Questions, OpenMoji, your own files, or the
// long-memory teaching task), set how it is prepared, and see its validation report,
// split sizes, histograms and examples. It wraps the data components of this folder and
// keeps their settings in the store (so they are in the URL); datasets are built off
// the main thread.
import { useContext, useState } from 'react';
import { PanelActive } from '../charts/useLive.ts';
import type { QuestionKind } from '../../data/shapes.ts';
import { QUESTION_KINDS } from '../../state/for-ui.ts';
import { buildDataset, importSeriesFiles } from '../../state/data-controller.ts';
import { DATA_SOURCES, type DataSettings, type DataSource } from '../../state/settings.ts';
import { useStore } from '../../state/store.ts';
import { ClassHistogram } from './ClassHistogram.tsx';
import { OpenMojiForm } from './OpenMojiForm.tsx';
import { PreparationSettings } from './PreparationSettings.tsx';
import { PreviewGallery } from './PreviewGallery.tsx';
import { ShapesForm } from './ShapesForm.tsx';
import { SplitSizes } from './SplitSizes.tsx';
import { TextLengthHistogram } from './TextLengthHistogram.tsx';
import { ValidationReportView } from './ValidationReportView.tsx';
import '../data/data.css';
import { ImportFlow } from './ImportFlow.tsx';
import type { ImportFailure } from '../../state/import-controller.ts';
import { CluesForm, MemoryForm } from './MemoryForm.tsx';
import { SeriesForm, SeriesImportForm, SeriesPreview } from '../series/SeriesForm.tsx';
import '../series/series.css';
import { SoundsForm } from '../audio/SoundsForm.tsx';
import '../audio/audio.css';

const LABELS: Record<DataSource, string> = {
  shapes: 'Shapes & Questions (built in)',
  openmoji: 'OpenMoji (built in)',
  import: 'Your own files',
  clues: 'Complementary clues (built in)',
  memory: 'Remember the first word (text only)',
  series: 'Time series (built in)',
  sounds: 'Sounds & Questions (audio, built in)',
};

function SourceChooser({ value, onChange }: { value: DataSource; onChange: (s: DataSource) => void }) {
  return (
    <fieldset className="data-row source-chooser">
      <legend>Dataset</legend>
      {DATA_SOURCES.map((s) => (
        <label key={s}>
          <input type="radio" name="dataset-source" value={s} checked={value === s} onChange={() => onChange(s)} data-testid={`dataset-source-${s}`} />
          {LABELS[s]}
        </label>
      ))}
    </fieldset>
  );
}

const KIND_LABELS: Record<QuestionKind, string> = {
  exists: 'is there a … ? (yes/no)',
  relation: 'is the … left of / above … ? (yes/no)',
  colour: 'what colour is … ?',
  count: 'how many … ?',
};

/** Which Shapes question kinds are asked; at least one stays chosen. */
function KindsField({ kinds, onChange }: { kinds: QuestionKind[]; onChange: (k: QuestionKind[]) => void }) {
  return (
    <fieldset className="data-row" data-testid="shapes-kinds">
      <legend>Question kinds</legend>
      {QUESTION_KINDS.map((k) => (
        <label key={k}>
          <input
            type="checkbox"
            checked={kinds.includes(k)}
            disabled={kinds.length === 1 && kinds.includes(k)}
            onChange={(e) => onChange(QUESTION_KINDS.filter((q) => (q === k ? e.target.checked : kinds.includes(q))))}
            data-testid={`shapes-kind-${k}`}
          />
          {KIND_LABELS[k]}
        </label>
      ))}
    </fieldset>
  );
}

export function DataPanel() {
  const settings = useStore((s) => s.dataSettings);
  const setSettings = useStore((s) => s.setDataSettings);
  const dataset = useStore((s) => s.dataset);
  const datasetSource = useStore((s) => s.datasetSource);
  const busy = useStore((s) => s.dataBusy);
  const storeError = useStore((s) => s.dataError);
  const [importError, setImportError] = useState<ImportFailure | null>(null);
  // The report, histograms and gallery are drawn only while the panel is shown.
  const active = useContext(PanelActive);
  const source = settings.source;
  const update = (patch: Partial<DataSettings>) => setSettings({ ...settings, ...patch });
  const shown = dataset && datasetSource === source ? dataset : null;
  const error = importError ?? (storeError ? { message: storeError.message, report: storeError.report ?? undefined, name: storeError.reportName ?? undefined } : null);
  return (
    <div className="data-section data-panel" data-testid="data-section">
      <p className="intro">
        Pick the data, set up the model, press <strong>Train</strong> — or follow a guided demo (top right) to see why gated cells remember and why fusing image and text matters.
      </p>
      <SourceChooser
        value={source}
        onChange={(s) => {
          setImportError(null);
          update({ source: s });
        }}
      />
      {source !== 'memory' && source !== 'series' && source !== 'sounds' && <PreparationSettings value={settings.preparation} onChange={(preparation) => update({ preparation })} />}
      {source === 'shapes' && (
        <>
          <ShapesForm value={settings.shapes} onChange={(shapes) => update({ shapes: { ...settings.shapes, ...shapes } })} onGenerate={() => buildDataset(true)} busy={busy} />
          {settings.shapes.mode === 'questions' && <KindsField kinds={settings.shapes.kinds} onChange={(kinds) => update({ shapes: { ...settings.shapes, kinds } })} />}
        </>
      )}
      {source === 'openmoji' && <OpenMojiForm value={settings.openMoji} onChange={(o) => update({ openMoji: { task: o.task, text: o.text ?? 'tags' } })} onLoad={() => buildDataset(true)} busy={busy} />}
      {source === 'clues' && <CluesForm value={settings.clues} onChange={(clues) => update({ clues })} onGenerate={() => buildDataset(true)} busy={busy} />}
      {source === 'memory' && <MemoryForm value={settings.memory} onChange={(memory) => update({ memory })} onGenerate={() => buildDataset(true)} busy={busy} />}
      {source === 'series' && (
        <>
          <SeriesForm value={settings.series} onChange={(series) => update({ series })} onGenerate={() => buildDataset(true)} busy={busy} />
          <SeriesImportForm
            horizon={settings.series.horizon}
            busy={busy}
            onImport={(files, column, targetColumn) => void importSeriesFiles(files, { horizon: settings.series.horizon, column, targetColumn, split: settings.preparation.split })}
          />
        </>
      )}
      {source === 'sounds' && <SoundsForm value={settings.sounds} onChange={(sounds) => update({ sounds })} onGenerate={() => buildDataset(true)} busy={busy} />}
      {source === 'import' && <ImportFlow imageSize={settings.preparation.imageSize} onError={setImportError} />}
      <div className="data-status">
        {busy && <p data-testid="data-busy">Preparing the dataset…</p>}
        {!busy && shown && (
          <p data-testid="dataset-name">
            <strong>{shown.name}</strong> — {shown.size} examples, {shown.task}
          </p>
        )}
        {!busy && dataset && datasetSource !== source && (
          <p className="muted" data-testid="data-current">
            Training still uses “{dataset.name}” until {source === 'import' ? 'your files are loaded' : 'this dataset is ready'}.
          </p>
        )}
      </div>
      {error && (
        <p className="data-error" role="alert" data-testid="data-error">
          {error.message}
        </p>
      )}
      {/* A refused import shows its own report, even while an earlier dataset stays loaded. */}
      {error?.report && <ValidationReportView report={error.report} name={error.name ?? 'import'} />}
      {shown && active && (
        <>
          {!error?.report && <ValidationReportView report={shown.report} name={shown.name} />}
          <SplitSizes dataset={shown} />
          <ClassHistogram dataset={shown} />
          {!shown.series && <TextLengthHistogram dataset={shown} />}
          {shown.series && !shown.audio ? <SeriesPreview dataset={shown} /> : <PreviewGallery dataset={shown} />}
        </>
      )}
    </div>
  );
}
