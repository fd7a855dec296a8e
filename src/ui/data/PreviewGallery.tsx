// A page of examples: the image as the model sees it (after resizing), the text as
// text (React text nodes, never HTML; hidden characters escaped, long texts cut), and
// the target.
import { useEffect, useRef, useState } from 'react';
import { tensorToImage } from '../../state/for-ui.ts';
import type { PreparedDataset } from '../../data/types.ts';
import { ShownText } from './ShownText.tsx';
import { Spectrogram } from '../audio/Spectrogram.tsx';

const PAGE = 24;

function Thumbnail({ dataset, index }: { dataset: PreparedDataset; index: number }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    const img = tensorToImage(dataset.images, index, dataset.imageSize);
    ctx.putImageData(new ImageData(img.data as Uint8ClampedArray<ArrayBuffer>, img.width, img.height), 0, 0);
  }, [dataset, index]);
  return <canvas ref={ref} width={dataset.imageSize} height={dataset.imageSize} aria-label={`image of example ${dataset.ids[index]}`} />;
}

/** Target of example i as display text. */
export function targetText(d: PreparedDataset, i: number): string {
  const t = d.targets;
  switch (t.kind) {
    case 'classification':
      return t.classes[t.labels[i]];
    case 'multilabel':
      return t.classes.filter((_, c) => t.labels[i * t.classes.length + c] === 1).join(', ');
    case 'regression': {
      const k = t.width ?? 1;
      return k === 1 ? String(t.values[i]) : Array.from(t.values.subarray(i * k, (i + 1) * k), (v) => v.toFixed(3)).join(', ');
    }
    case 'captioning':
      return t.references[i];
  }
}

/** Paged gallery of the prepared examples. */
export function PreviewGallery({ dataset }: { dataset: PreparedDataset }) {
  const [page, setPage] = useState(0);
  useEffect(() => setPage(0), [dataset]);
  const pages = Math.max(1, Math.ceil(dataset.size / PAGE));
  const start = page * PAGE;
  const indices = Array.from({ length: Math.min(PAGE, dataset.size - start) }, (_, k) => start + k);
  return (
    <fieldset data-testid="preview-gallery">
      <legend>Examples</legend>
      <div className="data-row">
        <button type="button" disabled={page === 0} onClick={() => setPage(page - 1)}>
          ◀
        </button>
        <span>
          {start + 1}–{start + indices.length} of {dataset.size}
        </span>
        <button type="button" disabled={page >= pages - 1} onClick={() => setPage(page + 1)} data-testid="preview-next">
          ▶
        </button>
      </div>
      <div className="gallery">
        {indices.map((i) => (
          <figure key={dataset.ids[i]} data-testid="preview-item">
            {/* Audio next to images (the sequence slot): the picture, then the clip. */}
            {dataset.audio && dataset.series && dataset.hasImage[i] ? <Thumbnail dataset={dataset} index={i} /> : null}
            {dataset.audio ? (
              dataset.audio.lengths[i] > 0 ? (
                <Spectrogram audio={dataset.audio} index={i} label={`example ${dataset.ids[i]}`} />
              ) : (
                <div className="no-image">no audio</div>
              )
            ) : dataset.hasImage[i] ? (
              <Thumbnail dataset={dataset} index={i} />
            ) : (
              <div className="no-image">no image</div>
            )}
            <figcaption>
              {dataset.texts[i] !== null ? (
                <div className="text" data-testid="preview-text">
                  <ShownText text={dataset.texts[i]!} />
                </div>
              ) : (
                <div className="data-note">no text</div>
              )}
              <div className="target" data-testid="preview-target">
                → <ShownText text={targetText(dataset, i)} name={dataset.targets.kind !== 'captioning'} />
              </div>
            </figcaption>
          </figure>
        ))}
      </div>
    </fieldset>
  );
}
