// Chooses what to inspect: a dataset example (index with previous / next, or a search
// over texts and ids), or the user's own text with a dataset image (or none). Ids, texts
// and targets are shown escaped (visibleText, ShownText); the search matches the raw strings.
import { useId, useMemo, useState } from 'react';
import { visibleText } from '../../state/for-ui.ts';
import type { PreparedDataset } from '../../data/types.ts';
import { targetText } from '../data/PreviewGallery.tsx';
import { ShownText } from '../data/ShownText.tsx';
import { ExampleImage } from './ExampleImage.tsx';

export type PickerMode = 'example' | 'own';

export interface TargetPickerProps {
  dataset: PreparedDataset;
  mode: PickerMode;
  onMode(mode: PickerMode): void;
  example: number;
  onExample(index: number): void;
  /** Submits the user's own text with an image example (or null for none). */
  onOwn(text: string, imageExample: number | null): void;
  /** Whether the model reads text / images (own-text inputs are hidden when it does not). */
  usesText: boolean;
  usesImage: boolean;
}

const MAX_RESULTS = 30;

/** Which split each example is in. */
function splitNames(d: PreparedDataset): string[] {
  const names = new Array<string>(d.size).fill('');
  for (const s of ['train', 'validation', 'test'] as const) for (const i of d.splits[s]) names[i] = s;
  return names;
}

export function TargetPicker(props: TargetPickerProps) {
  const { dataset, mode, example, onExample, usesText, usesImage } = props;
  const [query, setQuery] = useState('');
  const [text, setText] = useState('');
  const [image, setImage] = useState<number | null>(usesImage ? example : null);
  const ids = { index: useId(), search: useId(), text: useId(), image: useId() };
  const splits = useMemo(() => splitNames(dataset), [dataset]);
  const results = useMemo(() => {
    const q = query.trim().toLowerCase();
    if (!q) return [];
    const out: number[] = [];
    for (let i = 0; i < dataset.size && out.length < MAX_RESULTS; i++) {
      const t = dataset.texts[i];
      if (dataset.ids[i].toLowerCase().includes(q) || (t && t.toLowerCase().includes(q)) || targetText(dataset, i).toLowerCase().includes(q)) out.push(i);
    }
    return out;
  }, [query, dataset]);
  const go = (i: number) => onExample(Math.min(dataset.size - 1, Math.max(0, i)));
  // Class names on one line; caption references are texts.
  const targetIsName = dataset.targets.kind !== 'captioning';

  return (
    <div className="gs-picker">
      <div role="radiogroup" aria-label="What to inspect" className="gs-row">
        <label>
          <input type="radio" name="gs-inspect-mode" checked={mode === 'example'} onChange={() => props.onMode('example')} /> Dataset example
        </label>
        {usesText && (
          <label>
            <input type="radio" name="gs-inspect-mode" checked={mode === 'own'} onChange={() => props.onMode('own')} /> Your own text
          </label>
        )}
      </div>
      {mode === 'example' ? (
        <>
          <div className="gs-row">
            <button type="button" onClick={() => go(example - 1)} disabled={example <= 0} aria-label="Previous example">
              ◀
            </button>
            <label htmlFor={ids.index}>Example</label>
            <input
              id={ids.index}
              type="number"
              min={0}
              max={dataset.size - 1}
              value={example}
              data-testid="inspect-example-index"
              onChange={(e) => {
                const i = Number(e.target.value);
                if (Number.isInteger(i) && i >= 0 && i < dataset.size) onExample(i);
              }}
            />
            <span className="gs-muted">of {dataset.size}</span>
            <button type="button" onClick={() => go(example + 1)} disabled={example >= dataset.size - 1} aria-label="Next example">
              ▶
            </button>
            <span className="gs-muted">
              {visibleText(dataset.ids[example] ?? '')} · {splits[example]}
            </span>
          </div>
          <div className="gs-example-summary">
            <ExampleImage dataset={dataset} index={example} size={48} />
            <div>
              {/* Keyed by example: "show all" applies to one example only. */}
              <div className="gs-example-text">{typeof dataset.texts[example] === 'string' ? <ShownText key={example} text={dataset.texts[example]!} /> : <i className="gs-muted">no text</i>}</div>
              <div className="gs-muted">
                target: <ShownText key={example} text={targetText(dataset, example)} name={targetIsName} />
              </div>
            </div>
          </div>
          <div className="gs-search">
            <label htmlFor={ids.search}>Search</label>{' '}
            <input id={ids.search} type="search" value={query} placeholder="text, id or target" onChange={(e) => setQuery(e.target.value)} />
            {query.trim() && (
              <ul className="gs-search-results" aria-label="Matching examples">
                {results.length === 0 && <li className="gs-muted">no match</li>}
                {results.map((i) => (
                  <li key={i}>
                    <button
                      type="button"
                      onClick={() => {
                        onExample(i);
                        setQuery('');
                      }}
                    >
                      <span className="gs-muted">#{i}</span> {typeof dataset.texts[i] === 'string' ? <ShownText text={dataset.texts[i]!} expand={false} /> : '(no text)'}{' '}
                      <span className="gs-muted">
                        → <ShownText text={targetText(dataset, i)} name={targetIsName} expand={false} />
                      </span>
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </div>
        </>
      ) : (
        <form
          className="gs-own"
          onSubmit={(e) => {
            e.preventDefault();
            props.onOwn(text, image);
          }}
        >
          <label htmlFor={ids.text}>Text</label>
          <input id={ids.text} type="text" value={text} onChange={(e) => setText(e.target.value)} placeholder="type a question or sentence" data-testid="inspect-own-text" />
          {usesImage && (
            <>
              <label htmlFor={ids.image}>Image of example</label>
              <span className="gs-row">
                <input
                  id={ids.image}
                  type="number"
                  min={0}
                  max={dataset.size - 1}
                  value={image ?? ''}
                  disabled={image === null}
                  onChange={(e) => {
                    const i = Number(e.target.value);
                    if (Number.isInteger(i) && i >= 0 && i < dataset.size) setImage(i);
                  }}
                />
                <label>
                  <input type="checkbox" checked={image === null} onChange={(e) => setImage(e.target.checked ? null : example)} /> no image
                </label>
                {image !== null && <ExampleImage dataset={dataset} index={image} size={40} />}
              </span>
            </>
          )}
          <button type="submit" data-testid="inspect-own-submit">
            Inspect this text
          </button>
        </form>
      )}
    </div>
  );
}
