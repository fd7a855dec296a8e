// What a fusion strategy is: its parameters and heads, how it turns the two modalities
// into the output, and how it writes that into the ONNX graph and the PyTorch module.
// The model and the exporters give each strategy a context that runs (or emits) the
// encoders on demand, so a strategy that ignores a modality never computes it.
import type { Tensor } from '../../tensor.ts';
import type { FusionKind, ModelConfig } from '../config-types.ts';
import type { OnnxGraph } from '../emitters.ts';
import type { ParamSpec, Params } from '../params.ts';
import type { OnnxTextConditioning, TextConditioning } from '../text-encoder.ts';

export interface FusionContext {
  config: ModelConfig;
  params: Params;
  training: boolean;
  seed: number;
  /** Image feature v [B, F]; rows without an image hold the learned `fusion.missing_image`. */
  image(): Tensor;
  /**
   * Runs the text encoder (conditioned as given) and returns u [B, D·H]. With
   * `substituteMissing`, rows without a text hold the learned `fusion.missing_text`;
   * without it they keep the encoder's output for a one-token `<unk>` text (which still
   * carries the image when the image conditions the recurrence).
   */
  text(conditioning: TextConditioning, substituteMissing: boolean): Tensor;
  /** The head named `prefix` applied to x → [B, outputSize]. */
  head(prefix: string, x: Tensor): Tensor;
}

/** FusionContext's counterpart while the ONNX graph is built: values are graph names. */
export interface FusionOnnxContext {
  config: ModelConfig;
  graph: OnnxGraph;
  /** v [batch, F], missing rows substituted. */
  image(): string;
  /** u [batch, D·H] from the text encoder conditioned as given (see FusionContext.text). */
  text(conditioning: OnnxTextConditioning, substituteMissing: boolean): string;
  head(prefix: string, x: string): string;
}

/**
 * Writing the body of the PyTorch `GateScopeModel.forward` after its inputs are read:
 * `v` (missing rows substituted), `tokens`, `lengths` and `has_text` are defined.
 */
export interface FusionPythonContext {
  config: ModelConfig;
  /** Appends a line of the method body (indented for it). */
  line(code: string): void;
  /** The text encoder's call with extra arguments (e.g. ", v"): its feature u. */
  text(args?: string): string;
  /** Writes `u = substitute(<text feature>, has_text, self.fusion.missing_text)`; returns "u". */
  substitutedText(): string;
}

export interface FusionDef {
  kind: FusionKind;
  /** Place in the lists of strategies (Model panel, Compare), ascending. */
  order: number;
  /** Short name for the UI. */
  title: string;
  /** One line the UI shows under the name. */
  description: string;
  /** The strategy's equation, plain text. */
  equation: string;
  /** How a missing modality is handled. */
  missing: string;
  /** Width added to every token embedding (early fusion: F). */
  extraTextInput(c: ModelConfig): number;
  /** The image is added to the first layer's input projection (additive fusion). */
  inputBias?: boolean;
  /** Its parameters are sized by `fusionSize` (the Model panel then shows the field). */
  usesFusionSize?: boolean;
  /** A missing text's feature is replaced by `fusion.missing_text` (otherwise it is never read). */
  substitutesMissingText: boolean;
  /** Parameters of the strategy; the encoders are declared by the model, the heads by `heads`. */
  specs(c: ModelConfig): ParamSpec[];
  /** The heads, by name, with their input width (declared after `specs`). */
  heads(c: ModelConfig): Record<string, number>;
  /** Output [B, outputSize]. */
  forward(ctx: FusionContext): Tensor;
  /** `forward` as ONNX nodes; returns the output's name. */
  onnx(ctx: FusionOnnxContext): string;
  /** The PyTorch module's parts. */
  pytorch: {
    /** `Fusion.__init__` lines after the missing vectors (each `self.<name> = …`, unindented). */
    parameters?(c: ModelConfig, line: (code: string) => void): void;
    /** Writes `GateScopeModel.forward`'s body up to its `return`. */
    forward(ctx: FusionPythonContext): void;
  };
}

/** Width of the text feature u. */
export function textWidth(c: ModelConfig): number {
  return c.text.hiddenSize * (c.text.bidirectional ? 2 : 1);
}
