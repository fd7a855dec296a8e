// Which backend trains: the WebGPU adapter, or the CPU and why WebGPU is unavailable.
import { useStore } from '../../state/store.ts';

export function BackendBadge() {
  const probe = useStore((s) => s.backendProbe);
  return (
    <p className={`backend-badge backend-${probe.kind}`} data-testid="backend-badge" title={probe.text}>
      {probe.text}
    </p>
  );
}
