// The distillation controls' URL parameters (Compare panel, "Distil the trained model"):
// distill.hidden, distill.layers, distill.cell, distill.T, distill.alpha, distill.epochs.
// They set the form's starting values; nothing trains until the user presses the button.
import { CELL_KINDS } from '../models/config.ts';
import type { CellKind } from '../ops/recurrent.ts';

export const DISTILL_URL_KEYS = ['distill.hidden', 'distill.layers', 'distill.cell', 'distill.T', 'distill.alpha', 'distill.epochs'] as const;

export interface DistillQuery {
  hiddenSize?: number;
  numLayers?: number;
  cell?: CellKind;
  temperature?: number;
  alpha?: number;
  epochs?: number;
  /** One sentence per value that did not parse (it is left out). */
  problems: string[];
}

const quote = (text: string) => (text.length > 40 ? `${text.slice(0, 40)}…` : text);

/** Reads the distillation parameters of a query string; never throws. */
export function distillFromQuery(query: string): DistillQuery {
  const params = new URLSearchParams(query);
  const out: DistillQuery = { problems: [] };
  const number = (key: string, what: string, ok: (v: number) => boolean, range: string, put: (v: number) => void) => {
    const text = params.get(key);
    if (text === null) return;
    const v = Number(text);
    if (text.trim() !== '' && Number.isFinite(v) && ok(v)) put(v);
    else out.problems.push(`"${key}=${quote(text)}": ${what} must be ${range}. Kept the default.`);
  };
  const whole = (lo: number, hi: number) => (v: number) => Number.isInteger(v) && v >= lo && v <= hi;
  number('distill.hidden', "the student's hidden size", whole(1, 4096), 'a whole number from 1 to 4096', (v) => (out.hiddenSize = v));
  number('distill.layers', "the student's layers", whole(1, 8), 'a whole number from 1 to 8', (v) => (out.numLayers = v));
  number('distill.T', 'the distillation temperature', (v) => v > 0 && v <= 100, 'a number above 0, at most 100', (v) => (out.temperature = v));
  number('distill.alpha', 'the distillation weight α', (v) => v >= 0 && v <= 1, 'a number from 0 to 1', (v) => (out.alpha = v));
  number('distill.epochs', "the student's epochs", whole(1, 10000), 'a whole number from 1 to 10000', (v) => (out.epochs = v));
  const cell = params.get('distill.cell');
  if (cell !== null) {
    if ((CELL_KINDS as readonly string[]).includes(cell)) out.cell = cell as CellKind;
    else out.problems.push(`"distill.cell=${quote(cell)}": the student's cell must be one of ${CELL_KINDS.join(', ')}. Kept the teacher's.`);
  }
  return out;
}
