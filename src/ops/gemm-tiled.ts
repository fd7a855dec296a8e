// Workgroup-memory tiled GEMM variants, written for GPUs with real shared memory (NVIDIA,
// AMD, Intel, Apple), where the register-blocked variants of gemm-kernels.ts re-read the
// same operands from global memory once per invocation. Same bindings, uniforms and
// override constants as every other variant (see gemm-kernels.ts), so matmul.ts runs them
// unchanged, split K included.
//
// A workgroup computes a BM×BN tile of C. Its (BN/TN)×(BM/TM) invocations each own a
// TM×TN block, accumulated in named vec4 registers. K is walked in tiles of BK: the
// workgroup copies the BM×BK slice of op(A) and the BK×BN slice of op(B) into workgroup
// memory, laid out k-major (As[k][m], Bs[k][n]) so that the inner loop reads TM/4 + TN/4
// vec4s per k. Copies read quads of 4 elements along the operand's contiguous dimension:
// one vec4 load when the quad starts at a multiple of 4 and lies wholly inside the
// matrix and the k range, else guarded scalar loads with zeros past the edges (so odd
// M, N, K and unaligned split-K chunks work). Where that dimension is k (A not
// transposed, B transposed) an invocation reads 4 such quads from 4 rows and transposes
// the 4×4 block in registers, so workgroup memory is always written as whole vec4s. Two buffers per operand (double buffering):
// while the invocations multiply tile t from one buffer they store tile t+1 into the
// other, and one barrier per K tile separates the two uses of a buffer.
//
// The bias and C bindings, uniforms, split K and the epilogue come from
// shaders/linalg/matmul_shared.wgsl; the quads and the element type from an operand
// fragment: f32 storage (matmul_tiled_common.wgsl), f16 values packed in u32 with f32
// arithmetic (matmul_tiled_f16pack_common.wgsl, runs everywhere, src/ops/gemm-f16.ts),
// or f16 arrays with f16 products (matmul_tiled_f16_common.wgsl, needs `shader-f16`).
import tiledCommonWgsl from '../../shaders/linalg/matmul_tiled_common.wgsl?raw';
import f16PackCommonWgsl from '../../shaders/linalg/matmul_tiled_f16pack_common.wgsl?raw';
import f16CommonWgsl from '../../shaders/linalg/matmul_tiled_f16_common.wgsl?raw';
import { ACTIVATIONS, composeWgsl, wgslFragment } from '../gpu/wgsl.ts';
import { MATMUL_SHARED } from './wgsl-modules.ts';

/**
 * A generated variant: the fields of GemmVariant (gemm-kernels.ts, which lists these
 * variants; declared here so the two files do not import each other).
 */
export interface TiledVariant {
  name: string;
  code: string;
  tileN: number;
  tileM: number;
}

/** How A and B are stored: f32, f16 packed two per u32 (f32 arithmetic), or f16 arrays (shader-f16). */
export type TiledStorage = 'f32' | 'f16pack' | 'f16';

const COMMONS: Record<TiledStorage, ReturnType<typeof wgslFragment>> = {
  f32: wgslFragment('linalg/matmul_tiled_common', tiledCommonWgsl),
  f16pack: wgslFragment('linalg/matmul_tiled_f16pack_common', f16PackCommonWgsl),
  f16: wgslFragment('linalg/matmul_tiled_f16_common', f16CommonWgsl),
};
const SUFFIX: Record<TiledStorage, string> = { f32: '', f16pack: 'p16', f16: 'h16' };

/** Workgroup memory WebGPU guarantees (maxComputeWorkgroupStorageSize default). */
const WORKGROUP_BYTES = 16384;

