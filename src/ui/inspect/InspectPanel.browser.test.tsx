// The Inspect panel in Chromium, on real inspections of a CPU model (and on planted
// inspections where a known answer is needed): heatmaps are drawn with the right colours,
// hovering and the keyboard show token / unit / value, the cell diagram shows the
// selected unit's numbers and they satisfy the cell's equations, span ranking puts a
// planted unit first and the scan lists where it fires, refreshes are throttled, and
// dataset text is rendered as text.
import { afterEach, describe, expect, it } from 'vitest';
import { defaultModelConfig, type ModelConfig } from '../../models/config.ts';
import { tinyDataset } from '../../models/models.support.ts';
import type { CellKind, GateTrace } from '../../ops/recurrent.ts';
import type { InspectTarget, Inspection, UnitScanRequest, UnitScanResult } from '../../train/protocol.ts';
import { Random } from '../../random.ts';
import { lookupTable, tableIndex } from '../common/colormap.ts';
import { InspectPanel, type InspectApi } from './InspectPanel.tsx';
import { cellPoint, cpuApi, mount, parseValue, user, waitFor, type Mounted } from './inspect.support.tsx';
import { formatValue } from './traces.ts';

const H = 6;
const data = tinyDataset({ task: 'classification', size: 12, maxLength: 6, vocabSize: 12, imageSize: 8, seed: 3 });
// The longest example, so every step is real.
const EXAMPLE = Array.from(data.lengths).indexOf(Math.max(...data.lengths));
/** Other examples, for scan results. */
const OTHERS = Array.from({ length: data.size }, (_, i) => i).filter((i) => i !== EXAMPLE);

function config(cell: CellKind, layers = 2, bidirectional = true): ModelConfig {
  return defaultModelConfig({
    fusion: 'late',
    text: { cell, vocabSize: 12, embeddingSize: 4, hiddenSize: H, numLayers: layers, bidirectional, dropout: 0 },
    image: { encoder: 'cnn', imageSize: 8, channels: [2], mlpHidden: 8, inputFeatures: 0, featureSize: 4 },
    head: { hiddenSize: 0, dropout: 0 },
    outputSize: 3,
  });
}

let mounted: Mounted | null = null;
afterEach(async () => {
  await mounted?.unmount();
  mounted = null;
});

function panel(api: InspectApi | null, c: ModelConfig, extra: { weightsVersion?: number; selectedExample?: number | null; onSelectExample?: (i: number) => void; dataset?: typeof data } = {}) {
  return (
    <InspectPanel
      api={api}
      dataset={extra.dataset ?? data}
      modelConfig={c}
      weightsVersion={extra.weightsVersion ?? 1}
      selectedExample={extra.selectedExample === undefined ? EXAMPLE : extra.selectedExample}
      onSelectExample={extra.onSelectExample ?? (() => {})}
    />
  );
}

/** Heatmap canvases of a trace section (k-th layer·direction) by state name. */
function heatmap(root: HTMLElement, trace: number, state: string): HTMLCanvasElement {
  const section = root.querySelectorAll('[data-testid="trace"]')[trace];
  const c = section?.querySelector(`figure[data-state="${state}"] canvas`);
  if (!c) throw new Error(`no heatmap ${state} in trace ${trace}`);
  return c as HTMLCanvasElement;
}

function mouse(el: Element, type: string, at: { clientX: number; clientY: number }, extra: MouseEventInit = {}) {
  el.dispatchEvent(new MouseEvent(type, { bubbles: true, cancelable: true, ...at, ...extra }));
}

function key(el: Element, k: string, extra: KeyboardEventInit = {}) {
  el.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true, ...extra }));
}

/** The number the cell diagram shows for an equation. */
function shown(root: HTMLElement, name: string): number {
  const el = root.querySelector(`[data-testid="diagram-${name}"]`);
  if (!el) throw new Error(`the diagram shows no ${name}`);
  return parseValue(el.textContent ?? '');
}

/** |a − b| within what printing 4 decimals can lose (plus float error). */
function near(a: number, b: number, tolerance = 6e-5) {
  expect(Math.abs(a - b), `${a} vs ${b}`).toBeLessThanOrEqual(tolerance);
}

const tooltipText = (root: HTMLElement) => root.querySelector('[data-testid="heatmap-tooltip"]')?.textContent ?? '';

