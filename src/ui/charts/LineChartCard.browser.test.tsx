// LineChartCard in Chromium: a series with one point is drawn as a dot, reference levels
// are drawn and labelled (near-equal ones merged into one label), both axes have titles,
// tick labels are distinct and inside the chart; the confusion matrix has a colour legend.
import { afterEach, describe, expect, it } from 'vitest';
import { mount, waitFor, type Mounted } from '../inspect/inspect.support.tsx';
import { ConfusionMatrix } from '../evaluate/ConfusionMatrix.tsx';
import { LineChartCard, type ChartRow } from './LineChartCard.tsx';
import { BarChartSvg } from './BarChartSvg.tsx';

let mounted: Mounted | null = null;
afterEach(async () => {
  await mounted?.unmount();
  mounted = null;
});

/** Tick label texts of the chart's x and y axes, and whether each lies inside the svg. */
function ticks(root: HTMLElement, axis: 'x' | 'y'): { labels: string[]; inside: boolean[] } {
  const svg = root.querySelector('svg.chart-svg')!.getBoundingClientRect();
  const els = Array.from(root.querySelectorAll(`.chart-${axis}-axis .chart-tick`));
  return {
    labels: els.map((e) => e.textContent ?? ''),
    inside: els.map((e) => {
      const r = e.getBoundingClientRect();
      return r.left >= svg.left - 0.5 && r.right <= svg.right + 0.5 && r.top >= svg.top - 0.5 && r.bottom <= svg.bottom + 0.5;
    }),
  };
}

describe('LineChartCard', () => {
  it('draws a one-point series as a dot, labelled reference levels, axis titles and distinct ticks', async () => {
    // One epoch so far: the validation metric has one point; the loss has many.
    const rows: ChartRow[] = [{ epoch: 1, accuracy: 0.41 }];
    mounted = await mount(
      <LineChartCard
        title="Validation accuracy"
        testId="chart-test"
        rows={rows}
        xKey="epoch"
        xLabel="epoch"
        yLabel="accuracy"
        series={[{ key: 'accuracy', name: 'validation accuracy', color: '#0072b2' }]}
        yDomain={[0, 1]}
        references={[
          { value: 0.25, label: 'chance 25 %' },
          { value: 0.25, label: 'majority class 25 %' },
          { value: 0.4167, label: 'text alone 42 %' },
        ]}
        summary="one epoch"
      />,
      600,
    );
    const root = mounted.container;
    await waitFor(() => root.querySelector('svg.chart-svg'), 'the chart');
    const dots = await waitFor(() => {
      const d = root.querySelectorAll('.chart-line-dot');
      return d.length > 0 ? d : null;
    }, 'the one point as a dot');
    expect(dots.length).toBe(1);
    const lines = root.querySelectorAll('.chart-reference');
    expect(lines.length).toBe(2);
    // Reference labels and axis titles are all text in the svg.
    const labels = Array.from(root.querySelectorAll('svg .chart-reference-label, svg .chart-axis-title')).map((e) => e.textContent);
    expect(labels).toEqual(expect.arrayContaining(['chance 25 % = majority class 25 %', 'text alone 42 %', 'epoch', 'accuracy']));
    const listed = Array.from(root.querySelectorAll('[data-reference]')).map((e) => [e.getAttribute('data-reference'), Number(e.getAttribute('data-value'))]);
    expect(listed).toEqual([
      ['chance 25 % = majority class 25 %', 0.25],
      ['text alone 42 %', 0.4167],
    ]);
    for (const axis of ['x', 'y'] as const) {
      const t = ticks(root, axis);
      expect(t.labels.length, axis).toBeGreaterThan(0);
      expect(new Set(t.labels).size, `${axis}: ${t.labels.join(' ')}`).toBe(t.labels.length);
      expect(t.inside.every(Boolean), `${axis} ticks inside the chart`).toBe(true);
    }
    expect(ticks(root, 'x').labels).toEqual(['1']);
  });

  it('keeps log-scale ticks and long step numbers distinct and unclipped, without dots on long series', async () => {
    const rows: ChartRow[] = Array.from({ length: 50 }, (_, i) => ({ step: 123400 + 7 * i, norm: 3e-18 * 10 ** (i / 3) }));
    mounted = await mount(
      <LineChartCard title="Norms" testId="chart-log" rows={rows} yLabel="norm (log)" logY series={[{ key: 'norm', name: 'norm', color: '#0072b2' }]} summary="" />,
      420,
    );
    const root = mounted.container;
    await waitFor(() => root.querySelector('path.chart-line[d^="M"]') && root.querySelector('.chart-x-axis .chart-tick'), 'the line and its ticks');
    expect(Array.from(root.querySelectorAll('svg .chart-axis-title')).map((e) => e.textContent)).toEqual(expect.arrayContaining(['step', 'norm (log)']));
    expect(root.querySelectorAll('.chart-line-dot').length).toBe(0);
    // One path through all 50 points.
    expect(root.querySelector('path.chart-line')!.getAttribute('d')!.match(/[ML]/g)).toHaveLength(50);
    for (const axis of ['x', 'y'] as const) {
      const t = ticks(root, axis);
      expect(t.labels.length, axis).toBeGreaterThan(1);
      expect(new Set(t.labels).size, `${axis}: ${t.labels.join(' ')}`).toBe(t.labels.length);
      expect(t.inside.every(Boolean), `${axis} ticks inside the chart: ${t.labels.join(' ')}`).toBe(true);
    }
  });
});

