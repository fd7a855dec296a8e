// Mounts the Inspect and Evaluate panels (src/ui/inspect, src/ui/evaluate) and wires them
// to the main session: an InspectApi backed by the training worker, a weights version
// that changes at most about once a second while training (frozen while the panel is
// hidden, so a hidden inspector does not compete with training), evaluation requests,
// and "inspect this example" from the Evaluate panel. The panels are loaded lazily (their
// own chunks, fetched when a tab first opens); their props are the panels' own types, so
// a prop change is a type error here.
import { lazy, useMemo, useRef } from 'react';
import { useStore } from '../../state/store.ts';
import { training } from '../../state/training.ts';

const InspectPanel = lazy(() => import('../inspect/InspectPanel.tsx').then((m) => ({ default: m.InspectPanel })));
const EvaluatePanel = lazy(() => import('../evaluate/EvaluatePanel.tsx').then((m) => ({ default: m.EvaluatePanel })));

function NoModel() {
  const status = useStore((s) => s.runStatus);
  const reason = useStore((s) => s.runReason);
  return (
    <p className="muted" data-testid="no-model">
      {status === 'failed' ? `There is no model: ${reason}` : 'The model is being built; it appears here as soon as the dataset is ready.'}
    </p>
  );
}

export function InspectTab({ active }: { active: boolean }) {
  const session = useStore((s) => s.session);
  const status = useStore((s) => s.runStatus);
  const weightsVersion = useStore((s) => s.weightsVersion);
  const selected = useStore((s) => s.selectedExample);
  const select = useStore((s) => s.selectExample);
  const frozen = useRef(weightsVersion);
  if (active) frozen.current = weightsVersion;
  const ready = status !== 'none' && status !== 'starting' && status !== 'failed';
  // A new object per session (and once it is ready), so the panel refetches.
  const api = useMemo(() => (ready && session ? training.inspectApi() : null), [session, ready]);
  if (!session) return <NoModel />;
  return <InspectPanel api={api} dataset={session.dataset} modelConfig={session.model} weightsVersion={frozen.current} selectedExample={selected} onSelectExample={select} />;
}

export function EvaluateTab() {
  const session = useStore((s) => s.session);
  const result = useStore((s) => s.evaluation);
  const busy = useStore((s) => s.evalBusy);
  const error = useStore((s) => s.evalError);
  const select = useStore((s) => s.selectExample);
  const setTab = useStore((s) => s.setTab);
  if (!session) return <NoModel />;
  return (
    <>
      {error && (
        <p className="field-problem" role="alert">
          Evaluation failed: {error}
        </p>
      )}
      <EvaluatePanel
        dataset={session.dataset}
        modelConfig={session.model}
        result={result}
        busy={busy}
        onEvaluate={(split) => void training.evaluate(split)}
        onInspectExample={(index) => {
          select(index);
          setTab('inspect');
        }}
      />
    </>
  );
}
