// The app shell: header (tabs, guided demos, theme; run controls, progress, backend
// badge), notices, and the panels. Panels mount on first visit and stay mounted (hidden)
// so their state survives switching tabs; hidden panels stop reading live data.
import { Suspense, useEffect, useState } from 'react';
import { useStore } from '../state/store.ts';
import type { TabId } from '../state/url.ts';
import type { ThemeChoice } from '../state/slices/ui.ts';
import { PanelActive } from './charts/useLive.ts';
import { ComparePanel } from './compare/ComparePanel.tsx';
import { DataPanel } from './data/DataPanel.tsx';
import { DemoButtons, DemoGuide } from './demos/DemoGuide.tsx';
import { ModelPanel } from './model/ModelPanel.tsx';
import { BackendBadge } from './shell/BackendBadge.tsx';
import { DeviceNotice, NanNotice, UrlProblems } from './shell/Notices.tsx';
import { ProgressBar } from './shell/ProgressBar.tsx';
import { RunControls, RunStatusLine } from './shell/RunControls.tsx';
import { Tabs, type TabSpec } from './shell/Tabs.tsx';
import { EvaluateTab, InspectTab } from './shell/AnalysisTabs.tsx';
import { TrainPanel } from './train/TrainPanel.tsx';
import { TuningNote } from './train/PerformanceSection.tsx';
import { ExportTab } from './export/ExportTab.tsx';
import { SavedIndicator, SessionNotices } from './shell/SessionNotices.tsx';

const TABS: TabSpec[] = [
  { id: 'data', label: 'Data' },
  { id: 'model', label: 'Model' },
  { id: 'train', label: 'Train' },
  { id: 'inspect', label: 'Inspect' },
  { id: 'evaluate', label: 'Evaluate' },
  { id: 'compare', label: 'Compare' },
  { id: 'export', label: 'Export' },
];

function Panel({ id, active }: { id: TabId; active: boolean }) {
  switch (id) {
    case 'data':
      return <DataPanel />;
    case 'model':
      return <ModelPanel />;
    case 'train':
      return <TrainPanel />;
    case 'inspect':
      return <InspectTab active={active} />;
    case 'evaluate':
      return <EvaluateTab />;
    case 'compare':
      return <ComparePanel />;
    case 'export':
      return <ExportTab />;
    default:
      return null;
  }
}

function ThemeSelect() {
  const theme = useStore((s) => s.theme);
  const setTheme = useStore((s) => s.setTheme);
  return (
    <label className="theme-select">
      <span className="visually-hidden">Theme</span>
      <select value={theme} onChange={(e) => setTheme(e.target.value as ThemeChoice)} aria-label="Theme">
        <option value="system">system theme</option>
        <option value="light">light</option>
        <option value="dark">dark</option>
      </select>
    </label>
  );
}

export function App() {
  const requested = useStore((s) => s.tab);
  const setTab = useStore((s) => s.setTab);
  // A tab whose panel is not in this build (e.g. from a link) falls back to Data.
  const tab: TabId = TABS.some((t) => t.id === requested) ? requested : 'data';
  const [visited, setVisited] = useState<Set<TabId>>(() => new Set([tab]));
  useEffect(() => {
    if (!visited.has(tab)) setVisited(new Set(visited).add(tab));
  }, [tab, visited]);
  return (
    <div className="app">
      <header className="app-header">
        <div className="header-row">
          <h1 className="brand">GateScope</h1>
          <Tabs tabs={TABS} selected={tab} onSelect={setTab} />
          <div className="header-end">
            <DemoButtons />
            <ThemeSelect />
          </div>
        </div>
        <div className="header-row toolbar">
          <RunControls />
          <ProgressBar />
          <SavedIndicator />
          <BackendBadge />
        </div>
        <RunStatusLine />
        <TuningNote />
        <DemoGuide />
      </header>
      <UrlProblems />
      <SessionNotices />
      <NanNotice />
      <DeviceNotice />
      <main className="panels">
        {TABS.map((t) =>
          visited.has(t.id) || t.id === tab ? (
            <section key={t.id} role="tabpanel" id={`panel-${t.id}`} aria-labelledby={`tab-${t.id}`} hidden={t.id !== tab} className="panel" data-testid={`panel-${t.id}`}>
              <PanelActive.Provider value={t.id === tab}>
                <Suspense fallback={<p className="muted">Loading…</p>}>
                  <Panel id={t.id} active={t.id === tab} />
                </Suspense>
              </PanelActive.Provider>
            </section>
          ) : null,
        )}
      </main>
    </div>
  );
}
