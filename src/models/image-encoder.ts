// Image encoders: images [B, 3, S, S] (or precomputed features [B, Fin]) → image feature
// v [B, F].
//   cnn:      per block k: x ← maxpool2×2(ReLU(conv3×3(x) + b)), then v = act(W·flatten(x) + b)
//   mlp:      v = act(W₂·ReLU(W₁·flatten(x) + b₁) + b₂)
//   features: v = act(W·f + b) on frozen features f (the user's ONNX encoder, run once)
// act is ReLU for classification and regression, and the identity for a caption decoder
// (Show-and-Tell's linear image embedding): a ReLU v feeding only the decoder's initial
// state died within ~40 steps (every unit 0 for every image, its gradient exactly 0).
import type { Tensor } from '../tensor.ts';
import { conv2d } from '../ops/conv2d.ts';
import { maxPool2d } from '../ops/pool.ts';
import { relu } from '../ops/activation.ts';
import { reshape } from '../ops/shape.ts';
import { cnnFlatSize, type ImageEncoderConfig, type ModelConfig } from './config.ts';
import { linear, linearSpecs, type ParamSpec, type Params } from './params.ts';

const PREFIX = 'image_encoder';

export function imageEncoderSpecs(c: ImageEncoderConfig): ParamSpec[] {
  const specs: ParamSpec[] = [];
  if (c.encoder === 'cnn') {
    let inCh = 3;
    c.channels.forEach((outCh, k) => {
      // torch.nn.Conv2d default init: U(−1/√fan_in, 1/√fan_in), fan_in = C·K·K.
      const bound = 1 / Math.sqrt(inCh * 9);
      specs.push(
        { name: `${PREFIX}.conv${k}.weight`, shape: [outCh, inCh, 3, 3], init: { kind: 'uniform', bound } },
        { name: `${PREFIX}.conv${k}.bias`, shape: [outCh], init: { kind: 'uniform', bound } },
      );
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

/** Activation of the image feature v: the identity for captioning, ReLU otherwise. */
export function imageFeatureActivation(c: Pick<ModelConfig, 'task'>): 'relu' | 'none' {
  return c.task === 'captioning' ? 'none' : 'relu';
}

/** The image feature v [B, F]; `pixels` is [B, 3, S, S] (or [B, Fin] for `features`). */
export function encodeImage(params: Params, c: ImageEncoderConfig, pixels: Tensor, activation: 'relu' | 'none' = 'relu'): Tensor {
  const B = pixels.shape[0];
  if (c.encoder === 'cnn') {
    let x = pixels;
    c.channels.forEach((_, k) => {
      x = maxPool2d(relu(conv2d(x, params.get(`${PREFIX}.conv${k}.weight`), params.get(`${PREFIX}.conv${k}.bias`), { padding: 1 })), { size: 2 });
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
