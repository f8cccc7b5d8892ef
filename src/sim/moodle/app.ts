// The Moodle simulator's HTTP face: Moodle's REST server at /webservice/rest/server.php, parameters in
// the query string or a form body (PHP-style brackets), the token as `wstoken`, the function as
// `wsfunction`. Errors are HTTP 200 with `{exception, errorcode, message}`, as Moodle answers; only the
// injected server failures are HTTP errors.
import express, { type Request, type Response } from 'express';
import { timingSafeEqual } from 'node:crypto';
import { decodeMoodleForm, FormError, type FormTree } from './form';
import { FUNCTIONS, type SiteInfo } from './functions';
import { MoodleSimException, type MoodleSimState } from './state';

export const MOODLE_REST_PATH = '/webservice/rest/server.php';

export interface MoodleSimAppOptions {
  token: string;
  /** the functions the token's external service allows (default: every one the simulator has) */
  allowedFunctions?: string[];
  site?: Partial<SiteInfo>;
}

function exceptionBody(ex: MoodleSimException) {
  return {
    exception: ex.exception,
    errorcode: ex.errorcode,
    message: ex.message,
    ...(ex.debuginfo === undefined ? {} : { debuginfo: ex.debuginfo }),
  };
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function delay(ms: number): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/**
 * The query string and the form body together, the body winning, as PHP's optional_param reads them;
 * a part PHP could not read is left out and named, so the call can still be answered in its format.
 */
function paramsOf(req: Request): { params: FormTree; unreadable: FormError | null } {
  const at = req.originalUrl.indexOf('?');
  const parts = [at < 0 ? '' : req.originalUrl.slice(at + 1), typeof req.body === 'string' ? req.body : ''];
  let unreadable: FormError | null = null;
  const trees = parts.map((part) => {
    try {
      return decodeMoodleForm(part);
    } catch (err) {
      if (!(err instanceof FormError)) throw err;
      unreadable = err;
      return {};
    }
  });
  return { params: Object.assign(Object.create(null) as FormTree, ...trees), unreadable };
}

/** What Moodle does with one call, as the JSON it sends; throws MoodleSimException for its error objects. */
function serve(
  state: MoodleSimState,
  options: MoodleSimAppOptions,
  params: FormTree,
  site: SiteInfo,
): unknown {
  const token = typeof params.wstoken === 'string' ? params.wstoken : '';
  if (!sameToken(token, options.token))
    throw new MoodleSimException('moodle_exception', 'invalidtoken', 'Invalid token - token not found');
  const name = typeof params.wsfunction === 'string' ? params.wsfunction : '';
  const fn = Object.hasOwn(FUNCTIONS, name) ? FUNCTIONS[name] : undefined;
  if (!fn)
    throw new MoodleSimException(
      'dml_missing_record_exception',
      'invalidrecord',
      "Can't find data record in database table external_functions.",
    );
  if (options.allowedFunctions && !options.allowedFunctions.includes(name))
    throw new MoodleSimException(
      'webservice_access_exception',
      'accessexception',
      'Access control exception',
    );
  const queued = state.takeQueuedException();
  if (queued) throw queued;
  const { wstoken: _t, wsfunction: _f, moodlewsrestformat: _r, ...args } = params;
  return fn(state, args, site);
}

export function createMoodleSimApp(state: MoodleSimState, options: MoodleSimAppOptions): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(MOODLE_REST_PATH, express.text({ type: 'application/x-www-form-urlencoded', limit: '256kb' }));
  const handle = (req: Request, res: Response) => {
    const failure = state.faults.beforeRequest();
    const { params, unreadable } = paramsOf(req);
    const name = typeof params.wsfunction === 'string' ? params.wsfunction.slice(0, 100) : '';
    state.calls.set(name, (state.calls.get(name) ?? 0) + 1);
    if (failure) {
      res
        .status(failure.status)
        .type('text/html')
        .send('<html><body><h1>Service unavailable</h1></body></html>');
      return;
    }
    const site: SiteInfo = {
      sitename: options.site?.sitename ?? 'Simulated Moodle',
      siteurl: options.site?.siteurl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`,
      username: options.site?.username ?? 'lms-sync',
      userid: options.site?.userid ?? 2,
    };
    void delay(state.faults.latencyMs).then(() => {
      let answer: unknown;
      try {
        if (unreadable) throw unreadable; // a body PHP cannot read is Moodle's invalid parameter
        answer = serve(state, options, params, site);
      } catch (err) {
        if (err instanceof FormError)
          answer = exceptionBody(
            new MoodleSimException(
              'invalid_parameter_exception',
              'invalidparameter',
              'Invalid parameter value detected',
              err.message,
            ),
          );
        else if (err instanceof MoodleSimException) answer = exceptionBody(err);
        else
          answer = exceptionBody(
            new MoodleSimException('coding_exception', 'codingerror', 'Coding error detected'),
          );
      }
      if (params.moodlewsrestformat !== 'json') {
        // Moodle's default is XML; the simulator only speaks JSON and says so in XML
        res
          .type('application/xml')
          .send(
            '<?xml version="1.0" encoding="UTF-8" ?>\n<EXCEPTION class="simulator"><MESSAGE>the simulator answers moodlewsrestformat=json only</MESSAGE></EXCEPTION>\n',
          );
        return;
      }
      res.type('application/json').send(JSON.stringify(answer));
    });
  };
  app.get(MOODLE_REST_PATH, handle);
  app.post(MOODLE_REST_PATH, handle);
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.use((_req, res) => {
    res.status(404).type('text/html').send('<html><body>Not found</body></html>');
  });
  return app;
}
