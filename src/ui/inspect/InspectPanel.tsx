// The Inspect panel: pick an example (or type your own text and pick an image), see the
// prediction, per-token heatmaps of every gate and state for each layer and direction,
// a line chart of chosen units, span ranking with dataset-wide matching, the cell diagram
// of one unit at one step, and the image with its saliency map. Refreshes (throttled)
// when the weights change.
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import type { PreparedDataset } from '../../data/types.ts';
import type { ModelConfig } from '../../models/config.ts';
import { fusionUses } from '../../state/for-ui.ts';
import type { InspectTarget } from '../../train/protocol.ts';
import { SEQUENTIAL_MAPS, type ColorMapName } from '../common/colormap.ts';
import { CellDiagram } from './CellDiagram.tsx';
import { GateHeatmap, type CellRef } from './GateHeatmap.tsx';
import { PredictionView } from './PredictionView.tsx';
import { SaliencyView } from './SaliencyView.tsx';
import { SpanRanking } from './SpanRanking.tsx';
import { TargetPicker, type PickerMode } from './TargetPicker.tsx';
import { TokenStrip } from './TokenStrip.tsx';
import { scaleFor, statesFor, traceTitle } from './traces.ts';
import { UnitChart } from './UnitChart.tsx';
import { useInspection, type InspectApi } from './useInspection.ts';
import './inspect.css';
import { Spectrogram } from '../audio/Spectrogram.tsx';
import '../audio/audio.css';

export type { InspectApi };

export interface InspectPanelProps {
  /** null until a model exists in the worker. A new object alone does not refresh: new weights come with a new weightsVersion. */
  api: InspectApi | null;
  dataset: PreparedDataset;
  modelConfig: ModelConfig;
  /** Changes when the weights changed (at most about once a second): refresh. */
  weightsVersion: number;
  selectedExample: number | null;
  onSelectExample(index: number): void;
}

/** The cell the diagram shows: trace (layer·direction), the heatmap it was picked in, step, unit. */
interface Focus {
  trace: number;
  state: string;
  t: number;
  unit: number;
}

const ZOOMS = [1, 1.5, 2];
const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/** The first validation example, else the first example: what opens when nothing is selected. */
function defaultExample(d: PreparedDataset): number {
  return d.splits.validation[0] ?? d.splits.train[0] ?? 0;
}

