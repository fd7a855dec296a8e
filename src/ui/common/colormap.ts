// Colour maps for heatmaps and legends: perceptually uniform and colour-blind safe.
//   viridis, cividis — sequential, for values in [0, 1] (gates, saliency, fractions);
//     built from their published 11 equally spaced control points (van der Walt & Smith
//     2015; Nuñez, Anderton & Renslow 2018) and interpolated linearly in sRGB between them.
//   coolwarm — diverging, for signed values (tanh states, cell states): Moreland's smooth
//     diverging map (Moreland 2009), computed here in his Msh space from the published
//     endpoints (59, 76, 192) and (180, 4, 38) with the white midpoint M = 88.
// Everything is precomputed into 256-entry lookup tables (RGBA bytes).

export type ColorMapName = 'viridis' | 'cividis' | 'coolwarm';

/** Maps that suit values in [0, 1]; the user may choose between them for gates. */
export const SEQUENTIAL_MAPS: readonly ColorMapName[] = ['viridis', 'cividis'];

type Rgb = [number, number, number];

const hex = (s: string): Rgb => [parseInt(s.slice(1, 3), 16), parseInt(s.slice(3, 5), 16), parseInt(s.slice(5, 7), 16)];

/** viridis at 0, 0.1, …, 1. */
const VIRIDIS = ['#440154', '#482576', '#414487', '#35608D', '#2A788E', '#21908C', '#22A884', '#43BF71', '#7AD151', '#BBDF27', '#FDE725'].map(hex);
/** cividis at 0, 0.1, …, 1. */
const CIVIDIS = ['#00204D', '#00326F', '#31446B', '#4E576C', '#666970', '#7C7B78', '#958F78', '#B0A473', '#CBBA69', '#E7D159', '#FFEA46'].map(hex);

function fromControlPoints(points: Rgb[], x: number): Rgb {
  const p = Math.min(1, Math.max(0, x)) * (points.length - 1);
  const k = Math.min(points.length - 2, Math.floor(p));
  const u = p - k;
  const a = points[k];
  const b = points[k + 1];
  return [a[0] + (b[0] - a[0]) * u, a[1] + (b[1] - a[1]) * u, a[2] + (b[2] - a[2]) * u];
}

// --- Moreland's diverging map in Msh space (CIELAB in polar form: M = |Lab|, s = angle
// from the L axis, h = hue angle). sRGB ↔ linear ↔ XYZ (D65) ↔ Lab are the standard
// conversions.
const WHITE = [0.95047, 1.0, 1.08883];

function srgbToLinear(c: number): number {
  const v = c / 255;
  return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
}
function linearToSrgb(v: number): number {
  const c = v <= 0.0031308 ? 12.92 * v : 1.055 * v ** (1 / 2.4) - 0.055;
  return Math.min(255, Math.max(0, c * 255));
}
function labF(t: number): number {
  const d = 6 / 29;
  return t > d ** 3 ? Math.cbrt(t) : t / (3 * d * d) + 4 / 29;
}
function labFInverse(t: number): number {
  const d = 6 / 29;
  return t > d ? t ** 3 : 3 * d * d * (t - 4 / 29);
}
function rgbToMsh([r8, g8, b8]: Rgb): Rgb {
  const [r, g, b] = [srgbToLinear(r8), srgbToLinear(g8), srgbToLinear(b8)];
  const x = 0.4124564 * r + 0.3575761 * g + 0.1804375 * b;
  const y = 0.2126729 * r + 0.7151522 * g + 0.072175 * b;
  const z = 0.0193339 * r + 0.119192 * g + 0.9503041 * b;
  const fx = labF(x / WHITE[0]);
  const fy = labF(y / WHITE[1]);
  const fz = labF(z / WHITE[2]);
  const L = 116 * fy - 16;
  const A = 500 * (fx - fy);
  const B = 200 * (fy - fz);
  const M = Math.hypot(L, A, B);
  return [M, M > 0 ? Math.acos(L / M) : 0, Math.atan2(B, A)];
}
function mshToRgb([M, s, h]: Rgb): Rgb {
  const L = M * Math.cos(s);
  const A = M * Math.sin(s) * Math.cos(h);
  const B = M * Math.sin(s) * Math.sin(h);
  const fy = (L + 16) / 116;
  const x = WHITE[0] * labFInverse(fy + A / 500);
  const y = WHITE[1] * labFInverse(fy);
  const z = WHITE[2] * labFInverse(fy - B / 200);
  const r = 3.2404542 * x - 1.5371385 * y - 0.4985314 * z;
  const g = -0.969266 * x + 1.8760108 * y + 0.041556 * z;
  const b = 0.0556434 * x - 0.2040259 * y + 1.0572252 * z;
  return [linearToSrgb(r), linearToSrgb(g), linearToSrgb(b)];
}
/** Hue for an unsaturated end so the ramp towards it does not bend (Moreland §"adjusting hue"). */
function adjustHue([M, s, h]: Rgb, unsaturatedM: number): number {
  if (M >= unsaturatedM) return h;
  const spin = (s * Math.sqrt(unsaturatedM * unsaturatedM - M * M)) / (M * Math.sin(s));
  return h > -Math.PI / 3 ? h + spin : h - spin;
}
function divergingMsh(a: Rgb, b: Rgb, x: number): Rgb {
  let m1: Rgb = [...a];
  let m2: Rgb = [...b];
  let u = x;
  let dh = Math.abs(m1[2] - m2[2]);
  if (dh > Math.PI) dh = 2 * Math.PI - dh;
  if (m1[1] > 0.05 && m2[1] > 0.05 && dh > Math.PI / 3) {
    const mid = Math.max(m1[0], m2[0], 88);
    if (u < 0.5) {
      m2 = [mid, 0, 0];
      u *= 2;
    } else {
      m1 = [mid, 0, 0];
      u = 2 * u - 1;
    }
  }
  if (m1[1] < 0.05 && m2[1] > 0.05) m1[2] = adjustHue(m2, m1[0]);
  else if (m2[1] < 0.05 && m1[1] > 0.05) m2[2] = adjustHue(m1, m2[0]);
  return [m1[0] + (m2[0] - m1[0]) * u, m1[1] + (m2[1] - m1[1]) * u, m1[2] + (m2[2] - m1[2]) * u];
}
const COOL = rgbToMsh([59, 76, 192]);
const WARM = rgbToMsh([180, 4, 38]);

