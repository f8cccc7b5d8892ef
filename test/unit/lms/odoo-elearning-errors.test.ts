// What each failure of an eLearning call over XML-RPC becomes in the LMS contract: the class decides
// retry or dead letter, the code the ticket; Odoo's words are bounded and carry no email.
import { PermanentError, TransientError } from '../../../src/lib/errors';
import { lmsErrorFor } from '../../../src/lms/odoo-elearning-errors';
import { ConnectionFailure, OdooFault, OdooReplyTooLarge } from '../../../src/odoo';

const traceback = (last: string) => `Traceback (most recent call last):\n  File "x.py", line 1\n${last}\n`;
const fault = (code: number, text: string) => new OdooFault(code, text, 'slide.channel.partner.create');
const http = (status: number, retryAfterMs?: number) =>
  new ConnectionFailure(`HTTP ${status}`, { kind: 'http', status, poolFull: false, retryAfterMs });

describe('odoo-elearning error mapping', () => {
  it.each([
    ['Access Denied (a revoked key)', fault(3, 'Access Denied'), TransientError, 'lms_auth_failed'],
    [
      'AccessError (no eLearning / Officer rights)',
      fault(
        4,
        "You are not allowed to create 'Channel / Partners (Members)' (slide.channel.partner) records.",
      ),
      TransientError,
      'lms_auth_failed',
    ],
    [
      'a private method',
      fault(4, 'Private methods (such as _x) cannot be called remotely.'),
      TransientError,
      'lms_auth_failed',
    ],
    [
      'a refused login',
      new PermanentError('odoo_auth_failed', 'ODOO_USERNAME "a@b.c" refused'),
      TransientError,
      'lms_auth_failed',
    ],
    [
      'a ValidationError',
      fault(2, 'The operation cannot be completed: a mandatory field is not set.'),
      PermanentError,
      'lms_rejected',
    ],
    [
      'eLearning not installed',
      fault(2, "Object slide.channel doesn't exist"),
      PermanentError,
      'lms_client_error',
    ],
    [
      'lms_sync_slides not installed',
      fault(
        1,
        traceback(
          "ValueError: Invalid field slide.channel.lms_course_code in leaf ('lms_course_code', '!=', False)",
        ),
      ),
      PermanentError,
      'lms_client_error',
    ],
    [
      'a server exception',
      fault(1, traceback('psycopg2.errors.SerializationFailure: could not serialize')),
      TransientError,
      'lms_unavailable',
    ],
    [
      'None marshalled after a commit',
      fault(1, traceback('TypeError: cannot marshal None unless allow_none is enabled')),
      TransientError,
      'lms_unavailable',
    ],
    ['a timeout', new ConnectionFailure('late', { kind: 'timeout' }), TransientError, 'lms_timeout'],
    [
      'a refused connection',
      new ConnectionFailure('refused', { kind: 'refused' }),
      TransientError,
      'lms_unreachable',
    ],
    [
      'a dropped connection',
      new ConnectionFailure('dropped', { kind: 'dropped' }),
      TransientError,
      'lms_unreachable',
    ],
    ['HTTP 503', http(503), TransientError, 'lms_unavailable'],
    ['HTTP 502', http(502), TransientError, 'lms_unavailable'],
    ['HTTP 429', http(429), TransientError, 'lms_rate_limited'],
    [
      'a reply too large',
      new OdooReplyTooLarge('slide.channel.partner.search_read', 10),
      TransientError,
      'lms_bad_response',
    ],
    [
      'not XML-RPC (a wrong URL)',
      new PermanentError('odoo_protocol_error', 'unexpected answer (HTTP 404)'),
      TransientError,
      'lms_bad_response',
    ],
  ])('%s', (_label, err, type, code) => {
    const mapped = lmsErrorFor(err, 'slide.channel.partner.create', 1000);
    expect(mapped).toBeInstanceOf(type);
    expect(mapped).toMatchObject({ code });
  });

  it('keeps what a 429 asked to wait', () => {
    expect(lmsErrorFor(http(429, 5000), 'x.y', 1000)).toMatchObject({ retryAfterMs: 5000 });
  });

  it('a None-marshalling Fault is never a permanent failure: the retry looks and finds the committed change', () => {
    const mapped = lmsErrorFor(
      fault(1, traceback('TypeError: cannot marshal None unless allow_none is enabled')),
      'x.y',
      1,
    );
    expect(mapped).not.toBeInstanceOf(PermanentError);
  });

  it('says which rights are missing, and keeps emails and the student out of Odoo words', () => {
    const refused = lmsErrorFor(
      fault(4, 'You are not allowed to access it.'),
      'slide.channel.partner.create',
      1,
    );
    expect(refused.message).toContain('eLearning / Officer');
    const said = lmsErrorFor(
      fault(2, `Invalid email jane.7@example.com for Jane ${'x'.repeat(1000)}`),
      'res.partner.create',
      1,
      ['Jane'],
    );
    expect(said.message).not.toContain('jane.7@example.com');
    expect(said.message).not.toContain('Jane');
    expect(said.message.length).toBeLessThan(500);
  });

  it('names no user in a refused login', () => {
    const mapped = lmsErrorFor(new PermanentError('odoo_auth_failed', 'user "a@b.c" refused'), 'x.y', 1);
    expect(mapped.message).not.toContain('a@b.c');
  });
});
