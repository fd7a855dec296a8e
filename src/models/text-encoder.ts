// Text encoder: token ids [B, T] → embedding [B, T, E] → stacked RNN | LSTM | GRU
// (torch.nn semantics, batch-first, ragged lengths) → text feature u = the last layer's
// final hidden state at each example's last real token, [B, D·H] (forward state, then
// the reverse state when bidirectional). The image can condition the recurrence:
// concatenated to every input (early), as initial states (init), or added to the input
// projection at every step (additive); see src/models/fusion/.
import type { Tensor } from '../tensor.ts';
import { concat } from '../ops/concat.ts';
import { embedding } from '../ops/embedding.ts';
import { expand } from '../ops/expand.ts';
import { onnxPeephole } from '../ops/cells/lstm/lstm.ts';
import { CELLS, recurrent, type LayerParams, type RecurrentConfig, type RecurrentOptions, type RecurrentResult } from '../ops/recurrent.ts';
import type { TextEncoderConfig } from './config-types.ts';
import type { OnnxGraph, PythonWriter } from './emitters.ts';
import type { ParamSpec, Params } from './params.ts';

/** Names of one layer·direction's recurrent weights, PyTorch style. */
export function recurrentNames(prefix: string, layer: number, reverse: boolean) {
  const s = `l${layer}${reverse ? '_reverse' : ''}`;
  return {
    wIh: `${prefix}.weight_ih_${s}`,
    wHh: `${prefix}.weight_hh_${s}`,
    bIh: `${prefix}.bias_ih_${s}`,
    bHh: `${prefix}.bias_hh_${s}`,
    /** Peephole weights [3·H] (p_i, p_f, p_o), when the LSTM has them. */
    peephole: `${prefix}.weight_peephole_${s}`,
  };
}

/** torch.nn.RNN/LSTM/GRU parameters: every weight and bias U(−1/√H, 1/√H). */
export function recurrentSpecs(prefix: string, t: TextEncoderConfig, inputSize: number): ParamSpec[] {
  const G = CELLS[t.cell].gates;
  const H = t.hiddenSize;
  const D = t.bidirectional ? 2 : 1;
  const init = { kind: 'uniform' as const, bound: 1 / Math.sqrt(H) };
  const specs: ParamSpec[] = [];
  for (let l = 0; l < t.numLayers; l++) {
    const inSize = l === 0 ? inputSize : D * H;
    for (let d = 0; d < D; d++) {
      const n = recurrentNames(prefix, l, d === 1);
      // The memory gate is block 1 in both PyTorch orders: LSTM i,f,g,o and GRU r,z,n.
      const keep = t.forgetBias && (t.cell === 'lstm' || t.cell === 'gru') ? [{ start: H, end: 2 * H, value: t.forgetBias }] : undefined;
      specs.push(
        { name: n.wIh, shape: [G * H, inSize], init },
        { name: n.wHh, shape: [G * H, H], init: t.identityInit ? { kind: 'identity', scale: t.identityInit } : init },
        { name: n.bIh, shape: [G * H], init, overrides: keep },
        { name: n.bHh, shape: [G * H], init, overrides: keep && [{ start: H, end: 2 * H, value: 0 }] },
      );
      // Peephole weights start at 0: the cell starts as the plain LSTM.
      if (t.peephole) specs.push({ name: n.peephole, shape: [3 * H], init: { kind: 'constant', value: 0 } });
    }
  }
  return specs;
}

/** Embedding table (torch.nn.Embedding init: N(0, 1)) and the recurrent stack. */
export function textEncoderSpecs(prefix: string, t: TextEncoderConfig, vocabSize: number, extraInput: number): ParamSpec[] {
  return [
    { name: `${prefix}.embedding.weight`, shape: [vocabSize, t.embeddingSize], init: { kind: 'normal', std: 1 } },
    ...recurrentSpecs(`${prefix}.rnn`, t, t.embeddingSize + extraInput),
  ];
}

