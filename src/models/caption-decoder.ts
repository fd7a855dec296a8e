// The caption decoder's exporters: the text encoder over the caption vocabulary, run
// teacher-forced, conditioned on the image feature v through its initial states (init,
// linear in v: see MultimodalModel.initialStates) or concatenated to every input (early),
// and a Linear to the vocabulary at every position.
import type { ModelConfig } from './config-types.ts';
import type { OnnxGraph, PythonWriter } from './emitters.ts';
import { initialStatesOnnx, textEncoderOnnx, type OnnxTextConditioning } from './text-encoder.ts';

/**
 * The teacher-forced decoder as ONNX nodes, conditioned on the image feature v (linear,
 * [batch, F]) through its initial states or concatenated to every input. Emits logits
 * [batch, time, V] and next_logits [batch, V].
 */
export function captionDecoderOnnx(g: OnnxGraph, c: ModelConfig, v: string, emit: (from: string, name: string) => void): void {
  const L = c.text.numLayers;
  const H = c.text.hiddenSize;
  const cond: OnnxTextConditioning = {};
  if (c.fusion === 'early') {
    cond.extra = v;
    cond.extraSize = c.image.featureSize;
  } else {
    // The caption decoder's initial states are linear in v (MultimodalModel.initialStates).
    cond.h0 = initialStatesOnnx(g, 'decoder.init_h', v, L, H, 'none');
    if (c.text.cell === 'lstm') cond.c0 = initialStatesOnnx(g, 'decoder.init_c', v, L, H, 'none');
  }
  const text = textEncoderOnnx(g, c.text, 'decoder', 'tokens', 'lengths', cond);
  // Y [time, 1, batch, H] → [batch, time, H] → rows [batch·time, H] → logits [batch, time, V].
  const bth = g.node('Transpose', [g.node('Squeeze', [text.lastY, g.ints([1])], 'decoder.Y_tbh')], 'decoder.Y_bth', { perm: [1, 0, 2] });
  const rows = g.node('Reshape', [bth, g.ints([-1, H])], 'decoder.rows');
  const flatLogits = g.linear('decoder.out', rows, 'none');
  const bt = g.node('Slice', [g.node('Shape', ['tokens'], 'decoder.tokens_shape'), g.ints([0]), g.ints([2])], 'decoder.bt');
  const logitsShape = g.node('Concat', [bt, g.ints([c.outputSize])], 'decoder.logits_shape', { axis: 0 });
  emit(g.node('Reshape', [flatLogits, logitsShape], 'decoder.logits'), 'logits');
  emit(g.linear('decoder.out', text.feature, 'none'), 'next_logits');
}

/**
 * The PyTorch `CaptionDecoder`: the TextEncoder over the caption vocabulary, conditioned
 * on the image through its initial states or its inputs, and the output Linear.
 */
export function captionDecoderPython(py: PythonWriter, c: ModelConfig): void {
  const out = (s: string) => py.line(s);
  const t = c.text;
  const H = t.hiddenSize;
  const F = c.image.featureSize;
  const n = t.numLayers * H;
  const init = c.fusion === 'init';
  out('class CaptionDecoder(TextEncoder):');
  out(`    """The caption decoder: TextEncoder over the caption vocabulary, ${init ? 'initial states from the image' : 'the image concatenated to every input'}, and a Linear to the vocabulary."""`);
  out('');
  out('    def __init__(self):');
  out(`        super().__init__(${c.outputSize})`);
  if (init) {
    out(`        self.init_h = nn.Linear(${F}, ${n})  # h0 of every layer`);
    if (t.cell === 'lstm') out(`        self.init_c = nn.Linear(${F}, ${n})  # c0 of every layer`);
  }
  out(`        self.out = nn.Linear(${H}, ${c.outputSize})`);
  out('');
  out('    def initial_state(self, v):');
  if (init) {
    out(`        """W v + b (linear: a tanh here saturates and stops learning) -> [layers, N, ${H}] per state."""`);
    out(`        h0 = self.init_h(v).view(v.shape[0], ${t.numLayers}, ${H}).transpose(0, 1).contiguous()`);
    if (t.cell === 'lstm') {
      out(`        c0 = self.init_c(v).view(v.shape[0], ${t.numLayers}, ${H}).transpose(0, 1).contiguous()`);
      out('        return (h0, c0)');
    } else {
      out('        return h0');
    }
  } else {
    out('        return None  # early conditioning: v is concatenated to every input instead');
  }
  out('');
  out('    def forward(self, v, tokens, lengths):');
  out(`        _, outputs = super().forward(tokens, lengths, ${c.fusion === 'early' ? 'v, ' : ''}state=self.initial_state(v))`);
  out('        y, _ = pad_packed_sequence(outputs, batch_first=True, total_length=tokens.shape[1])  # [N, T, H], 0 past each length');
  out('        return self.out(y)');
  out('');
  out('');
}
