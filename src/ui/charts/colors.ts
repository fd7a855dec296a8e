// Series colours from the theme (Okabe–Ito, colour-blind safe) for charts.
import { useStore } from '../../state/store.ts';
import { useThemeColors } from './useLive.ts';

const NAMES = ['--series-1', '--series-2', '--series-3', '--series-4', '--series-5', '--series-6', '--series-7', '--series-8', '--fg', '--muted', '--accent'] as const;

/** The eight series colours and a few UI colours, for the current theme. */
export function useChartColors(): { series: string[]; fg: string; muted: string; accent: string } {
  const theme = useStore((s) => s.theme);
  const c = useThemeColors(NAMES, theme);
  return {
    series: NAMES.slice(0, 8).map((n) => c[n] ?? '#888'),
    fg: c['--fg'] ?? '#222',
    muted: c['--muted'] ?? '#666',
    accent: c['--accent'] ?? '#36c',
  };
}
