// Whether the helpdesk installed in Odoo is the one the service is configured for. Pure.
import { fail, ok, type Outcome } from './checks';

/** Whether the installed helpdesk is the one HELPDESK_FLAVOR names. Pure. */
export function helpdeskOutcome(
  enabled: boolean,
  configured: 'oca' | 'enterprise',
  found: 'oca' | 'enterprise' | 'none',
): Outcome {
  if (!enabled) return ok(`not used (HELPDESK_ENABLED=false); installed: ${found}`);
  if (found === configured) return ok(`${configured} helpdesk installed, as HELPDESK_FLAVOR says`);
  if (found === 'none')
    return fail(
      `HELPDESK_FLAVOR is ${configured}, but no helpdesk is installed in Odoo`,
      'install a helpdesk (OCA helpdesk_mgmt or Enterprise Helpdesk), or set HELPDESK_ENABLED=false',
    );
  return fail(
    `HELPDESK_FLAVOR is ${configured}, but Odoo has the ${found} helpdesk`,
    `set HELPDESK_FLAVOR=${found}`,
  );
}
