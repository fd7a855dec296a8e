// The multi-task URL parameters: `clues.also` (auxiliary heads of Complementary clues) and
// `taskWeights` (loss weight per task name) read, write back, and explain bad values.
import { describe, expect, it } from 'vitest';
import { queryFromSetup, setupFromQuery } from './url.ts';

describe('multi-task URL parameters', () => {
  it('reads and writes clues.also and taskWeights; defaults are not written', () => {
    const { setup, problems } = setupFromQuery('data=clues&clues.also=colour,shape&taskWeights=shape:0.5,colour:2');
    expect(problems).toEqual([]);
    expect(setup.data.clues.also).toEqual(['shape', 'colour']);
    expect(setup.data.preparation.taskWeights).toEqual({ shape: 0.5, colour: 2 });
    const query = new URLSearchParams(queryFromSetup(setup, null));
    expect(query.get('clues.also')).toBe('shape,colour');
    expect(query.get('taskWeights')).toBe('colour:2,shape:0.5');
    const plain = new URLSearchParams(queryFromSetup(setupFromQuery('data=clues').setup, null));
    expect(plain.has('clues.also')).toBe(false);
    expect(plain.has('taskWeights')).toBe(false);
  });

  it('explains bad values and keeps the defaults', () => {
    const { setup, problems } = setupFromQuery('clues.also=shape,size&taskWeights=shape:-1');
    expect(setup.data.clues.also).toBeUndefined();
    expect(setup.data.preparation.taskWeights).toBeUndefined();
    expect(problems).toEqual([
      '"clues.also=shape,size": the auxiliary tasks of Complementary clues must be some of shape, colour, separated by commas. Kept none.',
      '"taskWeights=shape:-1": the loss weights must be task:weight pairs separated by commas (task names in lower case, weights from 0 to 100), e.g. shape:0.5. Kept none.',
    ]);
  });
});
