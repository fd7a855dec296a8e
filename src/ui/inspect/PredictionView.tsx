// What the model predicts for the inspected input: class probabilities (top five, with
// the true class marked), a regression value, or a generated caption; text as text,
// escaped (visibleText, ShownText). Comparisons use the raw strings.
import { visibleText } from '../../state/for-ui.ts';
import type { PreparedDataset } from '../../data/types.ts';
import type { Inspection } from '../../train/protocol.ts';
import { ShownText } from '../data/ShownText.tsx';
import { targetText } from '../data/PreviewGallery.tsx';
import { formatValue } from './traces.ts';

export interface PredictionViewProps {
  prediction: Inspection['prediction'];
  dataset: PreparedDataset;
  /** The dataset example whose target is the truth; null for the user's own text. */
  example: number | null;
}

export function PredictionView({ prediction, dataset, example }: PredictionViewProps) {
  const truth = example !== null ? targetText(dataset, example) : null;
  if (prediction.kind === 'classes') {
    const multilabel = dataset.targets.kind === 'multilabel';
    const trueSet = new Set(truth === null ? [] : multilabel ? truth.split(', ') : [truth]);
    const ranked = prediction.classes.map((c, k) => ({ c, p: prediction.probabilities[k] })).sort((a, b) => b.p - a.p);
    const top = ranked.slice(0, 5);
    return (
      <div className="gs-prediction" data-testid="prediction">
        <p>
          Predicted: <b data-testid="predicted-class">{top[0] && visibleText(top[0].c)}</b>
          {truth !== null && (
            <>
              {' '}
              · true: <b>{truth ? visibleText(truth) : '—'}</b>{' '}
              {!multilabel && <span className={top[0]?.c === truth ? 'gs-ok' : 'gs-danger'}>{top[0]?.c === truth ? '✓ right' : '✗ wrong'}</span>}
            </>
          )}
        </p>
        <table className="gs-prob-table">
          <caption className="gs-visually-hidden">{multilabel ? 'Label probabilities (sigmoid)' : 'Class probabilities (softmax), top five'}</caption>
          <tbody>
            {top.map(({ c, p }) => (
              <tr key={c} className={trueSet.has(c) ? 'is-true' : undefined}>
                <th scope="row">
                  {visibleText(c)}
                  {trueSet.has(c) && <span className="gs-visually-hidden"> (true)</span>}
                </th>
                <td className="gs-prob-bar-cell">
                  <div className="gs-prob-bar" style={{ width: `${(100 * p).toFixed(1)}%` }} />
                </td>
                <td className="gs-num">{(100 * p).toFixed(1)}%</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    );
  }
  if (prediction.kind === 'value') {
    return (
      <div className="gs-prediction" data-testid="prediction">
        <p>
          {prediction.values ? (
            <>
              Forecast: <b>{prediction.values.map((v) => formatValue(v, 3)).join(', ')}</b>
              {truth !== null && (
                <>
                  {' '}
                  · true: <b>{truth}</b>
                </>
              )}
            </>
          ) : (
            <>
              Predicted value: <b>{formatValue(prediction.value, 3)}</b>
              {truth !== null && (
                <>
                  {' '}
                  · true: <b>{formatValue(Number(truth), 3)}</b>
                </>
              )}
            </>
          )}
        </p>
      </div>
    );
  }
  return (
    <div className="gs-prediction" data-testid="prediction">
      <p>
        Generated caption: <q>
          <ShownText text={prediction.text} />
        </q>
      </p>
      {truth !== null && (
        <p>
          Reference: <q>
            <ShownText text={truth} />
          </q>
        </p>
      )}
    </div>
  );
}
