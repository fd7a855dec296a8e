// ONNX Runtime Web sessions for the browser: the WebGPU execution provider when the page
// has WebGPU, falling back to wasm. Loaded on demand so the app's first paint does not
// wait for the runtime. Used by the ONNX image encoders here and by export/verify.ts.
import type * as Ort from 'onnxruntime-web';

export type OrtModule = typeof Ort;

let ortModule: Promise<OrtModule> | null = null;

/** The onnxruntime-web module with the WebGPU execution provider compiled in. */
export function loadOrt(): Promise<OrtModule> {
  ortModule ??= import('onnxruntime-web/webgpu').then((m) => {
    const ort = m as unknown as OrtModule;
    ort.env.wasm.numThreads = 1;
    ort.env.logLevel = 'error';
    return ort;
  });
  return ortModule;
}

// ONNX Runtime's session logger reports warnings by default, and onnxruntime-web prints them
// with console.error (e.g. VerifyEachNodeIsAssignedToAnEp: shape ops placed on the CPU, as
// intended). 3 = errors only, so a healthy run logs no console errors.
const SESSION_OPTIONS = { logSeverityLevel: 3 as const };

export interface OrtSession {
  ort: OrtModule;
  session: Ort.InferenceSession;
  /** The execution provider that accepted the model. */
  provider: 'webgpu' | 'wasm';
}

/** Opens a model, trying WebGPU first (unless `wasmOnly`), then wasm. */
export async function openSession(model: Uint8Array, options: { wasmOnly?: boolean } = {}): Promise<OrtSession> {
  const ort = await loadOrt();
  const hasGpu = typeof navigator !== 'undefined' && 'gpu' in navigator && !!navigator.gpu;
  const errors: string[] = [];
  if (hasGpu && !options.wasmOnly) {
    try {
      const session = await ort.InferenceSession.create(model, { ...SESSION_OPTIONS, executionProviders: ['webgpu'] });
      return { ort, session, provider: 'webgpu' };
    } catch (e) {
      errors.push(`webgpu: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  try {
    const session = await ort.InferenceSession.create(model, { ...SESSION_OPTIONS, executionProviders: ['wasm'] });
    return { ort, session, provider: 'wasm' };
  } catch (e) {
    errors.push(`wasm: ${e instanceof Error ? e.message : String(e)}`);
  }
  throw new Error(`ONNX Runtime could not open the model (${errors.join('; ')})`);
}
