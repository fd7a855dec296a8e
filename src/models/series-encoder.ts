// Series encoder: numeric frames [B, T, F] (time series now, audio frames later) → one
// Linear per frame, x_t = W·f_t + b with W [E, F] → the text encoder's recurrent stack
// (RNN | LSTM | GRU, ragged lengths) → the last layer's final state [B, D·H]. Only the
// input differs from the text encoder (a projection instead of an embedding lookup), so
// gate capture, the inspector and the time-gradient views work the same over frames.
import type { Tensor } from '../tensor.ts';
import { reshape } from '../ops/shape.ts';
import type { SeriesEncoderConfig, TextEncoderConfig } from './config-types.ts';
import { linear, linearSpecs, type ParamSpec, type Params } from './params.ts';
import { encodeSteps, recurrentSpecs, stepsEncoderOnnx, type OnnxTextEncoding, type TextEncoding } from './text-encoder.ts';
import type { OnnxGraph, PythonWriter } from './emitters.ts';
import { CELLS } from '../ops/recurrent.ts';

/** Parameter prefix of the series encoder (the text encoder's is "text_encoder"). */
export const SERIES_ENCODER = 'series_encoder';

/** Frame projection (torch.nn.Linear init) and the recurrent stack. */
export function seriesEncoderSpecs(prefix: string, s: SeriesEncoderConfig, t: TextEncoderConfig): ParamSpec[] {
  return [...linearSpecs(`${prefix}.input`, s.frameSize, t.embeddingSize), ...recurrentSpecs(`${prefix}.rnn`, t, t.embeddingSize)];
}

export interface SeriesInputBatch {
  /** f32 [B, T, F], standardised. */
  frames: Tensor;
  /** Real frames per example, each in [1, T]. */
  lengths: Int32Array;
}

/** Runs the series encoder named `prefix`; `embedded` of the result is the projected frames [B, T, E]. */
export function encodeSeries(params: Params, prefix: string, t: TextEncoderConfig, input: SeriesInputBatch, options: { training: boolean; seed: number }): TextEncoding {
  const [B, T, F] = input.frames.shape;
  const projected = reshape(linear(params, `${prefix}.input`, reshape(input.frames, [B * T, F])), [B, T, t.embeddingSize]);
  return encodeSteps(params, prefix, t, projected, input.lengths, {}, options);
}

/**
 * The series encoder as ONNX nodes over `frames` f32 [batch, time, F] (standardised) and
 * `lengths` i32 [batch]: MatMul by Wᵀ [F, E] + b → the recurrent stack (stepsEncoderOnnx).
 */
export function seriesEncoderOnnx(g: OnnxGraph, s: SeriesEncoderConfig, t: TextEncoderConfig, prefix: string, frames: string, lengths: string): OnnxTextEncoding {
  const F = s.frameSize;
  const E = t.embeddingSize;
  const w = g.weight(`${prefix}.input.weight`); // [E, F]
  const wt = new Float32Array(F * E);
  for (let e = 0; e < E; e++) for (let f = 0; f < F; f++) wt[f * E + e] = w[e * F + f];
  const mm = g.node('MatMul', [frames, g.init(`${prefix}.input.weight_t`, [F, E], wt)], `${prefix}.input.matmul`);
  const projected = g.node('Add', [mm, g.param(`${prefix}.input.bias`)], `${prefix}.projected`); // [batch, time, E]
  return stepsEncoderOnnx(g, t, prefix, projected, frames, lengths, {});
}

/** The PyTorch `SeriesEncoder` class: nn.Linear per frame, then torch.nn.LSTM | GRU | RNN over packed sequences. */
export function seriesEncoderPython(py: PythonWriter, s: SeriesEncoderConfig, t: TextEncoderConfig): void {
  const out = (line: string) => py.line(line);
  const D = t.bidirectional ? 2 : 1;
  const H = t.hiddenSize;
  const cell = CELLS[t.cell].naming;
  out('class SeriesEncoder(nn.Module):');
  out(`    """Linear(${s.frameSize} -> ${t.embeddingSize}) per frame -> ${cell.torchModule}(${t.numLayers} layer${t.numLayers > 1 ? 's' : ''}${t.bidirectional ? ', bidirectional' : ''}) over packed ragged sequences.`);
  out('');
  out(`    Returns the final hidden state of the last layer at each row's last real frame,`);
  out(`    [N, ${D * H}]${D === 2 ? ' (forward state, then reverse state)' : ''}, and the packed outputs.`);
  if (s.audio) {
    out('');
    out('    Here the frames are audio: log-mel frames, not the waveform (16 kHz mono, 25 ms Hann windows every');
    out(`    10 ms, ${s.frameSize} HTK mel bands, log(mel + 1e-6), standardised per band; GateScope's src/data/audio-features.ts).`);
  }
  out('    """');
  out('');
  out('    def __init__(self):');
  out('        super().__init__()');
  out(`        self.input = nn.Linear(${s.frameSize}, ${t.embeddingSize})`);
  out(
    `        self.rnn = ${cell.torchModule}(${t.embeddingSize}, ${H}, num_layers=${t.numLayers}, batch_first=True, bidirectional=${t.bidirectional ? 'True' : 'False'}, dropout=${t.numLayers > 1 ? t.dropout : 0}${cell.torchArgs})`,
  );
  out('');
  out('    def forward(self, frames, lengths, state=None):');
  out('        x = self.input(frames)  # [N, T, E]');
  out('        packed = pack_padded_sequence(x, lengths.to("cpu", torch.int64), batch_first=True, enforce_sorted=False)');
  out('        outputs, final = self.rnn(packed, state)');
  out(`        h_n = ${t.cell === 'lstm' ? 'final[0]' : 'final'}  # [layers * directions, N, H]`);
  out(`        feature = ${D === 2 ? 'torch.cat([h_n[-2], h_n[-1]], dim=1)' : 'h_n[-1]'}`);
  out('        return feature, outputs');
  out('');
  out('');
}
