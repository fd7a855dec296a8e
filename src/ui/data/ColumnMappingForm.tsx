// The mapping step: which manifest column is the image path, the text and the target,
// and what kind of target it is. Image folders have a fixed mapping and only confirm.
import { taskNameOfColumn, visibleText } from '../../state/for-ui.ts';
import type { PlanSummary } from '../../data/importer.ts';
import type { ColumnMapping, TargetKind } from '../../data/manifest.ts';

const KINDS: Record<TargetKind, string> = {
  class: 'class label (classification)',
  labels: 'several labels (multi-label)',
  number: 'number (regression)',
  caption: 'caption (captioning)',
};

function ColumnSelect({ label, value, columns, onChange, testId }: { label: string; value: string | null; columns: string[]; onChange: (c: string | null) => void; testId: string }) {
  return (
    <label>
      {label}
      <select value={value ?? ''} onChange={(e) => onChange(e.target.value === '' ? null : e.target.value)} data-testid={testId}>
        <option value="">(none)</option>
        {columns.map((c) => (
          <option key={c} value={c}>
            {visibleText(c)}
          </option>
        ))}
      </select>
    </label>
  );
}

type ExtraKind = Exclude<TargetKind, 'caption'>;

/**
 * Multi-task learning: more target columns, each an auxiliary task with a head of its own
 * (named after the column). Rows where one of them is empty or unreadable are skipped and
 * listed in the report.
 */
function ExtraTargets({ columns, mapping, onChange }: { columns: string[]; mapping: ColumnMapping; onChange: (m: ColumnMapping) => void }) {
  const extra = mapping.extraTargets ?? [];
  const set = (next: { column: string; kind: ExtraKind }[]) => onChange({ ...mapping, extraTargets: next });
  const free = columns.filter((c) => !extra.some((x) => x.column === c));
  return (
    <div className="data-row" role="group" aria-label="More targets (multi-task)" data-testid="mapping-extra-targets">
      {extra.map((x, i) => (
        <span key={x.column} className="data-row" data-testid="mapping-extra-target">
          <span>
            Also predict <b>{visibleText(x.column)}</b> (task “{taskNameOfColumn(x.column)}”) as
          </span>
          <select value={x.kind} onChange={(e) => set(extra.map((y, k) => (k === i ? { ...y, kind: e.target.value as ExtraKind } : y)))} data-testid={`mapping-extra-kind-${i}`} aria-label={`Kind of ${x.column}`}>
            {(['class', 'labels', 'number'] as ExtraKind[]).map((k) => (
              <option key={k} value={k}>
                {KINDS[k]}
              </option>
            ))}
          </select>
          <button type="button" onClick={() => set(extra.filter((_, k) => k !== i))} aria-label={`Do not predict ${x.column}`}>
            Remove
          </button>
        </span>
      ))}
      {free.length > 0 && (
        <label>
          Also predict (a second head)
          <select value="" onChange={(e) => e.target.value && set([...extra, { column: e.target.value, kind: 'class' }])} data-testid="mapping-extra-add">
            <option value="">(choose a column)</option>
            {free.map((c) => (
              <option key={c} value={c}>
                {visibleText(c)}
              </option>
            ))}
          </select>
        </label>
      )}
    </div>
  );
}

/** Mapping form; `onLoad` starts decoding with the mapping shown. */
export function ColumnMappingForm({ plan, mapping, onChange, onLoad, onCancel }: { plan: PlanSummary; mapping: ColumnMapping; onChange: (m: ColumnMapping) => void; onLoad: () => void; onCancel: () => void }) {
  const m = plan.manifest;
  const missingTarget = m !== null && mapping.target === null;
  const missingInput = m !== null && mapping.image === null && mapping.text === null && !mapping.audio;
  return (
    <fieldset data-testid="column-mapping">
      <legend>{m ? `Columns of ${plan.name}` : 'Image folders'}</legend>
      <p className="data-note" data-testid="import-found">
        Found {plan.counts.images} image{plan.counts.images === 1 ? '' : 's'}, {plan.counts.texts} text file{plan.counts.texts === 1 ? '' : 's'}
        {m ? `, and ${m.rowCount} manifest row${m.rowCount === 1 ? '' : 's'} (${m.format.toUpperCase()})` : ''}.
        {m ? '' : ' Each folder is a class; a .txt file with an image’s name is its text.'}
      </p>
      {m && (
        <div className="data-row">
          <ColumnSelect label="Image path" value={mapping.image} columns={m.columns} onChange={(image) => onChange({ ...mapping, image })} testId="mapping-image" />
          <ColumnSelect label="Audio path" value={mapping.audio ?? null} columns={m.columns} onChange={(audio) => onChange({ ...mapping, audio })} testId="mapping-audio" />
          <ColumnSelect label="Text" value={mapping.text} columns={m.columns} onChange={(text) => onChange({ ...mapping, text })} testId="mapping-text" />
          <ColumnSelect label="Target" value={mapping.target} columns={m.columns} onChange={(target) => onChange({ ...mapping, target })} testId="mapping-target" />
          <label>
            Target kind
            <select value={mapping.targetKind} onChange={(e) => onChange({ ...mapping, targetKind: e.target.value as TargetKind })} data-testid="mapping-target-kind">
              {(Object.keys(KINDS) as TargetKind[]).map((k) => (
                <option key={k} value={k}>
                  {KINDS[k]}
                </option>
              ))}
            </select>
          </label>
        </div>
      )}
      {m && mapping.target !== null && mapping.targetKind !== 'caption' && <ExtraTargets columns={m.columns.filter((c) => c !== mapping.target && c !== mapping.image && c !== mapping.text)} mapping={mapping} onChange={onChange} />}
      {missingTarget && <p className="data-error">Choose the column that holds the label, labels, number or caption.</p>}
      {missingInput && <p className="data-error">Choose an image or audio column, a text column, or both.</p>}
      <div className="data-row">
        <button type="button" onClick={onLoad} disabled={missingTarget || missingInput} data-testid="import-load">
          Load
        </button>
        <button type="button" onClick={onCancel}>
          Start over
        </button>
      </div>
    </fieldset>
  );
}
