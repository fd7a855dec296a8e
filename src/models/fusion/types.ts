// What a fusion strategy is: its parameters (including its head or heads) and how it
// turns the two modalities into the output. The model gives each strategy a context
// that runs the encoders on demand, so a strategy that ignores a modality never
// computes it.
import type { Tensor } from '../../tensor.ts';
import type { FusionKind, ModelConfig } from '../config.ts';
import type { ParamSpec, Params } from '../params.ts';
import type { TextConditioning } from '../text-encoder.ts';

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

export interface FusionDef {
  kind: FusionKind;
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
  /** Parameters of the strategy and its head(s); encoders are declared by the model. */
  specs(c: ModelConfig): ParamSpec[];
  /** Output [B, outputSize]. */
  forward(ctx: FusionContext): Tensor;
}

/** Width of the text feature u. */
export function textWidth(c: ModelConfig): number {
  return c.text.hiddenSize * (c.text.bidirectional ? 2 : 1);
}
