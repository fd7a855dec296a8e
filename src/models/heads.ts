// Output heads: x [B, in] → [B, outputSize]. With head.hiddenSize > 0 the head is an
// MLP, ŷ = W₂·ReLU(W₁·drop(x) + b₁) + b₂; otherwise one Linear, ŷ = W·drop(x) + b.
// The task decides how ŷ is read: logits (classification, multilabel) or the
// standardised value (regression).
import type { Tensor } from '../tensor.ts';
import { dropout } from '../ops/dropout.ts';
import type { ModelConfig } from './config-types.ts';
import type { OnnxGraph, PythonWriter } from './emitters.ts';
import { linear, linearSpecs, type ParamSpec, type Params } from './params.ts';

export function headSpecs(prefix: string, inSize: number, c: ModelConfig): ParamSpec[] {
  if (c.head.hiddenSize > 0) {
    return [...linearSpecs(`${prefix}.fc1`, inSize, c.head.hiddenSize), ...linearSpecs(`${prefix}.fc2`, c.head.hiddenSize, c.outputSize)];
  }
  return linearSpecs(`${prefix}.fc`, inSize, c.outputSize);
}

export function applyHead(params: Params, prefix: string, x: Tensor, c: ModelConfig, training: boolean, seed: number): Tensor {
  const input = training && c.head.dropout > 0 ? dropout(x, c.head.dropout, seed, true) : x;
  if (c.head.hiddenSize > 0) return linear(params, `${prefix}.fc2`, linear(params, `${prefix}.fc1`, input, 'relu'));
  return linear(params, `${prefix}.fc`, input);
}

/** The head named `prefix` on x as ONNX nodes (evaluation: no dropout). */
export function headOnnx(g: OnnxGraph, prefix: string, x: string, c: ModelConfig): string {
  return c.head.hiddenSize > 0 ? g.linear(`${prefix}.fc2`, g.linear(`${prefix}.fc1`, x, 'relu')) : g.linear(`${prefix}.fc`, x);
}

/**
 * The PyTorch `Head` class (one per model; each head is an instance). A multi-task model's
 * heads differ in width: the class then takes `out_features` (default: the primary's).
 */
export function headPython(py: PythonWriter, c: ModelConfig): void {
  const hh = c.head.hiddenSize;
  const multi = (c.extraTasks?.length ?? 0) > 0;
  const outSize = multi ? 'out_features' : String(c.outputSize);
  py.line('class Head(nn.Module):');
  py.line(hh > 0 ? `    """Dropout -> Linear(${hh}) -> ReLU -> Linear(${outSize})."""` : `    """Dropout -> Linear(${outSize})."""`);
  py.line('');
  py.line(multi ? `    def __init__(self, in_features, out_features=${c.outputSize}):` : '    def __init__(self, in_features):');
  py.line('        super().__init__()');
  py.line(`        self.dropout = nn.Dropout(${c.head.dropout})`);
  if (hh > 0) {
    py.line(`        self.fc1 = nn.Linear(in_features, ${hh})`);
    py.line(`        self.fc2 = nn.Linear(${hh}, ${outSize})`);
  } else {
    py.line(`        self.fc = nn.Linear(in_features, ${outSize})`);
  }
  py.line('');
  py.line('    def forward(self, x):');
  py.line(hh > 0 ? '        return self.fc2(F.relu(self.fc1(self.dropout(x))))' : '        return self.fc(self.dropout(x))');
  py.line('');
  py.line('');
}
