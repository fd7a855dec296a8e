// Multi-task import: a manifest with a second (and third) target column. Every extra
// column becomes an auxiliary task named after it; a row whose extra target is empty or
// cannot be read as its kind is skipped and named (file, row, column, task) in the
// report, and the valid rest is prepared with targets for every task.
import { describe, expect, it } from 'vitest';
import { pngDecoder } from './decode.ts';
import { fileFromBytes } from './files.ts';
import { loadImport, planImport } from './importer.ts';
import { taskNameOfColumn } from './manifest.ts';
import { prepareDataset } from './prepare.ts';
import { DEFAULT_TOKENIZER } from './tokenizer.ts';

const CSV = [
  'text,label,Topic Label,score',
  'a red apple,fruit,food,1.5',
  'a green pear,fruit,,2',
  'a fast car,vehicle,road,3',
  'a slow bus,vehicle,road,not a number',
  'a ripe plum,fruit,food,4.25',
  'a big truck,vehicle,road,5',
].join('\n');

describe('manifest with extra target columns', () => {
  it('names each task after its column', () => {
    expect(taskNameOfColumn('Topic Label')).toBe('topic_label');
    expect(taskNameOfColumn('2nd')).toBe('t_2nd');
  });

  it('skips rows with an empty or unreadable extra target, naming file, row, column and task; the rest trains every task', async () => {
    const files = [fileFromBytes('data.csv', new TextEncoder().encode(CSV))];
    const plan = await planImport(files, { fromFolder: false });
    const mapping = {
      ...plan.mapping,
      text: 'text',
      target: 'label',
      targetKind: 'class' as const,
      extraTargets: [
        { column: 'Topic Label', kind: 'class' as const },
        { column: 'score', kind: 'number' as const },
      ],
    };
    const result = await loadImport(plan, mapping, { decode: pngDecoder });
    const bad = result.report.issues.filter((i) => i.code === 'extra-target-invalid');
    expect(bad.map((i) => [i.file, i.row, i.message])).toEqual([
      ['data.csv', 3, 'column "Topic Label" (task "topic_label"): it is empty; skipped'],
      ['data.csv', 5, 'column "score" (task "score"): a number target must be numeric, got string "not a number"; skipped'],
    ]);
    expect(result.examples).toHaveLength(4);
    expect(result.extraTasks).toEqual([
      { name: 'topic_label', kind: 'classification' },
      { name: 'score', kind: 'regression' },
    ]);
    const data = prepareDataset(result.examples, {
      task: result.task,
      tokenizer: DEFAULT_TOKENIZER,
      imageSize: 16,
      split: { train: 0.5, validation: 0.25, seed: 1, stratify: false },
      name: result.name,
      report: result.report,
      extraTasks: result.extraTasks!.map((t) => ({ ...t, weight: 0.5 })),
    });
    expect(data.size).toBe(4);
    expect(data.report.rowsSkipped).toBe(2);
    const [topic, score] = data.extraTargets!;
    if (topic.targets.kind !== 'classification' || score.targets.kind !== 'regression') throw new Error('unexpected kinds');
    expect(topic.targets.classes).toEqual(['food', 'road']);
    expect(Array.from(score.targets.values)).toEqual([1.5, 3, 4.25, 5]);
  });

  it('refuses a mapping whose extra column is the target or missing', async () => {
    const files = [fileFromBytes('data.csv', new TextEncoder().encode(CSV))];
    const plan = await planImport(files, { fromFolder: false });
    const same = await loadImport(plan, { ...plan.mapping, text: 'text', target: 'label', targetKind: 'class', extraTargets: [{ column: 'label', kind: 'class' }] }, { decode: pngDecoder }).catch((e: Error) => e);
    const message = same instanceof Error ? same.message : same.report.issues.map((i) => i.message).join(' ');
    expect(message).toMatch(/the column "label" is the target already/);
  });
});