describe('InspectPanel', () => {
  it('draws a heatmap of every gate and state for each layer and direction, coloured by value', async () => {
    const c = config('lstm');
    const { api } = cpuApi(data, c);
    const expected = await api.inspect({ example: EXAMPLE }, false);
    mounted = await mount(panel(api, c));
    const root = mounted.container;
    await waitFor(() => root.querySelectorAll('canvas[data-testid="gate-heatmap"]').length === 24, '24 heatmaps (2 layers × 2 directions × i f g o c h)');
    const L = data.lengths[EXAMPLE];
    for (const canvas of root.querySelectorAll<HTMLCanvasElement>('canvas[data-testid="gate-heatmap"]')) {
      const ctx = canvas.getContext('2d')!;
      const px = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
      let opaque = 0;
      const colours = new Set<number>();
      for (let k = 0; k < px.length; k += 4) {
        if (px[k + 3] === 255) opaque++;
        colours.add((px[k] << 16) | (px[k + 1] << 8) | px[k + 2]);
      }
      expect(opaque).toBe(canvas.width * canvas.height);
      expect(colours.size).toBeGreaterThan(1);
      // Backing store at device resolution.
      expect(canvas.width).toBe(Math.round(parseFloat(canvas.style.width) * devicePixelRatio));
    }
    // The pixel at the centre of a cell has the colour of its value on the gate scale.
    const sorted = [...expected.traces].sort((a, b) => a.layer - b.layer || a.direction - b.direction);
    for (const [trace, t, unit] of [[0, 1, 2], [3, L - 1, H - 1], [2, 0, 4]]) {
      const canvas = heatmap(root, trace, 'f');
      const x = Math.floor(((t + 0.5) * canvas.width) / L);
      const y = Math.floor(((unit + 0.5) * canvas.height) / H);
      const px = canvas.getContext('2d')!.getImageData(x, y, 1, 1).data;
      const k = tableIndex(sorted[trace].values.f[t * H + unit], 0, 1);
      const lut = lookupTable('viridis');
      expect(Array.from(px.subarray(0, 3))).toEqual([lut[4 * k], lut[4 * k + 1], lut[4 * k + 2]]);
    }
    // One legend per heatmap, the cell state on ± its largest magnitude.
    expect(root.querySelectorAll('.gs-legend-bar').length).toBeGreaterThanOrEqual(24);
  });

  it('hovering a cell shows its token, unit and value; the keyboard moves a cursor and selects', async () => {
    const c = config('lstm');
    const { api } = cpuApi(data, c);
    const expected = await api.inspect({ example: EXAMPLE }, false);
    const sorted = [...expected.traces].sort((a, b) => a.layer - b.layer || a.direction - b.direction);
    mounted = await mount(panel(api, c));
    const root = mounted.container;
    await waitFor(() => root.querySelectorAll('canvas[data-testid="gate-heatmap"]').length === 24, 'heatmaps');
    const L = data.lengths[EXAMPLE];
    // Layer 2, reverse direction (trace 3), cell state c at t = 2, unit 3.
    const canvas = heatmap(root, 3, 'c');
    await user(() => mouse(canvas, 'mousemove', cellPoint(canvas, 2, 3, L, H)));
    const tip = await waitFor(() => root.querySelector<HTMLElement>('[data-testid="heatmap-tooltip"]'), 'tooltip');
    const value = sorted[3].values.c[2 * H + 3];
    expect(tip.dataset.t).toBe('2');
    expect(tip.dataset.unit).toBe('3');
    expect(tip.textContent).toContain(`“${expected.tokens[2]}”`);
    expect(tip.textContent).toContain('unit 3');
    expect(tip.textContent).toContain(`c = ${formatValue(value)}`);
    expect(Number(tip.dataset.value)).toBe(value);
    await user(() => mouse(canvas, 'mouseout', cellPoint(canvas, 2, 3, L, H), { relatedTarget: document.body }));
    await waitFor(() => !root.querySelector('[data-testid="heatmap-tooltip"]'), 'tooltip to go');

    // Keyboard: focus the h heatmap of layer 1 forward, move right once and down twice, Enter.
    const frame = heatmap(root, 0, 'h').parentElement!;
    expect(frame.tabIndex).toBe(0);
    await user(() => frame.focus());
    await user(() => key(frame, 'ArrowRight'));
    await user(() => key(frame, 'ArrowDown'));
    await user(() => key(frame, 'ArrowDown'));
    const kt = await waitFor(() => root.querySelector<HTMLElement>('[data-testid="heatmap-tooltip"][data-t="1"][data-unit="2"]'), 'keyboard tooltip at t 1, unit 2');
    expect(kt.textContent).toContain(`h = ${formatValue(sorted[0].values.h[1 * H + 2])}`);
    await user(() => key(frame, 'Enter'));
    await waitFor(() => root.querySelector('.gs-diagram-step')?.textContent?.includes('t = 1'), 'diagram at t = 1');
    expect((root.querySelector('.gs-diagram-controls input') as HTMLInputElement).value).toBe('2');
    near(shown(root, 'h'), sorted[0].values.h[1 * H + 2]);
    // The unit went onto the line chart.
    await waitFor(() => root.querySelector('[data-testid="unit-chart"] .recharts-line path'), 'a line on the unit chart');
    expect(root.querySelector('[data-testid="unit-chart"]')!.textContent).toContain('unit 2');
  });

  it('the LSTM cell diagram shows the selected unit and step, c = f·c_prev + i·g, and steps through time', async () => {
    const c = config('lstm');
    const { api } = cpuApi(data, c);
    const expected = await api.inspect({ example: EXAMPLE }, false);
    const tr = [...expected.traces].sort((a, b) => a.layer - b.layer || a.direction - b.direction)[1]; // layer 1 reverse
    mounted = await mount(panel(api, c));
    const root = mounted.container;
    await waitFor(() => root.querySelectorAll('canvas[data-testid="gate-heatmap"]').length === 24, 'heatmaps');
    const L = data.lengths[EXAMPLE];
    const canvas = heatmap(root, 1, 'f');
    await user(() => mouse(canvas, 'click', cellPoint(canvas, 2, 4, L, H)));
    await waitFor(() => root.querySelector('.gs-diagram-step')?.textContent?.includes('t = 2'), 'diagram at t = 2');
    const check = (t: number) => {
      const v = (n: string) => tr.values[n][t * H + 4];
      for (const n of ['i', 'f', 'g', 'o', 'c', 'c_prev', 'h']) near(shown(root, n), v(n));
      const [f, i, g, o, cp, cc, h] = ['f', 'i', 'g', 'o', 'c_prev', 'c', 'h'].map((n) => shown(root, n));
      // What is shown satisfies the cell's equations (4 printed decimals).
      expect(Math.abs(cc - (f * cp + i * g))).toBeLessThan(5e-4);
      expect(Math.abs(h - o * Math.tanh(cc))).toBeLessThan(5e-4);
      expect(shown(root, 'fc')).toBeCloseTo(f * cp, 3);
      expect(shown(root, 'ig')).toBeCloseTo(i * g, 3);
      // Pre-activations invert the gates.
      near(1 / (1 + Math.exp(-shown(root, 'pre_f'))), f, 1.5e-4);
      // The SVG shows the same numbers.
      const svgC = root.querySelector('[data-testid="cell-diagram-svg"] [data-node="c"] .gs-diagram-value')!;
      expect(svgC.textContent).toBe(formatValue(v('c')));
    };
    check(2);
    // Reverse direction: the previous cell state is the one after token t + 1.
    near(shown(root, 'c_prev'), tr.values.c[3 * H + 4]);
    await user(() => (root.querySelector('button[aria-label="Next token"]') as HTMLButtonElement).click());
    await waitFor(() => root.querySelector('.gs-diagram-step')?.textContent?.includes('t = 3'), 't = 3');
    check(3);
    await user(() => (root.querySelector('button[aria-label="Previous token"]') as HTMLButtonElement).click());
    await user(() => (root.querySelector('button[aria-label="Previous token"]') as HTMLButtonElement).click());
    await waitFor(() => root.querySelector('.gs-diagram-step')?.textContent?.includes('t = 1'), 't = 1');
    check(1);
  });

  it('the peephole LSTM diagram draws the peephole connections and puts them in the pre-activations', async () => {
    const c = config('lstm');
    c.text.peephole = true;
    const { api } = cpuApi(data, c);
    mounted = await mount(panel(api, c));
    const root = mounted.container;
    await waitFor(() => root.querySelector('[data-testid="cell-diagram"]') !== null, 'cell diagram');
    const edges = root.querySelectorAll('[data-testid="cell-diagram-svg"] path.gs-diagram-peephole');
    expect(edges.length).toBe(3);
    const formula = (name: string) => root.querySelector(`[data-name="${name}"] .gs-eq-formula`)?.textContent ?? '';
    expect(formula('pre_i')).toContain('p_i·cₜ₋₁');
    expect(formula('pre_f')).toContain('p_f·cₜ₋₁');
    expect(formula('pre_o')).toContain('p_o·cₜ');
    expect(formula('pre_g')).not.toContain('p_');
    expect(root.querySelector('[data-testid="cell-diagram"]')!.textContent).toContain('Peephole LSTM');
    // The equations still hold for what is shown.
    const [f, i, g, o, cp, cc, h] = ['f', 'i', 'g', 'o', 'c_prev', 'c', 'h'].map((n) => shown(root, n));
    expect(Math.abs(cc - (f * cp + i * g))).toBeLessThan(5e-4);
    expect(Math.abs(h - o * Math.tanh(cc))).toBeLessThan(5e-4);
    // The plain LSTM has none.
    await mounted.unmount();
    mounted = await mount(panel(cpuApi(data, config('lstm')).api, config('lstm')));
    await waitFor(() => mounted!.container.querySelector('[data-testid="cell-diagram"]') !== null, 'plain cell diagram');
    expect(mounted.container.querySelectorAll('path.gs-diagram-peephole').length).toBe(0);
  });

  it('the GRU and RNN diagrams satisfy h = (1 − z)·n + z·h_prev and h = tanh(pre)', async () => {
    for (const cell of ['gru', 'rnn_tanh'] as const) {
      const c = config(cell, 1, false);
      const { api } = cpuApi(data, c);
      const expected = await api.inspect({ example: EXAMPLE }, false);
      const tr = expected.traces[0];
      mounted = await mount(panel(api, c));
      const root = mounted.container;
      const per = cell === 'gru' ? 4 : 2;
      await waitFor(() => root.querySelectorAll('canvas[data-testid="gate-heatmap"]').length === per, `${cell} heatmaps`);
      const L = data.lengths[EXAMPLE];
      const canvas = heatmap(root, 0, 'h');
      await user(() => mouse(canvas, 'click', cellPoint(canvas, 2, 1, L, H)));
      await waitFor(() => root.querySelector('.gs-diagram-step')?.textContent?.includes('t = 2'), 'diagram at t = 2');
      near(shown(root, 'h'), tr.values.h[2 * H + 1]);
      // h_{t−1} is h at the previous step (forward direction).
      near(shown(root, 'h_prev'), tr.values.h[1 * H + 1]);
      if (cell === 'gru') {
        const [z, n, hp, h] = ['z', 'n', 'h_prev', 'h'].map((k) => shown(root, k));
        expect(Math.abs(h - ((1 - z) * n + z * hp))).toBeLessThan(5e-4);
        expect(shown(root, 'rhn')).toBeCloseTo(shown(root, 'r') * shown(root, 'hn'), 3);
      } else {
        expect(Math.abs(shown(root, 'h') - Math.tanh(shown(root, 'pre')))).toBeLessThan(5e-4);
      }
      await mounted.unmount();
      mounted = null;
    }
  });

  it('ranks the unit planted on a span first and lists where it fires in the dataset', async () => {
    const c = config('lstm', 1, false);
    const tokens = ['what', 'colour', 'is', 'the', 'circle', '?'];
    const T = data.maxLength;
    const rng = new Random(11);
    const values: Record<string, Float32Array> = {};
    for (const n of ['i', 'f', 'g', 'o', 'c', 'c_prev', 'h']) values[n] = Float32Array.from({ length: T * H }, () => rng.uniform(-0.3, 0.3));
    for (let t = 0; t < T; t++) values.h[t * H + 5] = t === 3 || t === 4 ? 0.95 : -0.2;
    const trace: GateTrace = { layer: 0, direction: 0, length: 6, values };
    const inspection: Inspection = { tokens, traces: [trace], prediction: { kind: 'classes', classes: ['class 0', 'class 1', 'class 2'], probabilities: [0.2, 0.5, 0.3] }, saliency: null, imageSize: 8 };
    const requests: UnitScanRequest[] = [];
    const selected: number[] = [];
    const scan: UnitScanResult = {
      examples: [
        { index: EXAMPLE, tokens, values: [0, 0, 0, 0.9, 0.9, 0] },
        { index: OTHERS[2], tokens: ['is', 'there', 'a', 'red', 'circle'], values: [-0.2, -0.1, -0.2, 0.1, 0.8] },
        { index: OTHERS[4], tokens: ['no', 'circle', 'here'], values: [-0.3, -0.2, -0.25] },
        { index: OTHERS[7], tokens: ['the', 'big', 'circle', 'and', 'the', 'circle'], values: [-0.2, 0.3, 0.9, -0.2, 0.1, 0.85] },
      ],
    };
    const api: InspectApi = {
      inspect: async () => inspection,
      scanUnits: async (r) => {
        requests.push(r);
        return scan;
      },
    };
    mounted = await mount(panel(api, c, { onSelectExample: (i) => selected.push(i) }));
    const root = mounted.container;
    const strip = await waitFor(() => root.querySelectorAll<HTMLButtonElement>('[data-testid="span-token"]'), 'token strip');
    await user(() => mouse(strip[3], 'mousedown', { clientX: 0, clientY: 0 }));
    await user(() => mouse(strip[4], 'mousedown', { clientX: 0, clientY: 0 }, { shiftKey: true }));
    await user(() => mouse(strip[4], 'mouseup', { clientX: 0, clientY: 0 }));
    expect(Array.from(strip, (b) => b.getAttribute('aria-pressed'))).toEqual(['false', 'false', 'false', 'true', 'true', 'false']);
    const rows = await waitFor(() => root.querySelectorAll<HTMLTableRowElement>('[data-testid="ranking-table"] tbody tr'), 'ranking');
    expect(rows[0].dataset.unit).toBe('5');
    expect(rows[0].textContent).toContain(formatValue(0.95, 3));
    expect(root.querySelector('.gs-span-text')!.textContent).toBe('the circle');
    // The span is outlined on every heatmap.
    expect(root.querySelectorAll('.gs-heatmap-span').length).toBe(6);

    // Scan only the planted unit.
    for (const box of root.querySelectorAll<HTMLInputElement>('[data-testid="ranking-table"] input[type="checkbox"]')) {
      if (box.checked !== (box.getAttribute('aria-label') === 'Scan unit 5')) await user(() => box.click());
    }
    await user(() => (root.querySelector('[data-testid="scan-units"]') as HTMLButtonElement).click());
    const list = await waitFor(() => root.querySelector('[data-testid="scan-matches"] .gs-match-list'), 'matches');
    expect(requests).toEqual([{ layer: 0, direction: 0, state: 'h', units: [5], split: 'validation', limit: 200 }]);
    // Threshold halfway between the unit's mean on the span (0.95) and elsewhere (−0.2).
    expect(root.querySelector('[data-testid="scan-matches"] output')!.textContent).toBe(formatValue(0.375, 3));
    const items = list.querySelectorAll('li');
    // OTHERS[7] fires on two tokens, OTHERS[2] on one, OTHERS[4] never; the inspected example is left out.
    expect(Array.from(items, (li) => li.querySelector('button')!.textContent)).toEqual([`#${OTHERS[7]}`, `#${OTHERS[2]}`]);
    expect(Array.from(items[0].querySelectorAll('mark'), (m) => m.textContent)).toEqual(['circle', 'circle']);
    expect(Array.from(items[1].querySelectorAll('mark'), (m) => m.textContent)).toEqual(['circle']);
    await user(() => items[1].querySelector('button')!.click());
    expect(selected).toEqual([OTHERS[2]]);
  });

  it('refreshes on new weights at most one request at a time, ending on the newest', async () => {
    const c = config('lstm', 1, false);
    const { api: real } = cpuApi(data, c);
    const calls: { target: InspectTarget; resolve: () => void }[] = [];
    const api: InspectApi = {
      inspect: (target, saliency) =>
        new Promise((resolve, reject) => {
          calls.push({ target, resolve: () => real.inspect(target, saliency).then(resolve, reject) });
        }),
      scanUnits: real.scanUnits,
    };
    mounted = await mount(panel(api, c, { weightsVersion: 1 }));
    expect(calls).toHaveLength(1);
    for (const v of [2, 3, 4]) await mounted.render(panel(api, c, { weightsVersion: v }));
    expect(calls).toHaveLength(1);
    await user(() => calls[0].resolve());
    await waitFor(() => calls.length === 2, 'the newest refresh to start');
    expect(mounted.container.querySelector('[data-testid="inspect-status"]')!.textContent).toContain('Refreshing');
    await user(() => calls[1].resolve());
    await waitFor(() => mounted!.container.querySelector('[data-testid="inspect-status"]')!.textContent === 'Weights version 4', 'version 4 shown');
    expect(calls).toHaveLength(2);
    expect(mounted.container.querySelectorAll('canvas[data-testid="gate-heatmap"]').length).toBe(6);
    // A parent that builds a new api object on every render causes no refresh by itself.
    await mounted.render(panel({ ...api }, c, { weightsVersion: 4 }));
    expect(calls).toHaveLength(2);
  });

  it('shows the image with its saliency overlay, and inspects the user’s own text', async () => {
    const c = config('gru', 1, false);
    const { api: real } = cpuApi(data, c);
    const targets: InspectTarget[] = [];
    const api: InspectApi = { inspect: (t, s) => (targets.push(t), real.inspect(t, s)), scanUnits: real.scanUnits };
    mounted = await mount(panel(api, c));
    const root = mounted.container;
    const overlay = await waitFor(() => root.querySelector<HTMLCanvasElement>('[data-testid="saliency-overlay"]'), 'saliency overlay');
    const px = overlay.getContext('2d')!.getImageData(0, 0, overlay.width, overlay.height).data;
    let maxAlpha = 0;
    for (let k = 3; k < px.length; k += 4) maxAlpha = Math.max(maxAlpha, px[k]);
    expect(maxAlpha).toBe(255); // the most salient pixel is fully opaque
    // Hiding the map asks for inspections without saliency.
    await user(() => (root.querySelector('.gs-saliency-controls input[type="checkbox"]') as HTMLInputElement).click());
    await waitFor(() => !root.querySelector('[data-testid="saliency-overlay"]'), 'overlay to go');

    // Own text with the image of example 4.
    await user(() => (root.querySelector('input[type="radio"][name="gs-inspect-mode"]:not(:checked)') as HTMLInputElement).click());
    const input = root.querySelector<HTMLInputElement>('[data-testid="inspect-own-text"]')!;
    await user(() => {
      Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!.call(input, 't1 t2 zebra');
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
    const image = root.querySelector<HTMLInputElement>('.gs-own input[type="number"]')!;
    await user(() => {
      Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!.call(image, '4');
      image.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await user(() => (root.querySelector('[data-testid="inspect-own-submit"]') as HTMLButtonElement).click());
    await waitFor(() => Array.from(root.querySelectorAll('[data-testid="span-token"]'), (b) => b.textContent).join(' ') === 't1 t2 <unk>', 'own tokens');
    expect(targets.at(-1)).toEqual({ text: 't1 t2 zebra', imageExample: 4 });
  });

  it('renders dataset text, tokens and class names as text, never as HTML', async () => {
    const evil = '<img src=x onerror="window.__gsXss=1">';
    // A right-to-left override and a control character: shown escaped, never raw.
    const hostile = 'gnp\u202E.exe\u0007';
    const escaped = 'gnp⟨U+202E⟩.exe⟨U+0007⟩';
    const targets = data.targets as Extract<typeof data.targets, { kind: 'classification' }>;
    const d = {
      ...data,
      // The inspected example's text is long: it is cut with a "show all" button.
      texts: data.texts.map((_, i) => `${evil} caption ${hostile}${i === EXAMPLE ? ' long'.repeat(100) : ''}`),
      ids: data.ids.map((id) => `${id} ${hostile}`),
      targets: { ...targets, classes: targets.classes.map((c) => `${c} ${hostile}`) },
      vocab: { ...data.vocab, tokens: data.vocab.tokens.map((t, k) => (k === 5 ? evil : t)) },
    };
    const c = config('lstm', 1, false);
    const T = d.maxLength;
    const values: Record<string, Float32Array> = {};
    for (const n of ['i', 'f', 'g', 'o', 'c', 'c_prev', 'h']) values[n] = new Float32Array(T * H).fill(0.5);
    const inspection: Inspection = {
      tokens: ['a', evil, hostile],
      traces: [{ layer: 0, direction: 0, length: 3, values }],
      prediction: { kind: 'classes', classes: [evil, `class 1 ${hostile}`, 'class 2'], probabilities: [0.7, 0.2, 0.1] },
      saliency: null,
      imageSize: 8,
    };
    const api: InspectApi = { inspect: async () => inspection, scanUnits: async () => ({ examples: [{ index: OTHERS[0], tokens: [evil, 'b', hostile], values: [1, 0, 1] }] }) };
    mounted = await mount(panel(api, c, { dataset: d }));
    const root = mounted.container;
    await waitFor(() => root.querySelectorAll('canvas[data-testid="gate-heatmap"]').length === 6, 'heatmaps');
    const canvas = heatmap(root, 0, 'h');
    await user(() => mouse(canvas, 'mousemove', cellPoint(canvas, 1, 0, 3, H)));
    await waitFor(() => tooltipText(root).includes(evil), 'tooltip with the token as text');
    await user(() => mouse(canvas, 'mousemove', cellPoint(canvas, 2, 0, 3, H)));
    await waitFor(() => tooltipText(root).includes(escaped), 'tooltip with the token escaped');
    // The cell diagram at the hostile token.
    await user(() => mouse(canvas, 'click', cellPoint(canvas, 2, 0, 3, H)));
    await waitFor(() => root.querySelector('.gs-diagram-step')?.textContent?.includes('t = 2'), 'diagram at t = 2');
    expect(root.querySelector('.gs-diagram-step .gs-token-chip')!.textContent).toBe(escaped);
    const strip = root.querySelectorAll<HTMLButtonElement>('[data-testid="span-token"]');
    expect(strip[2].textContent).toBe(escaped);
    await user(() => mouse(strip[1], 'mousedown', { clientX: 0, clientY: 0 }));
    await user(() => mouse(strip[2], 'mousedown', { clientX: 0, clientY: 0 }, { shiftKey: true }));
    await user(() => (root.querySelector('[data-testid="scan-units"]') as HTMLButtonElement).click());
    await waitFor(() => root.querySelector('[data-testid="scan-matches"] mark'), 'matches');
    expect(root.querySelector('.gs-span-text')!.textContent).toBe(`${evil} ${escaped}`);
    expect(root.querySelector('img')).toBeNull();
    const text = root.textContent ?? '';
    expect(text).toContain(`${evil} caption ${escaped}`); // the example's text
    expect(root.querySelector('.gs-example-text [data-testid="show-all"]')).not.toBeNull();
    expect(text).toContain(`${data.ids[EXAMPLE]} ${escaped}`); // its id
    expect(text).toContain(`target: class ${targets.labels[EXAMPLE]} ${escaped}`);
    expect(root.querySelector('[data-testid="predicted-class"]')!.textContent).toBe(evil);
    expect(root.querySelector('.gs-prob-table')!.textContent).toContain(`class 1 ${escaped}`);
    expect(Array.from(root.querySelectorAll('[data-testid="scan-matches"] mark'), (m) => m.textContent)).toEqual([evil, escaped]);

    // The search matches the raw strings and lists them escaped.
    const search = root.querySelector<HTMLInputElement>('.gs-search input[type="search"]')!;
    await user(() => {
      Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!.call(search, '\u202E.exe');
      search.dispatchEvent(new Event('input', { bubbles: true }));
    });
    const results = await waitFor(() => root.querySelectorAll('.gs-search-results button'), 'search results');
    expect(results.length).toBe(Math.min(30, d.size));
    expect(results[0].textContent).toContain(`caption ${escaped}`);

    const all = root.textContent ?? '';
    expect(all).not.toContain('\u202E');
    expect(all).not.toContain('\u0007');
    for (const el of root.querySelectorAll('[aria-label], [title]')) {
      for (const name of ['aria-label', 'title']) expect(el.getAttribute(name) ?? '', `${name} of ${el.tagName}`).not.toMatch(/[\u202E\u0007]/); // eslint-disable-line no-control-regex -- the bell (U+0007) is the control character looked for
    }
    await new Promise((r) => setTimeout(r, 50));
    expect((window as { __gsXss?: number }).__gsXss).toBeUndefined();
  });

  it('says so when there is no model yet', async () => {
    mounted = await mount(panel(null, config('lstm')));
    expect(mounted.container.querySelector('[data-testid="inspect-empty"]')).not.toBeNull();
    expect(mounted.container.querySelectorAll('canvas[data-testid="gate-heatmap"]').length).toBe(0);
  });
});
