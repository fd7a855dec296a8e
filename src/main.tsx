// Entry point: `?bench` opens the benchmark page; otherwise reads the setup from the URL,
// starts the app's effects and mounts the app.
import { createRoot } from 'react-dom/client';
import { startApp } from './state/app.ts';
import { benchPageFromQuery } from './state/url.ts';
import { App } from './ui/App.tsx';
import { BenchPage } from './ui/bench/BenchPage.tsx';
import './ui/theme.css';
import './ui/app.css';

const bench = benchPageFromQuery(location.search);
const root = createRoot(document.getElementById('root')!);
if (bench) root.render(<BenchPage reduced={bench.reduced} />);
else {
  startApp();
  root.render(<App />);
}
