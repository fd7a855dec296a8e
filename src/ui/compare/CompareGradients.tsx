// Compare's gradient-over-time overlay: each run's profile (the mean of its last steps,
// by distance from the last real token, log scale) in one chart — the "Why LSTM?"
// picture of RNN vs LSTM vs GRU — with each run's verdict in the summary.
import { compareLive, type TimeProfile } from '../../state/live.ts';
import type { CompareRun } from '../../state/slices/compare.ts';
import { LineChartCard, shortNumber, type ChartRow, type SeriesSpec } from '../charts/LineChartCard.tsx';
import { useLive } from '../charts/useLive.ts';

function readProfiles(runs: CompareRun[]): { rows: ChartRow[]; profiles: Map<string, TimeProfile> } {
  const profiles = new Map<string, TimeProfile>();
  for (const r of runs) {
    const p = compareLive.profile(r.id);
    if (p) profiles.set(r.id, p);
  }
  const K = Math.max(0, ...[...profiles.values()].map((p) => p.mean.length));
  const rows: ChartRow[] = Array.from({ length: K }, (_, k) => {
    const row: ChartRow = { k };
    for (const [id, p] of profiles) row[id] = p.mean[k] > 0 && Number.isFinite(p.mean[k]) ? p.mean[k] : null;
    return row;
  });
  return { rows, profiles };
}

/** The overlay for `runs`, drawn with the panel's `series` (one per run: key = run id, name, colour). */
export function CompareGradients({ runs, series }: { runs: CompareRun[]; series: SeriesSpec[] }) {
  const { rows, profiles } = useLive(compareLive, () => readProfiles(runs), 300);
  const summary = series
    .filter((s) => profiles.has(s.key))
    .map((s) => {
      const p = profiles.get(s.key)!;
      return `${s.name} ${p.trend === null ? '—' : `×${shortNumber(p.trend)} over ${p.judgedUpTo} steps`}${p.verdict ? ` (${p.verdict})` : ''}`;
    })
    .join(' · ');
  return (
    <LineChartCard
      title="Gradient over time by run: ‖∂loss/∂xₜ‖ by distance from the last token"
      testId="chart-compare-time"
      rows={rows}
      series={series.map((s) => ({ ...s, connect: false }))}
      xKey="k"
      xLabel="tokens before the last real token (first words on the left)"
      xReversed
      yLabel="‖∂loss/∂xₜ‖ (log)"
      logY
      summary={summary || 'each run’s last steps, once it has trained on text'}
      empty="Needs a text input; each run’s profile appears once it has trained."
      wide
    />
  );
}
