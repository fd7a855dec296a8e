// The page's side of the ONNX check worker: one short-lived worker per chosen file.
import type { OnnxCheck, OnnxCheckTarget } from '../models/onnx-check.ts';

export type OnnxCheckRequest = { kind: 'check'; bytes: Uint8Array; target: OnnxCheckTarget };
export type OnnxCheckReply = { kind: 'checked'; result: OnnxCheck; bytes: Uint8Array };

/**
 * Checks an ONNX image encoder in a worker. `bytes` are transferred there and back:
 * use the returned `bytes` afterwards (the argument is detached).
 */
export function checkOnnxEncoderOffThread(bytes: Uint8Array, target: OnnxCheckTarget): Promise<{ result: OnnxCheck; bytes: Uint8Array }> {
  const worker = new Worker(new URL('./onnx-check.worker.ts', import.meta.url), { type: 'module', name: 'gatescope-onnx-check' });
  return new Promise<{ result: OnnxCheck; bytes: Uint8Array }>((resolve, reject) => {
    worker.onmessage = (e: MessageEvent<OnnxCheckReply>) => resolve({ result: e.data.result, bytes: e.data.bytes });
    worker.onerror = (e) => reject(new Error(`the ONNX file could not be checked (${e.message || 'the check stopped'})`));
    // A buffer shared with other views (a subarray) is copied, not transferred.
    const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
    worker.postMessage({ kind: 'check', bytes: own, target } satisfies OnnxCheckRequest, [own.buffer]);
  }).finally(() => worker.terminate());
}
