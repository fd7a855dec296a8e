// The WGSL composer checks fragment headers; every module the app can create composes.
import { describe, expect, it } from 'vitest';
import { composeWgsl, wgslFragment } from './wgsl.ts';
import { kernelModules } from '../ops/kernel-registry.ts';

const sig = wgslFragment('test/sig', '// provides: sig\nfn sig(v: f32) -> f32 { return v; }\n');
const user = wgslFragment('test/user', 'enable subgroups;\n// requires: sig\n// provides: main\n@compute @workgroup_size(1)\nfn main() { _ = sig(1.0); }\n');

describe('composeWgsl', () => {
  it('joins fragments with enable directives first', () => {
    const code = composeWgsl('test/ok', [sig, user]);
    expect(code.startsWith('enable subgroups;\n')).toBe(true);
    expect(code.match(/enable subgroups;/g)).toHaveLength(1);
    expect(code).toContain('fn sig(');
    expect(code).toContain('fn main(');
  });

  it('names the fragment and the missing name', () => {
    expect(() => composeWgsl('test/missing', [user])).toThrow("WGSL module test/missing: fragment test/user requires 'sig', which none of its fragments (test/user) provides");
  });

  it('rejects a name provided twice', () => {
    const again = wgslFragment('test/sig2', '// provides: sig\nfn sig(v: f32) -> f32 { return -v; }\n');
    expect(() => composeWgsl('test/twice', [sig, again, user])).toThrow("'sig' is provided by both test/sig and test/sig2");
  });

  it('rejects a header that provides a name the fragment does not declare', () => {
    expect(() => wgslFragment('test/liar', '// provides: nothing_here\nfn other() {}\n')).toThrow("WGSL fragment test/liar: its header provides 'nothing_here'");
  });

  it('composes every module the app can create', () => {
    const modules = kernelModules();
    expect(modules.length).toBeGreaterThan(60);
    for (const m of modules) expect(m.code.length, m.key).toBeGreaterThan(0);
  });
});
