// Image encoders: images [B, 3, S, S] (or precomputed features [B, Fin]) → image feature
// v [B, F].
//   cnn:      per block k: x ← maxpool2×2(ReLU(conv3×3(x) + b)), then v = act(W·flatten(x) + b);
//             with batchNorm: x ← maxpool2×2(ReLU(BN(conv3×3(x)))), the conv without bias
//             (BN subtracts the channel mean, so a bias before it has no effect: torch
//             practice is Conv2d(bias=False) before BatchNorm2d). BN uses the batch's
//             statistics in training and the running ones otherwise (batch-norm.ts).
//   mlp:      v = act(W₂·ReLU(W₁·flatten(x) + b₁) + b₂)
//   features: v = act(W·f + b) on frozen features f (the user's ONNX encoder, run once)
// act is ReLU for classification and regression, and the identity for a caption decoder
// (Show-and-Tell's linear image embedding): a ReLU v feeding only the decoder's initial
// state died within ~40 steps (every unit 0 for every image, its gradient exactly 0).
import type { Tensor } from '../tensor.ts';
import { conv2d } from '../ops/conv2d.ts';
import { maxPool2d } from '../ops/pool.ts';
import { BATCH_NORM_EPS, batchNorm2d } from '../ops/batch-norm.ts';
import { reshape } from '../ops/shape.ts';
import { cnnFlatSize, type ImageEncoderConfig, type ModelConfig } from './config.ts';
import type { OnnxGraph, PythonWriter } from './emitters.ts';
import { linear, linearSpecs, type ParamSpec, type Params } from './params.ts';

const PREFIX = 'image_encoder';

export function imageEncoderSpecs(c: ImageEncoderConfig): ParamSpec[] {
  const specs: ParamSpec[] = [];
  if (c.encoder === 'cnn') {
    let inCh = 3;
    c.channels.forEach((outCh, k) => {
      // torch.nn.Conv2d default init: U(−1/√fan_in, 1/√fan_in), fan_in = C·K·K.
      const bound = 1 / Math.sqrt(inCh * 9);
      specs.push({ name: `${PREFIX}.conv${k}.weight`, shape: [outCh, inCh, 3, 3], init: { kind: 'uniform', bound } });
      if (c.batchNorm) specs.push(...batchNormSpecs(`${PREFIX}.bn${k}`, outCh));
      else specs.push({ name: `${PREFIX}.conv${k}.bias`, shape: [outCh], init: { kind: 'uniform', bound } });
      inCh = outCh;
    });
    specs.push(...linearSpecs(`${PREFIX}.proj`, cnnFlatSize(c), c.featureSize));
  } else if (c.encoder === 'mlp') {
    specs.push(...linearSpecs(`${PREFIX}.fc1`, 3 * c.imageSize * c.imageSize, c.mlpHidden));
    specs.push(...linearSpecs(`${PREFIX}.proj`, c.mlpHidden, c.featureSize));
  } else {
    specs.push(...linearSpecs(`${PREFIX}.proj`, c.inputFeatures, c.featureSize));
  }
  return specs;
}

/** torch.nn.BatchNorm2d(C): weight γ = 1, bias β = 0, buffers running_mean = 0, running_var = 1, num_batches_tracked = 0. */
function batchNormSpecs(prefix: string, C: number): ParamSpec[] {
  const constant = (value: number) => ({ kind: 'constant' as const, value });
  return [
    { name: `${prefix}.weight`, shape: [C], init: constant(1) },
    { name: `${prefix}.bias`, shape: [C], init: constant(0) },
    { name: `${prefix}.running_mean`, shape: [C], init: constant(0), buffer: true },
    { name: `${prefix}.running_var`, shape: [C], init: constant(1), buffer: true },
    { name: `${prefix}.num_batches_tracked`, shape: [], init: constant(0), buffer: true },
  ];
}

/** Activation of the image feature v: the identity for captioning, ReLU otherwise. */
export function imageFeatureActivation(c: Pick<ModelConfig, 'task'>): 'relu' | 'none' {
  return c.task === 'captioning' ? 'none' : 'relu';
}

