// Recurrent layer cases: every cell × {1, 2 layers} × {uni, bi} × {equal, ragged
// lengths} × {with, without h0/c0}, on both WebGPU forward paths. The loss weights the
// output sequence and every final state, so all gradients (inputs, weights, biases,
// initial states) are checked.
import type { CaseInput, OpCase } from './ops.support.ts';
import { CELLS, recurrent, type CellKind, type RecurrencePath, type RecurrentConfig } from './recurrent.ts';
import type { Tensor } from '../tensor.ts';

const B = 3;
const T = 4;
const I = 3;
const H = 3;

function makeCase(
  cell: CellKind,
  layers: number,
  bidirectional: boolean,
  ragged: boolean,
  withInit: boolean,
  path: RecurrencePath,
  dropoutP = 0,
  inputBias = false,
  peephole = false,
): OpCase {
  const D = bidirectional ? 2 : 1;
  const G = CELLS[cell].gates;
  const hasCell = CELLS[cell].hasCell;
  const config: RecurrentConfig = { cell, inputSize: I, hiddenSize: H, numLayers: layers, bidirectional, dropout: dropoutP, peephole };
  const lengths = ragged ? [T, 2, 1] : [T, T, T];
  const inputs: CaseInput[] = [{ shape: [B, T, I] }];
  for (let l = 0; l < layers; l++) {
    const inSize = l === 0 ? I : D * H;
    for (let d = 0; d < D; d++) inputs.push({ shape: [G * H, inSize] }, { shape: [G * H, H] }, { shape: [G * H] }, { shape: [G * H] });
  }
  const states = withInit ? layers * D : 0;
  for (let k = 0; k < states; k++) {
    inputs.push({ shape: [B, H] });
    if (hasCell) inputs.push({ shape: [B, H] });
  }
  // Per-example input bias of the first layer, one per direction: [B, G·H].
  if (inputBias) for (let d = 0; d < D; d++) inputs.push({ shape: [B, G * H] });
  // Peephole weights (LSTM) per layer·direction: [3·H], seeded non-zero like every input.
  if (peephole) for (let k = 0; k < layers * D; k++) inputs.push({ shape: [3 * H] });
  const name = `${cell} ${layers}L ${bidirectional ? 'bi' : 'uni'} ${ragged ? 'ragged' : 'equal'} ${withInit ? 'h0' : 'zero-init'} ${path}${dropoutP ? ` dropout ${dropoutP}` : ''}${inputBias ? ' input bias' : ''}${peephole ? ' peephole' : ''}`;
  return {
    ops: [cell === 'rnn_tanh' || cell === 'rnn_relu' ? 'rnn' : cell, 'recurrentBackward', ...(dropoutP ? ['dropout'] : [])] as OpCase['ops'],
    name,
    inputs,
    skipGradcheck: path === 'sequence', // the CPU reference has one path; checked once
    tolerance: { atol: 2e-5, rtol: 2e-4 },
    run: (ts: Tensor[]) => {
      const [x, ...rest] = ts;
      const layersParams = [];
      let k = 0;
      for (let i = 0; i < layers * D; i++) {
        layersParams.push({ wIh: rest[k], wHh: rest[k + 1], bIh: rest[k + 2], bHh: rest[k + 3] });
        k += 4;
      }
      const h0: Tensor[] = [];
      const c0: Tensor[] = [];
      for (let i = 0; i < states; i++) {
        h0.push(rest[k++]);
        if (hasCell) c0.push(rest[k++]);
      }
      const biases = inputBias ? rest.slice(k, k + D) : undefined;
      if (inputBias) k += D;
      if (peephole) layersParams.forEach((lp, i) => Object.assign(lp, { peephole: rest[k + i] }));
      const r = recurrent(x, lengths, { layers: layersParams }, config, {
        h0: withInit ? h0 : undefined,
        c0: withInit && hasCell ? c0 : undefined,
        path,
        training: dropoutP > 0,
        seed: 11,
        inputBias: biases,
      });
      return [r.output, ...r.hN, ...(r.cN ?? [])];
    },
  };
}

export const cases: OpCase[] = [];
for (const path of ['step', 'sequence'] as const) {
  for (const cell of ['rnn_tanh', 'rnn_relu', 'lstm', 'gru'] as const) {
    for (const layers of [1, 2]) {
      for (const bi of [false, true]) {
        for (const ragged of [false, true]) {
          for (const withInit of [false, true]) cases.push(makeCase(cell, layers, bi, ragged, withInit, path));
        }
      }
    }
  }
}

// Per-example input bias on the first layer (additive fusion): every cell, both paths,
// ragged lengths so that padded steps must not contribute to its gradient.
for (const path of ['step', 'sequence'] as const) {
  for (const cell of ['rnn_tanh', 'lstm', 'gru'] as const) {
    cases.push(makeCase(cell, 2, true, true, true, path, 0, true));
    cases.push(makeCase(cell, 1, false, true, false, path, 0, true));
  }
}

// Dropout between layers, training mode (the mask is the same on every backend).
cases.push(makeCase('lstm', 2, true, true, false, 'step', 0.3));
cases.push(makeCase('gru', 3, false, false, false, 'sequence', 0.5));

// Peephole LSTM (cells/lstm/lstm.ts): both paths; odd H (3), one and two layers, both
// directions, ragged lengths, initial states, an input bias, dropout between layers.
for (const path of ['step', 'sequence'] as const) {
  cases.push(makeCase('lstm', 1, false, false, false, path, 0, false, true));
  cases.push(makeCase('lstm', 2, true, true, true, path, 0, false, true));
  cases.push(makeCase('lstm', 1, true, true, false, path, 0, true, true));
}
cases.push(makeCase('lstm', 2, false, true, true, 'step', 0.3, false, true));
