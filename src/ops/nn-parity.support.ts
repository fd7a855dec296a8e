// PyTorch parity for conv2d, pooling, embedding, the binary cross-entropy and batch
// norm (with its running statistics after a training step): runs each case of src/ops/fixtures/nn.json (made by
// scripts/make_nn_fixtures.py) on a backend and compares the output and every input
// gradient with PyTorch's float64 values.
import type { Backend } from '../backend/backend.ts';
import { backward } from './grad.ts';
import { allclose, type CloseReport } from '../autograd/gradcheck.ts';
import { scope, type Tensor } from '../tensor.ts';
import fixtures from './fixtures/nn.json';
import { sigmoidCrossEntropy } from './bce.ts';
import { conv2d } from './conv2d.ts';
import { mul } from './elementwise.ts';
import { embedding } from './embedding.ts';
import { globalAvgPool, maxPool2d } from './pool.ts';
import { sum } from './reduce.ts';
import { batchNorm2d } from './batch-norm.ts';

interface FixtureInput {
  name: string;
  shape: number[];
  dtype: string;
  data: number[];
}

export interface NnFixture {
  name: string;
  op: string;
  attrs: Record<string, number>;
  inputs: FixtureInput[];
  output: { shape: number[]; data: number[] };
  lossWeights: number[] | null;
  grads: Record<string, number[]>;
  /** Batch norm in training mode: the buffers after the update, by torch name. */
  runningStats?: Record<string, number[]>;
}

/** Every fixture case. */
export function nnFixtures(): NnFixture[] {
  return fixtures.cases as unknown as NnFixture[];
}

function apply(f: NnFixture, t: Record<string, Tensor>): Tensor {
  switch (f.op) {
    case 'conv2d':
      return conv2d(t.x, t.w, t.b ?? null, { stride: f.attrs.stride, padding: f.attrs.padding });
    case 'maxPool2d':
      return maxPool2d(t.x, { size: f.attrs.size, stride: f.attrs.stride });
    case 'globalAvgPool':
      return globalAvgPool(t.x);
    case 'embedding':
      return embedding(t.table, t.ids, Int32Array.from(f.inputs.find((i) => i.name === 'ids')!.data));
    case 'sigmoidCrossEntropy':
      return sigmoidCrossEntropy(t.logits, t.targets, t.mask);
    case 'batchNorm2d':
      return batchNorm2d(t.x, t.weight, t.bias, { runningMean: t.running_mean, runningVar: t.running_var }, { training: f.attrs.training === 1 });
    default:
      throw new Error(`nn fixture "${f.name}": unknown op ${f.op}`);
  }
}

/** Runs one fixture forward and backward on `backend`; one report for the output and one per gradient. */
export async function checkNnFixture(backend: Backend, f: NnFixture, tol: { atol: number; rtol: number }): Promise<CloseReport[]> {
  const pending = scope(() => {
    const tensors: Record<string, Tensor> = {};
    for (const inp of f.inputs) {
      const t = backend.fromArray(inp.data, inp.shape, inp.dtype === 'i32' ? 'i32' : 'f32', inp.name);
      if (f.grads[inp.name]) t.requiresGrad = true;
      tensors[inp.name] = t;
    }
    const out = apply(f, tensors);
    const loss = f.lossWeights ? sum(mul(out, backend.fromArray(f.lossWeights, out.shape, 'f32', 'loss.weights'))) : out;
    backward(loss);
    const grads = Object.keys(f.grads).map((name) => [name, tensors[name].grad!.read()] as const);
    const output = out.read();
    const stats = Object.keys(f.runningStats ?? {}).map((name) => [name, tensors[name].read()] as const);
    backend.flush();
    return { output, grads, stats };
  });
  const reports = [allclose(await pending.output, f.output.data, tol.atol, tol.rtol, `${f.name} output`)];
  for (const [name, g] of pending.grads) reports.push(allclose(await g, f.grads[name], tol.atol, tol.rtol, `${f.name} d${name}`));
  for (const [name, v] of pending.stats) reports.push(allclose(await v, f.runningStats![name], tol.atol, tol.rtol, `${f.name} ${name}`));
  return reports;
}
