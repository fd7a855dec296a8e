// Sizes of the splits and what they hold.
import type { PreparedDataset } from '../../data/types.ts';

/** Table of train / validation / test counts. */
export function SplitSizes({ dataset }: { dataset: PreparedDataset }) {
  const rows = [
    ['train', dataset.stats.train],
    ['validation', dataset.stats.validation],
    ['test', dataset.stats.test],
  ] as const;
  return (
    <fieldset data-testid="split-sizes">
      <legend>Splits</legend>
      <table className="split-table">
        <thead>
          <tr>
            <th>split</th>
            <th>examples</th>
            <th>{dataset.audio ? 'with audio' : 'with image'}</th>
            <th>with text</th>
            <th>truncated texts</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([name, s]) => (
            <tr key={name} data-testid={`split-${name}`}>
              <td>{name}</td>
              <td>{s.count}</td>
              <td>{s.withImage}</td>
              <td>{s.withText}</td>
              <td>{s.truncated}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="data-note">
        {dataset.size} examples · task {dataset.task} · vocabulary {dataset.vocab.tokens.length} tokens (from the training split) · {dataset.audio ? `audio: up to ${dataset.audio.length} log-mel frames of ${dataset.audio.frameSize} bands (10 ms apart)` : `images ${dataset.imageSize}×${dataset.imageSize}`}
      </p>
    </fieldset>
  );
}
