// The PyTorch bundle's contents (Python itself runs in the `python` suite of npm test,
// scripts/test-python.mjs): files present, weights and samples bit-identical to what was given,
// config.json complete, and the generated module declaring every parameter with the
// config's sizes.
import { unzipSync, strFromU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../backend/cpu.ts';
import { FUSION_KINDS, CELL_KINDS } from '../models/config.ts';
import { modelSpecs } from '../models/model.ts';
import { parseSafetensors } from './safetensors.ts';
import { bundleReadme, forwardParameters, pytorchBundle, pytorchModule } from './pytorch.ts';
import { onnxInterface } from './onnx.ts';
import { bundleSamples } from './reference-output.ts';
import { exportTestConfig, exportTestData, randomWeights, type ExportCase } from './export.support.ts';

const cpu = new CpuBackend();

async function bundle(k: ExportCase) {
  const config = exportTestConfig(k);
  const weights = randomWeights(config, 3);
  const data = exportTestData(config.task);
  const samples = await bundleSamples(cpu, config, weights, data, [0, 1, 2, 3]);
  const zip = pytorchBundle({ config, weights, samples, classes: ['a', 'b', 'c'], vocabulary: data.vocab.tokens, targetScale: config.task === 'regression' ? { mean: 15, std: 3 } : undefined });
  return { config, weights, samples, files: unzipSync(zip) };
}

describe('PyTorch bundle', () => {
  it('holds the module, weights, config, samples and a README', async () => {
    const { files } = await bundle({ fusion: 'late', cell: 'lstm' });
    expect(Object.keys(files).sort()).toEqual(['README.md', 'config.json', 'gatescope_model.py', 'model.safetensors', 'samples.safetensors']);
  });

  it('stores every weight under its PyTorch name, shape and exact value', async () => {
    const { config, weights, files } = await bundle({ fusion: 'init', cell: 'gru', bidirectional: true, numLayers: 2 });
    const { tensors } = parseSafetensors(files['model.safetensors']);
    const specs = modelSpecs(config);
    expect(Object.keys(tensors)).toEqual(specs.map((s) => s.name));
    expect(Object.keys(tensors)).toContain('text_encoder.rnn.weight_hh_l1_reverse');
    for (const s of specs) {
      expect(tensors[s.name].shape).toEqual(s.shape);
      expect(tensors[s.name].data).toEqual(weights[s.name]);
    }
  });

  it('stores the sample inputs and GateScope outputs as given', async () => {
    const { samples, files } = await bundle({ fusion: 'gated', cell: 'rnn_relu' });
    const { tensors } = parseSafetensors(files['samples.safetensors']);
    for (const [name, f] of Object.entries(samples.inputs)) {
      expect(tensors[`input.${name}`].dtype).toBe(f.type === 'int32' ? 'I32' : 'F32');
      expect(tensors[`input.${name}`].data).toEqual(f.data);
    }
    expect(tensors['output.logits'].shape).toEqual([4, 3]);
    expect(tensors['output.logits'].data).toEqual(samples.outputs.logits.data);
  });

  it('config.json has the model config, parameter shapes, inputs, classes and target scale', async () => {
    const { config, files } = await bundle({ fusion: 'weighted', cell: 'gru', task: 'regression' });
    const json = JSON.parse(strFromU8(files['config.json']));
    expect(json.model_config).toEqual(config);
    expect(json.parameters).toEqual(modelSpecs(config).map((s) => ({ name: s.name, shape: s.shape })));
    expect(json.inputs.map((i: { name: string }) => i.name)).toEqual(['image', 'image_present', 'tokens', 'lengths', 'text_present']);
    expect(json.outputs.map((o: { name: string }) => o.name)).toEqual(['value']);
    expect(json.target_scale).toEqual({ mean: 15, std: 3 });
  });

  it('captioning samples carry teacher-forced logits [N, T, V]', async () => {
    const { files } = await bundle({ fusion: 'early', cell: 'lstm', task: 'captioning' });
    const { tensors } = parseSafetensors(files['samples.safetensors']);
    expect(tensors['output.logits'].shape).toEqual([4, 7, 9]);
    expect(Object.keys(tensors).sort()).toEqual(['input.image', 'input.lengths', 'input.tokens', 'output.logits']);
  });
});

describe('generated gatescope_model.py', () => {
  /** Every parameter's module attribute is assigned in the source. */
  function declaresEveryParameter(source: string, names: string[]) {
    for (const name of names) {
      const parts = name.split('.');
      const leaf = parts[parts.length - 1];
      const owner = /^(weight|bias)(_ih|_hh)?(_l\d+)?(_reverse)?$/.test(leaf) ? parts[parts.length - 2] : leaf;
      expect(source, `${name}: no "self.${owner} ="`).toMatch(new RegExp(`self\\.${owner} = `));
    }
  }

  for (const fusion of FUSION_KINDS) {
    for (const cell of CELL_KINDS) {
      it(`${fusion} × ${cell}: declares every parameter, the recurrent layer with the config's sizes`, () => {
        const config = exportTestConfig({ fusion, cell, bidirectional: true, numLayers: 2 });
        const source = pytorchModule(config);
        declaresEveryParameter(source, modelSpecs(config).map((s) => s.name));
        const rnn = { lstm: 'nn.LSTM', gru: 'nn.GRU', rnn_tanh: 'nn.RNN', rnn_relu: 'nn.RNN' }[cell];
        const inSize = fusion === 'early' ? 3 + 5 : 3;
        if (fusion !== 'image') {
          expect(source).toContain(`self.rnn = ${rnn}(${inSize}, 4, num_layers=2, batch_first=True, bidirectional=True, dropout=0.2`);
          if (cell === 'rnn_relu') expect(source).toContain("nonlinearity='relu'");
        }
        // The strategy's equation is quoted on the model class.
        expect(source).toMatch(/class GateScopeModel\(nn\.Module\):\n {4}""".+: /);
        expect(source).not.toMatch(/undefined|NaN|\[object Object\]/);
      });
    }
  }

  /** The parameter list of GateScopeModel.forward in the generated source. */
  function forwardSignature(source: string): string[] {
    const model = source.slice(source.indexOf('class GateScopeModel('));
    const m = model.match(/\n {4}def forward\(self, ([^)]*)\):/);
    if (!m) throw new Error('GateScopeModel has no forward');
    return m[1].split(', ');
  }

  it('forward takes the inputs in the ONNX order for every strategy, task and encoder', () => {
    const cases: ExportCase[] = [
      ...FUSION_KINDS.map((fusion) => ({ fusion, cell: 'gru' as const })),
      { fusion: 'gated', cell: 'lstm', encoder: 'features' },
      { fusion: 'init', cell: 'lstm', task: 'captioning' },
      { fusion: 'weighted', cell: 'gru', task: 'regression' },
    ];
    for (const k of cases) {
      const config = exportTestConfig(k);
      const names = onnxInterface(config).inputs.map((i) => i.name);
      const params = forwardSignature(pytorchModule(config));
      expect(params.map((p) => p.replace(/=None$/, '')), JSON.stringify(k)).toEqual(names);
    }
    // Image and text: both presence flags are positional, in the ONNX order.
    expect(forwardSignature(pytorchModule(exportTestConfig({ fusion: 'late', cell: 'lstm' })))).toEqual(['image', 'image_present', 'tokens', 'lengths', 'text_present=None']);
  });

  it('a presence flag defaults to None only where no required input follows it', () => {
    expect(forwardParameters(['image', 'image_present'])).toEqual(['image', 'image_present=None']);
    expect(forwardParameters(['tokens', 'lengths', 'text_present'])).toEqual(['tokens', 'lengths', 'text_present=None']);
    expect(forwardParameters(['image', 'image_present', 'tokens', 'lengths', 'text_present'])).toEqual(['image', 'image_present', 'tokens', 'lengths', 'text_present=None']);
  });

  it("the README's training loops call the model with the inputs in the ONNX order", () => {
    for (const k of [{ fusion: 'late', cell: 'lstm' }, { fusion: 'init', cell: 'gru', task: 'captioning' }, { fusion: 'text', cell: 'gru' }] as ExportCase[]) {
      const config = exportTestConfig(k);
      const readme = bundleReadme(config);
      const call = `model(${onnxInterface(config).inputs.map((i) => `batch["${i.name}"]`).join(', ')})`;
      const blocks = [...readme.matchAll(/```python\n([\s\S]*?)```/g)].map((m) => m[1]);
      expect(blocks).toHaveLength(2);
      // The DDP script has its own complete loop (it used to say "the loop above").
      for (const block of blocks) {
        expect(block).toContain(call);
        expect(block).toContain('loss.backward()');
        expect(block).toContain('example_dataset(".")');
      }
      expect(blocks[1]).toContain('dist.init_process_group("nccl" if cuda else "gloo")');
    }
  });

  it('captioning: decoder with init states, output layer and greedy generation', () => {
    const config = exportTestConfig({ fusion: 'init', cell: 'lstm', task: 'captioning', numLayers: 2 });
    const source = pytorchModule(config);
    declaresEveryParameter(source, modelSpecs(config).map((s) => s.name));
    expect(source).toContain('class CaptionDecoder(TextEncoder):');
    expect(source).toContain('def generate(self, image, max_length=4):');
    expect(source).toContain('return (h0, c0)');
    // The decoder reads the image linearly: no ReLU on v, no tanh on h0/c0 (they saturated and stopped learning).
    expect(source).toContain('        return self.proj(x.flatten(1))\n');
    expect(source).toContain(`        h0 = self.init_h(v).view(v.shape[0], 2, 4).transpose(0, 1).contiguous()`);
    expect(source).toContain(`        c0 = self.init_c(v).view(v.shape[0], 2, 4).transpose(0, 1).contiguous()`);
    expect(source).not.toContain('torch.tanh(self.init_');
    // Classification keeps the ReLU feature.
    expect(pytorchModule(exportTestConfig({ fusion: 'late', cell: 'lstm' }))).toContain('        return F.relu(self.proj(x.flatten(1)))\n');
  });

  it('additive fusion folds W_a into a meta-device twin of the first layer', () => {
    const source = pytorchModule(exportTestConfig({ fusion: 'additive', cell: 'gru', bidirectional: true }));
    expect(source).toContain(`object.__setattr__(self, "_wide_rnn", nn.GRU(8, 4, num_layers=1, batch_first=True, bidirectional=True, dropout=0, device='meta'))`);
    expect(source).toContain('torch.func.functional_call(self._wide_rnn, params, (packed, state))');
    expect(source).toContain('self._wide_rnn.train(self.training)');
    expect(source).toContain('gh = 12');
  });
});

describe('PyTorch bundle of a multi-task model', () => {
  it('declares a head per auxiliary task, returns the primary output unless return_tasks, and bundles every head\'s sample output', async () => {
    const { MULTITASK_TASKS } = await import('./multitask-export.support.ts');
    const config = { ...exportTestConfig({ fusion: 'gated', cell: 'gru' }), extraTasks: MULTITASK_TASKS };
    const weights = randomWeights(config, 3);
    const data = exportTestData(config.task);
    const samples = await bundleSamples(cpu, config, weights, data, [0, 1, 2, 3]);
    const files = unzipSync(pytorchBundle({ config, weights, samples }));
    const code = strFromU8(files['gatescope_model.py']);
    expect(code).toContain('self.head_shape = Head(6, 4)');
    expect(code).toContain('self.head_size = Head(6, 1)');
    expect(code).toContain('return_tasks=False):');
    expect(code).toContain('        fused = hv + z * (ht - hv)  # z * ht + (1 - z) * hv');
    expect(code).toContain('return y, {"shape": self.head_shape(fused), "size": self.head_size(fused), "tags": self.head_tags(fused)}');
    const { tensors } = parseSafetensors(files['samples.safetensors']);
    expect(tensors['output.logits'].shape).toEqual([4, 3]);
    expect(tensors['task_output.shape'].shape).toEqual([4, 4]);
    expect(tensors['task_output.size'].shape).toEqual([4, 1]);
    expect(tensors['task_output.tags'].data).toEqual(samples.taskOutputs!.tags.data);
    // A single-task module is unchanged: no return_tasks, a Head without out_features.
    const single = pytorchModule(exportTestConfig({ fusion: 'gated', cell: 'gru' }));
    expect(single).not.toContain('return_tasks');
    expect(single).toContain('    def __init__(self, in_features):');
  });
});
