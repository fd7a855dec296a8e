// Kernel lab (`npm run bench -- --lab`): times GEMM variants on the shapes a recurrent
// training step uses, interleaved (variant A, B, C, A, B, C, …) so that load from other
// processes hits them alike; reports the median per variant and shape.
import { WebGpuBackend } from '../src/backend/webgpu.ts';
import { GEMM_VARIANTS, MATMUL_PARAMS, type GemmVariant } from '../src/ops/gemm-kernels.ts';
import { Random } from '../src/random.ts';
import { MICRO_PARAMS, microKernels } from './micro.ts';
import { backwardStepShared, blockedStepKernels, forwardStepShared, type StepKernel } from '../src/ops/recurrent-kernels.ts';
import { workgroupStepKernels } from '../src/ops/recurrent-kernels-any.ts';
import { grid1d } from '../src/gpu/grid.ts';
import { lstmCell } from '../src/ops/cells/lstm/lstm.ts';
import { RECURRENT_BACKWARD_PARAMS, RECURRENT_FORWARD_PARAMS, recurrentWgsl } from '../src/ops/wgsl-modules.ts';

const logEl = document.getElementById('log')!;
function log(message: string): void {
  console.log(message);
  logEl.textContent += message + '\n';
}
const params = new URLSearchParams(location.search);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** CPU time of the GPU process in ms (exposed by scripts/bench.mjs), or NaN. */
async function cpuMs(): Promise<number> {
  const f = (window as unknown as { __gpuProcessCpuMs?: () => Promise<number | null> }).__gpuProcessCpuMs;
  return (f ? await f() : null) ?? NaN;
}

/** Wall and GPU-process CPU time of an async measurement. */
async function measure(fn: () => Promise<void>): Promise<{ wall: number; cpu: number }> {
  const c0 = await cpuMs();
  const t0 = performance.now();
  await fn();
  const wall = performance.now() - t0;
  return { wall, cpu: (await cpuMs()) - c0 };
}

interface Shape {
  M: number;
  N: number;
  K: number;
  transA: boolean;
  transB: boolean;
}

function timeGemm(gpu: WebGpuBackend, v: GemmVariant, s: Shape, bufs: { a: GPUBuffer; b: GPUBuffer; c: GPUBuffer }, reps: number) {
  for (let r = 0; r < reps; r++) {
    gpu.dispatch({
      label: 'lab.gemm',
      shaderKey: `lab/${v.name}`,
      code: v.code,
      constants: { TRANS_A: s.transA ? 1 : 0, TRANS_B: s.transB ? 1 : 0, HAS_BIAS: 0, ACT: 0 },
      reads: [bufs.a, bufs.b, bufs.a],
      writes: [bufs.c],
      uniforms: MATMUL_PARAMS.pack({ M: s.M, N: s.N, K: s.K, kChunk: 0 }),
      workgroups: [Math.ceil(s.N / v.tileN), Math.ceil(s.M / v.tileM)],
    });
  }
}

/** Per-invocation cost of loads, broadcasts and multiply-adds: 256 workgroups of 64, K iterations. */
async function micro(gpu: WebGpuBackend) {
  const n = 1 << 20;
  const a = gpu.device.createBuffer({ label: 'lab.a', size: n * 4, usage: GPUBufferUsage.STORAGE });
  const c = gpu.device.createBuffer({ label: 'lab.c', size: n * 4, usage: GPUBufferUsage.STORAGE });
  const kernels = microKernels();
  const K = 256;
  const groups = 256;
  const run = (k: (typeof kernels)[number]) =>
    gpu.dispatch({ label: 'lab.micro', shaderKey: `lab/${k.name}`, code: k.code, reads: [a, a, a], writes: [c], uniforms: MICRO_PARAMS.pack({ M: 0, N: 0, K }), workgroups: [groups] });
  for (const k of kernels) run(k);
  await gpu.sync();
  const times = new Map<string, number[]>();
  for (let r = 0; r < 7; r++) {
    for (const k of kernels) {
      const t0 = performance.now();
      for (let i = 0; i < 5; i++) run(k);
      await gpu.sync();
      times.set(k.name, [...(times.get(k.name) ?? []), (performance.now() - t0) / 5]);
    }
  }
  const lanes = groups * 64 * K;
  for (const k of kernels) {
    const ts = times.get(k.name)!;
    const ms = Math.min(...ts);
    log(`${k.name.padEnd(12)} min ${ms.toFixed(2)} ms  median ${median(ts).toFixed(2)} ms  ${((ms * 1e6) / lanes).toFixed(3)} ns per invocation-iteration`);
  }
  (window as unknown as { __benchResults: unknown }).__benchResults = { ok: true };
}

/**
 * Forward / backward step kernels of the canonical LSTM (B 32, H 128) alone: 32 steps
 * per submit, variants interleaved. `?step=fwd` or `?step=bwd`, `&k=spec,spec` with
 * specs like 8x2uw32, "blocked", "wg16" / "wg4" (workgroup-memory family), and ablations suffixed "+nofinish" (the cell math and
 * stores replaced by one guarded store).
 */