export interface TextConditioning {
  /** Concatenated to every token embedding: [B, F] (early fusion). */
  extraInput?: Tensor;
  /** Initial hidden (and cell) state per layer·direction, [B, H] each (init fusion). */
  h0?: Tensor[];
  c0?: Tensor[];
  /** Added to the first layer's input projection at every step, [B, G·H] per direction (additive fusion). */
  inputBias?: Tensor[];
}

export interface TextEncoding {
  /** [B, D·H]: final state of the last layer (forward ‖ reverse). */
  feature: Tensor;
  /** The recurrent result (outputs, final states, what forward saved for the inspector). */
  recurrent: RecurrentResult;
  /** Token embeddings [B, T, E] (their gradient is the per-timestep gradient view). */
  embedded: Tensor;
}

export interface TextInput {
  /** i32 [B, T]. */
  tokens: Tensor;
  /** Host copy of the ids, [B·T]. */
  hostTokens: Int32Array;
  /** Real steps per example, each in [1, T]. */
  lengths: Int32Array;
  /**
   * f32 [B, T, F] standardised numeric frames (series datasets): a model with a series
   * encoder reads these instead of the ids, which are then all <pad> and only index steps.
   */
  frames?: Tensor;
}

export function recurrentConfig(t: TextEncoderConfig, inputSize: number): RecurrentConfig {
  return { cell: t.cell, inputSize, hiddenSize: t.hiddenSize, numLayers: t.numLayers, bidirectional: t.bidirectional, dropout: t.dropout, peephole: !!t.peephole };
}

export function recurrentParamsOf(params: Params, prefix: string, t: TextEncoderConfig): { layers: LayerParams[] } {
  const D = t.bidirectional ? 2 : 1;
  const layers: LayerParams[] = [];
  for (let l = 0; l < t.numLayers; l++) {
    for (let d = 0; d < D; d++) {
      const n = recurrentNames(`${prefix}.rnn`, l, d === 1);
      layers.push({ wIh: params.get(n.wIh), wHh: params.get(n.wHh), bIh: params.get(n.bIh), bHh: params.get(n.bHh), ...(t.peephole ? { peephole: params.get(n.peephole) } : {}) });
    }
  }
  return { layers };
}

/** Runs the encoder named `prefix` (e.g. "text_encoder"). */
export function encodeText(
  params: Params,
  prefix: string,
  t: TextEncoderConfig,
  input: TextInput,
  conditioning: TextConditioning,
  options: { training: boolean; seed: number },
): TextEncoding {
  const embedded = embedding(params.get(`${prefix}.embedding.weight`), input.tokens, input.hostTokens);
  return encodeSteps(params, prefix, t, embedded, input.lengths, conditioning, options);
}

/**
 * The recurrent stack of the encoder named `prefix` over per-step inputs x [B, T, E]
 * (token embeddings, or projected series frames: see series-encoder.ts).
 */
export function encodeSteps(
  params: Params,
  prefix: string,
  t: TextEncoderConfig,
  embedded: Tensor,
  lengths: Int32Array,
  conditioning: TextConditioning,
  options: { training: boolean; seed: number },
): TextEncoding {
  const T = embedded.shape[1];
  let x = embedded;
  if (conditioning.extraInput) x = concat([embedded, expand(conditioning.extraInput, 1, T)]);
  const recurrentOptions: RecurrentOptions = {
    h0: conditioning.h0,
    c0: conditioning.c0,
    inputBias: conditioning.inputBias,
    training: options.training,
    seed: options.seed,
  };
  const result = recurrent(x, lengths, recurrentParamsOf(params, prefix, t), recurrentConfig(t, x.shape[2]), recurrentOptions);
  const D = t.bidirectional ? 2 : 1;
  const last = (t.numLayers - 1) * D;
  const feature = D === 2 ? concat([result.hN[last], result.hN[last + 1]]) : result.hN[last];
  return { feature, recurrent: result, embedded };
}

