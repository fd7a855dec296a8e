// Training settings: optimizer and its hyperparameters, learning rate (changed live in a
// running session), schedule, batch size, epochs, clipping, regularisation (dropout,
// weight decay, L1, modality dropout), early stopping, seed, and the demo speed.
import { useStore } from '../../state/store.ts';
import { defaultSchedule } from '../../state/url.ts';
import type { TrainConfig, MonitorMetric } from '../../train/config.ts';
import type { OptimizerKind } from '../../optim/optimizer.ts';
import type { ModelConfig } from '../../models/config.ts';
import { CheckField, NumberField, SelectField } from '../common/fields.tsx';
import { TaskWeights } from './TaskWeights.tsx';
import { PRECISIONS, PRECISION_LABELS, precisionUnavailableFor } from '../../state/for-ui.ts';
import type { Precision } from '../../ops/precision-names.ts';

const OPTIMIZERS: [OptimizerKind, string][] = [
  ['sgd', 'SGD (gradient descent)'],
  ['adam', 'Adam'],
  ['adamw', 'AdamW (decoupled weight decay)'],
  ['rmsprop', 'RMSprop'],
];

const SCHEDULES: [TrainConfig['schedule']['kind'], string][] = [
  ['constant', 'constant'],
  ['step', 'step decay'],
  ['cosine', 'cosine to the end'],
  ['linear', 'linear to the end'],
];

const METRICS: [MonitorMetric, string][] = [
  ['loss', 'validation loss'],
  ['accuracy', 'accuracy'],
  ['macroF1', 'macro F1'],
  ['auc', 'AUC'],
  ['rmse', 'RMSE'],
  ['bleu', 'BLEU'],
];

/** Pause between steps, for demos. */
const SPEEDS: [number, string][] = [
  [0, 'full speed'],
  [50, '50 ms'],
  [200, '200 ms'],
  [500, '0.5 s'],
  [1000, '1 s'],
  [2000, '2 s'],
];

