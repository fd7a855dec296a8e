// The one way WGSL modules are composed from parts. A kernel is either a .wgsl file that
// compiles alone (specialised by override constants), or a module composed here from
// fragments. A fragment opens with header lines saying what it needs from the other
// fragments of its module and what it gives them:
//   // requires: sigmoid, tanh_stable
//   // provides: cell_forward, cell_backward
// composeWgsl checks that every required name is provided by some fragment of the module,
// that no name is provided twice, and that every provided name is declared in its
// fragment (fn / var / struct / override / const / alias), then joins the fragments with
// `enable` directives hoisted to the top. Shared helpers (activations) live once in
// shaders/common/ and reach every kernel through here.
import activationsWgsl from '../../shaders/common/activations.wgsl?raw';

/** A piece of WGSL with its `// requires:` / `// provides:` header parsed. */
export interface WgslFragment {
  /** Stable name, e.g. "recurrent/recurrent_forward" (the file path without .wgsl). */
  name: string;
  code: string;
  requires: readonly string[];
  provides: readonly string[];
}

function headerList(code: string, key: 'requires' | 'provides'): string[] {
  const names: string[] = [];
  for (const m of code.matchAll(new RegExp(`^//\\s*${key}:(.*)$`, 'gm'))) {
    for (const n of m[1].split(',')) if (n.trim()) names.push(n.trim());
  }
  return names;
}

/** Whether `name` is declared at module scope in `code`. */
function declares(code: string, name: string): boolean {
  const escaped = name.replace(/[$]/g, '\\$&');
  return new RegExp(`^\\s*(?:@[^\\n]*?\\s)?(?:fn|struct|override|const|alias|var(?:<[^>]*>)?)\\s+${escaped}\\b`, 'm').test(code);
}

/** Parses a fragment's header; throws if it provides a name it does not declare. */
export function wgslFragment(name: string, code: string): WgslFragment {
  const fragment = { name, code, requires: headerList(code, 'requires'), provides: headerList(code, 'provides') };
  for (const p of fragment.provides) {
    if (!declares(code, p)) throw new Error(`WGSL fragment ${name}: its header provides '${p}' but it declares no fn, var, struct, override or const of that name`);
  }
  return fragment;
}

/** Whether a .wgsl source is a fragment (has a requires or provides header) rather than a module that compiles alone. */
export function isWgslFragment(code: string): boolean {
  return /^\/\/\s*(requires|provides):/m.test(code);
}

const composed = new Map<string, string>();

/**
 * Joins fragments into one module after checking their headers (see the top of this file).
 * Throws an error naming the module, the fragment and the missing or doubled name.
 * Results are cached by module name and fragment names, so fragment names must be stable
 * and distinct.
 */
export function composeWgsl(moduleName: string, fragments: readonly WgslFragment[]): string {
  const key = `${moduleName}|${fragments.map((f) => f.name).join('|')}`;
  const hit = composed.get(key);
  if (hit !== undefined) return hit;
  const provider = new Map<string, string>();
  for (const f of fragments) {
    for (const p of f.provides) {
      const other = provider.get(p);
      if (other !== undefined) throw new Error(`WGSL module ${moduleName}: '${p}' is provided by both ${other} and ${f.name}`);
      provider.set(p, f.name);
    }
  }
  for (const f of fragments) {
    for (const r of f.requires) {
      if (!provider.has(r)) throw new Error(`WGSL module ${moduleName}: fragment ${f.name} requires '${r}', which none of its fragments (${fragments.map((g) => g.name).join(', ')}) provides`);
    }
  }
  const enables = new Set<string>();
  const bodies = fragments.map((f) =>
    f.code.replace(/^enable\s+[^;]+;\s*$/gm, (line) => {
      enables.add(line.trim());
      return '';
    }),
  );
  const code = [...enables, ...bodies].join('\n');
  composed.set(key, code);
  return code;
}

/** shaders/common/activations.wgsl: sigmoid, tanh_stable, activate(v, code). */
export const ACTIVATIONS = wgslFragment('common/activations', activationsWgsl);