export interface TiledShape {
  /** Output tile of a workgroup: BM rows × BN columns. */
  BM: number;
  BN: number;
  /** Outputs per invocation: TM rows × TN columns. */
  TM: number;
  TN: number;
  /** K per workgroup-memory tile. */
  BK: number;
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** A workgroup-memory tiled variant (see the top of this file). */
export function workgroupTiled({ BM, BN, TM, TN, BK }: TiledShape, storage: TiledStorage = 'f32'): TiledVariant {
  for (const [name, v] of Object.entries({ BM, BN, TM, TN, BK })) {
    if (v % 4 !== 0) throw new Error(`workgroupTiled: ${name} must be a multiple of 4, got ${v}`);
  }
  if (BM % TM !== 0 || BN % TN !== 0) throw new Error(`workgroupTiled: the tile ${BM}×${BN} must be a multiple of the block ${TM}×${TN}`);
  const TX = BN / TN;
  const TY = BM / TM;
  const THREADS = TX * TY;
  if (THREADS > 256) throw new Error(`workgroupTiled: ${THREADS} invocations per workgroup (at most 256)`);
  const elem = storage === 'f16' ? 'f16' : 'f32';
  const bytes = 2 * BK * (BM + BN) * (elem === 'f16' ? 2 : 4);
  if (bytes > WORKGROUP_BYTES) throw new Error(`workgroupTiled: ${bytes} bytes of workgroup memory (at most ${WORKGROUP_BYTES})`);
  const [BMQ, BNQ, BKQ, TMQ, TNQ] = [BM / 4, BN / 4, BK / 4, TM / 4, TN / 4];
  const QA = (BM * BK) / 4;
  const QB = (BK * BN) / 4;
  const vec = `vec4<${elem}>`;
  // Each invocation copies quads li, li + THREADS, … of a tile.
  const copies = (total: number, fn: string) =>
    range(Math.ceil(total / THREADS))
      .map((r) => {
        const q = r === 0 ? 'li' : `li + ${r * THREADS}u`;
        return (r + 1) * THREADS <= total ? `  ${fn}(buf, ${q}, k0, kend);` : `  if (${q} < ${total}u) { ${fn}(buf, ${q}, k0, kend); }`;
      })
      .join('\n');
  // The copies of op(A)'s tile (rows m of C: As, row0, p.M) and op(B)'s (columns n: Bs,
  // col0, p.N) differ only in these names.
  const copyFns = (op: 'a' | 'b') => {
    const [T, tile, Q, origin, extent, d] = op === 'a' ? ['A', 'As', 'BMQ', 'row0', 'p.M', 'm'] : ['B', 'Bs', 'BNQ', 'col0', 'p.N', 'n'];
    const quadsPerRow = op === 'a' ? BMQ : BNQ;
    const load = `quad_${op}`;
    return `/** Copies quad q of ${T}'s tile at k0 into buffer buf when ${T} is [K, ${extent.slice(2)}] (quads run along ${d}, as stored in ${tile}). */
fn copy_${op}_quad(buf: u32, q: u32, k0: u32, kend: u32) {
  let kk = q / ${Q};
  let ${d}${d} = (q % ${Q}) * 4u;
  let gk = k0 + kk;
  let g${d} = ${origin} + ${d}${d};
  var n = 0u;
  if (gk < kend && g${d} < ${extent}) { n = min(4u, ${extent} - g${d}); }
  ${tile}[(buf * ${BK}u + kk) * ${Q} + ${d}${d} / 4u] = ${load}(gk * ${extent} + g${d}, n);
}

/**
 * Copies 4×4 block q of ${T}'s tile at k0 into buffer buf when ${T} is [${extent.slice(2)}, K]: four quads
 * along k (${d} … ${d}+3), transposed in registers into four vec4 along ${d}.
 */
fn copy_${op}_block(buf: u32, q: u32, k0: u32, kend: u32) {
  let ${d}${d} = (q / BKQ) * 4u;
  let kk = (q % BKQ) * 4u;
  let gk = k0 + kk;
  var n = 0u;
  if (gk < kend) { n = min(4u, kend - gk); }
${range(4).map((r) => `  let g${d}${r} = ${origin} + ${d}${d} + ${r}u;\n  let q${r} = ${load}(g${d}${r} * p.K + gk, select(0u, n, g${d}${r} < ${extent}));`).join('\n')}
  let at = (buf * ${BK}u + kk) * ${Q} + ${d}${d} / 4u;
${range(4).map((e) => `  ${tile}[at + ${e * quadsPerRow}u] = ${vec}(q0[${e}], q1[${e}], q2[${e}], q3[${e}]);`).join('\n')}
}`;
  };
  const product = (a: string, b: string, acc: string) => (elem === 'f16' ? `${acc} + vec4<f32>(${vec}(${a}) * ${b})` : `fma(vec4<f32>(${a}), ${b}, ${acc})`);
  const rows = range(TM);
  const quads = range(TNQ);
  const name = `wt${BM}x${BN}t${TM}x${TN}k${BK}${SUFFIX[storage]}`;
  const main = `// Workgroup-memory tiled GEMM: ${BM}×${BN} outputs per workgroup, ${TM}×${TN} per invocation, K tiles of ${BK}, double-buffered (generated by src/ops/gemm-tiled.ts).
// requires: p, TRANS_A, TRANS_B, k_range, quad_a, quad_b, store_c
// provides: As, Bs, row0, col0, copy_a_quad, copy_a_block, copy_b_quad, copy_b_block, copy_tiles, store_guarded, main
const BMQ = ${BMQ}u;
const BNQ = ${BNQ}u;
const BKQ = ${BKQ}u;
/** Two K tiles of op(A): element (buffer, k, m) at vec4 (buffer·${BK} + k)·BMQ + m / 4, lane m % 4. */
var<workgroup> As: array<${vec}, ${2 * BK * BMQ}>;
/** Two K tiles of op(B): element (buffer, k, n) at vec4 (buffer·${BK} + k)·BNQ + n / 4, lane n % 4. */
var<workgroup> Bs: array<${vec}, ${2 * BK * BNQ}>;
var<private> row0: u32;
var<private> col0: u32;

${copyFns('a')}

${copyFns('b')}

fn copy_tiles(buf: u32, li: u32, k0: u32, kend: u32) {
  if (TRANS_A) {
${copies(QA, 'copy_a_quad')}
  } else {
${copies(QA / 4, 'copy_a_block')}
  }
  if (TRANS_B) {
${copies(QB / 4, 'copy_b_block')}
  } else {
${copies(QB, 'copy_b_quad')}
  }
}

fn store_guarded(row: u32, col: u32, value: f32) {
  if (row < p.M && col < p.N) { store_c(row, col, value); }
}

@compute @workgroup_size(${TX}, ${TY})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_id) lid: vec3u, @builtin(local_invocation_index) li: u32) {
  row0 = wid.y * ${BM}u;
  col0 = wid.x * ${BN}u;
  let kr = k_range(wid.z);
  let tiles = (max(kr.y, kr.x) - kr.x + ${BK - 1}u) / ${BK}u;
${rows.flatMap((i) => quads.map((q) => `  var acc${i}_${q} = vec4<f32>(0.0);`)).join('\n')}
  if (tiles > 0u) { copy_tiles(0u, li, kr.x, kr.y); }
  workgroupBarrier();
  for (var t = 0u; t < tiles; t++) {
    let buf = t & 1u;
    // The other buffer was last read in step t − 1, before the barrier that ended it.
    if (t + 1u < tiles) { copy_tiles(1u - buf, li, kr.x + (t + 1u) * ${BK}u, kr.y); }
    for (var kk = 0u; kk < ${BK}u; kk++) {
      let ab = (buf * ${BK}u + kk) * BMQ + lid.y * ${TMQ}u;
      let bb = (buf * ${BK}u + kk) * BNQ + lid.x * ${TNQ}u;
${range(TMQ).map((q) => `      let a${q} = As[ab + ${q}u];`).join('\n')}
${quads.map((q) => `      let b${q} = Bs[bb + ${q}u];`).join('\n')}
${rows.flatMap((i) => quads.map((q) => `      acc${i}_${q} = ${product(`a${Math.floor(i / 4)}[${i % 4}]`, `b${q}`, `acc${i}_${q}`)};`)).join('\n')}
    }
    // Tile t + 1 is complete and tile t's buffer is free for tile t + 2.
    workgroupBarrier();
  }
  let r0 = row0 + lid.y * ${TM}u;
  let c0 = col0 + lid.x * ${TN}u;
${rows.flatMap((i) => quads.flatMap((q) => range(4).map((e) => `  store_guarded(r0 + ${i}u, c0 + ${4 * q + e}u, acc${i}_${q}[${e}]);`))).join('\n')}
}
`;
  const code = composeWgsl(`linalg/gemm_${name}`, [ACTIVATIONS, MATMUL_SHARED, COMMONS[storage], wgslFragment(`linalg/gemm_${name}_main`, main)]);
  return { name, code, tileN: BN, tileM: BM };
}

/** The f32 tiled variants in GEMM_VARIANTS (every one is in the correctness suite). */
export const TILED_SHAPES: TiledShape[] = [
  { BM: 64, BN: 64, TM: 4, TN: 4, BK: 16 },
  { BM: 64, BN: 64, TM: 8, TN: 4, BK: 16 },
  { BM: 128, BN: 64, TM: 8, TN: 4, BK: 8 },
  { BM: 32, BN: 32, TM: 4, TN: 4, BK: 16 },
];

export const TILED_GEMM_VARIANTS: TiledVariant[] = TILED_SHAPES.map((s) => workgroupTiled(s));
