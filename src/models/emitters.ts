// What the exporters hand the model's parts (image encoder, text encoder, fusion
// strategies, heads) so that each part writes its own ONNX nodes and PyTorch source: an
// ONNX graph builder and a Python source writer. Declared here, on the models floor;
// export/ implements them and keeps the ONNX protobuf encoding and the recurrent
// node's gate layout (export/onnx-recurrent.ts).
import type { CellKind } from '../ops/recurrent.ts';

/** An ONNX node attribute (ints, floats, strings and their lists). */
export type OnnxAttribute = number | string | number[] | string[] | { float: number } | { floats: number[] };

/** Activation applied after a Linear. */
export type LinearActivation = 'none' | 'relu' | 'tanh' | 'sigmoid';

/** One direction of one recurrent layer, in PyTorch's layout ([G·H, I], [G·H, H], [G·H] ×2). */
export interface RecurrentDirectionWeights {
  wIh: ArrayLike<number>;
  wHh: ArrayLike<number>;
  bIh: ArrayLike<number>;
  bHh: ArrayLike<number>;
}

/** Builds an ONNX graph with unique value names. Every method returns a value name. */
export interface OnnxGraph {
  /** Adds a node with one output; the output's name is fresh, derived from `out`. */
  node(opType: string, inputs: string[], out: string, attributes?: Record<string, OnnxAttribute>): string;
  /** Adds a float initializer named exactly `name`. */
  init(name: string, dims: number[], data: ArrayLike<number>): string;
  /** The model parameter `name` as an initializer of its own shape (added on first use). */
  param(name: string): string;
  /** The host values of the model parameter `name`. */
  weight(name: string): Float32Array;
  /** A float32 constant of shape `dims` (a scalar for []). */
  floats(values: number[], dims: number[], base: string): string;
  /** An int32 constant of shape `dims`. */
  int32s(values: number[], dims: number[], base: string): string;
  /** A 1-D int64 constant (shapes, axes, slice bounds). */
  ints(values: number[]): string;
  /** y = x·Wᵀ + b (Gemm) with the Linear named `prefix`, then `activation`. */
  linear(prefix: string, x: string, activation?: LinearActivation): string;
  /** ONNX W [D, G·H, I], R [D, G·H, H], B [D, 2·G·H] data for one layer of `cell`. */
  recurrentWeights(cell: CellKind, H: number, I: number, directions: RecurrentDirectionWeights[]): { W: Float32Array; R: Float32Array; B: Float32Array };
  /**
   * The ONNX LSTM | GRU | RNN node of one layer; `inputs` as the operator takes them
   * (X, W, R, B, sequence_lens, initial_h, initial_c). Returns Y [time, D, batch, H] and
   * Y_h [D, batch, H].
   */
  recurrent(cell: CellKind, H: number, bidirectional: boolean, inputs: string[], outputs: [string, string]): [string, string];
}

/** Appends lines to a Python source file. */
export interface PythonWriter {
  line(text?: string): void;
}