async function stepLab(gpu: WebGpuBackend) {
  const dir = params.get('step') === 'bwd' ? 'bwd' : 'fwd';
  const B = 32, T = 32, H = Number(params.get('H') ?? 128), G = 4, S = 6;
  const mk = (label: string, floats: number, data?: Float32Array<ArrayBuffer> | Int32Array<ArrayBuffer>) => {
    const b = gpu.device.createBuffer({ label, size: Math.max(16, floats * 4), usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST });
    if (data) gpu.device.queue.writeBuffer(b, 0, data);
    return b;
  };
  const rng = new Random(2);
  const rand = (n: number, scale = 0.1) => Float32Array.from({ length: n }, () => rng.uniform(-scale, scale));
  const lengths = mk('lab.lengths', B, new Int32Array(B).fill(T));
  const w = mk('lab.w_hh', G * H * H, rand(G * H * H));
  const specs = (params.get('k') ?? 'blocked,8x2uw32').split(',');
  const kernels = specs.map((spec) => {
    const [base, ablation] = spec.split('+');
    let k: StepKernel;
    if (base === 'blocked') k = dir === 'fwd' ? blockedStepKernels(4, 2).forward : blockedStepKernels(4, 2).backward;
    else if (base === 'wg16' || base === 'wg4') k = workgroupStepKernels(base === 'wg16' ? 16 : 4)[dir === 'fwd' ? 'forward' : 'backward'];
    else {
      const m = /^(\d+)x(\d+)([ru])w(\d+)(l?)$/.exec(base)!;
      const shape = { rows: Number(m[1]), units: Number(m[2]), split: m[3] === 'r' ? ('rows' as const) : ('units' as const), workgroupSize: Number(m[4]), finishLoop: m[5] === 'l' };
      k = dir === 'fwd' ? forwardStepShared(shape) : backwardStepShared(shape);
    }
    let code = k.code;
    // Ablations: finish replaced by one guarded store; matvec from one h source.
    if (ablation === 'nofinish') {
      code = code.replaceAll(' finish(', ' fake_finish(');
      code +=
        dir === 'fwd'
          ? 'fn fake_finish(b: u32, j: u32, s: u32, L: u32, r: vec4<f32>) { if (dot(r, vec4<f32>(1.0)) == 12345.5) { y[b + j] = 1.0; } }\n'
          : 'fn fake_finish(b: u32, k: u32, through: f32) { if (through == 12345.5) { dgx[b + k] = 1.0; } }\n';
    }
    if (ablation === 'onesource') code = code.replace(/ {2}if \(s == 0u\) \{[\s\S]*?\n {2}\} else \{\n/, '  {\n');
    let full = recurrentWgsl('lstm', lstmCell.wgsl, dir === 'fwd' ? 'forward' : 'backward', { name: `lab_${spec}`, code }).code;
    if (ablation === 'trivialcell') full = full.replace(/let i = sigmoid\(a\[0\] \+ r\[0\]\);[\s\S]*?let o = sigmoid\(a\[3\] \+ r\[3\]\);/, 'let i = a[0] + r[0]; let f = a[1] + r[1]; let g = a[2] + r[2]; let o = a[3] + r[3];').replace('out.h = o * tanh_stable(c);', 'out.h = o * c;');
    if (ablation === 'nostores') full = full.replace(/ {2}let so = row \* S \* H \+ j;[\s\S]*?hprev\[row \* H \+ j\] = h_prev_j;/, '');
    return { name: spec, code: full, kernel: k };
  });
  let reads: GPUBuffer[], writes: GPUBuffer[];
  if (dir === 'fwd') {
    const xproj = mk('lab.xproj', B * T * G * H, rand(B * T * G * H));
    reads = [xproj, w, mk('lab.b_hh', G * H, rand(G * H)), lengths, mk('lab.init', 2 * B * H, rand(2 * B * H)), xproj];
    writes = [mk('lab.y', B * T * H), mk('lab.saved', B * T * S * H), mk('lab.hprev', B * T * H)];
  } else {
    reads = [w, lengths, mk('lab.saved', B * T * S * H, rand(B * T * S * H, 1)), mk('lab.dy', B * T * H, rand(B * T * H)), mk('lab.dfinal', 2 * B * H, rand(2 * B * H))];
    writes = [mk('lab.dgx', B * T * G * H), mk('lab.dgh', B * T * G * H), mk('lab.dstate', 2 * B * H)];
  }
  const run = (k: (typeof kernels)[number]) => {
    for (let s = 0; s < T; s++) {
      gpu.dispatch({
        label: `lab.${dir}`,
        shaderKey: `lab/${dir}/${k.name}`,
        code: k.code,
        entryPoint: 'step_blocked',
        constants: { H, G, S, ACT: 1 },
        reads,
        writes,
        uniforms:
          dir === 'fwd'
            ? RECURRENT_FORWARD_PARAMS.pack({ B, T, DH: H, d_off: 0, reverse: 0, s, steps: T })
            : RECURRENT_BACKWARD_PARAMS.pack({ B, T, DH: H, d_off: 0, reverse: 0, s: T - 1 - s, final_step: 0 }),
        workgroups: grid1d(k.kernel.lanes(B, H), k.kernel.workgroupSize),
      });
    }
  };
  for (const k of kernels) run(k);
  await gpu.sync();
  const times = new Map<string, { wall: number; cpu: number }[]>();
  const rounds = Number(params.get('rounds') ?? 7);
  for (let r = 0; r < rounds; r++) {
    for (const k of kernels) {
      const m = await measure(async () => {
        run(k);
        await gpu.sync();
      });
      times.set(k.name, [...(times.get(k.name) ?? []), m]);
    }
  }
  const flop = 2 * B * G * H * H * T;
  for (const k of kernels) {
    const ts = times.get(k.name)!;
    const wall = Math.min(...ts.map((t) => t.wall));
    const cpu = median(ts.map((t) => t.cpu));
    log(`${dir} ${k.name.padEnd(22)} wall min ${wall.toFixed(2)} median ${median(ts.map((t) => t.wall)).toFixed(2)} ms  cpu median ${cpu.toFixed(1)} ms  (${T} steps; ${(flop / (wall * 1e6)).toFixed(2)} GFLOP/s wall)`);
  }
  (window as unknown as { __benchResults: unknown }).__benchResults = { ok: true };
}

async function main() {
  const gpu = await WebGpuBackend.create();
  const info = gpu.gpu.adapter.info as GPUAdapterInfo & { subgroupMinSize?: number; subgroupMaxSize?: number };
  log(`adapter: ${gpu.description}; subgroups ${info.subgroupMinSize}..${info.subgroupMaxSize}`);
  // Variants by name (`&variants=sg16x8cs2x2,rb16x8w8x8`), default: all usable ones.
  const names = params.get('variants')?.split(',');
  const variants: GemmVariant[] = GEMM_VARIANTS.filter((v) => v.name !== 'naive' && (!names || names.includes(v.name)));
  const shapes: [string, Shape][] = [
    ['1024³ NN', { M: 1024, N: 1024, K: 1024, transA: false, transB: false }],
    ['xproj NT 1024×512×64', { M: 1024, N: 512, K: 64, transA: false, transB: true }],
    ['xprojNN 1024×512×64', { M: 1024, N: 512, K: 64, transA: false, transB: false }],
    ['dX NN 1024×64×512', { M: 1024, N: 64, K: 512, transA: false, transB: false }],
    ['dWih TN 512×64×1024', { M: 512, N: 64, K: 1024, transA: true, transB: false }],
    ['dWhh TN 512×128×1024', { M: 512, N: 128, K: 1024, transA: true, transB: false }],
  ];
  if (params.has('step')) {
    await stepLab(gpu);
    return;
  }
  if (params.has('micro')) {
    await micro(gpu);
    return;
  }
  const which = params.get('shapes');
  const rng = new Random(1);
  const n = 1024 * 1024;
  const data = Float32Array.from({ length: n }, () => rng.uniform(-1, 1));
  const mk = (label: string) => {
    const b = gpu.device.createBuffer({ label, size: n * 4, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST });
    gpu.device.queue.writeBuffer(b, 0, data);
    return b;
  };
  const bufs = { a: mk('lab.a'), b: mk('lab.b'), c: mk('lab.c') };
  const rounds = Number(params.get('rounds') ?? 5);
  const results: Record<string, Record<string, number>> = {};
  for (const [name, s] of shapes) {
    if (which && !which.split(',').some((w) => name.startsWith(w))) continue;
    const flop = 2 * s.M * s.N * s.K;
    const reps = Math.max(1, Math.round(2e8 / flop));
    const times = new Map<string, number[]>();
    const cpus = new Map<string, number[]>();
    // Compile and warm every variant first.
    for (const v of variants) {
      timeGemm(gpu, v, s, bufs, 1);
      await gpu.sync();
    }
    for (let r = 0; r < rounds; r++) {
      for (const v of variants) {
        const m = await measure(async () => {
          timeGemm(gpu, v, s, bufs, reps);
          await gpu.sync();
        });
        times.set(v.name, [...(times.get(v.name) ?? []), m.wall / reps]);
        cpus.set(v.name, [...(cpus.get(v.name) ?? []), m.cpu / reps]);
      }
    }
    results[name] = {};
    log(`\n${name} (${reps} per submit, ${rounds} rounds)`);
    for (const v of variants) {
      const ms = Math.min(...times.get(v.name)!);
      const cpu = median(cpus.get(v.name)!);
      results[name][v.name] = flop / (ms * 1e6);
      log(`  ${v.name.padEnd(22)} wall min ${ms.toFixed(2).padStart(8)} ms  ${(flop / (ms * 1e6)).toFixed(2).padStart(6)} GFLOP/s   cpu ${cpu.toFixed(2).padStart(8)} ms  ${((2 * flop) / (cpu * 1e6)).toFixed(2).padStart(6)} GFLOP/s per 2 cores`);
    }
  }
  (window as unknown as { __benchResults: unknown }).__benchResults = { results };
}

main().catch((e) => {
  log(`lab failed: ${e}`);
  (window as unknown as { __benchResults: unknown }).__benchResults = { error: String(e) };
});
