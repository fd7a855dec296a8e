// Decode worker: a switch over the message union; the work is decodeWithCanvas
// (decode.ts), which also runs on the main thread. Pixels go back as a transferable.
import { decodeWithCanvas, type DecodeRequest, type DecodeResponse } from './decode.ts';

const scope = self as unknown as {
  onmessage: ((ev: MessageEvent<DecodeRequest>) => void) | null;
  postMessage(message: DecodeResponse, transfer?: Transferable[]): void;
};

scope.onmessage = async (ev) => {
  const m = ev.data;
  switch (m.type) {
    case 'decode': {
      try {
        const img = await decodeWithCanvas(m.bytes, m.size);
        const data = img.data.buffer as ArrayBuffer;
        scope.postMessage({ type: 'decoded', id: m.id, width: img.width, height: img.height, data }, [data]);
      } catch (e) {
        scope.postMessage({ type: 'failed', id: m.id, message: (e as Error).message });
      }
      break;
    }
  }
};
