// Display names shared by the panels.
import type { CellKind } from '../../ops/recurrent.ts';

export const CELL_LABELS: Record<CellKind, string> = {
  rnn_tanh: 'RNN (tanh)',
  rnn_relu: 'RNN (ReLU)',
  lstm: 'LSTM',
  gru: 'GRU',
};
