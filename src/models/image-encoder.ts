// Image encoders: images [B, 3, S, S] (or precomputed features [B, Fin]) → image feature
// v [B, F].
//   cnn:      per block k: x ← maxpool2×2(ReLU(conv3×3(x) + b)), then v = ReLU(W·flatten(x) + b)
//   mlp:      v = ReLU(W₂·ReLU(W₁·flatten(x) + b₁) + b₂)
//   features: v = ReLU(W·f + b) on frozen features f (the user's ONNX encoder, run once)
import type { Tensor } from '../tensor.ts';
import { conv2d } from '../ops/conv2d.ts';
import { maxPool2d } from '../ops/pool.ts';
import { relu } from '../ops/activation.ts';
import { reshape } from '../ops/shape.ts';
import { cnnFlatSize, type ImageEncoderConfig } from './config.ts';
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

/** The image feature v [B, F]; `pixels` is [B, 3, S, S] (or [B, Fin] for `features`). */
export function encodeImage(params: Params, c: ImageEncoderConfig, pixels: Tensor): Tensor {
  const B = pixels.shape[0];
  if (c.encoder === 'cnn') {
    let x = pixels;
    c.channels.forEach((_, k) => {
      x = maxPool2d(relu(conv2d(x, params.get(`${PREFIX}.conv${k}.weight`), params.get(`${PREFIX}.conv${k}.bias`), { padding: 1 })), { size: 2 });
    });
    return linear(params, `${PREFIX}.proj`, reshape(x, [B, x.size / B]), 'relu');
  }
  if (c.encoder === 'mlp') {
    const h = linear(params, `${PREFIX}.fc1`, reshape(pixels, [B, pixels.size / B]), 'relu');
    return linear(params, `${PREFIX}.proj`, h, 'relu');
  }
  return linear(params, `${PREFIX}.proj`, pixels, 'relu');
}
