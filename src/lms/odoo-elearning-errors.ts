// How the odoo-elearning adapter turns what Odoo's XML-RPC transport throws into the LMS contract's
// TransientError or PermanentError codes (docs/lms-contract.md). Odoo answers a Fault for everything it
// refuses, so the Fault's code and words decide; Odoo's words are bounded and scrubbed of emails.
import type { z } from 'zod';
import { PermanentError, TransientError } from '../lib';
import { ConnectionFailure, OdooFault, OdooReplyTooLarge } from '../odoo';
import { LmsPermanentError, LmsTransientError, scrubMessage } from './rest-errors';

export const WHERE = 'LMS (Odoo eLearning)';

/** What the user needs: Odoo 17's record rules let an Officer write only its own courses' memberships. */
export const NEEDED_RIGHTS =
  'the user needs eLearning / Manager; an eLearning / Officer writes only the memberships of the courses it is the Responsible of';

/** The words of Odoo's faultString that a person needs: a traceback's last line, else the whole text. */
function odooWords(fault: OdooFault, secrets: string[]): string {
  const text = fault.faultString.trim();
  const last = fault.faultCode === 1 ? (text.split('\n').pop() ?? '') : text;
  return scrubMessage(last.trim().replace(/\s+/g, ' '), secrets);
}

/** Odoo 17's answers when website_slides or the lms_sync_slides addon is missing from the database. */
const NOT_INSTALLED =
  /Object slide\.channel(\.partner)? doesn't exist|Invalid field '?[\w.]*lms_course_code\b/;

/** A Fault of an eLearning call as the contract's error. `call` is "model.method". */
function errorForFault(fault: OdooFault, call: string, secrets: string[]): Error {
  const said = odooWords(fault, secrets);
  const where = `${WHERE} ${call}`;
  // Access Denied (a revoked key) and AccessError (a user without eLearning / Manager rights, or an
  // Officer on a course it is not the Responsible of) are the system's problem, not this enrollment's:
  // retried, so fixing the key or the rights heals them all.
  if (fault.faultCode === 3) return new LmsTransientError('lms_auth_failed', `${where}: Access Denied`, null);
  if (fault.faultCode === 4) {
    // the learners of another database are contacts the user finds or creates there
    const needed = call.startsWith('res.partner.')
      ? 'the user needs Extra Rights / Contact Creation in that database'
      : NEEDED_RIGHTS;
    return new LmsTransientError(
      'lms_auth_failed',
      `${where} refused by Odoo's access rights (${needed}): ${said}`,
      null,
    );
  }
  if (NOT_INSTALLED.test(fault.faultString)) {
    return new LmsPermanentError(
      'lms_client_error',
      `${where}: ${said} (install eLearning and the lms_sync_slides addon in that database)`,
      null,
    );
  }
  // UserError / ValidationError: the same call gets the same refusal
  if (fault.faultCode === 2) return new LmsPermanentError('lms_rejected', `${where} rejected: ${said}`, null);
  // a server-side exception: possibly passing (a serialization failure, a restart), bounded by the ladder
  return new LmsTransientError('lms_unavailable', `${where} failed on the server: ${said}`, null);
}

function errorForConnection(err: ConnectionFailure, call: string, timeoutMs: number): Error {
  const where = `${WHERE} ${call}`;
  const { failure } = err;
  if (failure.kind === 'timeout')
    return new LmsTransientError('lms_timeout', `${where} timed out after ${timeoutMs}ms`, null);
  if (failure.kind !== 'http')
    return new LmsTransientError('lms_unreachable', `${where} unreachable (${failure.kind})`, null);
  if (failure.status === 429) {
    const message = `${where} rate limited (429)`;
    return new LmsTransientError('lms_rate_limited', message, 429, failure.retryAfterMs);
  }
  const why = failure.poolFull ? ', its database connection pool is full' : '';
  return new LmsTransientError(
    'lms_unavailable',
    `${where} answered ${failure.status}${why}`,
    failure.status,
  );
}

/**
 * Any failure of one eLearning call. `secrets` are values no message may carry (the student's email);
 * the API key never reaches the transport's errors.
 */
export function lmsErrorFor(err: unknown, call: string, timeoutMs: number, secrets: string[] = []): Error {
  if (err instanceof OdooFault) return errorForFault(err, call, secrets);
  if (err instanceof ConnectionFailure) return errorForConnection(err, call, timeoutMs);
  if (err instanceof OdooReplyTooLarge)
    return new LmsTransientError('lms_bad_response', `${WHERE} ${call}: ${err.message}`, null);
  if (err instanceof PermanentError && err.code === 'odoo_auth_failed') {
    // authenticate answered false: a refused login is a refused credential, retried like a 401
    const message = `${WHERE} refused the login (authenticate answered false): check the user, the database and the API key`;
    return new LmsTransientError('lms_auth_failed', message, null);
  }
  if (err instanceof PermanentError && err.code === 'odoo_protocol_error') {
    // not an XML-RPC answer at all (a 404 page of a wrong LMS_ODOO_URL): fixable, so retried
    return new LmsTransientError(
      'lms_bad_response',
      `${WHERE} ${call}: ${scrubMessage(err.message, secrets)}`,
      null,
    );
  }
  if (err instanceof TransientError || err instanceof PermanentError) return err;
  return err instanceof Error ? err : new Error(String(err));
}

/** The unique constraint of slide.channel.partner: a concurrent call created the membership first. */
export function isDuplicateMembership(err: unknown): boolean {
  return (
    err instanceof OdooFault &&
    err.faultCode === 2 &&
    /membership to a channel must be unique/i.test(err.faultString)
  );
}

/** An answer of the shape we read, or the transient lms_bad_response (its content is not repeated). */
export function parsedAnswer<T>(schema: z.ZodType<T>, value: unknown, call: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new LmsTransientError('lms_bad_response', `${WHERE} ${call} answered an unexpected value`, null);
}
