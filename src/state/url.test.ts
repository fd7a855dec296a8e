// The setup in the URL: a round trip reproduces every setting, only changed values are
// written, and bad values are reported (never thrown) while the defaults are kept.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultSetup } from './settings.ts';
import { URL_KEYS, benchPageFromQuery, isForeignLink, queryFromSetup, setupChanges, setupFromQuery, summarizeUrlProblems } from './url.ts';

describe('setup in the URL', () => {
  it('writes nothing for the defaults and reads the defaults back', () => {
    expect(queryFromSetup(defaultSetup(), null)).toBe('');
    const parsed = setupFromQuery('');
    expect(parsed.setup).toEqual(defaultSetup());
    expect(parsed.problems).toEqual([]);
  });

  it('round-trips a changed setup, including nested and list values', () => {
    const s = defaultSetup();
    s.data.source = 'memory';
    s.data.memory.length = 80;
    s.data.shapes.kinds = ['exists', 'count'];
    s.data.preparation.tokenizer.level = 'char';
    s.data.preparation.split.stratify = false;
    s.model.text.cell = 'gru';
    s.model.text.hiddenSize = 24;
    s.model.text.bidirectional = true;
    s.model.image.channels = [4, 8, 12];
    s.model.image.batchNorm = true;
    s.model.fusion = 'film';
    s.train.optimizer = { kind: 'sgd', lr: 0.05, momentum: 0.9 };
    s.train.schedule = { kind: 'step', every: 50, factor: 0.3 };
    s.train.earlyStopping.enabled = true;
    s.train.stepDelayMs = 200;
    const query = queryFromSetup(s, 'compare');
    expect(query).toContain('cell=gru');
    expect(query).toContain('channels=4%2C8%2C12');
    expect(query).toContain('bn=1');
    expect(query).toContain('tab=compare');
    expect(query).not.toContain('epochs='); // unchanged values stay out
    const back = setupFromQuery(`?${query}`);
    expect(back.problems).toEqual([]);
    expect(back.tab).toBe('compare');
    expect(back.setup).toEqual(s);
  });

  it('reports bad values in plain words and keeps the defaults', () => {
    const parsed = setupFromQuery('?hidden=abc&cell=transformer&lr=-1&epochs=2.5&channels=8,x&shapes.kinds=exists,why&tab=nowhere&frobnicate=1&sched.every=10&batch=64');
    const d = defaultSetup();
    expect(parsed.setup.model.text.hiddenSize).toBe(d.model.text.hiddenSize);
    expect(parsed.setup.model.text.cell).toBe(d.model.text.cell);
    expect(parsed.setup.train.optimizer.lr).toBe(d.train.optimizer.lr);
    expect(parsed.setup.train.epochs).toBe(d.train.epochs);
    expect(parsed.setup.model.image.channels).toEqual(d.model.image.channels);
    expect(parsed.setup.train.batchSize).toBe(64); // good values next to bad ones still apply
    const text = parsed.problems.join('\n');
    expect(text).toContain('"hidden=abc": the hidden size must be a whole number. Kept 64.');
    expect(text).toContain('"cell=transformer": the recurrent cell must be one of rnn_tanh, rnn_relu, lstm, gru.');
    expect(text).toContain('"lr=-1"');
    expect(text).toContain('"epochs=2.5"');
    expect(text).toContain('"channels=8,x"');
    expect(text).toContain('"shapes.kinds=exists,why"');
    expect(text).toContain('"tab=nowhere"');
    expect(text).toContain('"frobnicate" is not a GateScope setting');
    expect(text).toContain('"sched.every=10": the steps between decays applies only to the step schedule');
    expect(parsed.problems).toHaveLength(9);
  });

  it('summarises a link with thousands of bad parameters: five problems, then how many more', () => {
    const query = `?${Array.from({ length: 3000 }, (_, i) => `bogus${i}=1`).join('&')}&hidden=${'9'.repeat(5000)}`;
    const parsed = setupFromQuery(query);
    expect(parsed.problems).toHaveLength(3001);
    // A long value is quoted clipped, with its length.
    expect(parsed.problems[0]).toBe(`"hidden=${'9'.repeat(40)}… (5,000 characters)": the hidden size must be a whole number. Kept 64.`);
    const shown = summarizeUrlProblems(parsed.problems);
    expect(shown).toHaveLength(6);
    expect(shown.slice(0, 5)).toEqual(parsed.problems.slice(0, 5));
    expect(shown[5]).toBe('…and 2,996 more problems in this link.');
    expect(shown.join('').length).toBeLessThan(1000);
    expect(summarizeUrlProblems(parsed.problems.slice(0, 6))[5]).toBe('…and 1 more problem in this link.');
    expect(summarizeUrlProblems(parsed.problems.slice(0, 5))).toEqual(parsed.problems.slice(0, 5));
    // A key repeated is one problem.
    expect(setupFromQuery('?x=1&x=2&x=3').problems).toEqual(['"x" is not a GateScope setting; it was ignored.']);
  });

  it('peephole=1 turns on the peephole LSTM, and only for the LSTM cell', () => {
    const s = defaultSetup();
    s.model.text.cell = 'lstm';
    s.model.text.peephole = true;
    const query = queryFromSetup(s, null);
    expect(query).toContain('peephole=1');
    const back = setupFromQuery(`?${query}`);
    expect(back.problems).toEqual([]);
    expect(back.setup.model.text.peephole).toBe(true);
    const gru = setupFromQuery('?cell=gru&peephole=1');
    expect(gru.setup.model.text.peephole).toBeFalsy();
    expect(gru.problems.join('\n')).toContain('"peephole=1": peephole connections need the LSTM cell (cell=lstm), not gru.');
  });

  it('reads a schedule before its parameters', () => {
    const parsed = setupFromQuery('?sched.factor=0.25&sched=step&sched.every=30');
    expect(parsed.problems).toEqual([]);
    expect(parsed.setup.train.schedule).toEqual({ kind: 'step', every: 30, factor: 0.25 });
  });

  it('reads and writes the training precision (f32, the default, is not written)', () => {
    expect(setupFromQuery('?precision=f16').setup.train.precision).toBe('f16');
    expect(setupFromQuery('?precision=f8').problems).toEqual(['"precision=f8": the training precision must be one of f32, f16, f16-arithmetic. Kept f32.']);
    const s = defaultSetup();
    s.train.precision = 'f16';
    expect(queryFromSetup(s, null)).toContain('precision=f16');
    s.train.precision = 'f32';
    expect(queryFromSetup(s, null)).not.toContain('precision');
  });
});

