// A helper thread of the WebAssembly engine's worker pool (src/backend/wasm-pool.ts): waits
// for its one start message, then runs GEMM chunks until the pool stops it. All logic is in
// wasm-pool-helper.ts, which Node tests run in worker_threads.
/// <reference lib="webworker" />
import { runHelper, type HelperReply, type HelperStart } from './wasm-pool-helper.ts';

declare const self: DedicatedWorkerGlobalScope;

self.onmessage = (event: MessageEvent<HelperStart>) => {
  self.onmessage = null;
  void runHelper(event.data, (reply: HelperReply) => self.postMessage(reply));
};
