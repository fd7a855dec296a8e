// The Model panel: text encoder (cell, layers, hidden size, bidirectional, embedding,
// memory-gate bias), image encoder (CNN, pixel MLP, or the user's ONNX encoder), fusion
// strategy (with its equation, description and diagram), head and task. Parameter count
// and FLOPs per step update as you type; invalid combinations are explained, not fixed.
import { useEffect, useEffectEvent, useState } from 'react';
import type { FusionKind, ModelConfig } from '../../models/config.ts';
import { CAPTION_EQUATIONS, formatBytes, FUSION_KINDS, FUSIONS, modelCost, trainingMemory } from '../../state/for-ui.ts';
import type { CellKind } from '../../ops/recurrent.ts';
import { resolveModelConfig, type DataSettings } from '../../state/settings.ts';
import { sessionLimits, setupProblems } from '../../state/target.ts';
import { useStore } from '../../state/store.ts';
import { CheckField, NumberField, SelectField } from '../common/fields.tsx';
import { compact } from '../common/format.ts';
import { CELL_LABELS } from '../common/labels.ts';
import { FusionDiagram } from './FusionDiagram.tsx';
import { OnnxEncoderPicker } from './OnnxEncoderPicker.tsx';
import { FusionNote } from '../shell/Notices.tsx';

const CELLS = Object.entries(CELL_LABELS) as [CellKind, string][];

const CELL_NOTES: Record<CellKind, string> = {
  rnn_tanh: 'hₜ = tanh(W_ih xₜ + W_hh hₜ₋₁ + b): no gates; gradients shrink or grow by the same factor at every step.',
  rnn_relu: 'hₜ = ReLU(W_ih xₜ + W_hh hₜ₋₁ + b): no gates; unbounded, so gradients can explode — clip them.',
  lstm: 'Input, forget and output gates and a cell state cₜ = f ⊙ cₜ₋₁ + i ⊙ g carry memory across many steps.',
  gru: 'Update and reset gates; hₜ = (1 − z) ⊙ n + z ⊙ hₜ₋₁. Fewer parameters than an LSTM of the same size.',
};

/** The task control: the dataset decides it; for the built-ins it switches their mode. */
function TaskField() {
  const dataset = useStore((s) => s.dataset);
  const data = useStore((s) => s.dataSettings);
  const setData = useStore((s) => s.setDataSettings);
  const task = dataset?.task ?? 'classification';
  const switchable = data.source === 'shapes' || data.source === 'openmoji';
  const set = (v: string) => {
    const next: DataSettings = structuredClone(data);
    if (data.source === 'shapes') next.shapes.mode = v === 'captioning' ? 'captions' : 'questions';
    if (data.source === 'openmoji') next.openMoji.task = v === 'captioning' ? 'caption' : data.openMoji.task === 'caption' ? 'group' : data.openMoji.task;
    setData(next);
  };
  const options: [string, string][] = switchable
    ? [
        ['classification', data.source === 'shapes' ? 'classification (answer the question)' : 'classification (emoji group)'],
        ['captioning', 'captioning (describe the image)'],
      ]
    : [[task, `${task} (set by the dataset)`]];
  return (
    <div>
      <SelectField label="Task" value={task} options={options} onChange={set} disabled={!switchable} testId="model-task" />
      <p className="muted small">The task follows the dataset{switchable ? '; changing it here regenerates the built-in dataset' : ''}.</p>
    </div>
  );
}

function CostLine({ config }: { config: ModelConfig | null }) {
  const batch = useStore((s) => s.train.batchSize);
  const optimizer = useStore((s) => s.train.optimizer.kind);
  const dataset = useStore((s) => s.dataset);
  let text = '—';
  let counted: { parameters: number; flops: number; memory: number } | null = null;
  if (config && dataset) {
    try {
      const cost = modelCost(config, batch, dataset.maxLength);
      const memory = trainingMemory(config, Math.max(1, Math.min(batch, dataset.splits.train.length)), dataset.maxLength, optimizer);
      text = `${compact(cost.parameters)} parameters · ${compact(cost.flopsPerStep, 'FLOP')} per training step (batch ${batch}, ${dataset.maxLength} tokens) · about ${formatBytes(memory.total)} to train`;
      counted = { parameters: cost.parameters, flops: cost.flopsPerStep, memory: memory.total };
    } catch {
      text = 'cannot be counted until the problems below are fixed';
    }
  }
  if (counted) {
    return (
      <p className="cost-line" data-testid="model-cost" data-parameters={counted.parameters} data-flops={counted.flops} data-memory={counted.memory} aria-live="polite">
        {text}
      </p>
    );
  }
  return (
    <p className="cost-line" data-testid="model-cost" aria-live="polite">
      {text}
    </p>
  );
}