/** How the image conditions the recurrence in the ONNX graph (TextConditioning's counterpart). */
export interface OnnxTextConditioning {
  /** [batch, F] concatenated to every step's input. */
  extra?: string;
  extraSize?: number;
  /**
   * W_ih columns for `extra` per direction and a bias added to b_ih: additive fusion folds
   * its per-example input bias this way (W_a v + b_a = [W_ih | W_a]·[x ; v] − W_ih·x + b_a).
   */
  extraWeights?: { w: Float32Array[]; b: Float32Array[] };
  /** [L·D, batch, H] initial states. */
  h0?: string;
  c0?: string;
}

export interface OnnxTextEncoding {
  /** u [batch, D·H]. */
  feature: string;
  /** The last layer's Y [time, D, batch, H]. */
  lastY: string;
}

/**
 * The encoder named `prefix` over `tokens` / `lengths` (i32) as ONNX nodes: Gather
 * (embedding) → per layer: Transpose → LSTM | GRU | RNN (layout 0, sequence_lens for
 * ragged batches) → Transpose / Reshape.
 */
export function textEncoderOnnx(g: OnnxGraph, t: TextEncoderConfig, prefix: string, tokens: string, lengths: string, cond: OnnxTextConditioning): OnnxTextEncoding {
  const embedded = g.node('Gather', [g.param(`${prefix}.embedding.weight`), tokens], `${prefix}.embedded`, { axis: 0 }); // [batch, time, E]
  return stepsEncoderOnnx(g, t, prefix, embedded, tokens, lengths, cond);
}

/**
 * The recurrent stack of the encoder named `prefix` over per-step inputs `embedded`
 * [batch, time, E] as ONNX nodes; `shaped` is any tensor whose dims 0–1 are [batch, time].
 */
export function stepsEncoderOnnx(g: OnnxGraph, t: TextEncoderConfig, prefix: string, embedded: string, shaped: string, lengths: string, cond: OnnxTextConditioning): OnnxTextEncoding {
  const D = t.bidirectional ? 2 : 1;
  const H = t.hiddenSize;
  const G = CELLS[t.cell].gates;
  const E = t.embeddingSize;
  let x = g.node('Transpose', [embedded], `${prefix}.embedded_tbe`, { perm: [1, 0, 2] }); // [time, batch, E]
  let inSize = E;
  if (cond.extra) {
    const F = cond.extraSize!;
    // [1, batch, F] expanded over time: Expand broadcasts it with [time, 1, 1].
    const time = g.node('Slice', [g.node('Shape', [shaped], `${prefix}.tokens_shape`), g.ints([1]), g.ints([2])], `${prefix}.time`);
    const shape = g.node('Concat', [time, g.ints([1, 1])], `${prefix}.expand_shape`, { axis: 0 });
    const v1 = g.node('Unsqueeze', [cond.extra, g.ints([0])], `${prefix}.extra_1bf`);
    const vt = g.node('Expand', [v1, shape], `${prefix}.extra_tbf`);
    x = g.node('Concat', [x, vt], `${prefix}.input_tbi`, { axis: 2 });
    inSize = E + F;
  }
  let Y = '';
  let Yh = '';
  for (let l = 0; l < t.numLayers; l++) {
    const I = l === 0 ? inSize : D * H;
    const dirs = [];
    for (let d = 0; d < D; d++) {
      const n = recurrentNames(`${prefix}.rnn`, l, d === 1);
      let wIh = g.weight(n.wIh);
      let bIh = g.weight(n.bIh);
      const extraW = l === 0 ? cond.extraWeights : undefined;
      if (extraW) {
        // Additive: [G·H, E] ‖ [G·H, F] column blocks → [G·H, E + F], b_ih + b_a.
        // (Early fusion's W_ih is [G·H, E + F] already.)
        const F = cond.extraSize!;
        const wa = extraW.w[d];
        const wide = new Float32Array(G * H * (E + F));
        for (let r = 0; r < G * H; r++) {
          wide.set(wIh.subarray(r * E, (r + 1) * E), r * (E + F));
          wide.set(wa.subarray(r * F, (r + 1) * F), r * (E + F) + E);
        }
        wIh = wide;
        const b = extraW.b[d];
        bIh = bIh.map((x, i) => x + b[i]);
      }
      dirs.push({ wIh, wHh: g.weight(n.wHh), bIh, bHh: g.weight(n.bHh) });
    }
    const { W, R, B } = g.recurrentWeights(t.cell, H, I, dirs);
    const base = `${prefix}.rnn.l${l}`;
    const inputs = [x, g.init(`${base}.W`, [D, G * H, I], W), g.init(`${base}.R`, [D, G * H, H], R), g.init(`${base}.B`, [D, 2 * G * H], B), lengths];
    const slice = (states: string, role: string) => g.node('Slice', [states, g.ints([l * D]), g.ints([(l + 1) * D]), g.ints([0])], `${base}.${role}`);
    if (cond.h0) {
      inputs.push(slice(cond.h0, 'initial_h'));
      if (CELLS[t.cell].hasCell && cond.c0) inputs.push(slice(cond.c0, 'initial_c'));
    }
    if (t.peephole) {
      // P [D, 3·H] in ONNX's order i, o, f; initial_h / initial_c left out are '' (zeros).
      while (inputs.length < 7) inputs.push('');
      const names = Array.from({ length: D }, (_, d) => recurrentNames(`${prefix}.rnn`, l, d === 1).peephole);
      inputs.push(g.init(`${base}.P`, [D, 3 * H], onnxPeephole(H, names.map((n) => g.weight(n)))));
    }
    [Y, Yh] = g.recurrent(t.cell, H, t.bidirectional, inputs, [`${base}.Y`, `${base}.Y_h`]); // [time, D, batch, H], [D, batch, H]
    if (l + 1 < t.numLayers) {
      const tbdh = g.node('Transpose', [Y], `${base}.Y_tbdh`, { perm: [0, 2, 1, 3] });
      x = g.node('Reshape', [tbdh, g.ints([0, 0, D * H])], `${base}.output_tbi`);
    }
  }
  // u = forward ‖ reverse final states of the last layer: [D, batch, H] → [batch, D·H].
  const bdh = g.node('Transpose', [Yh], `${prefix}.final_bdh`, { perm: [1, 0, 2] });
  const feature = g.node('Reshape', [bdh, g.ints([0, D * H])], `${prefix}.feature`);
  return { feature, lastY: Y };
}

