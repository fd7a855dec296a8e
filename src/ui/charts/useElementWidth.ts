// The width of an element in whole pixels, kept up to date by a ResizeObserver. A hidden
// element (zero width) keeps its last non-zero width, so a chart in a hidden panel is not
// laid out again at width 0.
import { useEffect, useState, type RefObject } from 'react';

export function useElementWidth(ref: RefObject<HTMLElement | null>, initial: number): number {
  const [width, setWidth] = useState(initial);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const resize = new ResizeObserver(() => {
      const w = Math.floor(el.clientWidth);
      if (w > 0) setWidth(w);
    });
    resize.observe(el);
    return () => resize.disconnect();
  }, [ref]);
  return width;
}
