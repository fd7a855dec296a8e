// The Train panel's overfitting notice: when validation loss has stayed above its best
// for several epochs while training loss kept falling (train/overfitting.ts), it says so
// in plain words and offers early stopping that keeps the best epoch's weights — applied
// to the run in progress (or finished) through the live early-stopping setting.
import { useMemo } from 'react';
import { useStore } from '../../state/store.ts';
import { detectOverfitting } from '../../state/for-ui.ts';
import { metric } from '../common/format.ts';

export function OverfittingNotice() {
  const history = useStore((s) => s.history);
  const status = useStore((s) => s.runStatus);
  const reason = useStore((s) => s.runReason);
  const train = useStore((s) => s.train);
  const setTrain = useStore((s) => s.setTrain);
  const sign = useMemo(() => detectOverfitting(history), [history]);
  if (!sign) return null;
  const es = train.earlyStopping;
  const keepsBest = es.enabled && es.restoreBest && es.metric === 'loss';
  const active = status === 'running' || status === 'paused';
  const stoppedEarly = status === 'finished' && reason !== null && reason.startsWith('early stopping');
  const keepBest = () => setTrain({ ...train, earlyStopping: { enabled: true, metric: 'loss', patience: Math.max(1, Math.min(es.patience, sign.epochsAbove)), restoreBest: true } });
  return (
    <div className="notice notice-warn" role="status" data-testid="overfitting-notice">
      <p>
        <strong>The model is overfitting.</strong> Validation loss has been above its best ({metric(sign.bestValidationLoss, 3)}, epoch {sign.bestEpoch}) for {sign.epochsAbove} epochs and is now{' '}
        {metric(sign.lastValidationLoss, 3)}, while training loss kept falling ({metric(sign.trainLossAtBest, 3)} → {metric(sign.lastTrainLoss, 3)}): the model is learning its training
        examples by heart and doing worse on new ones.{' '}
        {keepsBest
          ? stoppedEarly
            ? `Early stopping ended the run and kept the weights of epoch ${sign.bestEpoch}.`
            : `Early stopping is on: the run stops after ${es.patience} epochs without a lower validation loss and keeps the best epoch's weights.`
          : active
            ? `Stopping now keeps the weights of epoch ${sign.bestEpoch}.`
            : status === 'finished'
              ? `The weights of epoch ${sign.bestEpoch} can still be put back.`
              : ''}
      </p>
      {!keepsBest && (active || status === 'finished') && (
        <button type="button" onClick={keepBest} data-testid="overfitting-keep-best">
          {active ? `Stop early, keep epoch ${sign.bestEpoch}` : `Keep epoch ${sign.bestEpoch}'s weights`}
        </button>
      )}
    </div>
  );
}