/** [batch, count·H] initial states from the Linear `name` → [count, batch, H]. */
export function initialStatesOnnx(g: OnnxGraph, name: string, v: string, count: number, H: number, activation: 'tanh' | 'none'): string {
  const flat = g.linear(name, v, activation);
  const bkh = g.node('Reshape', [flat, g.ints([0, count, H])], `${name}.bkh`);
  return g.node('Transpose', [bkh], `${name}.kbh`, { perm: [1, 0, 2] });
}

/** How the image conditions the recurrence in the PyTorch module. */
export interface PythonTextConditioning {
  /** Width concatenated to every token embedding (`extra` argument of forward). */
  extraInput: number;
  /** The first layer's input projection takes W_a v + b_a (`additive` argument of forward). */
  inputBias: boolean;
  /** Width of the image feature v. */
  imageFeatures: number;
}

/** The cell's name in the generated module's docstrings. */
export function torchCellName(t: TextEncoderConfig): string {
  return CELLS[t.cell].naming.label;
}

/** The PyTorch `TextEncoder` class: embedding and torch.nn.LSTM | GRU | RNN over packed sequences. */
export function textEncoderPython(py: PythonWriter, t: TextEncoderConfig, cond: PythonTextConditioning): void {
  if (t.peephole) {
    peepholeTextEncoderPython(py, t, cond);
    return;
  }
  const out = (s: string) => py.line(s);
  const D = t.bidirectional ? 2 : 1;
  const G = CELLS[t.cell].gates;
  const H = t.hiddenSize;
  const E = t.embeddingSize;
  const F = cond.imageFeatures;
  const { extraInput, inputBias } = cond;
  const torchCell = { module: CELLS[t.cell].naming.torchModule, args: CELLS[t.cell].naming.torchArgs };
  out('class TextEncoder(nn.Module):');
  out(`    """Embedding -> ${torchCell.module}(${t.numLayers} layer${t.numLayers > 1 ? 's' : ''}${t.bidirectional ? ', bidirectional' : ''}) over packed ragged sequences.`);
  out('');
  out(`    Returns the final hidden state of the last layer at each row's last real token,`);
  out(`    [N, ${D * H}]${D === 2 ? ' (forward state, then reverse state)' : ''}, and the packed outputs.`);
  out('    """');
  out('');
  out('    def __init__(self, vocab_size):');
  out('        super().__init__()');
  out(`        self.embedding = nn.Embedding(vocab_size, ${E})`);
  const rnnArgs = (inSize: number, extra = '') =>
    `${torchCell.module}(${inSize}, ${H}, num_layers=${t.numLayers}, batch_first=True, bidirectional=${t.bidirectional ? 'True' : 'False'}, dropout=${t.numLayers > 1 ? t.dropout : 0}${torchCell.args}${extra})`;
  out(`        self.rnn = ${rnnArgs(E + extraInput)}`);
  if (inputBias) {
    out('        # Additive fusion adds W_a v + b_a to the first layer\'s input projection. torch has no');
    out('        # such input, so the first layer is run with W_ih extended by W_a\'s columns on the');
    out('        # input [x_t ; v] and b_ih + b_a (the same function); this shape twin holds no');
    out('        # parameters of its own (meta device, not registered as a submodule).');
    out(`        object.__setattr__(self, "_wide_rnn", ${rnnArgs(E + F, ", device='meta'")})`);
  }
  out('');
  const fwdArgs = ['tokens', 'lengths'];
  if (extraInput) fwdArgs.push('extra');
  if (inputBias) fwdArgs.push('additive');
  fwdArgs.push('state=None');
  out(`    def forward(self, ${fwdArgs.join(', ')}):`);
  out('        x = self.embedding(tokens)  # [N, T, E]');
  if (extraInput || inputBias) {
    out(`        v = ${inputBias ? 'additive[0]' : 'extra'}  # [N, ${F}], the same at every step`);
    out('        x = torch.cat([x, v.unsqueeze(1).expand(-1, x.shape[1], -1)], dim=2)');
  }
  out('        packed = pack_padded_sequence(x, lengths.to("cpu", torch.int64), batch_first=True, enforce_sorted=False)');
  if (inputBias) {
    out('        _, weight, bias = additive  # W_a [D*G*H, F], b_a [D*G*H]');
    out('        params = dict(self.rnn.named_parameters())');
    out(`        gh = ${G * H}`);
    out(`        for d, suffix in enumerate(${D === 2 ? '("", "_reverse")' : '("",)'}):`);
    out('            params["weight_ih_l0" + suffix] = torch.cat([params["weight_ih_l0" + suffix], weight[d * gh:(d + 1) * gh]], dim=1)');
    out('            params["bias_ih_l0" + suffix] = params["bias_ih_l0" + suffix] + bias[d * gh:(d + 1) * gh]');
    out('        self._wide_rnn.train(self.training)  # not a submodule: follow train() / eval() by hand');
    out('        outputs, final = torch.func.functional_call(self._wide_rnn, params, (packed, state))');
  } else {
    out('        outputs, final = self.rnn(packed, state)');
  }
  out(`        h_n = ${t.cell === 'lstm' ? 'final[0]' : 'final'}  # [layers * directions, N, H]`);
  out(`        feature = ${D === 2 ? 'torch.cat([h_n[-2], h_n[-1]], dim=1)' : 'h_n[-1]'}`);
  out('        return feature, outputs');
  out('');
  out('');
}

