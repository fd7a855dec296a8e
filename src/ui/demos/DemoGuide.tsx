// The guided demo card: one sentence per step, a button that does the step in the real
// app, and Back / Next. Not modal: the app stays usable while it is open.
import { useEffect, useRef, useState } from 'react';
import { useStore } from '../../state/store.ts';
import type { DemoId } from '../../state/slices/ui.ts';
import { DEMOS } from './demos.ts';

/** Buttons that open the demos (in the header, so they are on the first screen). */
export function DemoButtons() {
  const setDemo = useStore((s) => s.setDemo);
  const setTab = useStore((s) => s.setTab);
  const open = (id: DemoId) => {
    setDemo({ id, step: 0 });
    setTab(DEMOS[id].steps[0].tab);
  };
  return (
    <div className="demo-buttons" role="group" aria-label="Guided demos">
      {(Object.keys(DEMOS) as DemoId[]).map((id) => (
        <button key={id} type="button" onClick={() => open(id)} data-testid={`demo-${id}`}>
          {DEMOS[id].title}
        </button>
      ))}
    </div>
  );
}

export function DemoGuide() {
  const demo = useStore((s) => s.demo);
  const setDemo = useStore((s) => s.setDemo);
  const setTab = useStore((s) => s.setTab);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<Set<string>>(new Set());
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus();
  }, [demo?.id]);
  if (!demo) return null;
  const d = DEMOS[demo.id];
  const step = d.steps[demo.step];
  const go = (k: number) => {
    setDemo({ id: demo.id, step: k });
    setTab(d.steps[k].tab);
  };
  const key = `${demo.id}:${demo.step}`;
  return (
    <aside className="demo-guide" aria-label={`Guided demo: ${d.title}`} data-testid="demo-guide">
      <h2 ref={heading} tabIndex={-1}>
        {d.title} <span className="muted">step {demo.step + 1} of {d.steps.length}</span>
      </h2>
      <p className="demo-text" data-testid="demo-text">
        {step.text}
      </p>
      <div className="demo-actions">
        <button type="button" onClick={() => go(demo.step - 1)} disabled={demo.step === 0}>
          Back
        </button>
        {step.action && (
          <button
            type="button"
            className="primary"
            disabled={busy}
            data-testid="demo-action"
            onClick={() => {
              setBusy(true);
              setTab(step.tab);
              step.action!.run().finally(() => {
                setBusy(false);
                setDone((s) => new Set(s).add(key));
              });
            }}
          >
            {busy ? 'Working…' : done.has(key) ? `${step.action.label} again` : step.action.label}
          </button>
        )}
        <button type="button" onClick={() => go(demo.step + 1)} disabled={demo.step === d.steps.length - 1} data-testid="demo-next">
          Next
        </button>
        <button type="button" onClick={() => setDemo(null)} aria-label="Close the demo" title="Close the demo">
          ✕
        </button>
      </div>
    </aside>
  );
}
