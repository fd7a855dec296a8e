// The benchmark's training and forward step on a GateScope backend, shared by the page
// (WebGPU, the plain CPU backend) and bench/engine.worker.ts (the WebAssembly engine, which
// splits GEMMs between threads only off the page's main thread):
//   x [B, T, I] → RNN layer (LSTM | GRU, H) → h_T → Linear(10) → softmax cross-entropy → Adam
import type { Backend } from '../src/backend/backend.ts';
import { backward, zeroGrad } from '../src/ops/grad.ts';
import { noGrad } from '../src/autograd/tape.ts';
import { scope, type Tensor } from '../src/tensor.ts';
import { matmul } from '../src/ops/matmul.ts';
import { initRecurrentParams, recurrent, type RecurrentConfig } from '../src/ops/recurrent.ts';
import { softmaxCrossEntropy } from '../src/ops/loss.ts';
import { Adam } from '../src/optim/adam.ts';
import { Random } from '../src/random.ts';

export interface StepConfig {
  name: string;
  cell: 'lstm' | 'gru';
  B: number;
  T: number;
  I: number;
  H: number;
}

export interface BenchStep {
  /** One training step (forward, backward, Adam), GPU work awaited. */
  train(): Promise<void>;
  /** One forward pass with the loss, no gradients. */
  forward(): Promise<void>;
  dispose(): void;
}

export function makeData(c: StepConfig): { x: Float32Array; y: Int32Array } {
  const rng = new Random(7);
  const x = Float32Array.from({ length: c.B * c.T * c.I }, () => rng.uniform(-1, 1));
  const y = Int32Array.from({ length: c.B }, () => rng.int(10));
  return { x, y };
}

/** The model of config `c` on `backend`, seeded, with its step functions. */
export function benchStep(backend: Backend, c: StepConfig): BenchStep {
  const config: RecurrentConfig = { cell: c.cell, inputSize: c.I, hiddenSize: c.H, numLayers: 1, bidirectional: false, dropout: 0 };
  const p = initRecurrentParams(backend, config, 1);
  const rng = new Random(3);
  const w = backend.fromArray(Float32Array.from({ length: c.H * 10 }, () => rng.uniform(-0.1, 0.1)), [c.H, 10]).param();
  const bias = backend.zeros([10]).param();
  const all: Tensor[] = [...p.layers.flatMap((l) => [l.wIh, l.wHh, l.bIh, l.bHh]), w, bias];
  const opt = new Adam(all, { lr: 1e-3 });
  const { x: xData, y: yData } = makeData(c);
  const x = backend.fromArray(xData, [c.B, c.T, c.I]).keep();
  const y = backend.fromArray(yData, [c.B], 'i32').keep();
  return {
    async train() {
      scope(() => {
        const r = recurrent(x, null, p, config);
        const { loss } = softmaxCrossEntropy(matmul(r.hN[0], w, { bias }), y);
        backward(loss);
        opt.update();
        zeroGrad(all);
      });
      await backend.sync();
    },
    async forward() {
      noGrad(() => scope(() => void softmaxCrossEntropy(matmul(recurrent(x, null, p, config).hN[0], w, { bias }), y)));
      await backend.sync();
    },
    dispose() {
      for (const tensor of [...all, x, y]) tensor.dispose();
    },
  };
}
