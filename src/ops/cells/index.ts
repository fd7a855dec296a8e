// The recurrent cells, one folder each (CPU reference, WGSL fragment, gate names, export
// naming). Adding a cell: a folder with its CellSpec, and one line here.
import type { CellSpec } from './cell.ts';
import { gruCell } from './gru/gru.ts';
import { lstmCell } from './lstm/lstm.ts';
import { rnnReluCell, rnnTanhCell } from './rnn/rnn.ts';

export type { CellNaming, CellSpec } from './cell.ts';

export const CELLS = {
  rnn_tanh: rnnTanhCell,
  rnn_relu: rnnReluCell,
  lstm: lstmCell,
  gru: gruCell,
} satisfies Record<string, CellSpec>;

export type CellKind = keyof typeof CELLS;
