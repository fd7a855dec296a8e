// The PyTorch bundle: one .zip with
//   gatescope_model.py   a readable torch.nn.Module generated for this model config
//                        (only the code paths it uses), a safetensors loader (the
//                        safetensors package when installed, else a pure-Python reader)
//                        and a self-check
//   model.safetensors    the weights under GateScope's names, which are the module's
//                        parameter names (text_encoder.rnn.weight_ih_l0, …_reverse, …)
//   config.json          the GateScope model config, parameter shapes, inputs/outputs,
//                        class names, vocabulary, target scale
//   samples.safetensors  sample inputs ("input.<name>") and GateScope's outputs for them
//                        ("output.<name>"), for `python gatescope_model.py` to compare
//   README.md            how to load, check, keep training, and train on several GPUs
// The module computes what MultimodalModel.forward computes, with torch.nn.LSTM/GRU/RNN
// over packed sequences for ragged texts.
import { strToU8, zipSync } from 'fflate';
import { fusionUses, type ModelConfig } from '../models/config.ts';
import { modelSpecs } from '../models/model.ts';
import { imageFeatureActivation } from '../models/image-encoder.ts';
import { FUSIONS } from '../models/fusion/index.ts';
import { CELLS } from '../ops/recurrent.ts';
import { onnxInterface, type OnnxFeeds, type OnnxIoDoc } from './onnx.ts';
import { writeSafetensors } from './safetensors.ts';

/** Sample inputs (named as the ONNX graph's) and GateScope's output for them. */
export interface BundleSamples {
  inputs: OnnxFeeds;
  /** Output name (logits / value) → values and shape. */
  outputs: Record<string, { data: Float32Array; dims: number[] }>;
}

export interface PytorchBundleInput {
  config: ModelConfig;
  weights: Record<string, Float32Array>;
  samples?: BundleSamples;
  /** Class names (classification, multilabel). */
  classes?: string[];
  /** Token strings by id (text vocabulary; the caption vocabulary for captioning). */
  vocabulary?: string[];
  /** Regression: the model predicts (y − mean) / std. */
  targetScale?: { mean: number; std: number };
  /** e.g. the app version, written into the files. */
  producer?: string;
}

const py = (b: boolean) => (b ? 'True' : 'False');

/** Bundle samples from ONNX-style feeds and GateScope's output for the same examples. */
export function samplesFrom(config: ModelConfig, inputs: OnnxFeeds, output: Float32Array): BundleSamples {
  const B = Object.values(inputs)[0]?.dims[0] ?? 0;
  const dims = config.task === 'captioning' ? [B, inputs.tokens.dims[1], config.outputSize] : [B, config.outputSize];
  if (output.length !== dims.reduce((a, b) => a * b, 1)) throw new Error(`PyTorch samples: ${output.length} output values for [${dims.join(', ')}]`);
  return { inputs, outputs: { [mainOutputName(config)]: { data: output, dims } } };
}

/** The main output's name for the task. */
export function mainOutputName(config: ModelConfig): 'logits' | 'value' {
  return config.task === 'regression' ? 'value' : 'logits';
}

function ioDocLines(docs: OnnxIoDoc[]): string {
  return docs.map((d) => `    ${d.name.padEnd(14)} ${d.type === 'int32' ? 'int32  ' : 'float32'} [${d.shape.join(', ')}]  ${d.description}`).join('\n');
}

/**
 * `GateScopeModel.forward`'s parameters: the ONNX input names in the graph's order, so a
 * positional call in the order config.json lists the inputs is right. A presence flag
 * defaults to None (every row present) only where no required input follows it.
 */
export function forwardParameters(names: string[]): string[] {
  const params: string[] = [];
  let required = false;
  for (let i = names.length - 1; i >= 0; i--) {
    const flag = names[i] === 'image_present' || names[i] === 'text_present';
    if (!flag) required = true;
    params.unshift(flag && !required ? `${names[i]}=None` : names[i]);
  }
  return params;
}