describe('LineChartCard tooltip', () => {
  it('shows the values of the row nearest the pointer and hides when it leaves', async () => {
    const rows: ChartRow[] = Array.from({ length: 11 }, (_, i) => ({ step: i, loss: 10 - i }));
    mounted = await mount(<LineChartCard title="Loss" testId="chart-tip" rows={rows} yLabel="loss" series={[{ key: 'loss', name: 'training loss', color: '#0072b2' }]} summary="" />, 600);
    const root = mounted.container;
    const svg = await waitFor(() => root.querySelector<SVGSVGElement>('svg.chart-svg'), 'the chart');
    const grid = Array.from(root.querySelectorAll('.chart-x-axis .chart-tick'));
    // The pointer over the tick label "10": the row of step 10, loss 0.
    const tick = grid.find((e) => e.textContent === '10')!.getBoundingClientRect();
    svg.dispatchEvent(new PointerEvent('pointermove', { bubbles: true, clientX: tick.left + tick.width / 2, clientY: tick.top - 40 }));
    const tip = await waitFor(() => root.querySelector('.chart-tooltip'), 'the tooltip');
    expect(tip.textContent).toBe('step 10training loss: 0');
    // React derives pointerleave from pointerout with the element the pointer went to.
    svg.dispatchEvent(new PointerEvent('pointerout', { bubbles: true, relatedTarget: document.body }));
    await waitFor(() => (root.querySelector('.chart-tooltip') ? null : true), 'the tooltip gone');
  });
});

describe('BarChartSvg', () => {
  it('stacks the series per category with each value on its bar, at the container width', async () => {
    mounted = await mount(
      <BarChartSvg categories={['a', 'b']} series={[{ key: 'train', name: 'train', color: '#111' }, { key: 'test', name: 'test', color: '#222' }]} values={[[3, 0], [1, 2]]} xLabel="class" yLabel="examples" />,
      500,
    );
    const root = mounted.container;
    const svg = await waitFor(() => (root.querySelector('svg.bar-chart')?.getAttribute('width') === String(root.querySelector('.bar-chart-box')!.clientWidth) ? root.querySelector('svg.bar-chart') : null), 'the chart at the container width');
    const bars = Array.from(svg.querySelectorAll('rect[data-series]')).map((r) => [r.getAttribute('data-category'), r.getAttribute('data-series'), Number(r.getAttribute('data-value')), Number(r.getAttribute('height'))]);
    // A zero count draws no bar; a's train bar is three times as tall as its test bar.
    expect(bars.map((b) => b.slice(0, 3))).toEqual([['a', 'train', 3], ['a', 'test', 1], ['b', 'test', 2]]);
    expect((bars[0][3] as number) / (bars[1][3] as number)).toBeCloseTo(3, 5);
    expect(Array.from(svg.querySelectorAll('.bar-x-axis text')).map((t) => t.textContent)).toEqual(['a', 'b', 'class']);
  });
});

describe('ConfusionMatrix', () => {
  it('has a colour legend for the share of the row', async () => {
    mounted = await mount(<ConfusionMatrix classes={['a', 'b']} confusion={[[3, 1], [0, 4]]} selected={null} onSelect={() => {}} />);
    const legend = mounted.container.querySelector('[data-testid="confusion-legend"]')!;
    expect(legend.textContent).toContain('share of the row');
    expect(legend.textContent).toContain('0 %');
    expect(legend.textContent).toContain('100 %');
    expect((legend.querySelector('.gs-confusion-legend-ramp') as HTMLElement).style.background).toMatch(/linear-gradient/);
  });
});
