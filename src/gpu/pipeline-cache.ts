// Pipeline cache keyed by (shader key, entry point, override constants, binding layout).
// `?debugShaders` in the page URL logs each WGSL module when it is first compiled.

export interface BindingLayout {
  /** Storage buffers bound as `read` (group 0, bindings 0..reads-1). */
  reads: number;
  /** Storage buffers bound as `read_write` (group 0, after the reads). */
  writes: number;
  /** Whether group 1 binding 0 is a uniform buffer. */
  uniforms: boolean;
}

export interface PipelineRequest {
  /** Stable name of the shader, e.g. "linalg/matmul". */
  key: string;
  code: string;
  entryPoint?: string;
  constants?: Record<string, number>;
  layout: BindingLayout;
  label: string;
}

function debugShadersEnabled(): boolean {
  try {
    return typeof location !== 'undefined' && new URLSearchParams(location.search).has('debugShaders');
  } catch {
    return false;
  }
}

export class PipelineCache {
  private modules = new Map<string, { module: GPUShaderModule; id: number }>();
  private pipelines = new Map<string, GPUComputePipeline>();
  private layouts = new Map<string, { groups: GPUBindGroupLayout[]; pipeline: GPUPipelineLayout }>();
  private readonly debug = debugShadersEnabled();
  /** Pipelines compiled so far (a test reads it to check caching). */
  compiled = 0;

  constructor(private device: GPUDevice) {}

  layoutFor(layout: BindingLayout): { groups: GPUBindGroupLayout[]; pipeline: GPUPipelineLayout } {
    const key = `${layout.reads}r${layout.writes}w${layout.uniforms ? 'u' : ''}`;
    let entry = this.layouts.get(key);
    if (entry) return entry;
    const storage: GPUBindGroupLayoutEntry[] = [];
    for (let i = 0; i < layout.reads + layout.writes; i++) {
      storage.push({
        binding: i,
        visibility: GPUShaderStage.COMPUTE,
        buffer: { type: i < layout.reads ? 'read-only-storage' : 'storage' },
      });
    }
    const groups = [this.device.createBindGroupLayout({ label: `layout.${key}.storage`, entries: storage })];
    if (layout.uniforms) {
      groups.push(
        this.device.createBindGroupLayout({
          label: `layout.${key}.uniforms`,
          entries: [{ binding: 0, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'uniform' } }],
        }),
      );
    }
    const pipeline = this.device.createPipelineLayout({ label: `layout.${key}`, bindGroupLayouts: groups });
    entry = { groups, pipeline };
    this.layouts.set(key, entry);
    return entry;
  }

  get(req: PipelineRequest): GPUComputePipeline {
    const constants = req.constants ?? {};
    const constKey = Object.keys(constants)
      .sort()
      .map((k) => `${k}=${constants[k]}`)
      .join(',');
    let module = this.modules.get(req.code);
    if (!module) {
      if (this.debug) console.log(`[debugShaders] ${req.key}\n${req.code}`);
      module = { module: this.device.createShaderModule({ label: req.key, code: req.code }), id: this.modules.size };
      this.modules.set(req.code, module);
    }
    const l = req.layout;
    const key = `${module.id}|${req.entryPoint ?? 'main'}|${constKey}|${l.reads}.${l.writes}.${l.uniforms ? 1 : 0}`;
    let pipeline = this.pipelines.get(key);
    if (pipeline) return pipeline;
    pipeline = this.device.createComputePipeline({
      label: req.label,
      layout: this.layoutFor(l).pipeline,
      compute: { module: module.module, entryPoint: req.entryPoint ?? 'main', constants },
    });
    this.compiled++;
    this.pipelines.set(key, pipeline);
    return pipeline;
  }
}