/** The generated `gatescope_model.py` for `config`. */
export function pytorchModule(config: ModelConfig, producer = 'GateScope'): string {
  const c = config;
  const t = c.text;
  const img = c.image;
  const captioning = c.task === 'captioning';
  const uses = captioning ? { text: true, image: true } : fusionUses(c.fusion);
  const D = t.bidirectional ? 2 : 1;
  const G = CELLS[t.cell].gates;
  const H = t.hiddenSize;
  const E = t.embeddingSize;
  const F = img.featureSize;
  const textWidth = D * H;
  const io = onnxInterface(c);
  const rnnClass = t.cell === 'lstm' ? 'nn.LSTM' : t.cell === 'gru' ? 'nn.GRU' : 'nn.RNN';
  const rnnExtra = t.cell === 'rnn_relu' ? ", nonlinearity='relu'" : t.cell === 'rnn_tanh' ? ", nonlinearity='tanh'" : '';
  const isLstm = t.cell === 'lstm';
  const L: string[] = [];
  const out = (s = '') => L.push(s);

  const cellName = { lstm: 'LSTM', gru: 'GRU', rnn_tanh: 'RNN (tanh)', rnn_relu: 'RNN (ReLU)' }[t.cell];
  out(`"""GateScope ${c.task} model: ${captioning ? `image encoder + ${cellName} caption decoder (${c.fusion} conditioning)` : `${c.fusion} fusion, ${cellName} text encoder`}.`);
  out('');
  out(`Generated by ${producer} for the model config in config.json. The parameter names are`);
  out("GateScope's, so model.safetensors loads with load_state_dict(strict=True).");
  out('');
  out('Inputs (the arguments of GateScopeModel.forward, in this order; batch first):');
  out(ioDocLines(io.inputs));
  out('Output:');
  out(ioDocLines(io.outputs.filter((o) => o.name === mainOutputName(c))));
  if (c.task === 'regression') out('    (GateScope trains on standardised targets: y = value * std + mean, see config.json)');
  out('');
  out('Use:');
  out('    model = load_model(".")          # the folder with model.safetensors');
  out('    python gatescope_model.py .      # compares with the outputs GateScope bundled');
  out('"""');
  out('import json');
  out('import os');
  out('import struct');
  out('import sys');
  out('');
  out('import torch');
  out('import torch.nn.functional as F');
  out('from torch import nn');
  out('from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence');
  out('');
  out(`INPUTS = (${io.inputs.map((i) => `"${i.name}"`).join(', ')}${io.inputs.length === 1 ? ',' : ''})  # GateScopeModel.forward's arguments, the ONNX inputs`);
  out('UNK = 1  # <unk>: a missing text is read as this one token');
  out('BOS, EOS = 2, 3');
  out('');
  out('');

  // Image encoder; its feature is linear for a caption decoder (imageFeatureActivation).
  const lastRelu = imageFeatureActivation(c) === 'relu';
  const vOf = (x: string) => (lastRelu ? `F.relu(${x})` : x);
  if (uses.image) {
    out('class ImageEncoder(nn.Module):');
    if (img.encoder === 'cnn') {
      out(`    """(conv 3x3 -> ReLU -> max-pool 2x2) x ${img.channels.length}${img.pool === 'max' ? ', global max-pool' : ''}, then Linear${lastRelu ? ' -> ReLU' : ''}: [N, 3, ${img.imageSize}, ${img.imageSize}] -> v [N, ${F}]."""`);
      out('');
      out('    def __init__(self):');
      out('        super().__init__()');
      let inCh = 3;
      img.channels.forEach((ch, k) => {
        out(`        self.conv${k} = nn.Conv2d(${inCh}, ${ch}, kernel_size=3, padding=1)`);
        inCh = ch;
      });
      const spatial = img.imageSize >> img.channels.length;
      if (img.pool === 'max') out(`        self.proj = nn.Linear(${inCh}, ${F})  # each channel's maximum over the ${spatial} x ${spatial} map`);
      else out(`        self.proj = nn.Linear(${inCh * spatial * spatial}, ${F})  # ${inCh} x ${spatial} x ${spatial} flattened`);
      out('');
      out('    def forward(self, x):');
      out(`        for conv in (${img.channels.map((_, k) => `self.conv${k}`).join(', ')}${img.channels.length === 1 ? ',' : ''}):`);
      out('            x = F.max_pool2d(F.relu(conv(x)), 2)');
      if (img.pool === 'max') out(`        x = F.max_pool2d(x, ${spatial})  # global max pooling: [N, ${inCh}, 1, 1]`);
      out(`        return ${vOf('self.proj(x.flatten(1))')}`);
    } else if (img.encoder === 'mlp') {
      out(`    """Flattened pixels -> Linear -> ReLU -> Linear${lastRelu ? ' -> ReLU' : ''}: [N, 3, ${img.imageSize}, ${img.imageSize}] -> v [N, ${F}]."""`);
      out('');
      out('    def __init__(self):');
      out('        super().__init__()');
      out(`        self.fc1 = nn.Linear(${3 * img.imageSize * img.imageSize}, ${img.mlpHidden})`);
      out(`        self.proj = nn.Linear(${img.mlpHidden}, ${F})`);
      out('');
      out('    def forward(self, x):');
      out(`        return ${vOf('self.proj(F.relu(self.fc1(x.flatten(1))))')}`);
    } else {
      out(`    """Precomputed (frozen) image features -> Linear${lastRelu ? ' -> ReLU' : ''}: [N, ${img.inputFeatures}] -> v [N, ${F}]."""`);
      out('');
      out('    def __init__(self):');
      out('        super().__init__()');
      out(`        self.proj = nn.Linear(${img.inputFeatures}, ${F})`);
      out('');
      out('    def forward(self, x):');
      out(`        return ${vOf('self.proj(x)')}`);
    }
    out('');
    out('');
  }

  // Text encoder / decoder.
  const extraInput = c.fusion === 'early' ? F : 0;
  const additive = !captioning && c.fusion === 'additive';
  out('class TextEncoder(nn.Module):');
  out(`    """Embedding -> ${rnnClass}(${t.numLayers} layer${t.numLayers > 1 ? 's' : ''}${t.bidirectional ? ', bidirectional' : ''}) over packed ragged sequences.`);
  out('');
  out(`    Returns the final hidden state of the last layer at each row's last real token,`);
  out(`    [N, ${D * H}]${D === 2 ? ' (forward state, then reverse state)' : ''}, and the packed outputs.`);
  out('    """');
  out('');
  out('    def __init__(self, vocab_size):');
  out('        super().__init__()');
  out(`        self.embedding = nn.Embedding(vocab_size, ${E})`);
  const rnnArgs = (inSize: number, extra = '') =>
    `${rnnClass}(${inSize}, ${H}, num_layers=${t.numLayers}, batch_first=True, bidirectional=${py(t.bidirectional)}, dropout=${t.numLayers > 1 ? t.dropout : 0}${rnnExtra}${extra})`;
  out(`        self.rnn = ${rnnArgs(E + extraInput)}`);
  if (additive) {
    out('        # Additive fusion adds W_a v + b_a to the first layer\'s input projection. torch has no');
    out('        # such input, so the first layer is run with W_ih extended by W_a\'s columns on the');
    out('        # input [x_t ; v] and b_ih + b_a (the same function); this shape twin holds no');
    out('        # parameters of its own (meta device, not registered as a submodule).');
    out(`        object.__setattr__(self, "_wide_rnn", ${rnnArgs(E + F, ", device='meta'")})`);
  }
  out('');
  const fwdArgs = ['tokens', 'lengths'];
  if (extraInput) fwdArgs.push('extra');
  if (additive) fwdArgs.push('additive');
  fwdArgs.push('state=None');
  out(`    def forward(self, ${fwdArgs.join(', ')}):`);
  out('        x = self.embedding(tokens)  # [N, T, E]');
  if (extraInput || additive) {
    out(`        v = ${additive ? 'additive[0]' : 'extra'}  # [N, ${F}], the same at every step`);
    out('        x = torch.cat([x, v.unsqueeze(1).expand(-1, x.shape[1], -1)], dim=2)');
  }
  out('        packed = pack_padded_sequence(x, lengths.to("cpu", torch.int64), batch_first=True, enforce_sorted=False)');
  if (additive) {
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
  out(`        h_n = ${isLstm ? 'final[0]' : 'final'}  # [layers * directions, N, H]`);
  out(`        feature = ${D === 2 ? 'torch.cat([h_n[-2], h_n[-1]], dim=1)' : 'h_n[-1]'}`);
  out('        return feature, outputs');
  out('');
  out('');

  if (captioning) {
    const n = t.numLayers * H;
    out('class CaptionDecoder(TextEncoder):');
    out(`    """The caption decoder: TextEncoder over the caption vocabulary, ${c.fusion === 'init' ? 'initial states from the image' : 'the image concatenated to every input'}, and a Linear to the vocabulary."""`);
    out('');
    out('    def __init__(self):');
    out(`        super().__init__(${c.outputSize})`);
    if (c.fusion === 'init') {
      out(`        self.init_h = nn.Linear(${F}, ${n})  # h0 of every layer`);
      if (isLstm) out(`        self.init_c = nn.Linear(${F}, ${n})  # c0 of every layer`);
    }
    out(`        self.out = nn.Linear(${H}, ${c.outputSize})`);
    out('');
    out('    def initial_state(self, v):');
    if (c.fusion === 'init') {
      out(`        """W v + b (linear: a tanh here saturates and stops learning) -> [layers, N, ${H}] per state."""`);
      out(`        h0 = self.init_h(v).view(v.shape[0], ${t.numLayers}, ${H}).transpose(0, 1).contiguous()`);
      if (isLstm) {
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

  // Heads.
  if (!captioning) {
    const hh = c.head.hiddenSize;
    out('class Head(nn.Module):');
    out(hh > 0 ? `    """Dropout -> Linear(${hh}) -> ReLU -> Linear(${c.outputSize})."""` : `    """Dropout -> Linear(${c.outputSize})."""`);
    out('');
    out('    def __init__(self, in_features):');
    out('        super().__init__()');
    out(`        self.dropout = nn.Dropout(${c.head.dropout})`);
    if (hh > 0) {
      out(`        self.fc1 = nn.Linear(in_features, ${hh})`);
      out(`        self.fc2 = nn.Linear(${hh}, ${c.outputSize})`);
    } else {
      out(`        self.fc = nn.Linear(in_features, ${c.outputSize})`);
    }
    out('');
    out('    def forward(self, x):');
    out(hh > 0 ? '        return self.fc2(F.relu(self.fc1(self.dropout(x))))' : '        return self.fc(self.dropout(x))');
    out('');
    out('');
  }

  // Fusion parameters.
  if (!captioning) {
    const n = t.numLayers * D * H;
    out('class Fusion(nn.Module):');
    out(`    """The ${c.fusion} strategy's parameters and the learned vectors that replace a missing modality."""`);
    out('');
    out('    def __init__(self):');
    out('        super().__init__()');
    if (uses.image) out(`        self.missing_image = nn.Parameter(torch.zeros(${F}))`);
    if (uses.text) out(`        self.missing_text = nn.Parameter(torch.zeros(${textWidth}))`);
    switch (c.fusion) {
      case 'init':
        out(`        self.init_h = nn.Linear(${F}, ${n})  # h0 of every layer and direction`);
        if (isLstm) out(`        self.init_c = nn.Linear(${F}, ${n})  # c0 of every layer and direction`);
        break;
      case 'additive':
        out(`        self.additive = nn.Linear(${F}, ${D * G * H})  # per direction: one row per gate and unit`);
        break;
      case 'weighted':
        out('        self.alpha = nn.Parameter(torch.zeros(()))  # weight of the text head: sigmoid(alpha)');
        break;
      case 'gated':
        out(`        self.text_proj = nn.Linear(${textWidth}, ${c.fusionSize})`);
        out(`        self.image_proj = nn.Linear(${F}, ${c.fusionSize})`);
        out(`        self.gate = nn.Linear(${textWidth + F}, ${c.fusionSize})`);
        break;
      case 'film':
        out(`        self.gamma = nn.Linear(${F}, ${textWidth})`);
        out(`        self.beta = nn.Linear(${F}, ${textWidth})`);
        break;
      default:
        break;
    }
    out('');
    out('');
  }

  // The model.
  out('def substitute(x, present, vector):');
  out('    """Rows with present = 0 take the learned vector: x * p + (1 - p) * vector."""');
  out('    p = present.to(x.dtype).unsqueeze(1)');
  out('    return x * p + (1 - p) * vector');
  out('');
  out('');
  out('class GateScopeModel(nn.Module):');
  if (captioning) {
    const x = img.encoder === 'features' ? 'image_features' : 'image';
    out(`    """Image encoder + ${cellName} caption decoder conditioned on the image (${c.fusion})."""`);
    out('');
    out('    def __init__(self):');
    out('        super().__init__()');
    out('        self.image_encoder = ImageEncoder()');
    out('        self.decoder = CaptionDecoder()');
    out('');
    out(`    def forward(self, ${x}, tokens, lengths):`);
    out('        """Teacher forcing: logits [N, T, V]; position t scores the token after tokens[:, t]."""');
    out(`        return self.decoder(self.image_encoder(${x}), tokens, lengths)`);
    out('');
    out('    @torch.no_grad()');
    out(`    def generate(self, ${x}, max_length=${c.caption.maxLength}):`);
    out('        """Greedy captions: one list of token ids per image (without <bos> and <eos>)."""');
    out(`        n = ${x}.shape[0]`);
    out(`        tokens = torch.full((n, 1), BOS, dtype=torch.int64, device=${x}.device)`);
    out('        for _ in range(max_length + 1):');
    out('            lengths = torch.full((n,), tokens.shape[1], dtype=torch.int64)');
    out(`            next_ids = self.forward(${x}, tokens, lengths)[:, -1].argmax(dim=1)`);
    out('            tokens = torch.cat([tokens, next_ids.unsqueeze(1)], dim=1)');
    out('            if bool((tokens == EOS).any(dim=1).all()):');
    out('                break');
    out('        captions = []');
    out('        for row in tokens[:, 1:].tolist():');
    out('            ids = row[:row.index(EOS)] if EOS in row else row');
    out('            captions.append(ids[:max_length])');
    out('        return captions');
  } else {
    out(`    """${FUSIONS[c.fusion].title}: ${FUSIONS[c.fusion].equation}"""`);
    out('');
    out('    def __init__(self):');
    out('        super().__init__()');
    if (uses.image) out('        self.image_encoder = ImageEncoder()');
    if (uses.text) out(`        self.text_encoder = TextEncoder(${t.vocabSize})`);
    out('        self.fusion = Fusion()');
    switch (c.fusion) {
      case 'weighted':
        out(`        self.text_head = Head(${textWidth})`);
        out(`        self.image_head = Head(${F})`);
        break;
      case 'gated':
        out(`        self.head = Head(${c.fusionSize})`);
        break;
      case 'image':
        out(`        self.head = Head(${F})`);
        break;
      case 'late':
        out(`        self.head = Head(${textWidth + F})`);
        break;
      default:
        out(`        self.head = Head(${textWidth})`);
    }
    out('');
    out(`    def forward(self, ${forwardParameters(io.inputs.map((i) => i.name)).join(', ')}):`);
    out(`        """The inputs in the ONNX graph's order; a presence flag of None means every row has it."""`);
    if (uses.image) {
      const x = img.encoder === 'features' ? 'image_features' : 'image';
      out(`        if image_present is None:`);
      out(`            image_present = torch.ones(${x}.shape[0], device=${x}.device)`);
      out(`        v = substitute(self.image_encoder(${x}), image_present > 0.5, self.fusion.missing_image)`);
    }
    if (uses.text) {
      out('        if text_present is None:');
      out('            text_present = torch.ones(tokens.shape[0], device=tokens.device)');
      out('        has_text = (text_present > 0.5) & (lengths > 0)  # otherwise: one <unk> token');
      out('        tokens = torch.where(has_text.unsqueeze(1), tokens, torch.full_like(tokens, UNK))');
      out('        lengths = torch.where(has_text, lengths, torch.ones_like(lengths))');
    }
    const text = (cond: string) => `self.text_encoder(tokens, lengths${cond})[0]`;
    switch (c.fusion) {
      case 'text':
        out(`        u = substitute(${text('')}, has_text, self.fusion.missing_text)`);
        out('        return self.head(u)');
        break;
      case 'image':
        out('        return self.head(v)');
        break;
      case 'early':
        out(`        return self.head(${text(', v')})  # x'_t = [e(x_t) ; v]`);
        break;
      case 'init': {
        const k = t.numLayers * D;
        out(`        h0 = torch.tanh(self.fusion.init_h(v)).view(v.shape[0], ${k}, ${H}).transpose(0, 1).contiguous()  # [layers*directions, N, H]`);
        if (isLstm) {
          out(`        c0 = torch.tanh(self.fusion.init_c(v)).view(v.shape[0], ${k}, ${H}).transpose(0, 1).contiguous()`);
          out(`        return self.head(${text(', state=(h0, c0)')})`);
        } else {
          out(`        return self.head(${text(', state=h0')})`);
        }
        break;
      }
      case 'additive':
        out(`        return self.head(${text(', (v, self.fusion.additive.weight, self.fusion.additive.bias)')})`);
        break;
      case 'late':
        out(`        u = substitute(${text('')}, has_text, self.fusion.missing_text)`);
        out('        return self.head(torch.cat([u, v], dim=1))');
        break;
      case 'weighted':
        out(`        u = substitute(${text('')}, has_text, self.fusion.missing_text)`);
        out('        yt, yv = self.text_head(u), self.image_head(v)');
        out('        return yv + (yt - yv) * torch.sigmoid(self.fusion.alpha)  # sigmoid(alpha) * yt + (1 - sigmoid(alpha)) * yv');
        break;
      case 'gated':
        out(`        u = substitute(${text('')}, has_text, self.fusion.missing_text)`);
        out('        ht = torch.tanh(self.fusion.text_proj(u))');
        out('        hv = torch.tanh(self.fusion.image_proj(v))');
        out('        z = torch.sigmoid(self.fusion.gate(torch.cat([u, v], dim=1)))');
        out('        return self.head(hv + z * (ht - hv))  # z * ht + (1 - z) * hv');
        break;
      case 'film':
        out(`        u = substitute(${text('')}, has_text, self.fusion.missing_text)`);
        out('        gamma, beta = self.fusion.gamma(v), self.fusion.beta(v)');
        out('        return self.head(u + gamma * u + beta)  # (1 + gamma) * u + beta');
        break;
    }
  }
  out('');
  out('');

  // Loading and the self-check.
  out('def read_safetensors(path):');
  out('    """Tensors of a safetensors file: with the safetensors package if installed, else in pure Python."""');
  out('    try:');
  out('        from safetensors.torch import load_file');
  out('    except ImportError:');
  out('        return _read_safetensors_python(path)');
  out('    return load_file(path)');
  out('');
  out('');
  out('def _read_safetensors_python(path):');
  out('    """Minimal reader for F32 / I32 tensors (little-endian machines), with bounds checks."""');
  out('    with open(path, "rb") as f:');
  out('        data = f.read()');
  out('    if len(data) < 8:');
  out('        raise ValueError(f"{path}: too short for a safetensors file")');
  out('    (n,) = struct.unpack("<Q", data[:8])');
  out('    if n > len(data) - 8:');
  out('        raise ValueError(f"{path}: header length {n} is larger than the file")');
  out('    header = json.loads(data[8:8 + n])');
  out('    body = data[8 + n:]');
  out('    dtypes = {"F32": torch.float32, "I32": torch.int32}');
  out('    tensors = {}');
  out('    for name, info in header.items():');
  out('        if name == "__metadata__":');
  out('            continue');
  out('        begin, end = info["data_offsets"]');
  out('        if info["dtype"] not in dtypes or not 0 <= begin <= end <= len(body):');
  out('            raise ValueError(f"{path}: tensor {name} has dtype {info[\'dtype\']} or offsets {begin}..{end} this reader cannot use")');
  out('        raw = bytearray(body[begin:end])');
  out('        flat = torch.frombuffer(raw, dtype=dtypes[info["dtype"]]) if raw else torch.empty(0, dtype=dtypes[info["dtype"]])');
  out('        tensors[name] = flat.reshape(info["shape"]).clone()');
  out('    return tensors');
  out('');
  out('');
  out('def load_model(directory=".", device="cpu"):');
  out('    """GateScopeModel with the weights of directory/model.safetensors, in eval mode."""');
  out('    model = GateScopeModel()');
  out('    model.load_state_dict(read_safetensors(os.path.join(directory, "model.safetensors")), strict=True)');
  out('    return model.to(device).eval()');
  out('');
  out('');
  const target =
    c.task === 'classification'
      ? `torch.randint(0, ${c.outputSize}, (), generator=g)  # a class id`
      : c.task === 'multilabel'
        ? `torch.randint(0, 2, (${c.outputSize},), generator=g).float()  # 0/1 per label`
        : c.task === 'regression'
          ? 'torch.randn(1, generator=g)  # (y - mean) / std'
          : `torch.randint(1, ${c.outputSize}, (tokens.shape[0],), generator=g).masked_fill(torch.arange(tokens.shape[0]) >= length, 0)  # next tokens, <pad> = 0 past the prefix`;
  out('def example_dataset(directory=".", seed=0):');
  out('    """The bundled sample inputs as a list of examples (dicts of tensors named like the');
  out('    inputs, without the batch dimension) with random "target"s of the right shape and type:');
  out('    a stand-in to try the training loops of README.md. Train on your own data instead."""');
  out('    path = os.path.join(directory, "samples.safetensors")');
  out('    if not os.path.exists(path):');
  out('        raise FileNotFoundError(f"{path}: this bundle has no sample inputs; use your own examples")');
  out('    samples = read_safetensors(path)');
  out('    inputs = {k[len("input."):]: v for k, v in samples.items() if k.startswith("input.")}');
  out('    g = torch.Generator().manual_seed(seed)');
  out('    examples = []');
  out('    for i in range(next(iter(inputs.values())).shape[0]):');
  out('        example = {name: inputs[name][i] for name in INPUTS}');
  if (c.task === 'captioning') out('        tokens, length = example["tokens"], int(example["lengths"])');
  out(`        example["target"] = ${target}`);
  out('        examples.append(example)');
  out('    return examples');
  out('');
  out('');
  out('def self_check(directory=".", tolerance=1e-4):');
  out('    """Runs the bundled sample inputs and returns max |PyTorch - GateScope| of the output."""');
  out('    model = load_model(directory)');
  out('    samples = read_safetensors(os.path.join(directory, "samples.safetensors"))');
  out('    inputs = {k[len("input."):]: v for k, v in samples.items() if k.startswith("input.")}');
  out(`    expected = samples["output.${mainOutputName(c)}"]`);
  out('    with torch.no_grad():');
  out('        got = model(**inputs)');
  out('    diff = (got - expected).abs().max().item()');
  out('    print(f"{len(expected)} samples: max |PyTorch - GateScope| = {diff:.3g} (tolerance {tolerance:g})")');
  out('    return diff');
  out('');
  out('');
  out('if __name__ == "__main__":');
  out('    sys.exit(0 if self_check(sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))) <= 1e-4 else 1)');
  return L.join('\n') + '\n';
}

/** The bundle's README (how to load, check, continue training, and go multi-GPU). */
export function bundleReadme(config: ModelConfig): string {
  const c = config;
  const io = onnxInterface(c);
  const loss =
    c.task === 'classification'
      ? 'nn.CrossEntropyLoss()  # targets: class ids'
      : c.task === 'multilabel'
        ? 'nn.BCEWithLogitsLoss()  # targets: 0/1 per label'
        : c.task === 'regression'
          ? 'nn.MSELoss()  # targets: (y - mean) / std, see config.json'
          : 'nn.CrossEntropyLoss(ignore_index=0)  # next-token targets, <pad> = 0';
  const call = `model(${io.inputs.map((i) => `batch["${i.name}"]`).join(', ')})`;
  const lossOf = (output: string) => `loss_fn(${output}${c.task === 'captioning' ? '.flatten(0, 1), batch["target"].flatten()' : ', batch["target"]'})`;
  // fusion.missing_text exists for every text-reading strategy but only those that
  // substitute a missing text's feature read it; DDP must be told about unused parameters.
  const unused = c.task !== 'captioning' && (c.fusion === 'early' || c.fusion === 'init' || c.fusion === 'additive');
  const unusedNote = unused ? ', find_unused_parameters=True' : '';
  const step = (indent: string, output: string) =>
    [
      'optimizer.zero_grad()',
      `loss = ${lossOf(output)}`,
      'loss.backward()',
      'torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)',
      'optimizer.step()',
    ]
      .map((l) => indent + l)
      .join('\n');
  return `# GateScope model — continue in PyTorch

Files: \`gatescope_model.py\` (the model as a torch.nn.Module, a loader and a self-check),
\`model.safetensors\` (weights), \`config.json\` (GateScope's model config, parameter shapes,
inputs and outputs, class names, vocabulary), \`samples.safetensors\` (sample inputs and
GateScope's outputs for them).

## Check

\`\`\`sh
python3 -m pip install torch safetensors   # safetensors is optional: a pure-Python reader is built in
python3 gatescope_model.py .               # prints max |PyTorch − GateScope| on the samples
\`\`\`

## Inputs and outputs

\`GateScopeModel.forward\` takes the inputs in this order (the ONNX model's), batch first:

${io.inputs.map((i) => `- \`${i.name}\` ${i.type} [${i.shape.join(', ')}]: ${i.description}`).join('\n')}
${io.outputs.map((o) => `- output \`${o.name}\` [${o.shape.join(', ')}]: ${o.description}`).join('\n')}

## Keep training

Run in this folder. \`example_dataset\` gives the bundled sample inputs with random targets
so that the loop runs as it is; give it your own examples instead: dicts of tensors named
like the inputs above (without the batch dimension), plus \`"target"\`.

\`\`\`python
import torch
from torch import nn
from gatescope_model import load_model, example_dataset

model = load_model(".").train()
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
loss_fn = ${loss}
dataset = example_dataset(".")   # your examples here
loader = torch.utils.data.DataLoader(dataset, batch_size=4, shuffle=True)
for epoch in range(2):
    for batch in loader:
${step('        ', call)}
torch.save(model.state_dict(), "model.pt")   # or safetensors.torch.save_file(model.state_dict(), ...)
\`\`\`

## Several GPUs (torch.distributed, DistributedDataParallel)

One process per GPU; on a machine without CUDA the same script runs CPU processes with the
gloo backend (\`torchrun --nproc_per_node=2 train_ddp.py\`).

\`\`\`python
# train_ddp.py — run with: torchrun --nproc_per_node=<GPUs> train_ddp.py
import os
import torch
import torch.distributed as dist
from torch import nn
from torch.nn.parallel import DistributedDataParallel as DDP
from torch.utils.data import DataLoader
from torch.utils.data.distributed import DistributedSampler
from gatescope_model import load_model, example_dataset

cuda = torch.cuda.is_available()
dist.init_process_group("nccl" if cuda else "gloo")
rank = int(os.environ["LOCAL_RANK"])
device = torch.device(f"cuda:{rank}" if cuda else "cpu")
if cuda:
    torch.cuda.set_device(device)
model = DDP(load_model(".", device=device).train(), device_ids=[rank] if cuda else None${unusedNote})
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
loss_fn = ${loss}
dataset = example_dataset(".")   # your examples here
sampler = DistributedSampler(dataset)   # each process its own shard
loader = DataLoader(dataset, batch_size=4, sampler=sampler)
for epoch in range(2):
    sampler.set_epoch(epoch)
    for batch in loader:
        batch = {name: value.to(device) for name, value in batch.items()}
${step('        ', call)}
if dist.get_rank() == 0:
    torch.save(model.module.state_dict(), "model.pt")
dist.destroy_process_group()
\`\`\`
${unused ? '\n`find_unused_parameters=True`: with this fusion, `fusion.missing_text` (kept so every GateScope model has the same parameter list) is never read by forward.\n' : ''}${c.fusion === 'additive' && c.task !== 'captioning' ? '\nAdditive fusion runs the first recurrent layer through torch.func.functional_call with W_ih extended by W_a; on CUDA, torch may warn that the RNN weights are not one contiguous chunk (a speed note, not an error).\n' : ''}`;
}

/** Packs the bundle into a .zip. */
export function pytorchBundle(input: PytorchBundleInput): Uint8Array {
  const { config, weights } = input;
  const specs = modelSpecs(config);
  const tensors: Record<string, { shape: number[]; data: Float32Array }> = {};
  for (const s of specs) {
    const w = weights[s.name];
    const n = s.shape.reduce((a, b) => a * b, 1);
    if (!w || w.length !== n) throw new Error(`PyTorch export: parameter "${s.name}" ${w ? `has ${w.length} values, the model needs [${s.shape.join(', ')}]` : 'is missing'}`);
    tensors[s.name] = { shape: s.shape, data: w };
  }
  const producer = input.producer ?? 'GateScope';
  const io = onnxInterface(config, { targetScale: input.targetScale });
  const configJson = {
    generated_by: producer,
    model_config: config,
    parameters: specs.map((s) => ({ name: s.name, shape: s.shape })),
    inputs: io.inputs,
    outputs: io.outputs.filter((o) => o.name === mainOutputName(config)),
    classes: input.classes ?? null,
    vocabulary: input.vocabulary ?? null,
    target_scale: input.targetScale ?? null,
  };
  const files: Record<string, Uint8Array> = {
    'gatescope_model.py': strToU8(pytorchModule(config, producer)),
    'model.safetensors': writeSafetensors(tensors, { format: 'pt', producer }),
    'config.json': strToU8(JSON.stringify(configJson, null, 2)),
    'README.md': strToU8(bundleReadme(config)),
  };
  if (input.samples) {
    const sampleTensors: Record<string, { shape: number[]; data: Float32Array | Int32Array }> = {};
    for (const [name, f] of Object.entries(input.samples.inputs)) sampleTensors[`input.${name}`] = { shape: f.dims, data: f.data };
    for (const [name, o] of Object.entries(input.samples.outputs)) sampleTensors[`output.${name}`] = { shape: o.dims, data: o.data };
    files['samples.safetensors'] = writeSafetensors(sampleTensors, { producer });
  }
  return zipSync(files, { level: 6 });
}