export function TrainSettings() {
  const train = useStore((s) => s.train);
  const setTrain = useStore((s) => s.setTrain);
  const model = useStore((s) => s.model);
  const setModel = useStore((s) => s.setModel);
  const status = useStore((s) => s.runStatus);
  const live = status === 'running' || status === 'paused';
  const t = (patch: Partial<TrainConfig>) => setTrain({ ...train, ...patch });
  const opt = (patch: Partial<TrainConfig['optimizer']>) => t({ optimizer: { ...train.optimizer, ...patch } });
  const m = (patch: (c: ModelConfig) => void) => {
    const next = structuredClone(model);
    patch(next);
    setModel(next);
  };
  const o = train.optimizer;
  const sc = train.schedule;
  const speedIndex = Math.max(0, SPEEDS.findIndex(([ms]) => ms === train.stepDelayMs));
  const es = train.earlyStopping;
  const probe = useStore((s) => s.backendProbe);
  const runInfo = useStore((s) => s.runInfo);
  const onCpu = runInfo ? runInfo.backendKind !== 'webgpu' : probe.kind === 'cpu';
  const precision = train.precision ?? 'f32';
  return (
    <div className="settings-column" data-testid="train-settings">
      <fieldset>
        <legend>Optimizer</legend>
        <div className="field-grid">
          <SelectField label="Optimizer" value={o.kind} options={OPTIMIZERS} onChange={(kind) => opt({ kind })} testId="setting-optimizer" />
          <div className="field-with-actions span-2">
            <NumberField label="Learning rate" value={o.lr} onChange={(lr) => opt({ lr })} min={0} step="any" testId="setting-lr" hint={live ? 'applies live' : undefined} />
            <div className="mini-actions" role="group" aria-label="Change the learning rate">
              <button type="button" onClick={() => opt({ lr: Number((o.lr / 2).toPrecision(3)) })} aria-label="Halve the learning rate">
                ÷2
              </button>
              <button type="button" onClick={() => opt({ lr: Number((o.lr * 2).toPrecision(3)) })} aria-label="Double the learning rate">
                ×2
              </button>
            </div>
          </div>
          {(o.kind === 'sgd' || o.kind === 'rmsprop') && <NumberField label="Momentum" value={o.momentum ?? 0} onChange={(momentum) => opt({ momentum })} min={0} max={0.999} step={0.1} />}
          <NumberField label="Weight decay (L2)" value={o.weightDecay ?? (o.kind === 'adamw' ? 0.01 : 0)} onChange={(weightDecay) => opt({ weightDecay })} min={0} step="any" />
          <NumberField label="L1 penalty" value={o.l1 ?? 0} onChange={(l1) => opt({ l1 })} min={0} step="any" />
        </div>
      </fieldset>
      <fieldset>
        <legend>Schedule</legend>
        <div className="field-grid">
          <SelectField label="Learning rate" value={sc.kind} options={SCHEDULES} onChange={(kind) => t({ schedule: defaultSchedule(kind) })} testId="setting-schedule" />
          {sc.kind === 'step' && (
            <>
              <NumberField label="Every (steps)" value={sc.every} onChange={(every) => t({ schedule: { ...sc, every } })} min={1} integer />
              <NumberField label="Factor" value={sc.factor} onChange={(factor) => t({ schedule: { ...sc, factor } })} min={0} max={1} step={0.1} />
            </>
          )}
          {sc.kind === 'cosine' && <NumberField label="Final rate" value={sc.minRate ?? 0} onChange={(minRate) => t({ schedule: { ...sc, minRate } })} min={0} step="any" />}
          {sc.kind === 'linear' && <NumberField label="Final rate" value={sc.endRate ?? 0} onChange={(endRate) => t({ schedule: { ...sc, endRate } })} min={0} step="any" />}
          <NumberField label="Warm-up steps" value={train.warmupSteps} onChange={(warmupSteps) => t({ warmupSteps })} min={0} integer />
        </div>
      </fieldset>
      <fieldset>
        <legend>Batches and epochs</legend>
        <div className="field-grid">
          <NumberField label="Batch size" value={train.batchSize} onChange={(batchSize) => t({ batchSize })} min={1} max={4096} integer testId="setting-batch" />
          <NumberField label="Epochs" value={train.epochs} onChange={(epochs) => t({ epochs })} min={1} integer testId="setting-epochs" />
          <NumberField label="Clip gradient norm" value={train.clipNorm} onChange={(clipNorm) => t({ clipNorm })} min={0} step="any" hint="0 = off" testId="setting-clip" />
          <NumberField label="Seed" value={train.seed} onChange={(seed) => t({ seed })} min={0} integer />
          <PrecisionField value={precision} features={runInfo?.adapter?.features ?? probe.features ?? []} onCpu={onCpu} onChange={(p) => t({ precision: p })} />
        </div>
      </fieldset>
      <fieldset>
        <legend>Against overfitting</legend>
        <div className="field-grid">
          <NumberField label="Dropout between layers" value={model.text.dropout} onChange={(v) => m((c) => (c.text.dropout = v))} min={0} max={0.95} step={0.1} hint={model.text.numLayers < 2 ? 'needs 2+ layers' : undefined} />
          <NumberField label="Head dropout" value={model.head.dropout} onChange={(v) => m((c) => (c.head.dropout = v))} min={0} max={0.95} step={0.1} />
          <NumberField label="Modality dropout" value={model.modalityDropout} onChange={(v) => m((c) => (c.modalityDropout = v))} min={0} max={0.95} step={0.1} hint="hide one input at random" />
        </div>
        <CheckField label="Early stopping" checked={es.enabled} onChange={(enabled) => t({ earlyStopping: { ...es, enabled } })} testId="setting-early-stopping" />
        <p className="muted small">{live ? 'Applies to the run in progress. ' : ''}On by default for your own imported data, off for the built-in datasets (their demos run every epoch).</p>
        {es.enabled && (
          <div className="field-grid">
            <SelectField label="Watch" value={es.metric} options={METRICS} onChange={(metric) => t({ earlyStopping: { ...es, metric } })} />
            <NumberField label="Patience (epochs)" value={es.patience} onChange={(patience) => t({ earlyStopping: { ...es, patience } })} min={1} integer />
            <CheckField label="Keep the best epoch's weights" checked={es.restoreBest} onChange={(restoreBest) => t({ earlyStopping: { ...es, restoreBest } })} />
          </div>
        )}
      </fieldset>
      <fieldset>
        <legend>Speed (for demos)</legend>
        <label className="field field-range">
          <span className="field-label">Pause between steps: {SPEEDS[speedIndex][1]}</span>
          <input
            type="range"
            min={0}
            max={SPEEDS.length - 1}
            step={1}
            value={speedIndex}
            onChange={(e) => t({ stepDelayMs: SPEEDS[Number(e.target.value)][0] })}
            aria-valuetext={SPEEDS[speedIndex][1]}
            data-testid="setting-speed"
          />
        </label>
        <NumberField label="Statistics every (steps)" value={train.readbackEvery} onChange={(readbackEvery) => t({ readbackEvery })} min={1} integer hint="readback interval" />
      </fieldset>
      <TaskWeights />
    </div>
  );
}

/**
 * "Precision" (src/ops/precision.ts): f32, f16 weights, or f16 arithmetic, which is shown
 * disabled with the reason where the adapter has no shader-f16. The CPU backend ignores it.
 */
function PrecisionField({ value, features, onCpu, onChange }: { value: Precision; features: readonly string[]; onCpu: boolean; onChange: (p: Precision) => void }) {
  return (
    <label className="field">
      <span className="field-label">Precision</span>
      <select value={value} onChange={(e) => onChange(e.target.value as Precision)} data-testid="setting-precision">
        {PRECISIONS.map((p) => {
          const why = p === 'f32' || onCpu ? null : precisionUnavailableFor(features, p);
          return (
            <option key={p} value={p} disabled={why !== null && p !== value}>
              {PRECISION_LABELS[p]}
              {why ? ` (${why})` : ''}
            </option>
          );
        })}
      </select>
      <span className="field-hint" data-testid="precision-hint">
        {onCpu ? 'ignored: training runs on the CPU backend' : value === 'f32' ? 'f16 weights: mixed precision, f32 master weights' : 'f32 master weights and sums'}
      </span>
    </label>
  );
}
