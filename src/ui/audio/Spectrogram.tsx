// A log-mel spectrogram as a small heatmap: time left to right (one column per 10 ms
// frame), mel bands bottom (low) to top (high), viridis from the clip's quietest to its
// loudest value. Drawn on a canvas at one pixel per cell and scaled by CSS.
import { useEffect, useRef } from 'react';
import type { AudioInput } from '../../data/types.ts';
import { lookupTable, tableIndex } from '../common/colormap.ts';

/** The frames of example `index` as an image [bands, frames] (RGBA), low bands at the bottom. */
export function spectrogramPixels(audio: AudioInput, index: number): { width: number; height: number; data: Uint8ClampedArray } {
  const T = audio.lengths[index];
  const F = audio.frameSize;
  const base = index * audio.length * F;
  let lo = Infinity;
  let hi = -Infinity;
  for (let k = 0; k < T * F; k++) {
    lo = Math.min(lo, audio.frames[base + k]);
    hi = Math.max(hi, audio.frames[base + k]);
  }
  const table = lookupTable('viridis');
  const data = new Uint8ClampedArray(Math.max(1, T) * F * 4);
  for (let t = 0; t < T; t++) {
    for (let f = 0; f < F; f++) {
      const c = tableIndex(audio.frames[base + t * F + f], lo, hi > lo ? hi : lo + 1) * 4;
      const p = ((F - 1 - f) * T + t) * 4;
      data.set(table.subarray(c, c + 4), p);
    }
  }
  return { width: Math.max(1, T), height: F, data };
}

export function Spectrogram({ audio, index, label }: { audio: AudioInput; index: number; label: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const T = Math.max(1, audio.lengths[index]);
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    const img = spectrogramPixels(audio, index);
    ctx.putImageData(new ImageData(img.data as Uint8ClampedArray<ArrayBuffer>, img.width, img.height), 0, 0);
  }, [audio, index]);
  const seconds = (audio.lengths[index] * 0.01).toFixed(2);
  return (
    <canvas
      ref={ref}
      className="spectrogram"
      width={T}
      height={audio.frameSize}
      role="img"
      aria-label={`log-mel spectrogram of ${label}: ${audio.lengths[index]} frames (about ${seconds} s), ${audio.frameSize} mel bands`}
      data-testid="spectrogram"
    />
  );
}
