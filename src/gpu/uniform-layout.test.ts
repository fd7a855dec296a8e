// Named uniform layouts: offsets and sizes by WGSL's uniform rules, and every
// `var<uniform>` struct of every WGSL file and composed module matches the layout
// declared for its kernel (names, types and order).
import { describe, expect, it } from 'vitest';
import { UNIFORM_LAYOUTS, uniformLayout, wgslUniformStructs } from './uniform-layout.ts';
// Every module that declares a layout (the ops, the optimizers, the backend's fill).
import './fill.ts';
import '../ops/index.ts';
import '../optim/optimizer.ts';
import '../optim/clip.ts';
import { kernelModules, WGSL_FILES } from '../ops/kernel-registry.ts';

describe('uniformLayout', () => {
  it('places fields by WGSL alignment and rounds the size to 16 bytes', () => {
    const layout = uniformLayout('test/mixed', { n: 'u32', v: 'vec4<f32>', k: 'vec2<i32>', s: 'f32' });
    expect(layout.fields.map((f) => f.offset)).toEqual([0, 16, 32, 40]);
    expect(layout.size).toBe(48);
    const bytes = layout.pack({ n: 7, v: [1, 2, 3, 4], k: [-1, 5], s: 0.5 });
    const view = new DataView(bytes);
    expect(view.getUint32(0, true)).toBe(7);
    expect(view.getFloat32(28, true)).toBe(4);
    expect(view.getInt32(32, true)).toBe(-1);
    expect(view.getFloat32(40, true)).toBe(0.5);
    UNIFORM_LAYOUTS.delete('test/mixed');
  });

  it('pads small structs to 16 bytes and names missing values', () => {
    const layout = uniformLayout('test/small', { n: 'u32' });
    expect(layout.pack({ n: 3 }).byteLength).toBe(16);
    expect(() => layout.pack({} as { n: number })).toThrow('test/small: uniform n has no value');
    expect(() => uniformLayout('test/small', { n: 'u32' })).toThrow('declared twice');
    UNIFORM_LAYOUTS.delete('test/small');
  });
});

describe('uniform structs match their declared layouts', () => {
  const fieldsOf = (shader: string) => UNIFORM_LAYOUTS.get(shader)?.fields.map((f) => [f.name, f.type]);

  it('every .wgsl file', () => {
    let checked = 0;
    for (const [path, code] of Object.entries(WGSL_FILES)) {
      for (const u of wgslUniformStructs(code)) {
        expect(fieldsOf(path), `${path}: no uniformLayout declared`).toBeDefined();
        expect(u.fields, `${path}: struct ${u.struct} vs its uniformLayout`).toEqual(fieldsOf(path));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(30);
  });

  it('every composed module', () => {
    for (const m of kernelModules()) {
      for (const u of wgslUniformStructs(m.code)) {
        const owners = Object.entries(WGSL_FILES).filter(([, code]) => wgslUniformStructs(code).length > 0 && m.code.includes(code.replace(/^enable\s+[^;]+;\s*$/gm, '')));
        expect(owners.length, `${m.key}: its uniform struct comes from no .wgsl file`).toBe(1);
        expect(u.fields, m.key).toEqual(fieldsOf(owners[0][0]));
      }
    }
  });
});
