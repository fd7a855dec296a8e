// The vanishing/exploding-gradient view as a heat strip: one row per recent training
// step (newest at the bottom), one column per distance k from the last real token (the
// last token on the right, as in the profile chart), colour = log10 ‖∂loss/∂x‖ on a
// single-hue lightness ramp (monotone, readable without colour vision), grey where no
// text of the batch reaches k, with a legend of the range shown. Drawn on a canvas at
// the device's pixel ratio.
import { useEffect, useRef, useState } from 'react';

/** Lightness ramp from light to dark blue, k in [0, 1]. */
function ramp(k: number): [number, number, number] {
  const t = Math.min(1, Math.max(0, k));
  // From (235, 241, 250) to (8, 37, 103): light = small gradient, dark = large.
  return [235 + (8 - 235) * t, 241 + (37 - 241) * t, 250 + (103 - 250) * t];
}

export function TimeNormStrip({ rows, lo, hi }: { rows: { step: number; values: ArrayLike<number> }[]; lo: number; hi: number }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const width = rows[0]?.values.length ?? 0;
  const [size, setSize] = useState({ w: 0, h: 0 });
  // Redraw at the canvas's real size (it has none while its panel is hidden).
  useEffect(() => {
    const canvas = ref.current;
    if (!canvas) return;
    const observer = new ResizeObserver(() => setSize({ w: canvas.clientWidth, h: canvas.clientHeight }));
    observer.observe(canvas);
    return () => observer.disconnect();
  }, []);
  useEffect(() => {
    const canvas = ref.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx || size.w === 0) return;
    const dpr = window.devicePixelRatio || 1;
    const cssW = size.w;
    const cssH = size.h;
    canvas.width = Math.round(cssW * dpr);
    canvas.height = Math.round(cssH * dpr);
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    if (!rows.length || width === 0) return;
    const cw = canvas.width / width;
    const ch = canvas.height / rows.length;
    const span = Math.max(1e-9, hi - lo);
    rows.forEach((row, r) => {
      for (let k = 0; k < width; k++) {
        const v = row.values[k];
        const t = width - 1 - k;
        if (!Number.isFinite(v)) {
          ctx.fillStyle = 'rgba(128,128,128,0.15)';
        } else if (v <= 0) {
          // Underflowed to 0 in float32: below the whole range shown.
          const [R, G, B] = ramp(0);
          ctx.fillStyle = `rgb(${R | 0},${G | 0},${B | 0})`;
        } else {
          const [R, G, B] = ramp((Math.log10(v) - lo) / span);
          ctx.fillStyle = `rgb(${R | 0},${G | 0},${B | 0})`;
        }
        ctx.fillRect(Math.floor(t * cw), Math.floor(r * ch), Math.ceil(cw), Math.ceil(ch));
      }
    });
  }, [rows, lo, hi, width, size]);
  const gradient = `linear-gradient(to right, ${[0, 0.25, 0.5, 0.75, 1].map((k) => `rgb(${ramp(k).map((v) => v | 0).join(',')})`).join(', ')})`;
  return (
    <div className="time-strip">
      <canvas ref={ref} className="time-strip-canvas" role="img" aria-label={`Gradient norm by distance from the last token for the last ${rows.length} steps, dark is large`} data-testid="time-norm-strip" />
      <div className="time-strip-legend" aria-hidden="true">
        <span>10^{lo.toFixed(1)}</span>
        <span className="time-strip-ramp" style={{ background: gradient }} />
        <span>10^{hi.toFixed(1)}</span>
        <span className="time-strip-note">rows: last {rows.length} steps (newest at the bottom) · columns: tokens before the last (last token on the right; grey: no text that long)</span>
      </div>
    </div>
  );
}
