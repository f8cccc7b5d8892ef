import { deadLetterFailure, deadLetterReason, type ActionFailure } from '../../../src/enrollment/outcome';

const failure: ActionFailure = {
  businessKey: 'enroll:7:PY-101:odoo-partner-3',
  code: 'lms_unavailable',
  message: 'LMS PUT /enrollments answered 503',
  permanent: false,
};

describe('dead letter reasons', () => {
  it('a failure whose retries ran out is stored under the marked code', () => {
    expect(deadLetterReason({ ...failure, retriesExhausted: true })).toBe(
      'retries_exhausted:lms_unavailable',
    );
  });

  it('a permanent failure is stored under its own code', () => {
    expect(deadLetterReason({ ...failure, permanent: true })).toBe('lms_unavailable');
  });

  it.each([
    ['retries_exhausted:lms_unavailable', 'lms_unavailable', true],
    ['lms_rejected', 'lms_rejected', false],
    ['retries_exhausted:retries_exhausted:x', 'retries_exhausted:x', true],
  ])('reads %s back as code %s (retries exhausted: %s)', (reasonCode, code, exhausted) => {
    const f = deadLetterFailure({ businessKey: 'k', reasonCode, reason: 'why' });
    expect(f).toEqual({
      businessKey: 'k',
      code,
      message: 'why',
      permanent: true,
      ...(exhausted ? { retriesExhausted: true } : {}),
    });
    expect(deadLetterReason(f)).toBe(reasonCode);
  });
});
