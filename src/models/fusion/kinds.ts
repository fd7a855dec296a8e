// The names of the fusion strategies. Each strategy file adds its own name to FusionKinds
// (declaration merging), so FusionKind is exactly the strategies present and a new
// strategy file needs no edit here or anywhere else.

/** One key per strategy (its URL and config name), added by the strategy's file. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by declaration merging in each strategy file
export interface FusionKinds {}

export type FusionKind = keyof FusionKinds;
