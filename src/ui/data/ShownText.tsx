// Dataset text as the page shows it: hidden and direction-changing characters made
// visible (⟨U+202E⟩), long texts cut with a "show all" button. Always a React text node.
import { useState } from 'react';
import { visibleText } from '../../state/for-ui.ts';

/** Characters shown before a long text is cut. */
const SHOWN_TEXT_LIMIT = 400;

/**
 * A text (line breaks kept) or a name (`name`: on one line), escaped and cut.
 * `expand: false` for text inside another button (a card, a search result): the cut
 * ends in "…" with no "show all" button, since a button may not hold a button.
 */
export function ShownText({ text, name = false, limit = SHOWN_TEXT_LIMIT, expand = true }: { text: string; name?: boolean; limit?: number; expand?: boolean }) {
  const [all, setAll] = useState(false);
  const shown = visibleText(text, { lines: !name });
  if (all || shown.length <= limit) return <>{shown}</>;
  if (!expand) return <>{shown.slice(0, limit)}…</>;
  return (
    <>
      {shown.slice(0, limit)}…{' '}
      <button type="button" className="link-button" data-testid="show-all" onClick={() => setAll(true)} title={`${text.length.toLocaleString('en')} characters`}>
        show all ({text.length.toLocaleString('en')} characters)
      </button>
    </>
  );
}