/**
 * The PyTorch `TextEncoder` of a peephole LSTM: torch.nn.LSTM has no peephole input, so
 * the cell is written out (`PeepholeLSTM`, a loop over time) with parameters named as
 * nn.LSTM's plus weight_peephole_l{k}[_reverse], the names GateScope saves.
 */
function peepholeTextEncoderPython(py: PythonWriter, t: TextEncoderConfig, cond: PythonTextConditioning): void {
  const out = (s: string) => py.line(s);
  const D = t.bidirectional ? 2 : 1;
  const H = t.hiddenSize;
  const E = t.embeddingSize;
  const F = cond.imageFeatures;
  const { extraInput, inputBias } = cond;
  for (const l of [
    'class PeepholeLSTM(nn.Module):',
    '    """LSTM with diagonal peephole connections (torch.nn.LSTM has none), batch-first.',
    '',
    '    Per layer and direction, gate order i, f, g, o as torch.nn.LSTM, c = c_{t-1}:',
    '        i = sigmoid(W_ii x + b_ii + W_hi h + b_hi + p_i * c)',
    '        f = sigmoid(W_if x + b_if + W_hf h + b_hf + p_f * c)',
    '        g = tanh(W_ig x + b_ig + W_hg h + b_hg)',
    "        c' = f * c + i * g",
    "        o = sigmoid(W_io x + b_io + W_ho h + b_ho + p_o * c')   (o peeks at the new c)",
    "        h' = o * tanh(c')",
    '    weight_peephole_l{k}[_reverse] = [p_i | p_f | p_o], [3H]. Rows keep their state past',
    '    their length and output 0 there (as a packed torch.nn.LSTM); the reverse direction',
    '    runs over each row\'s real steps from the last one.',
    '    """',
    '',
    '    def __init__(self, input_size, hidden_size, num_layers=1, bidirectional=False, dropout=0.0):',
    '        super().__init__()',
    '        self.hidden_size = hidden_size',
    '        self.num_layers = num_layers',
    '        self.directions = 2 if bidirectional else 1',
    '        self.dropout = dropout',
    '        H = hidden_size',
    '        bound = 1 / H ** 0.5',
    '        for l in range(num_layers):',
    '            in_size = input_size if l == 0 else self.directions * H',
    '            for suffix in ("", "_reverse")[: self.directions]:',
    '                s = f"l{l}{suffix}"',
    '                for name, shape in ((f"weight_ih_{s}", (4 * H, in_size)), (f"weight_hh_{s}", (4 * H, H)), (f"bias_ih_{s}", (4 * H,)), (f"bias_hh_{s}", (4 * H,))):',
    '                    setattr(self, name, nn.Parameter(torch.empty(shape).uniform_(-bound, bound)))',
    '                # Peephole weights start at 0: the cell starts as the plain LSTM.',
    '                setattr(self, f"weight_peephole_{s}", nn.Parameter(torch.zeros(3 * H)))',
    '',
    '    @staticmethod',
    '    def _flip(x, lengths):',
    '        """Reverses each row\'s first lengths[n] steps of x [N, T, K]; the rest stay."""',
    '        t = torch.arange(x.shape[1], device=x.device)[None, :]',
    '        idx = torch.where(t < lengths[:, None], lengths[:, None] - 1 - t, t)',
    '        return x.gather(1, idx[:, :, None].expand(-1, -1, x.shape[2]))',
    '',
    '    def forward(self, x, lengths, state=None, input_bias=None):',
    '        """x [N, T, I], lengths [N]; state = (h0, c0), [layers * directions, N, H] each, or None;',
    '        input_bias: per direction [N, 4H] added to the first layer\'s input projection.',
    '        Returns y [N, T, directions * H] (0 past each length) and (h_n, c_n)."""',
    '        N, T, _ = x.shape',
    '        H = self.hidden_size',
    '        lengths = lengths.to(x.device, torch.int64)',
    '        live = torch.arange(T, device=x.device)[None, :] < lengths[:, None]  # [N, T]',
    '        h_n, c_n = [], []',
    '        for l in range(self.num_layers):',
    '            if l > 0 and self.training and self.dropout > 0:',
    '                x = F.dropout(x, self.dropout, True)',
    '            ys = []',
    '            for d, suffix in enumerate(("", "_reverse")[: self.directions]):',
    '                s = f"l{l}{suffix}"',
    '                w_hh, b_hh = getattr(self, f"weight_hh_{s}"), getattr(self, f"bias_hh_{s}")',
    '                p_i, p_f, p_o = getattr(self, f"weight_peephole_{s}").split(H)',
    '                a = x @ getattr(self, f"weight_ih_{s}").T + getattr(self, f"bias_ih_{s}")  # [N, T, 4H]',
    '                if l == 0 and input_bias is not None:',
    '                    a = a + input_bias[d][:, None, :]',
    '                if d == 1:',
    '                    a = self._flip(a, lengths)',
    '                k = l * self.directions + d',
    '                h = x.new_zeros(N, H) if state is None else state[0][k]',
    '                c = x.new_zeros(N, H) if state is None else state[1][k]',
    '                steps = []',
    '                for t in range(T):',
    '                    zi, zf, zg, zo = (a[:, t] + h @ w_hh.T + b_hh).split(H, dim=1)',
    '                    i = torch.sigmoid(zi + p_i * c)',
    '                    f = torch.sigmoid(zf + p_f * c)',
    '                    c_new = f * c + i * torch.tanh(zg)',
    '                    o = torch.sigmoid(zo + p_o * c_new)',
    '                    h_new = o * torch.tanh(c_new)',
    '                    m = live[:, t, None]',
    '                    h = torch.where(m, h_new, h)',
    '                    c = torch.where(m, c_new, c)',
    '                    steps.append(torch.where(m, h_new, torch.zeros_like(h_new)))',
    '                y = torch.stack(steps, dim=1)',
    '                ys.append(self._flip(y, lengths) if d == 1 else y)',
    '                h_n.append(h)',
    '                c_n.append(c)',
    '            x = torch.cat(ys, dim=2)',
    '        return x, (torch.stack(h_n), torch.stack(c_n))',
    '',
    '',
  ])
    out(l);
  out('class TextEncoder(nn.Module):');
  out(`    """Embedding -> PeepholeLSTM(${t.numLayers} layer${t.numLayers > 1 ? 's' : ''}${t.bidirectional ? ', bidirectional' : ''}) over ragged sequences.`);
  out('');
  out(`    Returns the final hidden state of the last layer at each row's last real token,`);
  out(`    [N, ${D * H}]${D === 2 ? ' (forward state, then reverse state)' : ''}, and the outputs [N, T, ${D * H}] (0 past each length).`);
  out('    """');
  out('');
  out('    def __init__(self, vocab_size):');
  out('        super().__init__()');
  out(`        self.embedding = nn.Embedding(vocab_size, ${E})`);
  out(`        self.rnn = PeepholeLSTM(${E + extraInput}, ${H}, num_layers=${t.numLayers}, bidirectional=${t.bidirectional ? 'True' : 'False'}, dropout=${t.numLayers > 1 ? t.dropout : 0})`);
  out('');
  const fwdArgs = ['tokens', 'lengths'];
  if (extraInput) fwdArgs.push('extra');
  if (inputBias) fwdArgs.push('additive');
  fwdArgs.push('state=None');
  out(`    def forward(self, ${fwdArgs.join(', ')}):`);
  out('        x = self.embedding(tokens)  # [N, T, E]');
  if (extraInput) {
    out(`        x = torch.cat([x, extra.unsqueeze(1).expand(-1, x.shape[1], -1)], dim=2)  # extra [N, ${F}] at every step`);
  }
  if (inputBias) {
    out(`        v, weight, bias = additive  # v [N, ${F}], W_a [D*4*H, ${F}], b_a [D*4*H]`);
    out(`        gh = ${4 * H}`);
    out(`        input_bias = [v @ weight[d * gh:(d + 1) * gh].T + bias[d * gh:(d + 1) * gh] for d in range(${D})]`);
    out('        outputs, (h_n, _) = self.rnn(x, lengths, state, input_bias)');
  } else {
    out('        outputs, (h_n, _) = self.rnn(x, lengths, state)');
  }
  out(`        feature = ${D === 2 ? 'torch.cat([h_n[-2], h_n[-1]], dim=1)' : 'h_n[-1]'}`);
  out('        return feature, outputs');
  out('');
  out('');
}