/**
 * The image feature v [B, F]; `pixels` is [B, 3, S, S] (or [B, Fin] for `features`).
 * `training` puts batch norm in training mode (batch statistics, running statistics
 * updated in place); otherwise it is in evaluation mode.
 */
export function encodeImage(params: Params, c: ImageEncoderConfig, pixels: Tensor, activation: 'relu' | 'none' = 'relu', training = false): Tensor {
  const B = pixels.shape[0];
  if (c.encoder === 'cnn') {
    let x = pixels;
    c.channels.forEach((_, k) => {
      let y: Tensor;
      if (c.batchNorm) {
        const bn = `${PREFIX}.bn${k}`;
        const z = conv2d(x, params.get(`${PREFIX}.conv${k}.weight`), null, { padding: 1 });
        const buffers = { runningMean: params.get(`${bn}.running_mean`), runningVar: params.get(`${bn}.running_var`), numBatchesTracked: params.get(`${bn}.num_batches_tracked`) };
        // BN + ReLU in one kernel (the ReLU's mask inside batch norm's backward kernel).
        y = batchNorm2d(z, params.get(`${bn}.weight`), params.get(`${bn}.bias`), buffers, { training, relu: true });
      } else {
        // conv + bias + ReLU in one kernel (the ReLU's gradient inside conv2d's backward kernels).
        y = conv2d(x, params.get(`${PREFIX}.conv${k}.weight`), params.get(`${PREFIX}.conv${k}.bias`), { padding: 1, relu: true });
      }
      x = maxPool2d(y, { size: 2 });
    });
    // Global max pooling: one s×s window over the (square) last map → [B, C, 1, 1].
    if (c.pool === 'max') x = maxPool2d(x, { size: x.shape[2] });
    return linear(params, `${PREFIX}.proj`, reshape(x, [B, x.size / B]), activation);
  }
  if (c.encoder === 'mlp') {
    const h = linear(params, `${PREFIX}.fc1`, reshape(pixels, [B, pixels.size / B]), 'relu');
    return linear(params, `${PREFIX}.proj`, h, activation);
  }
  return linear(params, `${PREFIX}.proj`, pixels, activation);
}

/**
 * The image feature v [batch, F] as ONNX nodes: Conv / Relu / MaxPool / Flatten / Gemm
 * (cnn; with batch norm Conv without bias / BatchNormalization in inference mode, the
 * running statistics as initializers / Relu ...), Gemm / Relu (mlp) or Gemm on the
 * `image_features` input (features).
 */
export function imageEncoderOnnx(g: OnnxGraph, c: ImageEncoderConfig, activation: 'relu' | 'none'): string {
  if (c.encoder === 'features') return g.linear(`${PREFIX}.proj`, 'image_features', activation);
  let x = 'image';
  if (c.encoder === 'cnn') {
    c.channels.forEach((_, k) => {
      const p = `${PREFIX}.conv${k}`;
      const convAttrs = { kernel_shape: [3, 3], pads: [1, 1, 1, 1], strides: [1, 1] };
      let pre: string;
      if (c.batchNorm) {
        const bn = `${PREFIX}.bn${k}`;
        const conv = g.node('Conv', [x, g.param(`${p}.weight`)], `${p}.out`, convAttrs);
        const inputs = [conv, ...['weight', 'bias', 'running_mean', 'running_var'].map((n) => g.param(`${bn}.${n}`))];
        pre = g.node('BatchNormalization', inputs, `${bn}.out`, { epsilon: { float: BATCH_NORM_EPS } });
      } else {
        pre = g.node('Conv', [x, g.param(`${p}.weight`), g.param(`${p}.bias`)], `${p}.out`, convAttrs);
      }
      const relu = g.node('Relu', [pre], `${p}.relu`);
      x = g.node('MaxPool', [relu], `${p}.pool`, { kernel_shape: [2, 2], strides: [2, 2] });
    });
    if (c.pool === 'max') x = g.node('GlobalMaxPool', [x], `${PREFIX}.global_max`);
    return g.linear(`${PREFIX}.proj`, g.node('Flatten', [x], `${PREFIX}.flat`, { axis: 1 }), activation);
  }
  const h = g.linear(`${PREFIX}.fc1`, g.node('Flatten', [x], `${PREFIX}.flat`, { axis: 1 }), 'relu');
  return g.linear(`${PREFIX}.proj`, h, activation);
}

