// A list of evaluated examples (thumbnail, text as text, truth and prediction), each a
// button that opens the example in the Inspect panel. Texts and class names are shown
// escaped; long texts are cut without a "show all" button (the card is a button).
import { visibleText } from '../../state/for-ui.ts';
import type { PreparedDataset } from '../../data/types.ts';
import { ShownText } from '../data/ShownText.tsx';
import { ExampleImage } from '../inspect/ExampleImage.tsx';

export interface ExampleCard {
  index: number;
  truth: string;
  predicted: string;
  /** Probability of the predicted class, when known. */
  confidence?: number;
}

export interface ExampleCardsProps {
  dataset: PreparedDataset;
  cards: readonly ExampleCard[];
  onInspectExample(index: number): void;
  testId?: string;
  label: string;
}

export function ExampleCards({ dataset, cards, onInspectExample, testId, label }: ExampleCardsProps) {
  return (
    <ul className="gs-cards" data-testid={testId} aria-label={label}>
      {cards.map((c) => (
        <li key={c.index}>
          <button type="button" className="gs-card-button" data-index={c.index} onClick={() => onInspectExample(c.index)} title="Open in the Inspect panel">
            {dataset.hasImage[c.index] ? <ExampleImage dataset={dataset} index={c.index} size={48} /> : null}
            <span className="gs-card-body">
              <span className="gs-card-text">{typeof dataset.texts[c.index] === 'string' ? <ShownText text={dataset.texts[c.index]!} expand={false} /> : '(no text)'}</span>
              <span className="gs-card-meta">
                #{c.index} · true <b>{visibleText(c.truth)}</b> · predicted <b>{visibleText(c.predicted)}</b>
                {c.confidence !== undefined && ` (${(100 * c.confidence).toFixed(0)}%)`}
              </span>
            </span>
          </button>
        </li>
      ))}
    </ul>
  );
}