export function InspectPanel(props: InspectPanelProps) {
  const { api, dataset, modelConfig, weightsVersion } = props;
  const uses = fusionUses(modelConfig.fusion);
  // Own text can be typed for a text encoder only (a series model reads numbers).
  const usesText = uses.text && modelConfig.task !== 'captioning' && !modelConfig.series;
  const usesImage = uses.image || modelConfig.task === 'captioning';
  const saliencyAvailable = usesImage && !modelConfig.audio && modelConfig.image.encoder !== 'features' && modelConfig.task !== 'captioning';

  const [mode, setMode] = useState<PickerMode>('example');
  const [own, setOwn] = useState<{ text: string; imageExample: number | null } | null>(null);
  const [showSaliency, setShowSaliency] = useState(true);
  const [opacity, setOpacity] = useState(0.65);
  const [sequential, setSequential] = useState<ColorMapName>('viridis');
  const [zoom, setZoom] = useState(1);
  const [focus, setFocus] = useState<Focus | null>(null);
  const [chart, setChart] = useState<{ trace: number; state: string; units: number[] }>({ trace: 0, state: 'h', units: [] });
  const [span, setSpan] = useState<[number, number] | null>(null);
  // Audio models: whose gates are shown, the question's (text encoder) or the clip's (audio encoder).
  const [gatesOf, setGatesOf] = useState<'text' | 'audio'>('audio');
  const audioGates = !!modelConfig.audio && uses.image && (gatesOf === 'audio' || !uses.text);

  const example = props.selectedExample !== null && props.selectedExample >= 0 && props.selectedExample < dataset.size ? props.selectedExample : defaultExample(dataset);
  const encoder = audioGates ? { encoder: 'audio' as const } : {};
  const target: InspectTarget | null = mode === 'example' ? { example, ...encoder } : own ? { text: own.text, imageExample: own.imageExample, ...encoder } : null;
  const targetKey = target ? JSON.stringify(target) : '';
  const { inspection, target: shownTarget, error, loading, version } = useInspection(api, target, saliencyAvailable && showSaliency, weightsVersion);

  // A new input resets the span (tokens differ); the selected unit and step are kept.
  useEffect(() => setSpan(null), [targetKey]);

  const cell = modelConfig.text.cell;
  const states = useMemo(() => statesFor(cell), [cell]);
  const traces = useMemo(() => (inspection ? [...inspection.traces].sort((a, b) => a.layer - b.layer || a.direction - b.direction) : []), [inspection]);
  const directions = modelConfig.text.bidirectional ? 2 : 1;
  const H = modelConfig.text.hiddenSize;
  const tokens = inspection?.tokens ?? [];
  const L = traces.length ? Math.min(tokens.length, traces[0].length) : tokens.length;
  const labels = traces.map((tr) => traceTitle(tr, directions));
  const inRange = (i: number | null) => (i !== null && i >= 0 && i < dataset.size ? i : null);
  const shownExample = inRange(shownTarget && 'example' in shownTarget ? shownTarget.example : null);
  const shownImage = inRange(shownTarget ? ('example' in shownTarget ? shownTarget.example : shownTarget.imageExample) : null);
  // An inspection made before the model or dataset changed does not fit the new shapes:
  // wait for the refresh instead of drawing it wrongly.
  const steps = audioGates && dataset.audio ? dataset.audio.length : dataset.maxLength;
  const stale = traces.some((tr) => states.some((s) => tr.values[s.name]?.length !== steps * H));

  const focusNow: Focus | null = traces.length && L > 0 ? (focus ? { ...focus, trace: clamp(focus.trace, 0, traces.length - 1), t: clamp(focus.t, 0, L - 1), unit: clamp(focus.unit, 0, H - 1) } : { trace: 0, state: 'h', t: 0, unit: 0 }) : null;
  const chartTrace = clamp(chart.trace, 0, Math.max(0, traces.length - 1));

  const cellWidth = Math.round(clamp(Math.round(200 / Math.max(1, L)), 10, 32) * zoom);
  const cellHeight = Math.round(clamp(Math.round(256 / Math.max(1, H)), 3, 14) * zoom);

  const select = (k: number, state: string, c: CellRef) => {
    setFocus({ trace: k, state, t: c.t, unit: c.unit });
    setChart((prev) => {
      if (prev.trace !== k) return { trace: k, state, units: [c.unit] };
      return { trace: k, state, units: prev.units.includes(c.unit) ? prev.units : [...prev.units, c.unit].slice(-8) };
    });
  };

  let body: ReactNode;
  if (!api) {
    body = (
      <p className="gs-empty" data-testid="inspect-empty">
        No model yet: start training (or step once) and the inspector shows what the model does with each example.
      </p>
    );
  } else if (!inspection) {
    body = error ? (
      <p role="alert" className="gs-danger">
        Could not inspect: {error}
      </p>
    ) : (
      <p className="gs-empty">{target ? 'Inspecting…' : 'Type a text and press “Inspect this text”.'}</p>
    );
  } else if (stale) {
    body = <p className="gs-empty">Refreshing for the new model…</p>;
  } else if (traces.length === 0 || L === 0) {
    body = (
      <p className="gs-empty" data-testid="inspect-no-traces">
        {traces.length === 0 ? 'This model has no recurrent text encoder to show (image-only fusion or captioning); the prediction and the image side are above.' : 'This input has no text tokens: there are no recurrent steps to show.'}
      </p>
    );
  } else {
    const f = focusNow!;
    body = (
      <>
        <div className="gs-row gs-heatmap-options">
          <label>
            Gate colours{' '}
            <select value={sequential} onChange={(e) => setSequential(e.target.value as ColorMapName)}>
              {SEQUENTIAL_MAPS.map((m) => (
                <option key={m} value={m}>
                  {m}
                </option>
              ))}
            </select>
          </label>
          <label>
            Zoom{' '}
            <select value={zoom} onChange={(e) => setZoom(Number(e.target.value))}>
              {ZOOMS.map((z) => (
                <option key={z} value={z}>
                  {z}×
                </option>
              ))}
            </select>
          </label>
          <span className="gs-muted">
            Rows are the {H} units, columns the {L} {audioGates ? 'audio frames (10 ms apart, labelled by start time)' : modelConfig.series ? 'time steps' : 'tokens'}. Gates 0…1 in {sequential}; states in cool–warm (blue −, grey 0, red +).
          </span>
        </div>
        <TokenStrip tokens={tokens.slice(0, L)} span={span} onSpan={setSpan} />
        <div className="gs-traces">
          {traces.map((tr, k) => (
            <section key={`${tr.layer}.${tr.direction}`} className="gs-trace" aria-label={labels[k]} data-testid="trace">
              <h4>{labels[k]}</h4>
              <div className="gs-heatmaps">
                {states.map((s) => {
                  const values = tr.values[s.name];
                  if (!values) return null;
                  return (
                    <GateHeatmap
                      key={s.name}
                      values={values}
                      H={H}
                      L={L}
                      tokens={tokens}
                      state={s}
                      scale={scaleFor(s.scale, values, H, L, sequential)}
                      traceLabel={labels[k]}
                      cellWidth={cellWidth}
                      cellHeight={cellHeight}
                      selected={f.trace === k ? { t: f.t, unit: f.unit } : null}
                      span={span}
                      chartUnits={chartTrace === k ? chart.units : []}
                      onSelect={(c) => select(k, s.name, c)}
                    />
                  );
                })}
              </div>
            </section>
          ))}
        </div>
        <div className="gs-inspect-lower">
          <div className="gs-card">
            <h3>Cell diagram</h3>
            <CellDiagram
              cell={cell}
              trace={traces[f.trace]}
              H={H}
              L={L}
              tokens={tokens}
              t={f.t}
              unit={f.unit}
              fusion={modelConfig.fusion}
              peephole={!!modelConfig.text.peephole && !audioGates}
              traceLabel={labels[f.trace]}
              onChange={(next) => setFocus({ ...f, ...next })}
            />
          </div>
          <div className="gs-card">
            <h3>Units over the tokens</h3>
            <UnitChart
              trace={traces[chartTrace]}
              traceLabel={labels[chartTrace]}
              states={states}
              state={chart.state}
              units={chart.units}
              H={H}
              L={L}
              tokens={tokens}
              onState={(state) => setChart((c) => ({ ...c, state }))}
              onRemoveUnit={(u) => setChart((c) => ({ ...c, units: c.units.filter((x) => x !== u) }))}
              onClear={() => setChart((c) => ({ ...c, units: [] }))}
            />
          </div>
          {/* The dataset-wide matching scans the text encoder: not offered over audio frames. */}
          {!audioGates && (
          <div className="gs-card">
            <h3>Span → units → matches</h3>
            <SpanRanking
              api={api}
              dataset={dataset}
              traces={traces}
              traceLabels={labels}
              traceIndex={f.trace}
              onTrace={(k) => setFocus({ ...f, trace: k })}
              states={states}
              H={H}
              L={L}
              tokens={tokens}
              span={span}
              example={shownExample}
              onPlot={(units, k, state) => setChart({ trace: k, state, units: units.slice(0, 8) })}
              onSelectExample={(i) => {
                setMode('example');
                props.onSelectExample(i);
              }}
            />
          </div>
          )}
        </div>
      </>
    );
  }

  const gatesChooser =
    modelConfig.audio && uses.image && uses.text ? (
      <fieldset className="gs-row" data-testid="inspect-gates-of">
        <legend>Gates of</legend>
        {(['audio', 'text'] as const).map((g) => (
          <label key={g}>
            <input type="radio" name="inspect-gates-of" checked={gatesOf === g} onChange={() => setGatesOf(g)} data-testid={`inspect-gates-${g}`} />
            {g === 'audio' ? 'the audio encoder (over the clip’s frames)' : 'the text encoder (over the question)'}
          </label>
        ))}
      </fieldset>
    ) : null;

  return (
    <div className="gs-inspect" data-testid="inspect-panel">
      {gatesChooser}
      <div className="gs-inspect-top">
        <div className="gs-card">
          <TargetPicker
            dataset={dataset}
            mode={mode}
            onMode={setMode}
            example={example}
            onExample={(i) => {
              setMode('example');
              props.onSelectExample(i);
            }}
            onOwn={(text, imageExample) => setOwn({ text, imageExample })}
            usesText={usesText}
            usesImage={usesImage}
          />
        </div>
        <div className="gs-card gs-prediction-card">
          <h3>Prediction</h3>
          {inspection && shownTarget ? <PredictionView prediction={inspection.prediction} dataset={dataset} example={shownExample} /> : <p className="gs-muted">—</p>}
          <p className="gs-status" aria-live="polite" data-testid="inspect-status">
            {loading ? 'Refreshing…' : version !== null ? `Weights version ${version}` : ''}
            {error && inspection ? ` · last refresh failed: ${error}` : ''}
          </p>
        </div>
        {usesImage && modelConfig.audio && dataset.audio && shownImage !== null && (
          <div className="gs-card">
            <h3>Clip</h3>
            <Spectrogram audio={dataset.audio} index={shownImage} label={`example ${dataset.ids[shownImage]}`} />
          </div>
        )}
        {usesImage && !modelConfig.audio && (
          <div className="gs-card">
            <h3>Image</h3>
            <SaliencyView
              dataset={dataset}
              imageExample={shownImage}
              saliency={inspection?.saliency ?? null}
              show={showSaliency}
              opacity={opacity}
              map={sequential}
              onShow={setShowSaliency}
              onOpacity={setOpacity}
              available={saliencyAvailable}
            />
          </div>
        )}
      </div>
      {body}
    </div>
  );
}
