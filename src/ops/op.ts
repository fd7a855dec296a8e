// What an op is: output shapes, a CPU reference on typed arrays, a WebGPU encoding,
// and a backward built from other ops. `runOp` applies one to tensors on any backend
// and records it on the tape, under a name the table of all ops (./index.ts) holds.
import type { Backend } from '../backend/backend.ts';
import { ShapeError } from '../backend/backend.ts';
import type { CpuBackend } from '../backend/cpu.ts';
import type { WasmGemm } from '../backend/wasm-gemm.ts';
import type { WebGpuBackend } from '../backend/webgpu.ts';
import { isGradEnabled, needsGrad, record } from '../autograd/tape.ts';
import { shapeString, type DType, type HostArray, type Shape, type Tensor } from '../tensor.ts';

export interface OutputSpec {
  shape: Shape;
  dtype: DType;
  /** Role used in the label "<op>.<role>". */
  role?: string;
}

export interface BackwardContext<A> {
  inputs: readonly Tensor[];
  outputs: readonly Tensor[];
  attrs: A;
  /** Gradient for each output; null where no gradient reached it. */
  grads: readonly (Tensor | null)[];
  /** Whether each input takes part in differentiation; a backward may skip (return null for) the others. */
  needs: readonly boolean[];
}

export interface OpDef<A> {
  /** Validates inputs (throwing ShapeError naming the op and shapes) and returns the outputs. */
  outputs(inputs: readonly Tensor[], attrs: A): OutputSpec[];
  /**
   * Plain reference on typed arrays: reads `inputs`, fully writes `outputs`. Float
   * arrays are Float32Array or Float64Array (the f64 CPU backend for gradient checks).
   */
  reference(inputs: readonly HostArray[], outputs: HostArray[], ctx: ReferenceContext<A>): void;
  /**
   * Optional: the same computation on the WebAssembly SIMD engine, for a CPU backend that
   * has one (f32 only). Same contract as `reference`; ops without it run `reference`.
   */
  wasm?(engine: WasmGemm, inputs: readonly HostArray[], outputs: HostArray[], ctx: ReferenceContext<A>): void;
  /** Records the WebGPU kernels that fully write every output. */
  webgpu(gpu: WebGpuBackend, inputs: readonly Tensor[], outputs: readonly Tensor[], attrs: A): void;
  /**
   * Gradients of the inputs from gradients of the outputs, built from other ops (run
   * without recording). Ops that are not differentiated (optimizer updates, helper
   * kernels used inside backward passes) must say so explicitly.
   */
  backward: ((ctx: BackwardContext<A>) => (Tensor | null)[]) | 'nondifferentiable';
}

/**
 * Attributes of each op, by name: the keys of the table of all ops. Declared empty here
 * and filled in by ./index.ts (declaration merging), because the ops that call `runOp`
 * are the ones the table imports: op.ts cannot import the table, not even its type,
 * without an import cycle.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by ./index.ts
export interface OpAttrs {}

/** Name of an op in the table of all ops. */
export type OpName = keyof OpAttrs;

export interface ReferenceContext<A> {
  attrs: A;
  inputShapes: readonly Shape[];
  outputShapes: readonly Shape[];
}

/** Throws a ShapeError that names the op and every input shape. */
export function shapeError(op: string, inputs: readonly Tensor[], problem: string): never {
  const shapes = inputs.map((t) => `${t.label}${shapeString(t.shape)}:${t.dtype}`).join(', ');
  throw new ShapeError(`${op}: ${problem} (inputs: ${shapes})`);
}

/** Checks dtypes of inputs, naming the op. */
export function expectDtype(op: string, inputs: readonly Tensor[], index: number, dtype: DType): void {
  if (inputs[index].dtype !== dtype) {
    shapeError(op, inputs, `input ${index} must be ${dtype}, got ${inputs[index].dtype}`);
  }
}

function sameBackend(op: string, inputs: readonly Tensor[]): Backend {
  const b = inputs[0]?.backend;
  if (!b) throw new ShapeError(`${op}: no inputs`);
  for (const t of inputs) {
    if (t.backend !== b) shapeError(op, inputs, 'inputs live on different backends');
    if (t.disposed) throw new Error(`${op}: input "${t.label}" ${shapeString(t.shape)} used after it was freed`);
  }
  return b;
}

/**
 * Applies an op: allocates outputs, computes them on the inputs' backend, records the
 * tape node. `name` is a key of the table of all ops, and `def` and `attrs` must have
 * the types the table gives that name, so an op missing from the table does not compile.
 */
export function runOp<K extends OpName>(name: K, def: OpDef<OpAttrs[K]>, inputs: readonly Tensor[], attrs: OpAttrs[K]): Tensor[] {
  const backend = sameBackend(name, inputs);
  const specs = def.outputs(inputs, attrs);
  const outputs = specs.map((s, i) => backend.empty(s.shape, s.dtype, `${name}.${s.role ?? `out${i}`}`));
  if (backend.kind === 'cpu') {
    const cpu = backend as CpuBackend;
    const ctx = { attrs, inputShapes: inputs.map((t) => t.shape), outputShapes: outputs.map((t) => t.shape) };
    const hostIn = inputs.map((t) => cpu.data(t));
    const hostOut = outputs.map((t) => cpu.data(t));
    if (cpu.engine && def.wasm) def.wasm(cpu.engine, hostIn, hostOut, ctx);
    else def.reference(hostIn, hostOut, ctx);
  } else {
    def.webgpu(backend as WebGpuBackend, inputs, outputs, attrs);
  }
  if (isGradEnabled() && def.backward !== 'nondifferentiable' && inputs.some(needsGrad)) {
    const bw = def.backward;
    const needs = inputs.map(needsGrad);
    record(name, inputs, outputs, (grads) => bw({ inputs, outputs, attrs, grads, needs }));
  }
  return outputs;
}
