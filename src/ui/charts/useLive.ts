// Reading the live buffers from React: a component re-reads on an animation frame when
// the buffer's version changed, at most every `minIntervalMs`, and only while its panel
// is visible — so training at any speed never floods React.
import { createContext, useContext, useEffect, useRef, useState } from 'react';

/** False inside panels that are hidden: their live readers stop polling. */
export const PanelActive = createContext(true);

/**
 * `read()` of a versioned source, refreshed on animation frames while it changes. While
 * `urgent(shown)` holds for the value shown (a chart with no point yet), a change is read
 * on the next frame, without waiting out the interval: a run's first point is drawn the
 * moment it exists.
 */
export function useLive<T>(source: { version: number }, read: () => T, minIntervalMs = 250, urgent?: (shown: T) => boolean): T {
  const active = useContext(PanelActive);
  const [value, setValue] = useState(read);
  const readRef = useRef(read);
  readRef.current = read;
  const urgentRef = useRef(urgent);
  urgentRef.current = urgent;
  const shownRef = useRef(value);
  shownRef.current = value;
  useEffect(() => {
    if (!active) return;
    let raf = 0;
    let seen = -1;
    let last = -Infinity;
    const tick = (now: number) => {
      if (source.version !== seen && (now - last >= minIntervalMs || urgentRef.current?.(shownRef.current))) {
        seen = source.version;
        last = now;
        const next = readRef.current();
        shownRef.current = next;
        setValue(next);
      }
      raf = requestAnimationFrame(tick);
    };
    raf = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(raf);
  }, [source, active, minIntervalMs]);
  return value;
}

/** The theme's colours by variable name, re-read when the theme changes. */
export function useThemeColors(names: readonly string[], theme: string): Record<string, string> {
  const [colors, setColors] = useState<Record<string, string>>({});
  const key = names.join(',');
  // Keyed by the names' content (callers pass a new array each render); `theme` only
  // triggers a re-read, the colours come from the computed style.
  useEffect(() => {
    const vars = key === '' ? [] : key.split(',');
    const read = () => {
      const style = getComputedStyle(document.documentElement);
      setColors(Object.fromEntries(vars.map((n) => [n, style.getPropertyValue(n).trim() || '#888'])));
    };
    read();
    const media = matchMedia('(prefers-color-scheme: dark)');
    media.addEventListener('change', read);
    return () => media.removeEventListener('change', read);
  }, [key, theme]);
  return colors;
}
