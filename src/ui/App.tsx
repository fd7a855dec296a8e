// Placeholder shell until the UI issue: shows which backend GateScope got, and the data
// section (dataset choice, import, report, preview).
import { useEffect, useState } from 'react';
import { WebGpuBackend } from '../backend/webgpu.ts';
import { DataSection } from './data/DataSection.tsx';

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
      <section>
        <h2>Data</h2>
        <DataSection />
      </section>
    </main>
  );
}
