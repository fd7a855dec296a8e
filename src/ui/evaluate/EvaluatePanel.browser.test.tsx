// The Evaluate panel in Chromium on real evaluations of CPU models: the confusion matrix
// has C×C cells whose counts match the result and a click lists exactly that cell's
// examples; the per-class table, ROC legend with AUC, misclassified gallery, regression
// scatter, multilabel table and caption samples with BLEU show the result's numbers; the
// split chooser and button call back; dataset text is rendered as text.
import { afterEach, describe, expect, it } from 'vitest';
import { CpuBackend } from '../../backend/cpu.ts';
import type { PreparedDataset } from '../../data/types.ts';
import { defaultModelConfig, type ModelConfig } from '../../models/config.ts';
import { MultimodalModel } from '../../models/model.ts';
import { tinyDataset } from '../../models/models.support.ts';
import { evaluate, type EvalResult } from '../../train/evaluate.ts';
import { mount, user, waitFor, type Mounted } from '../inspect/inspect.support.tsx';
import { formatValue } from '../inspect/traces.ts';
import { EvaluatePanel, type EvalSplit } from './EvaluatePanel.tsx';

function config(task: ModelConfig['task'], outputSize: number, overrides: Partial<ModelConfig> = {}): ModelConfig {
  return defaultModelConfig({
    task,
    fusion: 'late',
    text: { cell: 'gru', vocabSize: 12, embeddingSize: 4, hiddenSize: 5, numLayers: 1, bidirectional: false, dropout: 0 },
    image: { encoder: 'mlp', imageSize: 8, channels: [2], mlpHidden: 6, inputFeatures: 0, featureSize: 4 },
    head: { hiddenSize: 0, dropout: 0 },
    outputSize,
    ...overrides,
  });
}

async function evaluated(data: PreparedDataset, c: ModelConfig, split: EvalSplit = 'train'): Promise<EvalResult> {
  const cpu = new CpuBackend();
  const model = MultimodalModel.create(cpu, c, 9);
  return evaluate(cpu, model, data, split, { batchSize: 16 });
}

let mounted: Mounted | null = null;
afterEach(async () => {
  await mounted?.unmount();
  mounted = null;
});

function panel(data: PreparedDataset, c: ModelConfig, result: EvalResult | null, calls: { evaluate: EvalSplit[]; inspect: number[] }, busy = false) {
  return <EvaluatePanel dataset={data} modelConfig={c} result={result} busy={busy} onEvaluate={(s) => calls.evaluate.push(s)} onInspectExample={(i) => calls.inspect.push(i)} />;
}

/** The right-to-left override and the bell of the hostile strings, if shown raw. */
// eslint-disable-next-line no-control-regex -- the bell (U+0007) is the control character looked for
const RAW_HOSTILE = /[\u202E\u0007]/;
const click = (el: Element | null) => user(() => (el as HTMLElement).click());

