import { createAimdLimit } from '../../../src/lib/aimd';

type Step = 'ok' | 'overload' | 'stale overload';

function run(max: number, steps: Step[]): number[] {
  const aimd = createAimdLimit(max);
  return steps.map((step) => {
    if (step === 'ok') aimd.succeeded();
    else if (step === 'overload') aimd.overloaded(aimd.epoch);
    else aimd.overloaded(aimd.epoch - 1); // a call that started before the last cut
    return aimd.limit;
  });
}

describe('AIMD concurrency limit', () => {
  it.each<[string, number, Step[], number[]]>([
    ['starts at the maximum and stays there on success', 4, ['ok', 'ok'], [4, 4]],
    ['halves on an overload', 8, ['overload'], [4]],
    ['halves again on the next congestion', 8, ['overload', 'overload', 'overload'], [4, 2, 1]],
    ['never goes below 1', 2, ['overload', 'overload', 'overload'], [1, 1, 1]],
    ['cuts once for calls that were in flight together', 8, ['overload', 'stale overload'], [4, 4]],
    ['grows by one after a full round of successes', 4, ['overload', 'ok', 'ok', 'ok'], [2, 2, 3, 3]],
    [
      'grows back to the maximum and never above it',
      4,
      ['overload', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok'],
      [2, 2, 3, 3, 3, 4, 4, 4, 4],
    ],
    ['a maximum of 1 stays 1', 1, ['overload', 'ok', 'ok'], [1, 1, 1]],
  ])('%s', (_, max, steps, limits) => {
    expect(run(max, steps)).toEqual(limits);
  });

  it('says whether an overload cut the limit', () => {
    const aimd = createAimdLimit(2);
    expect(aimd.overloaded(aimd.epoch)).toBe(true);
    expect(aimd.overloaded(aimd.epoch)).toBe(false); // already at 1
  });

  it('refuses a maximum that is not a whole number ≥ 1', () => {
    expect(() => createAimdLimit(0)).toThrow(RangeError);
    expect(() => createAimdLimit(2.5)).toThrow(RangeError);
  });
});
