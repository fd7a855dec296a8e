// Confusion matrix as a table of buttons: rows are true classes, columns predicted ones;
// each cell is coloured by its share of the row (cividis, with a legend of the scale)
// and lists its examples when clicked. Class names are shown escaped (visibleText).
import { visibleText } from '../../state/for-ui.ts';
import { cssColor, cssGradient, textOn } from '../common/colormap.ts';

export interface ConfusionMatrixProps {
  classes: readonly string[];
  /** confusion[t][p]: examples of true class t predicted as p. */
  confusion: readonly (readonly number[])[];
  selected: { truth: number; predicted: number } | null;
  onSelect(cell: { truth: number; predicted: number }): void;
}

export function ConfusionMatrix({ classes, confusion, selected, onSelect }: ConfusionMatrixProps) {
  const names = classes.map((c) => visibleText(c));
  return (
    <div className="gs-confusion-scroll">
      <table className="gs-confusion" data-testid="confusion-matrix" data-classes={classes.length}>
        <caption>
          Rows: true class · columns: predicted class · colour: share of the row
        </caption>
        <thead>
          <tr>
            <th scope="col" className="gs-confusion-corner">
              true ╲ pred.
            </th>
            {names.map((c, p) => (
              <th key={p} scope="col" title={c}>
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {names.map((c, t) => {
            const row = confusion[t] ?? [];
            const total = row.reduce((a, b) => a + b, 0);
            return (
              <tr key={t}>
                <th scope="row" title={c}>
                  {c}
                </th>
                {names.map((pc, p) => {
                  const count = row[p] ?? 0;
                  const share = total > 0 ? count / total : 0;
                  const isSelected = selected?.truth === t && selected?.predicted === p;
                  return (
                    <td key={p} className={t === p ? 'is-diagonal' : undefined}>
                      <button
                        type="button"
                        data-testid="confusion-cell"
                        data-true={t}
                        data-predicted={p}
                        aria-pressed={isSelected}
                        aria-label={`${count} example${count === 1 ? '' : 's'} of ${c} predicted as ${pc}`}
                        style={count > 0 ? { background: cssColor('cividis', share), color: textOn('cividis', share) } : undefined}
                        className={count > 0 ? undefined : 'is-zero'}
                        onClick={() => onSelect({ truth: t, predicted: p })}
                      >
                        {count}
                      </button>
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
      <div className="gs-confusion-legend" data-testid="confusion-legend">
        <span>share of the row:</span>
        <span className="gs-confusion-legend-zero" title="no examples">0 examples</span>
        <span>0 %</span>
        <span className="gs-confusion-legend-ramp" style={{ background: cssGradient('cividis') }} aria-hidden="true" />
        <span>100 %</span>
      </div>
    </div>
  );
}