/** Colour of the map at x ∈ [0, 1] (clamped) as sRGB floats in [0, 255]. */
export function colorAt(name: ColorMapName, x: number): Rgb {
  const v = Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0.5;
  switch (name) {
    case 'viridis':
      return fromControlPoints(VIRIDIS, v);
    case 'cividis':
      return fromControlPoints(CIVIDIS, v);
    case 'coolwarm':
      return mshToRgb(divergingMsh(COOL, WARM, v));
  }
}

const tables = new Map<ColorMapName, Uint8ClampedArray>();

/** 256 RGBA entries (bytes): entry k is the colour at k / 255. */
export function lookupTable(name: ColorMapName): Uint8ClampedArray {
  let t = tables.get(name);
  if (!t) {
    t = new Uint8ClampedArray(256 * 4);
    for (let k = 0; k < 256; k++) {
      const [r, g, b] = colorAt(name, k / 255);
      t[4 * k] = Math.round(r);
      t[4 * k + 1] = Math.round(g);
      t[4 * k + 2] = Math.round(b);
      t[4 * k + 3] = 255;
    }
    tables.set(name, t);
  }
  return t;
}

/** Lookup-table index of a value in [min, max] (clamped; NaN maps to the middle). */
export function tableIndex(value: number, min: number, max: number): number {
  if (!Number.isFinite(value)) return value === Infinity ? 255 : value === -Infinity ? 0 : 128;
  const span = max - min;
  const u = span > 0 ? (value - min) / span : 0.5;
  return Math.min(255, Math.max(0, Math.round(u * 255)));
}

/** CSS colour string of the map at x ∈ [0, 1]. */
export function cssColor(name: ColorMapName, x: number): string {
  const t = lookupTable(name);
  const k = Math.min(255, Math.max(0, Math.round((Number.isFinite(x) ? x : 0.5) * 255)));
  return `rgb(${t[4 * k]}, ${t[4 * k + 1]}, ${t[4 * k + 2]})`;
}

/** A CSS linear-gradient (left to right) through the map, for legends. */
export function cssGradient(name: ColorMapName, stops = 16): string {
  const parts: string[] = [];
  for (let k = 0; k <= stops; k++) parts.push(`${cssColor(name, k / stops)} ${((100 * k) / stops).toFixed(1)}%`);
  return `linear-gradient(to right, ${parts.join(', ')})`;
}

/** Black or white, whichever reads better on the map's colour at x (WCAG relative luminance). */
export function textOn(name: ColorMapName, x: number): 'black' | 'white' {
  const [r, g, b] = colorAt(name, x);
  const lum = 0.2126 * srgbToLinear(r) + 0.7152 * srgbToLinear(g) + 0.0722 * srgbToLinear(b);
  // Contrast with black (lum + 0.05)/0.05 vs with white 1.05/(lum + 0.05): equal at lum ≈ 0.179.
  return lum > 0.179 ? 'black' : 'white';
}

/**
 * Categorical colours for lines (Okabe & Ito 2008, distinguishable with the common colour
 * vision deficiencies), without black so they read on light and dark themes.
 */
export const CATEGORICAL = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#F0E442'];

/** Dash patterns that repeat the palette with a different stroke when there are more lines. */
export function lineStyle(k: number): { stroke: string; strokeDasharray?: string } {
  const stroke = CATEGORICAL[k % CATEGORICAL.length];
  const dash = ['', '6 3', '2 2', '8 3 2 3'][Math.floor(k / CATEGORICAL.length) % 4];
  return dash ? { stroke, strokeDasharray: dash } : { stroke };
}
