// Init fusion: the image sets the initial state of every recurrent layer and direction:
//   h₀ = tanh(W_h v + b_h)   (and c₀ = tanh(W_c v + b_c) for the LSTM),
//   u = RNN(e(x₁) … e(x_T); h₀, c₀),   ŷ = head(u)
import type { Tensor } from '../../tensor.ts';
import { split } from '../../ops/concat.ts';
import { linear, linearSpecs } from '../params.ts';
import { initialStatesOnnx } from '../text-encoder.ts';
import type { ModelConfig } from '../config-types.ts';
import { textWidth, type FusionDef } from './types.ts';

declare module './kinds.ts' {
  interface FusionKinds {
    init: true;
  }
}

/** Number of [B, H] initial states (layers × directions). */
function stateCount(c: ModelConfig): number {
  return c.text.numLayers * (c.text.bidirectional ? 2 : 1);
}

export const initFusion: FusionDef = {
  kind: 'init',
  order: 4,
  title: 'Init (image → initial state)',
  description: 'The image feature, projected, becomes the initial hidden (and cell) state of the recurrent layers.',
  equation: 'h₀ = tanh(W_h v + b_h),  c₀ = tanh(W_c v + b_c),  u = RNN(e(x); h₀, c₀),  ŷ = head(u)',
  missing: 'Missing image: v is a learned vector. Missing text: a one-token <unk> text read from the image-given state.',
  extraTextInput: () => 0,
  substitutesMissingText: false,
  specs: (c) => {
    const n = stateCount(c) * c.text.hiddenSize;
    const specs = [...linearSpecs('fusion.init_h', c.image.featureSize, n)];
    if (c.text.cell === 'lstm') specs.push(...linearSpecs('fusion.init_c', c.image.featureSize, n));
    return specs;
  },
  heads: (c) => ({ head: textWidth(c) }),
  forward: (ctx) => {
    const c = ctx.config;
    const v = ctx.image();
    const sizes = new Array<number>(stateCount(c)).fill(c.text.hiddenSize);
    const h0: Tensor[] = split(linear(ctx.params, 'fusion.init_h', v, 'tanh'), sizes);
    const c0 = c.text.cell === 'lstm' ? split(linear(ctx.params, 'fusion.init_c', v, 'tanh'), sizes) : undefined;
    return ctx.head('head', ctx.text({ h0, c0 }, false));
  },
  onnx: (ctx) => {
    const c = ctx.config;
    const v = ctx.image();
    const states = (name: string) => initialStatesOnnx(ctx.graph, name, v, stateCount(c), c.text.hiddenSize, 'tanh');
    const h0 = states('fusion.init_h');
    const c0 = c.text.cell === 'lstm' ? states('fusion.init_c') : undefined;
    return ctx.head('head', ctx.text({ h0, c0 }, false));
  },
  pytorch: {
    parameters: (c, line) => {
      const n = stateCount(c) * c.text.hiddenSize;
      line(`self.init_h = nn.Linear(${c.image.featureSize}, ${n})  # h0 of every layer and direction`);
      if (c.text.cell === 'lstm') line(`self.init_c = nn.Linear(${c.image.featureSize}, ${n})  # c0 of every layer and direction`);
    },
    forward: (py) => {
      const c = py.config;
      const state = (name: string) => `torch.tanh(self.fusion.${name}(v)).view(v.shape[0], ${stateCount(c)}, ${c.text.hiddenSize}).transpose(0, 1).contiguous()`;
      py.line(`h0 = ${state('init_h')}  # [layers*directions, N, H]`);
      if (c.text.cell === 'lstm') {
        py.line(`c0 = ${state('init_c')}`);
        py.line(`return self.head(${py.text(', state=(h0, c0)')})`);
      } else {
        py.line(`return self.head(${py.text(', state=h0')})`);
      }
    },
  },
};
