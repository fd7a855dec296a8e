// The dataset worker: generating and preparing a dataset takes long enough (about half a
// second for the default Shapes & Questions) to freeze the page, so it happens here. A
// switch over one message type; the logic is DatasetBuilder (datasets.ts).
/// <reference lib="webworker" />
import { transferables } from '../train/protocol.ts';
import { DatasetBuilder, DatasetError, type DatasetProgress } from './datasets.ts';
import type { DatasetWorkerReply, DatasetWorkerRequest } from './dataset-client.ts';

declare const self: DedicatedWorkerGlobalScope;

const builder = new DatasetBuilder();

self.onmessage = (event: MessageEvent<DatasetWorkerRequest>) => {
  const { id, request } = event.data;
  const onProgress = (progress: DatasetProgress) => self.postMessage({ id, progress } satisfies DatasetWorkerReply);
  builder.build(request, onProgress).then(
    (dataset) => {
      const reply: DatasetWorkerReply = { id, ok: true, dataset };
      self.postMessage(reply, transferables(dataset));
    },
    (e: unknown) => {
      const reply: DatasetWorkerReply = {
        id,
        ok: false,
        error: e instanceof Error ? e.message : String(e),
        report: e instanceof DatasetError ? e.report : null,
        reportName: e instanceof DatasetError ? e.reportName : null,
      };
      self.postMessage(reply);
    },
  );
};
