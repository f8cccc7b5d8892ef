// The doctor's checks of Odoo: the server, the login, every model and field the service reads, the
// lms_sync addon's fields, the installed helpdesk and the course category.
import { assignmentReadiness, detectFlavor, type AssignmentSettings } from '../helpdesk';
import { maskUrl } from '../lib';
import { addonOrderFields, fieldsRead, OdooFault, readCourseProducts, type OdooTransport } from '../odoo';
import { fail, ok, warn, type Check } from './checks';
import type { CourseProduct } from './courses';
import { helpdeskOutcome } from './helpdesk-flavor';

export interface OdooDoctorSettings {
  url: string;
  db: string;
  username: string;
  /** one call's limit (ODOO_TIMEOUT_MS) */
  timeoutMs: number;
  helpdeskEnabled: boolean;
  helpdeskFlavor: 'oca' | 'enterprise';
  courseCategory: string;
  /** LEARNER_SOURCE: `attendees` also needs the addon's learners of course lines */
  learnerSource?: string;
  /** the teams and the assignment settings (HELPDESK_TEAM_*, HELPDESK_TEAM_LEADERS, HELPDESK_OUT_USERS) */
  assignment?: AssignmentSettings;
}

export const ODOO_LOGIN = 'Odoo login';
const ODOO_HELPDESK = 'Odoo helpdesk';
/** how many of the assignment problems a row names */
const SHOWN_PROBLEMS = 4;
const LINE_LEARNERS = 'lms_learner_ids';
export const ODOO_COURSE_CATEGORY = 'Odoo course category';

/** Fault 2 "Object x doesn't exist": the addon that defines the model is not installed. */
const isMissingModel = (err: unknown) => err instanceof OdooFault && err.faultCode === 2;
const isAccessError = (err: unknown) =>
  err instanceof OdooFault && (err.faultCode === 3 || err.faultCode === 4);

interface Odoo {
  transport: OdooTransport;
  s: OdooDoctorSettings;
  /** the time `calls` calls may take, one after the other */
  within(calls: number): number;
  /** which of these fields the model has (fields_get asks no access right) */
  fieldsOf(model: string, fields: readonly string[]): Promise<Record<string, unknown>>;
}

export function odooChecks(
  transport: OdooTransport,
  s: OdooDoctorSettings,
  /** filled by the course category check with the products it found */
  sold: { products: CourseProduct[] },
): Check[] {
  const odoo: Odoo = {
    transport,
    s,
    within: (calls) => calls * s.timeoutMs + 1000,
    fieldsOf: (model, fields) =>
      transport.executeKw(model, 'fields_get', [], { allfields: [...fields], attributes: ['type'] }),
  };
  return [
    reachable(odoo),
    login(odoo),
    ...Object.entries(fieldsRead).map(([model, fields]) => modelCheck(odoo, model, fields)),
    addon(odoo),
    {
      name: ODOO_HELPDESK,
      needs: [ODOO_LOGIN],
      timeoutMs: odoo.within(3),
      fix: 'check that ODOO_USERNAME may use the Helpdesk',
      run: async () => helpdeskOutcome(s.helpdeskEnabled, s.helpdeskFlavor, await detectFlavor(transport)),
    },
    ...(s.helpdeskEnabled && s.assignment ? [assignment(odoo, s.assignment)] : []),
    courseCategory(odoo, sold),
  ];
}

function reachable({ transport, s, within }: Odoo): Check {
  return {
    name: 'Odoo reachable',
    timeoutMs: within(1),
    fix: 'check ODOO_URL, and that Odoo is running and reachable from here',
    async run() {
      const { server_version } = await transport.version();
      return ok(`Odoo ${server_version} at ${maskUrl(s.url)}`);
    },
  };
}

function login({ s, within, fieldsOf }: Odoo): Check {
  return {
    name: ODOO_LOGIN,
    needs: ['Odoo reachable'],
    timeoutMs: within(2),
    fix: 'check ODOO_DB, ODOO_USERNAME and ODOO_API_KEY (an API key of that user)',
    async run() {
      try {
        await fieldsOf('res.users', ['login']); // the first call authenticates
      } catch (err) {
        if (err instanceof OdooFault && /database .* does not exist/.test(err.faultString))
          return fail(`Odoo has no database "${s.db}"`, 'set ODOO_DB to the name of the Odoo database');
        throw err;
      }
      return ok(`signed in as "${s.username}" on database "${s.db}"`);
    },
  };
}

