// Runs the clip_grad_norm_ golden fixtures (src/optim/fixtures/clip/*.json, made by
// scripts/make_optim_fixtures.py) through gradNorms on a backend: per-parameter norms,
// the total norm and the clip factor, including NaN and Inf gradients.
import type { Backend } from '../backend/backend.ts';
import { allclose, type CloseReport } from '../autograd/gradcheck.ts';
import { gradNorms } from './clip.ts';

type JsonNumber = number | 'NaN' | 'Infinity' | '-Infinity';

export interface ClipFixture {
  name: string;
  shapes: number[][];
  maxNorm: number;
  grads: (JsonNumber[] | null)[];
  norms: JsonNumber[];
  total: JsonNumber;
  factor: JsonNumber;
}

function num(v: JsonNumber): number {
  return typeof v === 'number' ? v : v === 'NaN' ? NaN : v === 'Infinity' ? Infinity : -Infinity;
}

export function clipFixtures(): ClipFixture[] {
  const files = import.meta.glob<{ default: ClipFixture }>('./fixtures/clip/*.json', { eager: true });
  return Object.values(files).map((m) => m.default);
}

/** |a − e| ≤ atol + rtol·|e|, where NaN matches NaN and ±Infinity matches itself. */
function closeOrSame(actual: ArrayLike<number>, expected: number[], atol: number, rtol: number, what: string): CloseReport {
  const mismatch = expected.findIndex((e, i) => {
    const a = actual[i];
    if (!Number.isFinite(e)) return !(Object.is(a, e) || (Number.isNaN(a) && Number.isNaN(e)));
    return !(Math.abs(a - e) <= atol + rtol * Math.abs(e));
  });
  if (mismatch < 0 && actual.length === expected.length) return allclose([0], [0], 0, 0, what);
  return { ok: false, maxAbs: NaN, maxRel: NaN, worstIndex: mismatch, message: `${what}: [${Array.from(actual).join(', ')}] vs torch [${expected.join(', ')}]` };
}

export async function checkClipFixture(backend: Backend, f: ClipFixture, tol: { atol: number; rtol: number }): Promise<CloseReport> {
  const params = f.shapes.map((shape, i) => {
    const p = backend.zeros(shape, 'f32', `param${i}`).param();
    const g = f.grads[i];
    p.grad = g ? backend.fromArray(g.map(num), shape, 'f32', `grad${i}`) : null;
    return p;
  });
  const { values, factor } = gradNorms(params, f.maxNorm);
  const [got, gotFactor] = await Promise.all([values.read(), factor.read()]);
  const expected = [...f.norms.map(num), num(f.total), num(f.factor)];
  for (const p of params) p.dispose();
  values.dispose();
  factor.dispose();
  const report = closeOrSame([...got, gotFactor[0]], [...expected, num(f.factor)], tol.atol, tol.rtol, `${f.name} [norms…, total, factor, factor tensor]`);
  return report;
}