/** The PyTorch `ImageEncoder` class. */
export function imageEncoderPython(py: PythonWriter, c: ImageEncoderConfig, activation: 'relu' | 'none'): void {
  const out = (s: string) => py.line(s);
  const F = c.featureSize;
  const lastRelu = activation === 'relu';
  const vOf = (x: string) => (lastRelu ? `F.relu(${x})` : x);
  out('class ImageEncoder(nn.Module):');
  if (c.encoder === 'cnn') {
    const bn = c.batchNorm === true;
    out(`    """(conv 3x3 -> ${bn ? 'BatchNorm2d -> ' : ''}ReLU -> max-pool 2x2) x ${c.channels.length}${c.pool === 'max' ? ', global max-pool' : ''}, then Linear${lastRelu ? ' -> ReLU' : ''}: [N, 3, ${c.imageSize}, ${c.imageSize}] -> v [N, ${F}]."""`);
    out('');
    out('    def __init__(self):');
    out('        super().__init__()');
    let inCh = 3;
    c.channels.forEach((ch, k) => {
      if (bn) {
        // The bias of a conv followed by batch norm is removed by BN's mean subtraction.
        out(`        self.conv${k} = nn.Conv2d(${inCh}, ${ch}, kernel_size=3, padding=1, bias=False)`);
        out(`        self.bn${k} = nn.BatchNorm2d(${ch})  # momentum 0.1, eps 1e-5; running statistics in eval()`);
      } else out(`        self.conv${k} = nn.Conv2d(${inCh}, ${ch}, kernel_size=3, padding=1)`);
      inCh = ch;
    });
    const spatial = c.imageSize >> c.channels.length;
    if (c.pool === 'max') out(`        self.proj = nn.Linear(${inCh}, ${F})  # each channel's maximum over the ${spatial} x ${spatial} map`);
    else out(`        self.proj = nn.Linear(${inCh * spatial * spatial}, ${F})  # ${inCh} x ${spatial} x ${spatial} flattened`);
    out('');
    out('    def forward(self, x):');
    if (bn) {
      out(`        for conv, bn in (${c.channels.map((_, k) => `(self.conv${k}, self.bn${k})`).join(', ')}${c.channels.length === 1 ? ',' : ''}):`);
      out('            x = F.max_pool2d(F.relu(bn(conv(x))), 2)');
    } else {
      out(`        for conv in (${c.channels.map((_, k) => `self.conv${k}`).join(', ')}${c.channels.length === 1 ? ',' : ''}):`);
      out('            x = F.max_pool2d(F.relu(conv(x)), 2)');
    }
    if (c.pool === 'max') out(`        x = F.max_pool2d(x, ${spatial})  # global max pooling: [N, ${inCh}, 1, 1]`);
    out(`        return ${vOf('self.proj(x.flatten(1))')}`);
  } else if (c.encoder === 'mlp') {
    out(`    """Flattened pixels -> Linear -> ReLU -> Linear${lastRelu ? ' -> ReLU' : ''}: [N, 3, ${c.imageSize}, ${c.imageSize}] -> v [N, ${F}]."""`);
    out('');
    out('    def __init__(self):');
    out('        super().__init__()');
    out(`        self.fc1 = nn.Linear(${3 * c.imageSize * c.imageSize}, ${c.mlpHidden})`);
    out(`        self.proj = nn.Linear(${c.mlpHidden}, ${F})`);
    out('');
    out('    def forward(self, x):');
    out(`        return ${vOf('self.proj(F.relu(self.fc1(x.flatten(1))))')}`);
  } else {
    out(`    """Precomputed (frozen) image features -> Linear${lastRelu ? ' -> ReLU' : ''}: [N, ${c.inputFeatures}] -> v [N, ${F}]."""`);
    out('');
    out('    def __init__(self):');
    out('        super().__init__()');
    out(`        self.proj = nn.Linear(${c.inputFeatures}, ${F})`);
    out('');
    out('    def forward(self, x):');
    out(`        return ${vOf('self.proj(x)')}`);
  }
  out('');
  out('');
}