function modelCheck({ transport, within, fieldsOf }: Odoo, model: string, fields: readonly string[]): Check {
  return {
    name: `Odoo ${model}`,
    needs: [ODOO_LOGIN],
    timeoutMs: within(2),
    fix: `check that ODOO_USERNAME may read ${model}`,
    async run() {
      const found = await fieldsOf(model, fields).catch((err: unknown) => {
        if (isMissingModel(err)) return null;
        throw err;
      });
      if (!found) return fail(`model ${model} does not exist`, `install the Odoo app that provides ${model}`);
      const missing = fields.filter((f) => !(f in found));
      if (missing.length > 0)
        return fail(
          `${model} lacks ${missing.join(', ')}`,
          'point ODOO_URL at an Odoo 17 with Sales and Invoicing',
        );
      try {
        await transport.executeKw(model, 'search_read', [[]], { fields: [...fields], limit: 1 });
      } catch (err) {
        if (isAccessError(err))
          return fail(`ODOO_USERNAME may not read ${model}`, 'give the user Sales and Invoicing rights');
        throw err;
      }
      return ok(`${fields.length} fields readable`);
    },
  };
}

function addon({ s, within, fieldsOf }: Odoo): Check {
  return {
    name: 'Odoo lms_sync addon',
    needs: [ODOO_LOGIN],
    timeoutMs: within(2),
    fix: 'install the lms_sync addon (odoo-addon/lms_sync) in Odoo',
    async run() {
      const found = await fieldsOf('sale.order', addonOrderFields);
      const missing = addonOrderFields.filter((f) => !(f in found));
      if (missing.length === 0 && s.learnerSource === 'attendees') {
        const line = await fieldsOf('sale.order.line', [LINE_LEARNERS]);
        if (!(LINE_LEARNERS in line)) {
          return fail(
            `sale.order.line lacks ${LINE_LEARNERS}: LEARNER_SOURCE=attendees needs the addon's learners of course lines`,
            'upgrade the lms_sync addon in Odoo, or set LEARNER_SOURCE to customer or delivery',
          );
        }
        return ok(`sale.order has ${addonOrderFields.join(', ')}; sale.order.line has ${LINE_LEARNERS}`);
      }
      if (missing.length === 0) return ok(`sale.order has ${addonOrderFields.join(', ')}`);
      return fail(
        `sale.order lacks ${missing.join(', ')}: the addon is not installed`,
        'install the lms_sync addon (odoo-addon/lms_sync) in Odoo, or upgrade it',
      );
    },
  };
}

function assignment({ transport, s, within }: Odoo, settings: AssignmentSettings): Check {
  return {
    name: 'Helpdesk assignment',
    needs: [ODOO_HELPDESK],
    timeoutMs: within(12),
    fix: 'check that ODOO_USERNAME may read helpdesk teams and users',
    async run() {
      const { teams, problems } = await assignmentReadiness(transport, s.helpdeskFlavor, settings);
      if (problems.length === 0)
        return ok(teams.map((t) => `${t.name}: ${t.members} member${t.members === 1 ? '' : 's'}`).join(', '));
      const more = problems.length > SHOWN_PROBLEMS ? `; and ${problems.length - SHOWN_PROBLEMS} more` : '';
      return warn(
        `${problems.slice(0, SHOWN_PROBLEMS).join('; ')}${more}`,
        'add people to the teams in Odoo (Helpdesk → Configuration → Teams), or correct HELPDESK_TEAM_LEADERS / HELPDESK_OUT_USERS',
      );
    },
  };
}

function courseCategory({ transport, s, within }: Odoo, sold: { products: CourseProduct[] }): Check {
  return {
    name: ODOO_COURSE_CATEGORY,
    needs: [ODOO_LOGIN],
    timeoutMs: within(2),
    fix: 'check that ODOO_USERNAME may read product categories and products',
    async run() {
      const products = await readCourseProducts(transport, s.courseCategory);
      if (products === null)
        return fail(
          `no product category named "${s.courseCategory}" (COURSE_CATEGORY)`,
          'create it in Odoo and put the course products in it, or set COURSE_CATEGORY to the one they are in',
        );
      sold.products = products;
      const detail = `"${s.courseCategory}": ${products.length} course product${products.length === 1 ? '' : 's'}`;
      if (products.length === 0)
        return warn(`${detail}: nothing sold is a course yet`, 'put the course products in this category');
      return ok(detail);
    },
  };
}
