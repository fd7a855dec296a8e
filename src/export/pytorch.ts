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
import type { PythonWriter } from '../models/emitters.ts';
import { captionDecoderPython } from '../models/caption-decoder.ts';
import { FUSIONS, type FusionDef } from '../models/fusion/index.ts';
import { textWidth } from '../models/fusion/types.ts';
import { headPython } from '../models/heads.ts';
import { extraHeadName, modelSpecs } from '../models/model.ts';
import { imageEncoderPython, imageFeatureActivation } from '../models/image-encoder.ts';
import { textEncoderPython, torchCellName } from '../models/text-encoder.ts';
import { SERIES_ENCODER, seriesEncoderPython } from '../models/series-encoder.ts';
import { AUDIO_ENCODER, audioEncoderPython } from '../models/audio-encoder.ts';
import { onnxInterface, type OnnxFeeds, type OnnxIoDoc } from './onnx.ts';
import { writeSafetensors } from './safetensors.ts';

/** Sample inputs (named as the ONNX graph's) and GateScope's output for them. */
export interface BundleSamples {
  inputs: OnnxFeeds;
  /** Output name (logits / value) → values and shape. */
  outputs: Record<string, { data: Float32Array; dims: number[] }>;
  /** Multi-task models: each auxiliary head's output (logits, or the standardised value) by task name; stored as "task_output.<name>". */
  taskOutputs?: Record<string, { data: Float32Array; dims: number[] }>;
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
    const flag = names[i] === 'image_present' || names[i] === 'text_present' || names[i] === 'audio_present';
    if (!flag) required = true;
    params.unshift(flag && !required ? `${names[i]}=None` : names[i]);
  }
  return params;
}

/** The generated `gatescope_model.py` for `config`: a walk over the model's parts, each writing its own code. */
export function pytorchModule(config: ModelConfig, producer = 'GateScope'): string {
  const c = config;
  const captioning = c.task === 'captioning';
  const uses = captioning ? { text: true, image: true } : fusionUses(c.fusion);
  const io = onnxInterface(c);
  const L: string[] = [];
  const out = (s = '') => L.push(s);
  const py: PythonWriter = { line: out };

  const cellName = torchCellName(c.text);
  out(`"""GateScope ${c.task} model: ${captioning ? `image encoder + ${cellName} caption decoder (${c.fusion} conditioning)` : `${c.fusion} fusion, ${cellName} ${c.series ? 'series' : 'text'} encoder${c.audio ? ` and ${cellName} audio encoder (log-mel frames in, see AudioEncoder)` : ''}`}.`);
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
  if (uses.image && c.audio) audioEncoderPython(py, c, c.audio);
  else if (uses.image) imageEncoderPython(py, c.image, imageFeatureActivation(c));
  const fusion = FUSIONS[c.fusion];
  if (c.series) seriesEncoderPython(py, c.series, c.text);
  else
    textEncoderPython(py, c.text, {
    extraInput: captioning ? (c.fusion === 'early' ? c.image.featureSize : 0) : fusion.extraTextInput(c),
    inputBias: !captioning && fusion.inputBias === true,
    imageFeatures: c.image.featureSize,
  });
  if (captioning) {
    captionModelPython(py, c);
  } else {
    headPython(py, c);
    fusionModelPython(py, c, fusion, io.inputs);
  }
  out('');
  out('');

  loadingAndSelfCheckPython(py, c);
  return L.join('\n') + '\n';
}

/** `read_safetensors`, `load_model`, `example_dataset`, `self_check` and the main block. */
function loadingAndSelfCheckPython(py: PythonWriter, c: ModelConfig): void {
  const out = (s: string) => py.line(s);
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
          ? `torch.randn(${c.outputSize}, generator=g)  # (y - mean) / std`
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
  if (c.extraTasks?.length) {
    out('    # Every auxiliary head against GateScope\'s output for it (samples "task_output.<task>").');
    out('    with torch.no_grad():');
    out('        _, tasks = model(**inputs, return_tasks=True)');
    out('    for name, value in tasks.items():');
    out('        diff = max(diff, (value - samples["task_output." + name]).abs().max().item())');
  }
  out('    print(f"{len(expected)} samples: max |PyTorch - GateScope| = {diff:.3g} (tolerance {tolerance:g})")');
  out('    return diff');
  out('');
  out('');
  out('if __name__ == "__main__":');
  out('    sys.exit(0 if self_check(sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))) <= 1e-4 else 1)');
}

