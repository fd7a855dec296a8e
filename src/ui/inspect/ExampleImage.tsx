// An example's image drawn from the dataset's NCHW floats (normalised to [−1, 1]) onto a
// canvas at its native size, scaled up with crisp pixels by CSS.
import { useEffect, useRef } from 'react';
import { tensorToImage, visibleText } from '../../state/for-ui.ts';
import type { PreparedDataset } from '../../data/types.ts';

export interface ExampleImageProps {
  dataset: PreparedDataset;
  index: number;
  /** Displayed size in CSS pixels. */
  size: number;
  className?: string;
}

export function ExampleImage({ dataset, index, size, className }: ExampleImageProps) {
  const ref = useRef<HTMLCanvasElement>(null);
  const S = dataset.imageSize;
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx || !(index >= 0 && index < dataset.size)) return;
    const img = tensorToImage(dataset.images, index, S);
    ctx.putImageData(new ImageData(new Uint8ClampedArray(img.data), img.width, img.height), 0, 0);
  }, [dataset, index, S]);
  if (!dataset.hasImage[index]) {
    return (
      <div className={`gs-no-image ${className ?? ''}`} style={{ width: size, height: size }}>
        no image
      </div>
    );
  }
  return <canvas ref={ref} width={S} height={S} className={`gs-pixelated ${className ?? ''}`} style={{ width: size, height: size }} aria-label={`image of example ${visibleText(dataset.ids[index] ?? '')}`} role="img" />;
}
