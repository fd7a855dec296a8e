// Audio encoder: log-mel frames [B, T, F] (F = 40 mel bands) → the series encoder (one
// Linear per frame, then a recurrent stack with the text encoder's cell and sizes, its own
// weights, ragged lengths) → final state [B, D·H] → Linear → ReLU → the feature a [B, Fv]
// (Fv = image.featureSize). `a` takes the image feature v's place, so every fusion
// strategy fuses audio with the text (a question) unchanged. Only the last Linear is new:
// the frame projection and the recurrence are series-encoder.ts's code under another prefix.
import type { Tensor } from '../tensor.ts';
import type { ModelConfig, SeriesEncoderConfig } from './config-types.ts';
import type { OnnxGraph, PythonWriter } from './emitters.ts';
import { linear, linearSpecs, type ParamSpec, type Params } from './params.ts';
import { encodeSeries, seriesEncoderOnnx, seriesEncoderPython, seriesEncoderSpecs, type SeriesInputBatch } from './series-encoder.ts';
import type { TextEncoding } from './text-encoder.ts';

/** Parameter prefix of the audio encoder. */
export const AUDIO_ENCODER = 'audio_encoder';

function width(c: ModelConfig): number {
  return (c.text.bidirectional ? 2 : 1) * c.text.hiddenSize;
}

/** The recurrent settings of the audio stack: the text encoder's, without its peephole or start tweaks. */
function audioSteps(c: ModelConfig): ModelConfig['text'] {
  return { ...c.text, peephole: undefined };
}

export function audioEncoderSpecs(c: ModelConfig, a: SeriesEncoderConfig): ParamSpec[] {
  return [...seriesEncoderSpecs(AUDIO_ENCODER, a, audioSteps(c)), ...linearSpecs(`${AUDIO_ENCODER}.proj`, width(c), c.image.featureSize)];
}

/** The audio feature [B, Fv] and the recurrent run (for gate capture over frames). */
export function encodeAudio(params: Params, c: ModelConfig, input: SeriesInputBatch, options: { training: boolean; seed: number }): { feature: Tensor; encoding: TextEncoding } {
  const encoding = encodeSeries(params, AUDIO_ENCODER, audioSteps(c), input, options);
  return { feature: linear(params, `${AUDIO_ENCODER}.proj`, encoding.feature, 'relu'), encoding };
}

/** The audio feature as ONNX nodes over `frames` f32 [batch, time, F] and `lengths` i32 [batch]. */
export function audioEncoderOnnx(g: OnnxGraph, c: ModelConfig, a: SeriesEncoderConfig, frames: string, lengths: string): string {
  const enc = seriesEncoderOnnx(g, a, audioSteps(c), AUDIO_ENCODER, frames, lengths);
  return g.linear(`${AUDIO_ENCODER}.proj`, enc.feature, 'relu');
}

/**
 * The PyTorch `AudioEncoder` class: a `SeriesEncoder` (written here too; same parameter
 * names `input`, `rnn`) with the projection `proj` after it.
 */
export function audioEncoderPython(py: PythonWriter, c: ModelConfig, a: SeriesEncoderConfig): void {
  seriesEncoderPython(py, a, audioSteps(c));
  const out = (line: string) => py.line(line);
  out('class AudioEncoder(SeriesEncoder):');
  out(`    """Log-mel frames [N, T, ${a.frameSize}] -> SeriesEncoder -> Linear -> ReLU: the audio feature [N, ${c.image.featureSize}],`);
  out('    used where an image model uses the image feature v.');
  out('');
  out('    The module takes log-mel frames, not the waveform: 16 kHz mono, 25 ms Hann windows every');
  out(`    10 ms in a 512-point FFT (torch.stft center=False), ${a.frameSize} HTK mel bands up to 8 kHz,`);
  out("    log(mel + 1e-6), then standardised per band with the mean and std of GateScope's training split.");
  out('    GateScope computes them in src/data/audio-features.ts; samples.safetensors holds frames made so.');
  out('    """');
  out('');
  out('    def __init__(self):');
  out('        super().__init__()');
  out(`        self.proj = nn.Linear(${width(c)}, ${c.image.featureSize})`);
  out('');
  out('    def forward(self, frames, lengths):');
  out('        feature, _ = super().forward(frames, lengths)');
  out('        return F.relu(self.proj(feature))');
  out('');
  out('');
}