/** `substitute`, shared by the classification / regression models' forward. */
function substitutePython(py: PythonWriter): void {
  py.line('def substitute(x, present, vector):');
  py.line('    """Rows with present = 0 take the learned vector: x * p + (1 - p) * vector."""');
  py.line('    p = present.to(x.dtype).unsqueeze(1)');
  py.line('    return x * p + (1 - p) * vector');
  py.line('');
  py.line('');
}

/** The captioning model's `GateScopeModel`: teacher-forced forward and greedy generation. */
function captionModelPython(py: PythonWriter, c: ModelConfig): void {
  const out = (s: string) => py.line(s);
  const t = c.text;
  captionDecoderPython(py, c);
  substitutePython(py);
  const x = c.image.encoder === 'features' ? 'image_features' : 'image';
  out('class GateScopeModel(nn.Module):');
  out(`    """Image encoder + ${torchCellName(t)} caption decoder conditioned on the image (${c.fusion})."""`);
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
}

/**
 * The `Fusion` parameters and `GateScopeModel` of a classification / multilabel /
 * regression model: reads the inputs (presence, a missing text as one <unk> token),
 * then the strategy writes the rest of forward.
 */
function fusionModelPython(py: PythonWriter, c: ModelConfig, fusion: FusionDef, inputs: OnnxIoDoc[]): void {
  const out = (s: string) => py.line(s);
  const uses = fusionUses(c.fusion);
  const body = (code: string) => out(`        ${code}`);
  out('class Fusion(nn.Module):');
  out(`    """The ${c.fusion} strategy's parameters and the learned vectors that replace a missing modality."""`);
  out('');
  out('    def __init__(self):');
  out('        super().__init__()');
  if (uses.image) out(`        self.missing_image = nn.Parameter(torch.zeros(${c.image.featureSize}))`);
  if (uses.text) out(`        self.missing_text = nn.Parameter(torch.zeros(${textWidth(c)}))`);
  fusion.pytorch.parameters?.(c, body);
  out('');
  out('');
  substitutePython(py);
  out('class GateScopeModel(nn.Module):');
  out(`    """${fusion.title}: ${fusion.equation}"""`);
  out('');
  out('    def __init__(self):');
  out('        super().__init__()');
  if (uses.image && c.audio) out(`        self.${AUDIO_ENCODER} = AudioEncoder()`);
  else if (uses.image) out('        self.image_encoder = ImageEncoder()');
  if (uses.text && c.series) out(`        self.${SERIES_ENCODER} = SeriesEncoder()`);
  else if (uses.text) out(`        self.text_encoder = TextEncoder(${c.text.vocabSize})`);
  out('        self.fusion = Fusion()');
  for (const [prefix, width] of Object.entries(fusion.heads(c))) out(`        self.${prefix} = Head(${width})`);
  const tasks = c.extraTasks ?? [];
  const fusedWidth = Object.values(fusion.heads(c))[0];
  for (const t of tasks) out(`        self.${extraHeadName(t.name)} = Head(${fusedWidth}, ${t.outputSize})  # task "${t.name}" (${t.kind})`);
  out('');
  out(`    def forward(self, ${[...forwardParameters(inputs.map((i) => i.name)), ...(tasks.length ? ['return_tasks=False'] : [])].join(', ')}):`);
  out(`        """The inputs in the ONNX graph's order; a presence flag of None means every row has it.`);
  if (tasks.length) {
    out('');
    out('        Returns the primary output. With return_tasks=True: (primary output, {task: output}),');
    out(`        each auxiliary head read from the same fused feature: ${tasks.map((t) => `"${t.name}" ${t.kind === 'regression' ? 'standardised value [batch, 1]' : `logits [batch, ${t.outputSize}]`}`).join(', ')}.`);
  }
  out('        """');
  if (uses.image && c.audio) {
    out(`        if audio_present is None:`);
    out(`            audio_present = torch.ones(audio_frames.shape[0], device=audio_frames.device)`);
    out(`        v = substitute(self.${AUDIO_ENCODER}(audio_frames, audio_lengths), audio_present > 0.5, self.fusion.missing_image)`);
  } else if (uses.image) {
    const x = c.image.encoder === 'features' ? 'image_features' : 'image';
    out(`        if image_present is None:`);
    out(`            image_present = torch.ones(${x}.shape[0], device=${x}.device)`);
    out(`        v = substitute(self.image_encoder(${x}), image_present > 0.5, self.fusion.missing_image)`);
  }
  if (uses.text && !c.series) {
    out('        if text_present is None:');
    out('            text_present = torch.ones(tokens.shape[0], device=tokens.device)');
    out('        has_text = (text_present > 0.5) & (lengths > 0)  # otherwise: one <unk> token');
    out('        tokens = torch.where(has_text.unsqueeze(1), tokens, torch.full_like(tokens, UNK))');
    out('        lengths = torch.where(has_text, lengths, torch.ones_like(lengths))');
  }
  const text = (args = '') => (c.series ? `self.${SERIES_ENCODER}(frames, lengths)[0]` : `self.text_encoder(tokens, lengths${args})[0]`);
  fusion.pytorch.forward({
    config: c,
    line: tasks.length ? (code) => multiTaskReturn(code, tasks, body) : body,
    text,
    substitutedText: () => {
      // A series row always has its frames: nothing to substitute (as in MultimodalModel.forward).
      body(c.series ? `u = ${text()}` : `u = substitute(${text()}, has_text, self.fusion.missing_text)`);
      return 'u';
    },
  });
}

