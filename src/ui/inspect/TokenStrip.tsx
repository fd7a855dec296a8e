// The tokens of the inspected text as buttons for choosing a span: click (or Enter) picks
// one token, shift-click (or Shift+Enter) extends from the last pick, dragging selects a
// range. Tokens are text nodes, escaped (visibleText: vocabulary entries come from the
// user's texts).
import { useRef } from 'react';
import { visibleText } from '../../state/for-ui.ts';

export interface TokenStripProps {
  tokens: readonly string[];
  span: readonly [number, number] | null;
  onSpan(span: [number, number] | null): void;
}

export function TokenStrip({ tokens, span, onSpan }: TokenStripProps) {
  const anchor = useRef<number | null>(null);
  const dragging = useRef(false);
  const lo = span ? Math.min(span[0], span[1]) : -1;
  const hi = span ? Math.max(span[0], span[1]) : -1;
  const pick = (t: number, extend: boolean) => {
    if (extend && anchor.current !== null) onSpan([Math.min(anchor.current, t), Math.max(anchor.current, t)]);
    else {
      anchor.current = t;
      onSpan([t, t]);
    }
  };
  return (
    <div className="gs-token-strip" role="group" aria-label="Tokens: click to choose a span, shift-click or drag to extend it" onMouseUp={() => (dragging.current = false)} onMouseLeave={() => (dragging.current = false)}>
      <span className="gs-muted">Span:</span>
      {tokens.map((tok, t) => (
        <button
          key={t}
          type="button"
          className="gs-token"
          aria-pressed={t >= lo && t <= hi}
          data-testid="span-token"
          title={`token ${t}`}
          onMouseDown={(e) => {
            e.preventDefault();
            dragging.current = true;
            pick(t, e.shiftKey);
            (e.currentTarget as HTMLButtonElement).focus();
          }}
          onMouseEnter={(e) => {
            if (dragging.current && e.buttons & 1 && anchor.current !== null) onSpan([Math.min(anchor.current, t), Math.max(anchor.current, t)]);
          }}
          onClick={(e) => {
            // Mouse clicks were handled on mousedown; detail 0 means keyboard activation.
            if (e.detail === 0) pick(t, e.shiftKey);
          }}
        >
          {visibleText(tok)}
        </button>
      ))}
      {span && (
        <button type="button" className="gs-link" onClick={() => onSpan(null)}>
          clear span
        </button>
      )}
    </div>
  );
}
