// Placeholder shell until the UI issue: shows which backend GateScope got.
import { useEffect, useState } from 'react';
import { WebGpuBackend } from '../backend/webgpu.ts';

export function App() {
  const [backend, setBackend] = useState<string>('Detecting WebGPU…');
  useEffect(() => {
    WebGpuBackend.create().then(
      (b) => setBackend(b.description),
      (e: Error) => setBackend(`WebGPU unavailable — running on CPU (${e.message})`),
    );
  }, []);
  return (
    <main>
      <h1>GateScope</h1>
      <p data-testid="backend-badge">{backend}</p>
    </main>
  );
}