describe('EvaluatePanel', () => {
  const C = 4;
  const data = tinyDataset({ task: 'classification', size: 48, classes: C, maxLength: 5, vocabSize: 12, seed: 21 });

  it('confusion matrix: C×C cells with the result’s counts; a click lists exactly that cell’s examples', async () => {
    const c = config('classification', C);
    const result = await evaluated(data, c);
    const calls = { evaluate: [] as EvalSplit[], inspect: [] as number[] };
    mounted = await mount(panel(data, c, result, calls));
    const root = mounted.container;
    const cells = root.querySelectorAll<HTMLButtonElement>('[data-testid="confusion-matrix"] [data-testid="confusion-cell"]');
    expect(cells.length).toBe(C * C);
    expect(root.querySelectorAll('[data-testid="confusion-matrix"] tbody tr').length).toBe(C);
    const labels = (data.targets as { labels: Int32Array }).labels;
    const counts = Array.from({ length: C }, () => new Array<number>(C).fill(0));
    result.indices.forEach((i, k) => counts[labels[i]][result.predictions[k]]++);
    for (const cell of cells) expect(Number(cell.textContent)).toBe(counts[Number(cell.dataset.true)][Number(cell.dataset.predicted)]);

    // The two fullest cells, one after the other.
    const order = [...cells].sort((a, b) => Number(b.textContent) - Number(a.textContent));
    for (const cell of order.slice(0, 2)) {
      const t = Number(cell.dataset.true);
      const p = Number(cell.dataset.predicted);
      await click(cell);
      expect(cell.getAttribute('aria-pressed')).toBe('true');
      const list = await waitFor(() => root.querySelector('[data-testid="confusion-examples"]'), 'cell examples');
      const shown = Array.from(list.querySelectorAll<HTMLButtonElement>('button[data-index]'), (b) => Number(b.dataset.index)).sort((a, b) => a - b);
      const want = Array.from(result.indices)
        .filter((i, k) => labels[i] === t && result.predictions[k] === p)
        .sort((a, b) => a - b);
      expect(shown).toEqual(want);
      expect(want.length).toBeGreaterThan(0);
    }
    // Clicking an example asks to inspect it.
    const first = root.querySelector<HTMLButtonElement>('[data-testid="confusion-examples"] button[data-index]')!;
    await click(first);
    expect(calls.inspect).toEqual([Number(first.dataset.index)]);
  });

  it('per-class table, ROC legend with each AUC, misclassified gallery', async () => {
    const c = config('classification', C);
    const result = await evaluated(data, c);
    const report = result.classification!;
    mounted = await mount(panel(data, c, result, { evaluate: [], inspect: [] }));
    const root = mounted.container;
    const rows = root.querySelectorAll('[data-testid="class-table"] tbody tr');
    expect(rows.length).toBe(C);
    report.perClass.forEach((r, k) => {
      expect(rows[k].querySelector('th')!.textContent).toBe(r.label);
      expect(rows[k].textContent).toContain(`${(100 * r.f1).toFixed(1)}%`);
    });
    const legend = await waitFor(() => root.querySelector('[data-testid="roc-chart"] .recharts-legend-wrapper'), 'ROC legend');
    await waitFor(() => root.querySelectorAll('[data-testid="roc-chart"] .recharts-line').length === C, 'one curve per class');
    for (let k = 0; k < C; k++) {
      const auc = report.roc[k].auc;
      expect(legend.textContent).toContain(`class ${k} (AUC ${Number.isNaN(auc) ? 'n/a' : auc.toFixed(3)})`);
    }
    expect(root.querySelector('[data-testid="roc-chart"]')!.textContent).toContain(`AUC ${report.auc.toFixed(3)}`);
    const labels = (data.targets as { labels: Int32Array }).labels;
    const wrong = Array.from(result.indices).filter((i, k) => labels[i] !== result.predictions[k]);
    const gallery = root.querySelectorAll<HTMLButtonElement>('[data-testid="misclassified"] button[data-index]');
    expect(gallery.length).toBe(Math.min(24, wrong.length));
    for (const b of gallery) expect(wrong).toContain(Number(b.dataset.index));
  });

  it('the split chooser and Evaluate button call back; busy disables the button', async () => {
    const c = config('classification', C);
    const calls = { evaluate: [] as EvalSplit[], inspect: [] as number[] };
    mounted = await mount(panel(data, c, null, calls));
    const root = mounted.container;
    const select = root.querySelector<HTMLSelectElement>('[data-testid="evaluate-split"]')!;
    // tinyDataset has no test split: that option is disabled.
    expect(select.querySelector<HTMLOptionElement>('option[value="test"]')!.disabled).toBe(true);
    await user(() => {
      select.value = 'train';
      select.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await click(root.querySelector('[data-testid="evaluate-run"]'));
    expect(calls.evaluate).toEqual(['train']);
    await mounted.render(panel(data, c, null, calls, true));
    const button = root.querySelector<HTMLButtonElement>('[data-testid="evaluate-run"]')!;
    expect(button.disabled).toBe(true);
    expect(button.textContent).toBe('Evaluating…');
  });

  it('regression: a scatter point per example and the error metrics', async () => {
    const d = tinyDataset({ task: 'regression', size: 30, maxLength: 5, vocabSize: 12, seed: 5 });
    const c = config('regression', 1);
    const result = await evaluated(d, c);
    mounted = await mount(panel(d, c, result, { evaluate: [], inspect: [] }));
    const root = mounted.container;
    await waitFor(() => root.querySelectorAll('[data-testid="regression-scatter"] .recharts-scatter-symbol').length === result.count, 'one point per example');
    const text = root.querySelector('[data-testid="regression"]')!.textContent!;
    expect(text).toContain(`RMSE ${formatValue(result.regression!.rmse, 4)}`);
    expect(text).toContain(`R² ${formatValue(result.regression!.r2, 3)}`);
  });

  it('multilabel: per-label table', async () => {
    const d = tinyDataset({ task: 'multilabel', size: 30, classes: 3, maxLength: 5, vocabSize: 12, seed: 6 });
    const c = config('multilabel', 3);
    const result = await evaluated(d, c);
    mounted = await mount(panel(d, c, result, { evaluate: [], inspect: [] }));
    const rows = mounted.container.querySelectorAll('[data-testid="label-table"] tbody tr');
    expect(rows.length).toBe(3);
    result.multilabel!.perLabel.forEach((l, k) => expect(rows[k].textContent).toContain(`${(100 * l.recall).toFixed(1)}%`));
  });

  it('captioning: BLEU and the samples, HTML in captions and texts shown as text', async () => {
    const evil = '<img src=x onerror="window.__gsXssEval=1">';
    // A right-to-left override and a control character: shown escaped, never raw.
    const hostile = 'gnp\u202E.exe\u0007';
    const escaped = 'gnp⟨U+202E⟩.exe⟨U+0007⟩';
    const base = tinyDataset({ task: 'captioning', size: 16, maxLength: 4, vocabSize: 10, seed: 8 });
    const d: PreparedDataset = { ...base, texts: base.texts.map(() => evil) };
    const vocab = base.targets.kind === 'captioning' ? base.targets.vocab.tokens.length : 0;
    const c = config('captioning', vocab, { fusion: 'init', image: { encoder: 'mlp', imageSize: 8, channels: [2], mlpHidden: 6, inputFeatures: 0, featureSize: 4 }, caption: { conditioning: 'init', maxLength: 4 } });
    const real = await evaluated(d, c);
    const last = real.captions!.samples.length - 1;
    expect(last).toBeGreaterThan(1);
    const result: EvalResult = {
      ...real,
      captions: { ...real.captions!, samples: real.captions!.samples.map((s, k) => (k === 0 ? { ...s, reference: evil } : k === last ? { ...s, reference: `ref ${hostile}`, generated: `gen ${hostile}` } : s)) },
    };
    mounted = await mount(panel(d, c, result, { evaluate: [], inspect: [] }));
    const root = mounted.container;
    expect(root.querySelector('[data-testid="bleu"]')!.textContent).toBe(formatValue(real.captions!.bleu.bleu, 4));
    const rows = root.querySelectorAll('[data-testid="captions"] tbody tr');
    expect(rows.length).toBe(real.captions!.samples.length);
    expect(rows[1].textContent).toContain(real.captions!.samples[1].reference);
    expect(rows[0].textContent).toContain(evil);
    expect(rows[last].textContent).toContain(`ref ${escaped}`);
    expect(rows[last].textContent).toContain(`gen ${escaped}`);
    expect(root.textContent).not.toMatch(RAW_HOSTILE);
    expect(root.querySelector('img')).toBeNull();

    // Classification with HTML and hostile characters in texts, class names and ids.
    const targets = data.targets as Extract<PreparedDataset['targets'], { kind: 'classification' }>;
    const cd: PreparedDataset = {
      ...data,
      texts: data.texts.map(() => `${evil} ${hostile}`),
      ids: data.ids.map((id) => `${id} ${hostile}`),
      targets: { ...targets, classes: targets.classes.map((name) => `${name} ${hostile}`) },
    };
    const cc = config('classification', C);
    await mounted.render(panel(cd, cc, await evaluated(cd, cc), { evaluate: [], inspect: [] }));
    const cell = [...root.querySelectorAll<HTMLButtonElement>('[data-testid="confusion-cell"]')].find((b) => Number(b.textContent) > 0)!;
    const [t, p] = [Number(cell.dataset.true), Number(cell.dataset.predicted)];
    await click(cell);
    const card = await waitFor(() => root.querySelector('[data-testid="confusion-examples"] .gs-card-text'), 'a card');
    expect(card.textContent).toBe(`${evil} ${escaped}`);
    expect(root.querySelector('.gs-cell-examples h4')!.textContent).toContain(`True class ${t} ${escaped} predicted as class ${p} ${escaped}`);
    expect(root.querySelector('[data-testid="confusion-examples"] .gs-card-meta')!.textContent).toContain(`true class ${t} ${escaped}`);
    expect(cell.getAttribute('aria-label')).toContain(`of class ${t} ${escaped} predicted as class ${p} ${escaped}`);
    const heads = root.querySelectorAll('[data-testid="confusion-matrix"] thead th[scope="col"][title]');
    expect(Array.from(heads, (h) => [h.textContent, h.getAttribute('title')])).toEqual(targets.classes.map((name) => [`${name} ${escaped}`, `${name} ${escaped}`]));
    expect(Array.from(root.querySelectorAll('[data-testid="class-table"] tbody th'), (th) => th.textContent)).toEqual(targets.classes.map((name) => `${name} ${escaped}`));
    const legend = await waitFor(() => root.querySelector('[data-testid="roc-chart"] .recharts-legend-wrapper'), 'ROC legend');
    await waitFor(() => legend.textContent?.includes(`class 0 ${escaped} (AUC`), 'ROC legend names escaped');
    expect(root.textContent).not.toMatch(RAW_HOSTILE);
    for (const el of root.querySelectorAll('[aria-label], [title]')) {
      for (const name of ['aria-label', 'title']) expect(el.getAttribute(name) ?? '', `${name} of ${el.tagName}`).not.toMatch(RAW_HOSTILE);
    }
    expect(root.querySelector('img')).toBeNull();
    await new Promise((r) => setTimeout(r, 50));
    expect((window as { __gsXssEval?: number }).__gsXssEval).toBeUndefined();
  });
});
