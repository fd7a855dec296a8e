// Entry point: reads the setup from the URL, starts the app's effects, mounts the app.
import { createRoot } from 'react-dom/client';
import { startApp } from './state/app.ts';
import { App } from './ui/App.tsx';
import './ui/theme.css';
import './ui/app.css';

startApp();
createRoot(document.getElementById('root')!).render(<App />);
