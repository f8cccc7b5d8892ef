// How the `moodle` adapter turns Moodle's answers into TransientError or PermanentError. Moodle reports a
// failed web service call as HTTP 200 with `{exception, errorcode, message}`: the errorcode decides, and
// the HTTP status only matters when something in front of Moodle (a proxy, PHP itself) failed.
import type { AxiosResponse } from 'axios';
import { errorForStatus, LmsPermanentError, LmsTransientError, scrubMessage, type Call } from './rest-errors';

export interface MoodleException {
  exception: string;
  errorcode: string;
  message?: string;
  debuginfo?: string;
}

/** Moodle's error object, when the answer is one. */
export function moodleException(data: unknown): MoodleException | null {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return null;
  const { exception, errorcode, message, debuginfo } = data as Record<string, unknown>;
  if (typeof exception !== 'string' || typeof errorcode !== 'string') return null;
  return {
    exception,
    errorcode,
    ...(typeof message === 'string' ? { message } : {}),
    ...(typeof debuginfo === 'string' ? { debuginfo } : {}),
  };
}

/**
 * The token or the integration user is refused: a wrong or expired token, a function the token's service
 * does not allow, a capability the user lacks, a user who must first change their password. A system
 * problem, not this enrollment's: transient, so fixing the token or the role heals every waiting one.
 */
const AUTH = new Set([
  'invalidtoken',
  'accessexception',
  'nopermissions',
  'usernotfullysetup',
  'forcepasswordchangenotice',
  'requireloginerror',
]);
/** Moodle is up but cannot serve now: maintenance mode, its database failing. */
const UNAVAILABLE = new Set([
  'sitemaintenance',
  'dbconnectionfailed',
  'dmlreadexception',
  'dmlwriteexception',
  'dmltransactionexception',
]);
/** The request was refused as such: the same call gets the same answer. */
const REJECTED = new Set(['invalidparameter', 'wsnoinstance', 'wscannotenrol', 'wsusercannotassign']);

function said(ex: MoodleException, secrets: string[]): string {
  const words = [ex.errorcode, ex.message, ex.debuginfo].filter((w): w is string => Boolean(w));
  return scrubMessage(words.join(': '), secrets);
}

export function errorForException(call: Call, ex: MoodleException): Error {
  const where = `Moodle ${call.path}`;
  const secrets = call.secrets ?? [];
  const { errorcode } = ex;
  if (AUTH.has(errorcode) || ex.exception === 'webservice_access_exception') {
    return new LmsTransientError('lms_auth_failed', `${where} refused the token: ${said(ex, secrets)}`, 200);
  }
  if (UNAVAILABLE.has(errorcode))
    return new LmsTransientError('lms_unavailable', `${where} cannot serve now: ${said(ex, secrets)}`, 200);
  if (REJECTED.has(errorcode) || ex.exception === 'invalid_parameter_exception')
    return new LmsPermanentError('lms_rejected', `${where} rejected the request: ${said(ex, secrets)}`, 200);
  return new LmsPermanentError('lms_client_error', `${where} failed: ${said(ex, secrets)}`, 200);
}

/**
 * An answer that is not HTTP 200. A 404 is the wrong MOODLE_URL (or web services switched off), which no
 * enrollment can fix and fixing the setting heals: transient, not the `rest` adapter's permanent 404.
 */
export function errorForHttpStatus(call: Call, res: AxiosResponse): Error {
  if (res.status === 404) {
    const message = `Moodle ${call.path} answered 404: is MOODLE_URL the site's address, with web services and the REST protocol enabled?`;
    return new LmsTransientError('lms_bad_response', message, 404);
  }
  return errorForStatus(call, res);
}
