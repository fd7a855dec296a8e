// Mounts the Inspect and Evaluate panels (src/ui/inspect, src/ui/evaluate) and wires them
// to the main session: an InspectApi backed by the training worker, a weights version
// that changes at most about once a second while training (frozen while the panel is
// hidden, so a hidden inspector does not compete with training), evaluation requests,
// and "inspect this example" from the Evaluate panel. The panels are loaded with
// import.meta.glob, so this shell builds with or without them.
import { lazy, useMemo, useRef, type ComponentType } from 'react';
import type { PreparedDataset } from '../../data/types.ts';
import type { ModelConfig } from '../../models/config.ts';
import type { EvalResult } from '../../train/evaluate.ts';
import { useStore } from '../../state/store.ts';
import { training, type InspectApi } from '../../state/training.ts';

/** The contract of src/ui/inspect/InspectPanel.tsx. */
export interface InspectPanelProps {
  api: InspectApi | null;
  dataset: PreparedDataset;
  modelConfig: ModelConfig;
  weightsVersion: number;
  selectedExample: number | null;
  onSelectExample(index: number): void;
}

/** The contract of src/ui/evaluate/EvaluatePanel.tsx. */
export interface EvaluatePanelProps {
  dataset: PreparedDataset;
  modelConfig: ModelConfig;
  result: EvalResult | null;
  busy: boolean;
  onEvaluate(split: 'train' | 'validation' | 'test'): void;
  onInspectExample(index: number): void;
}

const inspectModules = import.meta.glob<{ InspectPanel: ComponentType<InspectPanelProps> }>('../inspect/InspectPanel.tsx');
const evaluateModules = import.meta.glob<{ EvaluatePanel: ComponentType<EvaluatePanelProps> }>('../evaluate/EvaluatePanel.tsx');
const inspectLoader = inspectModules['../inspect/InspectPanel.tsx'];
const evaluateLoader = evaluateModules['../evaluate/EvaluatePanel.tsx'];

export const hasInspectPanel = inspectLoader !== undefined;
export const hasEvaluatePanel = evaluateLoader !== undefined;

const InspectPanel = inspectLoader ? lazy(() => inspectLoader().then((m) => ({ default: m.InspectPanel }))) : null;
const EvaluatePanel = evaluateLoader ? lazy(() => evaluateLoader().then((m) => ({ default: m.EvaluatePanel }))) : null;

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
  if (!InspectPanel) return null;
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
  if (!EvaluatePanel) return null;
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
