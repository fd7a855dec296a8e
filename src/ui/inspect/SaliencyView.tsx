// The image side of the inspector: the input image with the saliency map
// |∂ score / ∂ pixel| (max over channels, normalised to [0, 1]) overlaid, with a toggle
// and an opacity slider. The overlay's alpha follows the saliency so low values stay clear.
import { useEffect, useId, useRef } from 'react';
import type { PreparedDataset } from '../../data/types.ts';
import { cssGradient, lookupTable, type ColorMapName } from '../common/colormap.ts';
import { ExampleImage } from './ExampleImage.tsx';

export interface SaliencyViewProps {
  dataset: PreparedDataset;
  /** Example whose image the model saw; null when it saw none. */
  imageExample: number | null;
  saliency: Float32Array | null;
  show: boolean;
  opacity: number;
  map: ColorMapName;
  onShow(show: boolean): void;
  onOpacity(opacity: number): void;
  /** Whether the model reads images at all (otherwise there is no saliency to ask for). */
  available: boolean;
}

const SIZE = 160;

export function SaliencyView(props: SaliencyViewProps) {
  const { dataset, imageExample, saliency, show, opacity, map, available } = props;
  const ref = useRef<HTMLCanvasElement>(null);
  const S = dataset.imageSize;
  const id = useId();
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx || !saliency || saliency.length !== S * S) return;
    const image = ctx.createImageData(S, S);
    const table = lookupTable(map);
    for (let p = 0; p < S * S; p++) {
      const s = Math.min(1, Math.max(0, saliency[p]));
      const k = Math.round(s * 255);
      image.data[4 * p] = table[4 * k];
      image.data[4 * p + 1] = table[4 * k + 1];
      image.data[4 * p + 2] = table[4 * k + 2];
      image.data[4 * p + 3] = Math.round(255 * Math.sqrt(s));
    }
    ctx.putImageData(image, 0, 0);
  }, [saliency, S, map]);

  if (imageExample === null || !dataset.hasImage[imageExample]) {
    return (
      <div className="gs-saliency" data-testid="saliency">
        <div className="gs-no-image" style={{ width: SIZE, height: SIZE }}>
          no image
        </div>
      </div>
    );
  }
  return (
    <div className="gs-saliency" data-testid="saliency">
      <div className="gs-saliency-stack" style={{ width: SIZE, height: SIZE }}>
        <ExampleImage dataset={dataset} index={imageExample} size={SIZE} />
        {saliency && (
          <canvas
            ref={ref}
            width={S}
            height={S}
            className="gs-pixelated gs-saliency-overlay"
            data-testid="saliency-overlay"
            style={{ width: SIZE, height: SIZE, opacity: show ? opacity : 0 }}
            aria-hidden="true"
          />
        )}
      </div>
      {available ? (
        <div className="gs-saliency-controls">
          <label>
            <input type="checkbox" checked={show} onChange={(e) => props.onShow(e.target.checked)} /> Saliency map
          </label>
          <label htmlFor={id}>Opacity</label>
          <input id={id} type="range" min={0} max={1} step={0.05} value={opacity} disabled={!show} onChange={(e) => props.onOpacity(Number(e.target.value))} />
          <div className="gs-legend" style={{ width: SIZE }}>
            <div className="gs-legend-bar" style={{ background: cssGradient(map) }} />
            <div className="gs-legend-labels">
              <span>0</span>
              <span>|∂ score / ∂ pixel| (normalised)</span>
              <span>1</span>
            </div>
          </div>
        </div>
      ) : (
        <p className="gs-note">This model does not take pixels (precomputed features or captioning): no saliency map.</p>
      )}
    </div>
  );
}
