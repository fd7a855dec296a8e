// Chart drawing shares one budget per animation frame: each chart asks to be drawn, the
// latest request of a chart replaces its earlier one, and each frame draws requests in
// the order they came until the frame's budget is spent — at least one per frame, so
// every chart is drawn within a few frames and no frame carries them all.
import { flushSync } from 'react-dom';

/** Milliseconds of chart drawing after which a frame draws no further chart. */
const FRAME_BUDGET_MS = 12;

const queue = new Map<object, () => void>();
let frame = 0;

function drawSome(): void {
  frame = 0;
  const start = performance.now();
  // Requests made while drawing (a chart's new data) wait for the next frame.
  for (const [owner, draw] of [...queue]) {
    if (queue.get(owner) !== draw) continue;
    queue.delete(owner);
    // Rendered here, synchronously, so its cost lands in this frame and is measured.
    flushSync(draw);
    if (performance.now() - start >= FRAME_BUDGET_MS) break;
  }
  if (queue.size > 0) frame = requestAnimationFrame(drawSome);
}

/**
 * Queues `draw` (a React state update) for `owner`, replacing any draw of `owner` not yet
 * run. Returns a function that withdraws it.
 */
export function requestDraw(owner: object, draw: () => void): () => void {
  queue.delete(owner);
  queue.set(owner, draw);
  if (!frame) frame = requestAnimationFrame(drawSome);
  return () => {
    if (queue.get(owner) === draw) queue.delete(owner);
  };
}
