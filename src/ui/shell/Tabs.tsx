// The panel tabs (WAI-ARIA tabs pattern): one tab stop, arrow keys / Home / End move
// between tabs and open them.
import { useRef, type KeyboardEvent } from 'react';
import type { TabId } from '../../state/url.ts';

export interface TabSpec {
  id: TabId;
  label: string;
}

/** Tab list; panels are rendered by the caller with id `panel-<id>` and aria-labelledby `tab-<id>`. */
export function Tabs({ tabs, selected, onSelect }: { tabs: TabSpec[]; selected: TabId; onSelect: (id: TabId) => void }) {
  const refs = useRef(new Map<TabId, HTMLButtonElement>());
  const onKey = (e: KeyboardEvent) => {
    const i = tabs.findIndex((t) => t.id === selected);
    let next = -1;
    if (e.key === 'ArrowRight') next = (i + 1) % tabs.length;
    else if (e.key === 'ArrowLeft') next = (i - 1 + tabs.length) % tabs.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = tabs.length - 1;
    if (next < 0) return;
    e.preventDefault();
    onSelect(tabs[next].id);
    refs.current.get(tabs[next].id)?.focus();
  };
  return (
    <div role="tablist" aria-label="Panels" className="tabs" onKeyDown={onKey}>
      {tabs.map((t) => (
        <button
          key={t.id}
          ref={(el) => {
            if (el) refs.current.set(t.id, el);
            else refs.current.delete(t.id);
          }}
          type="button"
          role="tab"
          id={`tab-${t.id}`}
          aria-selected={t.id === selected}
          aria-controls={`panel-${t.id}`}
          tabIndex={t.id === selected ? 0 : -1}
          className="tab"
          onClick={() => onSelect(t.id)}
        >
          {t.label}
        </button>
      ))}
    </div>
  );
}
