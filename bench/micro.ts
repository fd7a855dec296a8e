// Micro-kernels for the lab: the cost of one storage-buffer load, one subgroup
// broadcast and one vec4 multiply-add per invocation on this adapter. Each kernel is the
// bindings fragment below plus a generated `main`, composed by src/gpu/wgsl.ts.
import { uniformLayout } from '../src/gpu/uniform-layout.ts';
import { composeWgsl, wgslFragment } from '../src/gpu/wgsl.ts';

/** Uniforms of the micro-kernels' bindings fragment below. */
export const MICRO_PARAMS = uniformLayout('bench/micro_bindings', { M: 'u32', N: 'u32', K: 'u32' });

const BINDINGS = wgslFragment(
  'bench/micro_bindings',
  `enable subgroups;
// provides: A, B, bias, C, p
@group(0) @binding(0) var<storage, read> A: array<f32>;
@group(0) @binding(1) var<storage, read> B: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> bias: array<f32>;
@group(0) @binding(3) var<storage, read_write> C: array<f32>;
struct Params { M: u32, N: u32, K: u32 }
@group(1) @binding(0) var<uniform> p: Params;
override TRANS_A: bool = false;
override TRANS_B: bool = false;
override HAS_BIAS: bool = false;
override ACT: u32 = 0u;
`,
);

export function microKernels(): { name: string; code: string; perIter: { loads: number; fmas: number; bcasts: number } }[] {
  const out = [];
  for (const [loads, fmas, bcasts, reuse, pattern] of [
    [4, 0, 0, 1, 0],
    [16, 0, 0, 1, 0],
    [16, 0, 0, 1, 4],
    [8, 0, 0, 1, 4],
  ]) {
    const l: string[] = [];
    const accs = Math.max(1, fmas / 4 / reuse);
    for (let i = 0; i < accs; i++) l.push(`  var acc${i} = vec4<f32>(f32(${i}));`);
    l.push('  var s = 0.0;');
    l.push('  var x = vec4<f32>(f32(lid) * 0.001);');
    l.push('  for (var k = 0u; k < p.K; k++) {');
    // 0: a few cache lines; 1: each lane and load its own row of 4 KiB, k along it
    // (L2-resident streams); 2: same over 4 MiB; 3: like 0 but the sum of loads feeds the address
    const index = (j: number) => [
      `(k * 64u + lid * 8u + ${j}u) & 1048575u`,
      `(k + lid * 1024u + ${j}u * 65536u) & 1048575u`,
      `(k + (lid + wid.x * 64u) * 256u + ${j}u * 4096u) & 1048575u`,
      `(k * 64u + lid * 8u + ${j}u + u32(s) * 0u) & 1048575u`,
    ];
    // 4: vec4 loads (loads/4 of them, 4 values each)
    if (pattern === 4) for (let j = 0; j < loads / 4; j++) l.push(`    s += dot(B[(k * 16u + lid * 2u + ${j}u) & 262143u], vec4<f32>(1.0));`);
    else for (let j = 0; j < loads; j++) l.push(`    s += A[${index(j)[pattern]}];`);
    for (let j = 0; j < bcasts; j++) l.push(`    x[${j % 4}] += subgroupBroadcast(x[${(j + 1) % 4}], ${j % 4}u);`);
    // fmas/reuse accumulators updated reuse times each: fewer live registers.
    for (let r = 0; r < reuse; r++) for (let i = 0; i < fmas / 4 / reuse; i++) l.push(`    acc${i} = fma(acc${i}, x, vec4<f32>(s));`);
    l.push('  }');
    l.push(`  C[lid] = s + ${Array.from({ length: accs }, (_, i) => `acc${i}.x + acc${i}.w`).join(' + ')} + x.y;`);
    const name = `L${loads}F${fmas}B${bcasts}acc${accs * 4}p${pattern}`;
    const main = `// requires: A, B, C, p\n@compute @workgroup_size(64)\nfn main(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wid: vec3u) {\n${l.join('\n')}\n}\n`;
    out.push({
      name,
      code: composeWgsl(`bench/micro_${name}`, [BINDINGS, wgslFragment(`bench/micro_${name}_main`, main)]),
      perIter: { loads, fmas, bcasts },
    });
  }
  return out;
}