describe('README', () => {
  it('lists every URL parameter', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const table = readme.slice(readme.indexOf('### Links reproduce the setup'), readme.indexOf('### Keyboard, projectors and themes'));
    expect(URL_KEYS.filter((k) => !table.includes(`\`${k}\``))).toEqual([]);
  });
});

describe('changes and links', () => {
  it('lists changed settings as "name old → new", cells in capitals', () => {
    const a = defaultSetup();
    const b = defaultSetup();
    b.model.text.cell = 'gru';
    b.model.text.hiddenSize = a.model.text.hiddenSize * 2;
    expect(setupChanges(a, b)).toEqual([`cell LSTM → GRU`, `hidden ${a.model.text.hiddenSize} → ${b.model.text.hiddenSize}`]);
    expect(setupChanges(a, defaultSetup())).toEqual([]);
  });

  it('counts only a setup the app did not write itself as a link', () => {
    expect(isForeignLink('?tab=train', null)).toBe(false);
    expect(isForeignLink('?lr=0.006&tab=train', null)).toBe(true);
    expect(isForeignLink('?lr=0.006&tab=train', 'tab=model&lr=0.006')).toBe(false);
    expect(isForeignLink('?lr=0.006', 'lr=0.003')).toBe(true);
    // An entry opened with a link stays one, however the app rewrote it.
    expect(isForeignLink('?hidden=16&lr=0.006', 'hidden=16&lr=0.006', true)).toBe(true);
  });
});

describe('the backend switch', () => {
  it('backend=webgpu|cpu|auto chooses the backend; anything else is said and leaves the choice to the app', () => {
    expect(setupFromQuery('').backend).toBeNull();
    expect(setupFromQuery('?backend=cpu').backend).toBe('cpu');
    expect(setupFromQuery('?backend=webgpu&hidden=16').backend).toBe('webgpu');
    expect(setupFromQuery('?backend=auto').problems).toEqual([]);
    const bad = setupFromQuery('?backend=tpu');
    expect(bad.backend).toBeNull();
    expect(bad.problems).toEqual(['"backend=tpu": the backends are auto, webgpu, cpu; the app chooses (auto).']);
  });
});

describe('the benchmark page switch', () => {
  it('?bench opens the canonical benchmark, ?bench=quick the reduced one, and neither is a setting problem', () => {
    expect(benchPageFromQuery('')).toBeNull();
    expect(benchPageFromQuery('?lr=0.006')).toBeNull();
    expect(benchPageFromQuery('?bench')).toEqual({ reduced: false });
    expect(benchPageFromQuery('?bench=')).toEqual({ reduced: false });
    expect(benchPageFromQuery('?bench=quick')).toEqual({ reduced: true });
    expect(setupFromQuery('?bench').problems).toEqual([]);
    expect(isForeignLink('?bench', null)).toBe(false);
  });
});
