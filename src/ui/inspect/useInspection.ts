// Fetches the inspection of a target and refreshes it when the weights change. At most
// one request runs at a time; requests made meanwhile collapse into the latest one, which
// runs when the current one finishes (so refreshes during training are skipped, never
// queued up, and the view always ends on the newest weights).
import { useEffect, useEffectEvent, useRef, useState } from 'react';
import type { InspectTarget, Inspection, UnitScanRequest, UnitScanResult } from '../../train/protocol.ts';

/** What the inspect panel asks of the training worker (InspectPanel.tsx re-exports it). */
export interface InspectApi {
  inspect(target: InspectTarget, saliency: boolean): Promise<Inspection>;
  scanUnits(request: UnitScanRequest): Promise<UnitScanResult>;
}

export interface InspectionState {
  inspection: Inspection | null;
  /** The target the shown inspection belongs to. */
  target: InspectTarget | null;
  error: string | null;
  loading: boolean;
  /** weightsVersion of the shown inspection. */
  version: number | null;
}

interface Job {
  api: InspectApi;
  target: InspectTarget;
  saliency: boolean;
  version: number;
}

/** Inspection of `target` (null: nothing to inspect) on the latest weights. */
export function useInspection(api: InspectApi | null, target: InspectTarget | null, saliency: boolean, weightsVersion: number): InspectionState {
  const [state, setState] = useState<InspectionState>({ inspection: null, target: null, error: null, loading: false, version: null });
  const running = useRef(false);
  const queued = useRef<Job | null>(null);
  const alive = useRef(true);
  const key = target ? JSON.stringify(target) : '';
  const hasApi = api !== null;

  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
    };
  }, []);

  // Starts (or queues) a request with the latest api and target. It runs when the
  // target's value (`key`), the api's presence, saliency or the weights change: not for a
  // new target or api object alone (a parent may build one on every render; new weights
  // come with a new version).
  const request = useEffectEvent(() => {
    if (!api || !target) return;
    const job: Job = { api, target, saliency, version: weightsVersion };
    const run = (j: Job) => {
      running.current = true;
      setState((s) => ({ ...s, loading: true }));
      j.api.inspect(j.target, j.saliency).then(
        (inspection) => {
          if (alive.current) setState({ inspection, target: j.target, error: null, loading: false, version: j.version });
        },
        (e: unknown) => {
          if (alive.current) setState((s) => ({ ...s, error: e instanceof Error ? e.message : String(e), loading: false }));
        },
      ).finally(() => {
        running.current = false;
        const next = queued.current;
        queued.current = null;
        if (next && alive.current) run(next);
      });
    };
    if (running.current) queued.current = job;
    else run(job);
  });
  useEffect(() => request(), [hasApi, key, saliency, weightsVersion]);

  return state;
}