export function ModelPanel() {
  const model = useStore((s) => s.model);
  const setModel = useStore((s) => s.setModel);
  const train = useStore((s) => s.train);
  const dataset = useStore((s) => s.dataset);
  const features = useStore((s) => s.features);
  const m = (patch: (c: ModelConfig) => void) => {
    const next = structuredClone(model);
    patch(next);
    setModel(next);
  };
  const resolved = dataset ? resolveModelConfig(model, dataset, features) : null;
  const limits = useStore(sessionLimits);
  const problems = setupProblems(model, train, dataset, features, limits).filter((p) => !p.startsWith('No dataset'));
  const isCaption = resolved?.task === 'captioning';
  const fusionOptions: readonly FusionKind[] = isCaption ? ['init', 'early'] : FUSION_KINDS;
  const f = FUSIONS[model.fusion];
  const gated = model.text.cell === 'lstm' || model.text.cell === 'gru';
  const hasImages = dataset ? dataset.hasImage.some((v) => v === 1) : true;
  return (
    <div className="model-panel">
      <div className="model-summary">
        <CostLine config={resolved} />
        {problems.length > 0 && (
          <div className="notice notice-danger" role="alert" data-testid="model-problems">
            <strong>This model cannot be built yet:</strong>
            <ul>
              {problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          </div>
        )}
      </div>
      <div className="model-columns">
        <fieldset>
          <legend>Text encoder</legend>
          <div className="field-grid">
            <SelectField
              label="Cell"
              value={model.text.cell}
              options={CELLS}
              onChange={(v) =>
                m((c) => {
                  c.text.cell = v;
                  // Peepholes exist only for the LSTM; another cell drops them.
                  if (v !== 'lstm') delete c.text.peephole;
                })
              }
              testId="model-cell"
            />
            <NumberField label="Layers" value={model.text.numLayers} onChange={(v) => m((c) => (c.text.numLayers = v))} min={1} max={8} integer testId="model-layers" />
            <NumberField label="Hidden size" value={model.text.hiddenSize} onChange={(v) => m((c) => (c.text.hiddenSize = v))} min={1} max={4096} integer testId="model-hidden" />
            <NumberField label="Embedding size" value={model.text.embeddingSize} onChange={(v) => m((c) => (c.text.embeddingSize = v))} min={1} max={4096} integer testId="model-embedding" />
            <CheckField label="Bidirectional" checked={model.text.bidirectional} onChange={(v) => m((c) => (c.text.bidirectional = v))} testId="model-bidirectional" />
            {model.text.cell === 'lstm' && (
              <CheckField label="Peephole connections" checked={!!model.text.peephole} onChange={(v) => m((c) => (c.text.peephole = v))} testId="model-peephole" />
            )}
            {gated && (
              <NumberField
                label={model.text.cell === 'lstm' ? 'Forget-gate bias' : 'Update-gate bias'}
                value={model.text.forgetBias ?? 0}
                onChange={(v) => m((c) => (c.text.forgetBias = v))}
                min={-10}
                max={10}
                step={0.5}
                hint="start with memory kept"
              />
            )}
            <NumberField
              label="Recurrent start W_hh = s·I"
              value={model.text.identityInit ?? 0}
              onChange={(v) => m((c) => (c.text.identityInit = v))}
              min={0}
              max={4}
              step={0.05}
              hint="0: uniform, as PyTorch"
              testId="model-identity"
            />
          </div>
          <p className="muted small">{CELL_NOTES[model.text.cell]}</p>
          {isCaption && (
            <NumberField label="Longest caption (tokens)" value={model.caption.maxLength} onChange={(v) => m((c) => (c.caption.maxLength = v))} min={1} max={256} integer />
          )}
        </fieldset>
        <fieldset>
          <legend>Image encoder</legend>
          <div className="field-grid">
            <SelectField
              label="Encoder"
              value={model.image.encoder}
              options={[
                ['cnn', 'CNN (conv 3×3 → ReLU → max-pool)'],
                ['mlp', 'MLP on the pixels'],
                ['features', 'your ONNX encoder (frozen)'],
              ]}
              onChange={(v) => m((c) => (c.image.encoder = v))}
              testId="model-encoder"
            />
            {model.image.encoder === 'cnn' && <ChannelsField channels={model.image.channels} onChange={(channels) => m((c) => (c.image.channels = channels))} />}
            {model.image.encoder === 'cnn' && (
              <SelectField
                label="Pooling"
                value={model.image.pool ?? 'flatten'}
                options={[
                  ['flatten', 'flatten (a weight per position)'],
                  ['max', 'global max (one detector for all positions)'],
                ]}
                onChange={(v) => m((c) => (c.image.pool = v))}
                testId="model-pool"
              />
            )}
            {model.image.encoder === 'cnn' && (
              <CheckField
                label="Batch norm (conv → BN → ReLU; batch statistics while training, running ones otherwise)"
                checked={model.image.batchNorm ?? false}
                onChange={(v) => m((c) => (c.image.batchNorm = v))}
                testId="model-batch-norm"
              />
            )}
            {model.image.encoder === 'mlp' && <NumberField label="MLP hidden size" value={model.image.mlpHidden} onChange={(v) => m((c) => (c.image.mlpHidden = v))} min={1} max={8192} integer />}
            <NumberField label="Image feature size" value={model.image.featureSize} onChange={(v) => m((c) => (c.image.featureSize = v))} min={1} max={4096} integer />
          </div>
          {model.image.encoder === 'features' && <OnnxEncoderPicker />}
          {!hasImages && <p className="muted small">This dataset has no images: every example uses the learned “missing image” vector.</p>}
          {dataset?.audio && (
            <p className="muted small" data-testid="model-audio-note">
              This dataset is audio: its clips go through the audio encoder instead (one Linear per log-mel frame, then the recurrent cell and sizes set above with its own weights, then
              Linear → ReLU to the “Image feature size”), and its feature takes the image’s place in the fusion. The image encoder settings here are not used.
            </p>
          )}
        </fieldset>
        <fieldset className="fusion-fieldset">
          <legend>Fusion: how text and image meet</legend>
          <div className="fusion-layout">
            <div role="radiogroup" aria-label="Fusion strategy" className="fusion-list">
              {fusionOptions.map((k) => (
                <label key={k} className={`fusion-option${model.fusion === k ? ' selected' : ''}`}>
                  <input type="radio" name="fusion" value={k} checked={model.fusion === k} onChange={() => m((c) => (c.fusion = k))} data-testid={`fusion-${k}`} />
                  <span>
                    <strong>{FUSIONS[k].title}</strong>
                    <span className="fusion-description">{FUSIONS[k].description}</span>
                  </span>
                </label>
              ))}
              {isCaption && <p className="muted small">Captioning feeds the image to the decoder through its initial state or every input.</p>}
              <FusionNote />
            </div>
            <div className="fusion-detail" data-testid="fusion-detail">
              <FusionDiagram kind={model.fusion} title={f.title} caption={isCaption} />
              <p className="equation" data-testid="fusion-equation">
                {isCaption && (model.fusion === 'init' || model.fusion === 'early') ? CAPTION_EQUATIONS[model.fusion] : f.equation}
              </p>
              <p className="small">{f.description}</p>
              <p className="muted small">{f.missing}</p>
              <div className="field-grid">
                {f.usesFusionSize && <NumberField label="Fusion size" value={model.fusionSize} onChange={(v) => m((c) => (c.fusionSize = v))} min={1} max={4096} integer />}
                <NumberField label="Head hidden size" value={model.head.hiddenSize} onChange={(v) => m((c) => (c.head.hiddenSize = v))} min={0} max={4096} integer hint="0 = one linear layer" />
              </div>
            </div>
          </div>
        </fieldset>
        <fieldset>
          <legend>Task</legend>
          <TaskField />
        </fieldset>
      </div>
    </div>
  );
}

/** Channels of the CNN's conv blocks, typed as "16, 32"; the text is kept while it is being edited. */
function ChannelsField({ channels, onChange }: { channels: number[]; onChange: (c: number[]) => void }) {
  const [text, setText] = useState(channels.join(', '));
  const parse = (t: string) =>
    t
      .split(/[,\s]+/)
      .filter(Boolean)
      .map(Number);
  // New channels from outside replace the text unless it already means them; the text
  // being typed is read, not watched.
  const followChannels = useEffectEvent((next: number[]) => {
    if (parse(text).join(',') !== next.join(',')) setText(next.join(', '));
  });
  useEffect(() => followChannels(channels), [channels]);
  const parts = parse(text);
  const bad = parts.length === 0 || parts.some((p) => !Number.isFinite(p));
  return (
    <label className="field">
      <span className="field-label">Conv channels</span>
      <input
        type="text"
        value={text}
        style={{ width: '7em' }}
        data-testid="model-channels"
        aria-invalid={bad || undefined}
        aria-describedby="channels-hint"
        onChange={(e) => {
          setText(e.target.value);
          const next = parse(e.target.value);
          if (next.length > 0 && next.every((p) => Number.isFinite(p))) onChange(next);
        }}
      />
      <span id="channels-hint" className={bad ? 'field-problem' : 'field-hint'}>
        {bad ? 'numbers separated by commas' : 'one number per block, 1–3 blocks'}
      </span>
    </label>
  );
}
