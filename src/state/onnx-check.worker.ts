// The ONNX check worker: reads a chosen ONNX image encoder's declared inputs and outputs
// off the page (a large or broken file took the page's thread for seconds). A switch over
// one message type; the logic is checkOnnxEncoder (models/onnx-check.ts). The file's
// bytes come in as a transferable and go back the same way.
/// <reference lib="webworker" />
import { checkOnnxEncoder } from '../models/onnx-check.ts';
import type { OnnxCheckReply, OnnxCheckRequest } from './onnx-check-client.ts';

declare const self: DedicatedWorkerGlobalScope;

self.onmessage = (event: MessageEvent<OnnxCheckRequest>) => {
  const m = event.data;
  switch (m.kind) {
    case 'check': {
      const reply: OnnxCheckReply = { kind: 'checked', result: checkOnnxEncoder(m.bytes, m.target), bytes: m.bytes };
      self.postMessage(reply, [m.bytes.buffer]);
      break;
    }
  }
};
