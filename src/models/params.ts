// Named parameters. A model first describes its parameters (name, shape, initialiser)
// as ParamSpecs — the single list that building, parameter counts, checkpoints and the
// PyTorch/ONNX export all read — and then allocates them on a backend, seeded.
// Names follow PyTorch module paths (e.g. "text_encoder.rnn.weight_ih_l0").
// A spec marked `buffer` is state that is saved and exported with the weights but not
// trained (batch norm's running statistics, torch's register_buffer): it is allocated
// without requiresGrad, and the optimizer, gradient norms and parameter counts skip it.
import type { Backend } from '../backend/backend.ts';
import { Random } from '../random.ts';
import { sizeOf, type Tensor } from '../tensor.ts';
import { matmul } from '../ops/matmul.ts';

export type Init =
  | { kind: 'uniform'; bound: number }
  | { kind: 'normal'; std: number }
  | { kind: 'constant'; value: number }
  /** Every [cols, cols] block of a [rows, cols] matrix is `scale`·I (one block per gate). */
  | { kind: 'identity'; scale: number };

export interface ParamSpec {
  name: string;
  shape: number[];
  init: Init;
  /** Ranges [start, end) of the flattened values set to a constant after `init`. */
  overrides?: { start: number; end: number; value: number }[];
  /** Saved and exported, never trained (torch buffer). */
  buffer?: boolean;
}

/** Parameters by name, in creation order. */
export class Params {
  constructor(readonly tensors: Map<string, Tensor>) {}

  get(name: string): Tensor {
    const t = this.tensors.get(name);
    if (!t) throw new Error(`model has no parameter "${name}"`);
    return t;
  }

  has(name: string): boolean {
    return this.tensors.has(name);
  }

  list(): Tensor[] {
    return [...this.tensors.values()];
  }

  names(): string[] {
    return [...this.tensors.keys()];
  }

  /** The trained tensors (everything but buffers), in creation order. */
  trainable(): Tensor[] {
    return this.list().filter((t) => t.requiresGrad);
  }

  /** Names of `trainable()`, in the same order. */
  trainableNames(): string[] {
    return [...this.tensors].filter(([, t]) => t.requiresGrad).map(([n]) => n);
  }

  dispose(): void {
    for (const t of this.tensors.values()) {
      t.persistent = false;
      if (t.grad) t.grad.persistent = false;
      t.dispose();
    }
  }
}

/** Total number of trained scalars in a list of specs (buffers are not counted, as in torch's parameters()). */
export function countParameters(specs: readonly ParamSpec[]): number {
  return specs.reduce((n, s) => n + (s.buffer ? 0 : sizeOf(s.shape)), 0);
}

/** A tensor for a spec: a trainable parameter, or a kept buffer without gradient. */
export function specTensor(backend: Backend, spec: ParamSpec, values: ArrayLike<number>): Tensor {
  const t = backend.fromArray(values, spec.shape, 'f32', spec.name);
  return spec.buffer ? t.keep() : t.param();
}

/** Host values of one spec drawn from `rng` (the same order gives the same values everywhere). */
export function initialValues(spec: ParamSpec, rng: Random): Float32Array {
  const n = sizeOf(spec.shape);
  const v = new Float32Array(n);
  const init = spec.init;
  if (init.kind === 'uniform') for (let i = 0; i < n; i++) v[i] = rng.uniform(-init.bound, init.bound);
  else if (init.kind === 'normal') for (let i = 0; i < n; i++) v[i] = rng.normal() * init.std;
  else if (init.kind === 'identity') {
    const cols = spec.shape[spec.shape.length - 1];
    for (let r = 0; r < n / cols; r++) v[r * cols + (r % cols)] = init.scale;
  } else v.fill(init.value);
  for (const o of spec.overrides ?? []) v.fill(o.value, o.start, o.end);
  return v;
}

/** Allocates every spec on `backend` (trainable parameters and buffers), seeded. */
export function allocateParams(backend: Backend, specs: readonly ParamSpec[], seed: number): Params {
  const rng = new Random(seed);
  const names = new Set<string>();
  const map = new Map<string, Tensor>();
  for (const s of specs) {
    if (names.has(s.name)) throw new Error(`parameter "${s.name}" is declared twice`);
    names.add(s.name);
    map.set(s.name, specTensor(backend, s, initialValues(s, rng)));
  }
  return new Params(map);
}

/** torch.nn.Linear(in, out): weight [out, in] and bias [out], both U(−1/√in, 1/√in). */
export function linearSpecs(prefix: string, inFeatures: number, outFeatures: number): ParamSpec[] {
  const bound = 1 / Math.sqrt(inFeatures);
  return [
    { name: `${prefix}.weight`, shape: [outFeatures, inFeatures], init: { kind: 'uniform', bound } },
    { name: `${prefix}.bias`, shape: [outFeatures], init: { kind: 'uniform', bound } },
  ];
}

/** y = x·Wᵀ + b for x [..., in] with the Linear named `prefix`. */
export function linear(params: Params, prefix: string, x: Tensor, activation: 'none' | 'relu' | 'tanh' | 'sigmoid' = 'none'): Tensor {
  return matmul(x, params.get(`${prefix}.weight`), { transB: true, bias: params.get(`${prefix}.bias`), activation });
}
