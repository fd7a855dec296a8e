// Options of the built-in OpenMoji dataset, with its licence and attribution.
import type { OpenMojiOptions } from '../../data/openmoji.ts';
import { OPENMOJI_ATTRIBUTION, OPENMOJI_LICENSE, OPENMOJI_LICENSE_URL, OPENMOJI_URL } from '../../state/for-ui.ts';

/** Attribution and licence line for OpenMoji images. */
function OpenMojiNotice() {
  return (
    <p className="data-note" data-testid="openmoji-notice">
      Emoji images: <a href={OPENMOJI_URL}>{OPENMOJI_ATTRIBUTION}</a>, licensed under <a href={OPENMOJI_LICENSE_URL}>{OPENMOJI_LICENSE}</a>.
    </p>
  );
}

/** Form for the OpenMoji task; `onLoad` loads the shipped assets. */
export function OpenMojiForm({ value, onChange, onLoad, busy }: { value: OpenMojiOptions; onChange: (v: OpenMojiOptions) => void; onLoad: () => void; busy?: boolean }) {
  return (
    <fieldset>
      <legend>OpenMoji</legend>
      <p className="data-note">About 1900 emoji (no skin-tone variants) as 32×32 images with their keywords, annotation, group and subgroup.</p>
      <div className="data-row">
        <label>
          Task
          <select value={value.task} onChange={(e) => onChange({ ...value, task: e.target.value as OpenMojiOptions['task'] })} data-testid="openmoji-task">
            <option value="group">group from image + text</option>
            <option value="subgroup">subgroup from image + text</option>
            <option value="caption">caption (annotation) from image</option>
          </select>
        </label>
        {value.task !== 'caption' && (
          <label>
            Text
            <select value={value.text ?? 'tags'} onChange={(e) => onChange({ ...value, text: e.target.value as OpenMojiOptions['text'] })}>
              <option value="tags">keywords</option>
              <option value="annotation">annotation</option>
              <option value="none">none (image only)</option>
            </select>
          </label>
        )}
        <button type="button" onClick={onLoad} disabled={busy} data-testid="openmoji-load">
          Load
        </button>
      </div>
      <OpenMojiNotice />
    </fieldset>
  );
}
