import { describeShape, parseRetryAfter, scrubMessage } from '../../../src/lms/rest-adapter';

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');
  it.each([
    ['seconds', '5', 5000],
    ['seconds with spaces', ' 2 ', 2000],
    ['an HTTP date', 'Wed, 01 Jan 2025 00:00:30 GMT', 30000],
    ['a date in the past', 'Tue, 31 Dec 2024 23:00:00 GMT', 0],
    ['garbage', 'soon', undefined],
    ['nothing', undefined, undefined],
  ])('reads %s', (_, header, expected) => {
    expect(parseRetryAfter(header, now)).toBe(expected);
  });
});

describe('scrubMessage', () => {
  it('removes the given secrets and any email, and bounds the length', () => {
    const text = 'student Jane.Doe@Example.com rejected, token tok-123, cc other@x.org';
    const scrubbed = scrubMessage(text, ['tok-123', 'Jane.Doe@Example.com']);
    expect(scrubbed).toBe('student [redacted] rejected, token [redacted], cc [email]');
    expect(scrubMessage('x'.repeat(1000), []).length).toBeLessThanOrEqual(300);
  });
});

describe('describeShape', () => {
  it('keeps structure and types, never values', () => {
    const shape = describeShape({ enrollmentId: 42, student: { email: 'a@b.co' }, items: ['x'], gone: null });
    expect(shape).toEqual({
      enrollmentId: 'number',
      student: { email: 'string' },
      items: { array: 1, first: 'string' },
      gone: 'null',
    });
    expect(JSON.stringify(shape)).not.toContain('a@b.co');
  });
});
