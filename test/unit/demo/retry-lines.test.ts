import { retryLines, type RetryFigures } from '../../../src/demo/retry-lines';

// The figures of a real demo run (seed 42, 300 orders): 92 failed tries but 91 retries, because one
// order's two courses failed in the same delivery and were retried as one message.
const retries = { failedDeliveries: 91, exhausted: 0, retriesScheduled: 91 };
const demoRun: RetryFigures = {
  triesByOutcome: { succeeded: 414, transient: 92, permanent: 1 },
  transientByCode: { lms_unavailable: 90, enroll_in_flight: 2 },
  permanentByCode: { missing_email: 1 },
  ...retries,
};

describe('the demo report on tries and retries', () => {
  it('says why 92 failed tries make 91 retries: tries count courses, retries count message deliveries', () => {
    expect(retryLines(demoRun)).toEqual([
      'Enrollment tries:     507 (one course of one order, once): 414 succeeded, 92 failed and worth another try, 1 not retried (for a person)',
      '  failed:             lms_unavailable 90, enroll_in_flight 2',
      '  not retried:        missing_email 1',
      'Retries scheduled:    91: 91 message deliveries had a failed try (92 failed tries: a retry carries every course of its order)',
    ]);
  });

  it('adds up the tries: succeeded, failed and not retried make the total', () => {
    const [first] = retryLines(demoRun);
    const [total, ...parts] = (first!.match(/\d+/g) ?? []).map(Number);
    expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
  });

  it.each([
    [
      'deliveries out of retries are failed tries without a retry',
      { failedDeliveries: 10, exhausted: 2, retriesScheduled: 8 },
      'Retries scheduled:    8: 10 message deliveries had a failed try (12 failed tries: a retry carries every course of its order); 2 of them ran out of retries (dead-lettered)',
    ],
    [
      'retries without a failed try (Odoo unreachable) are named',
      { failedDeliveries: 10, exhausted: 0, retriesScheduled: 13 },
      'Retries scheduled:    13: 10 message deliveries had a failed try (12 failed tries: a retry carries every course of its order); 3 more for other reasons (Odoo unreachable, an action held by another worker)',
    ],
  ])('%s', (_label, over, line) => {
    const lines = retryLines({
      ...demoRun,
      triesByOutcome: { succeeded: 5, transient: 12 },
      transientByCode: { lms_unavailable: 12 },
      permanentByCode: {},
      ...over,
    });
    expect(lines.at(-1)).toBe(line);
    expect(lines).not.toContainEqual(expect.stringMatching(/not retried:/));
  });
});
