// Named uniform layouts. Each kernel declares its uniform struct once, as an ordered
// record of field names and WGSL types:
//   const PARAMS = uniformLayout('nn/unary', { n: 'u32', alpha: 'f32', beta: 'f32' });
//   gpu.dispatch({ ..., uniforms: PARAMS.pack({ n, alpha, beta }) });
// Offsets, alignment and the struct size follow WGSL's rules for the uniform address
// space (scalars 4-byte aligned, vec2 8, vec3 / vec4 16; the size rounded up to 16 bytes),
// so padding is computed, never spelled out. Layouts are registered by the shader that
// declares the struct (its path under shaders/), and a test checks every `var<uniform>`
// struct of every module against the layout registered for it.

/** WGSL types a uniform field may have. */
export type UniformType = 'u32' | 'i32' | 'f32' | 'vec2<u32>' | 'vec2<i32>' | 'vec2<f32>' | 'vec4<u32>' | 'vec4<i32>' | 'vec4<f32>';

type FieldValue<T extends UniformType> = T extends `vec${string}` ? readonly number[] : number;

export interface UniformField {
  name: string;
  type: UniformType;
  /** Byte offset in the struct. */
  offset: number;
}

export interface UniformLayout<F extends Record<string, UniformType>> {
  /** The shaders that declare the struct, e.g. ["nn/unary"]. */
  shaders: readonly string[];
  fields: readonly UniformField[];
  /** Struct size in bytes, a multiple of 16. */
  size: number;
  /** The bytes of one uniform block with these values. */
  pack(values: { [K in keyof F]: FieldValue<F[K]> }): ArrayBuffer;
}

const SHAPES: Record<UniformType, { align: number; size: number; lanes: number }> = {
  u32: { align: 4, size: 4, lanes: 1 },
  i32: { align: 4, size: 4, lanes: 1 },
  f32: { align: 4, size: 4, lanes: 1 },
  'vec2<u32>': { align: 8, size: 8, lanes: 2 },
  'vec2<i32>': { align: 8, size: 8, lanes: 2 },
  'vec2<f32>': { align: 8, size: 8, lanes: 2 },
  'vec4<u32>': { align: 16, size: 16, lanes: 4 },
  'vec4<i32>': { align: 16, size: 16, lanes: 4 },
  'vec4<f32>': { align: 16, size: 16, lanes: 4 },
};

const roundUp = (n: number, to: number) => Math.ceil(n / to) * to;

/** Every layout declared so far, by shader (read by the layout test). */
export const UNIFORM_LAYOUTS = new Map<string, UniformLayout<Record<string, UniformType>>>();

/**
 * Declares the uniform struct (fields in WGSL order) of a shader, or of several shaders
 * that share it. Declaring a shader twice throws.
 */
export function uniformLayout<F extends Record<string, UniformType>>(shaderOrShaders: string | readonly string[], fields: F): UniformLayout<F> {
  const shaders = typeof shaderOrShaders === 'string' ? [shaderOrShaders] : shaderOrShaders;
  const shader = shaders.join(', ');
  for (const s of shaders) if (UNIFORM_LAYOUTS.has(s)) throw new Error(`uniformLayout: the uniform struct of ${s} is declared twice`);
  let offset = 0;
  const placed: UniformField[] = Object.entries(fields).map(([name, type]) => {
    const shape = SHAPES[type];
    offset = roundUp(offset, shape.align);
    const field = { name, type, offset };
    offset += shape.size;
    return field;
  });
  const size = Math.max(16, roundUp(offset, 16));
  const layout: UniformLayout<F> = {
    shaders,
    fields: placed,
    size,
    pack(values) {
      const buf = new ArrayBuffer(size);
      const view = new DataView(buf);
      for (const f of placed) {
        const v = (values as Record<string, number | readonly number[]>)[f.name];
        if (v === undefined) throw new Error(`${shader}: uniform ${f.name} has no value`);
        const lanes = typeof v === 'number' ? [v] : v;
        if (lanes.length !== SHAPES[f.type].lanes) throw new Error(`${shader}: uniform ${f.name} (${f.type}) needs ${SHAPES[f.type].lanes} values, got ${lanes.length}`);
        lanes.forEach((x, i) => {
          const at = f.offset + 4 * i;
          if (f.type.endsWith('f32>') || f.type === 'f32') view.setFloat32(at, x, true);
          else if (f.type.endsWith('i32>') || f.type === 'i32') view.setInt32(at, x, true);
          else view.setUint32(at, x, true);
        });
      }
      return buf;
    },
  };
  for (const s of shaders) UNIFORM_LAYOUTS.set(s, layout as unknown as UniformLayout<Record<string, UniformType>>);
  return layout;
}

/** The fields of every `var<uniform>` struct in a WGSL source: [{ variable, struct, fields: [name, type][] }]. */
export function wgslUniformStructs(code: string): { variable: string; struct: string; fields: [string, string][] }[] {
  const structs = new Map<string, [string, string][]>();
  for (const m of code.matchAll(/struct\s+(\w+)\s*\{([^}]*)\}/g)) {
    const fields = m[2]
      .split(/[,\n]/)
      .map((s) => s.replace(/\/\/.*$/, '').trim())
      .filter(Boolean)
      .map((s) => {
        const [name, type] = s.split(':').map((x) => x.trim());
        return [name, type] as [string, string];
      });
    structs.set(m[1], fields);
  }
  return [...code.matchAll(/var<uniform>\s+(\w+)\s*:\s*(\w+)/g)].map((m) => ({ variable: m[1], struct: m[2], fields: structs.get(m[2]) ?? [] }));
}
