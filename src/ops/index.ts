// The table of every op. Its mapped type makes an op without a CPU reference, a WebGPU
// encoding or a backward (or an explicit 'nondifferentiable') a compile error, and the
// test suites iterate over it.
import type { OpAttrs, OpDef, OpName } from './op.ts';
import { addOp, mulOp, subOp } from './elementwise.ts';
import { scaleOp, type ScaleAttrs } from './scale.ts';
import { activationGradOp, reluOp, sigmoidOp, tanhOp, type Activation } from './activation.ts';
import { broadcastToOp, sumOp, sumRowsOp } from './reduce.ts';
import { reshapeOp } from './shape.ts';
import { matmulOp, type MatmulAttrs } from './matmul.ts';
import { concatOp, splitOp } from './concat.ts';
import { softmaxCrossEntropyGradOp, softmaxCrossEntropyOp } from './loss.ts';
import { distillKlGradOp, distillKlOp, type DistillAttrs } from './distill.ts';
import { dropoutOp, type DropoutAttrs } from './dropout.ts';
import { embeddingGradOp, embeddingOp, type EmbeddingAttrs, type EmbeddingGradAttrs } from './embedding.ts';
import { expandOp, sumAxisOp, type ExpandAttrs, type SumAxisAttrs } from './expand.ts';
import { sigmoidCrossEntropyGradOp, sigmoidCrossEntropyOp, type BceGradAttrs } from './bce.ts';
import { conv2dInputGradOp, conv2dOp, conv2dWeightGradOp, type Conv2dAttrs, type Conv2dShapeAttrs, type Conv2dWeightGradAttrs } from './conv2d.ts';
import { globalAvgPoolOp, maxPool2dGradOp, maxPool2dOp, type MaxPoolAttrs, type MaxPoolGradAttrs } from './pool.ts';
import { timeNormsFromEndOp } from './norms.ts';
import { batchNorm2dGradOp, batchNorm2dOp, type BatchNormAttrs, type BatchNormGradAttrs } from './batch-norm.ts';
import { recurrentBackwardOp, recurrentLayerOp, type BackwardAttrs, type LayerAttrs } from './recurrent.ts';
import type { Shape } from '../tensor.ts';

declare module './op.ts' {
  /** Attributes of each op, by name (declared in ./op.ts, where `runOp` takes these names). */
  interface OpAttrs {
    add: object;
    sub: object;
    mul: object;
    scale: ScaleAttrs;
    tanh: object;
    sigmoid: object;
    relu: object;
    activationGrad: { kind: Activation };
    sum: { scale: number };
    sumRows: { shape: Shape };
    broadcastTo: { shape: Shape };
    reshape: { shape: Shape };
    matmul: MatmulAttrs;
    rnn: LayerAttrs;
    lstm: LayerAttrs;
    gru: LayerAttrs;
    recurrentBackward: BackwardAttrs;
    concat: object;
    split: { sizes: number[] };
    softmaxCrossEntropy: object;
    softmaxCrossEntropyGrad: object;
    distillKl: DistillAttrs;
    distillKlGrad: DistillAttrs;
    dropout: DropoutAttrs;
    embedding: EmbeddingAttrs;
    embeddingGrad: EmbeddingGradAttrs;
    expand: ExpandAttrs;
    sumAxis: SumAxisAttrs;
    sigmoidCrossEntropy: object;
    sigmoidCrossEntropyGrad: BceGradAttrs;
    conv2d: Conv2dAttrs;
    conv2dInputGrad: Conv2dShapeAttrs;
    conv2dWeightGrad: Conv2dWeightGradAttrs;
    maxPool2d: MaxPoolAttrs;
    maxPool2dGrad: MaxPoolGradAttrs;
    globalAvgPool: object;
    timeNormsFromEnd: object;
    batchNorm2d: BatchNormAttrs;
    batchNorm2dGrad: BatchNormGradAttrs;
  }
}

export const OPS: { [K in OpName]: OpDef<OpAttrs[K]> } = {
  add: addOp,
  sub: subOp,
  mul: mulOp,
  scale: scaleOp,
  tanh: tanhOp,
  sigmoid: sigmoidOp,
  relu: reluOp,
  activationGrad: activationGradOp,
  sum: sumOp,
  sumRows: sumRowsOp,
  broadcastTo: broadcastToOp,
  reshape: reshapeOp,
  matmul: matmulOp,
  rnn: recurrentLayerOp,
  lstm: recurrentLayerOp,
  gru: recurrentLayerOp,
  recurrentBackward: recurrentBackwardOp,
  concat: concatOp,
  split: splitOp,
  softmaxCrossEntropy: softmaxCrossEntropyOp,
  softmaxCrossEntropyGrad: softmaxCrossEntropyGradOp,
  distillKl: distillKlOp,
  distillKlGrad: distillKlGradOp,
  dropout: dropoutOp,
  embedding: embeddingOp,
  embeddingGrad: embeddingGradOp,
  expand: expandOp,
  sumAxis: sumAxisOp,
  sigmoidCrossEntropy: sigmoidCrossEntropyOp,
  sigmoidCrossEntropyGrad: sigmoidCrossEntropyGradOp,
  conv2d: conv2dOp,
  conv2dInputGrad: conv2dInputGradOp,
  conv2dWeightGrad: conv2dWeightGradOp,
  maxPool2d: maxPool2dOp,
  maxPool2dGrad: maxPool2dGradOp,
  globalAvgPool: globalAvgPoolOp,
  timeNormsFromEnd: timeNormsFromEndOp,
  batchNorm2d: batchNorm2dOp,
  batchNorm2dGrad: batchNorm2dGradOp,
};

export * from './elementwise.ts';
export * from './scale.ts';
export * from './activation.ts';
export * from './reduce.ts';
export * from './shape.ts';
export * from './matmul.ts';
export * from './recurrent.ts';
export * from './concat.ts';
export * from './loss.ts';
export * from './dropout.ts';
export * from './embedding.ts';
export * from './expand.ts';
export * from './bce.ts';
export * from './conv2d.ts';
export * from './pool.ts';
export * from './norms.ts';
export * from './batch-norm.ts';
export { runOp, type OpAttrs, type OpDef, type OpName } from './op.ts';
