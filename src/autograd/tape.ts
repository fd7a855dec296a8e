// Autograd tape. While grad mode is on, every op whose inputs need a gradient records
// a node on its outputs. backward(loss) walks the nodes reachable from the loss in
// reverse creation order (a reverse topological order) and accumulates gradients.
import type { TapeNode, Tensor } from '../tensor.ts';

export type { TapeNode };

let nextNodeId = 1;
let gradEnabled = true;

export function isGradEnabled(): boolean {
  return gradEnabled;
}

/** Runs fn without recording (inference, optimizer updates, backward itself). */
export function noGrad<T>(fn: () => T): T {
  const before = gradEnabled;
  gradEnabled = false;
  try {
    return fn();
  } finally {
    gradEnabled = before;
  }
}

/** Whether a tensor takes part in differentiation. */
export function needsGrad(t: Tensor): boolean {
  return t.requiresGrad || t.node !== null;
}

/** Records a node for the outputs of one op application. */
export function record(
  op: string,
  inputs: readonly Tensor[],
  outputs: readonly Tensor[],
  backward: TapeNode['backward'],
): void {
  const node: TapeNode = { id: nextNodeId++, op, inputs, outputs, backward };
  for (const o of outputs) o.node = node;
}

export interface BackwardOptions {
  /** Gradient of the loss (default: ones, the loss must then be a scalar). */
  seed?: Tensor;
  /** Called for every accumulation; used by gradient checks and debugging. */
  add: (a: Tensor, b: Tensor) => Tensor;
  ones: (like: Tensor) => Tensor;
  copy: (t: Tensor) => Tensor;
  /** Intermediate tensors whose gradient is kept in `.grad` after the pass (freed with the scope). */
  retain?: readonly Tensor[];
}

/**
 * Backpropagates from `loss`. Leaves with requiresGrad get `.grad` (added to an
 * existing grad: gradients accumulate until the caller clears them). Intermediate
 * gradients are ordinary tensors of the enclosing `scope` and are freed with it, so
 * call backward inside the step's scope.
 */
export function backward(loss: Tensor, options: BackwardOptions): void {
  if (!loss.node) {
    if (loss.requiresGrad) {
      accumulateLeaf(loss, options.seed ?? options.ones(loss), options);
      return;
    }
    throw new Error(`backward: ${loss.label} does not depend on any tensor that requires grad`);
  }
  if (!options.seed && loss.size !== 1) {
    throw new Error(`backward: ${loss.label} has shape [${loss.shape.join(', ')}]; pass a seed gradient for non-scalar outputs`);
  }
  // Collect reachable nodes.
  const nodes = new Map<number, TapeNode>();
  const stack: TapeNode[] = [loss.node];
  while (stack.length) {
    const n = stack.pop()!;
    if (nodes.has(n.id)) continue;
    nodes.set(n.id, n);
    for (const i of n.inputs) if (i.node && !nodes.has(i.node.id)) stack.push(i.node);
  }
  const order = [...nodes.values()].sort((a, b) => b.id - a.id);
  const grads = new Map<Tensor, Tensor>();
  // A backward may hand the same tensor to several inputs (add, split); a tensor that
  // is already held somewhere is copied before it is stored a second time.
  const held = new Set<Tensor>();
  const own = (g: Tensor): Tensor => {
    const t = held.has(g) ? options.copy(g) : g;
    held.add(t);
    return t;
  };
  grads.set(loss, own(options.seed ?? options.ones(loss)));

  noGrad(() => {
    for (const node of order) {
      const outGrads = node.outputs.map((o) => grads.get(o) ?? null);
      if (outGrads.every((g) => g === null)) continue;
      const inGrads = node.backward(outGrads);
      if (inGrads.length !== node.inputs.length) {
        throw new Error(`backward of ${node.op} returned ${inGrads.length} gradients for ${node.inputs.length} inputs`);
      }
      node.inputs.forEach((input, k) => {
        const g = inGrads[k];
        if (!g) return;
        if (g.shape.length !== input.shape.length || g.shape.some((d, j) => d !== input.shape[j])) {
          throw new Error(
            `backward of ${node.op}: gradient for input ${k} has shape [${g.shape.join(', ')}], input has [${input.shape.join(', ')}]`,
          );
        }
        if (input.node) {
          const prev = grads.get(input);
          grads.set(input, prev ? own(options.add(prev, g)) : own(g));
        } else if (input.requiresGrad) {
          accumulateLeaf(input, own(g), options);
        }
      });
    }
  });
  for (const t of options.retain ?? []) {
    const g = grads.get(t);
    if (g && t.node) t.grad = g;
  }
}

function accumulateLeaf(leaf: Tensor, g: Tensor, options: BackwardOptions): void {
  if (leaf.grad && !leaf.grad.disposed) {
    const sum = options.add(leaf.grad, g);
    leaf.grad.dispose();
    leaf.grad = sum;
  } else {
    leaf.grad = g;
  }
  leaf.grad.persistent = leaf.persistent;
}