/**
 * A multi-task model's forward: the strategy's `return self.head(<fused>)` becomes the
 * fused feature, the primary head on it, and the auxiliary heads on the same feature
 * when `return_tasks` is set. Other lines pass through.
 */
function multiTaskReturn(code: string, tasks: readonly { name: string }[], body: (code: string) => void): void {
  const m = code.match(/^return self\.head\((.*)\)(\s+#.*)?$/u);
  if (!m) {
    if (code.startsWith('return')) throw new Error(`PyTorch export: a multi-task model needs the fusion's forward to end with "return self.head(...)", got "${code}"`);
    body(code);
    return;
  }
  body(`fused = ${m[1]}${m[2] ?? ''}`);
  body('y = self.head(fused)');
  body('if not return_tasks:');
  body('    return y');
  body(`return y, {${tasks.map((t) => `"${t.name}": self.${extraHeadName(t.name)}(fused)`).join(', ')}}`);
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
  const fusion = c.task === 'captioning' ? undefined : FUSIONS[c.fusion];
  // A series model never reads fusion.missing_text either (every row has its frames).
  // A multi-task model's auxiliary heads get no gradient from the primary loss these snippets train.
  const unused = (fusion !== undefined && fusionUses(c.fusion).text && (!fusion.substitutesMissingText || c.series !== undefined)) || (c.extraTasks?.length ?? 0) > 0;
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
${unused ? '\n`find_unused_parameters=True`: with this fusion, `fusion.missing_text` (kept so every GateScope model has the same parameter list) is never read by forward.\n' : ''}${fusion?.inputBias ? '\nAdditive fusion runs the first recurrent layer through torch.func.functional_call with W_ih extended by W_a; on CUDA, torch may warn that the RNN weights are not one contiguous chunk (a speed note, not an error).\n' : ''}`;
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
    for (const [name, o] of Object.entries(input.samples.taskOutputs ?? {})) sampleTensors[`task_output.${name}`] = { shape: o.dims, data: o.data };
    files['samples.safetensors'] = writeSafetensors(sampleTensors, { producer });
  }
  return zipSync(files, { level: 6 });
}

