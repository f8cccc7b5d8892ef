// Odoo 17 conventions the service relies on in more than one place (docs/odoo.md).

/** sale.order states of a confirmed order: `sale`, and `done` (a locked order, up to Odoo 16). */
export const CONFIRMED_ORDER_STATES: readonly string[] = ['sale', 'done'];

/** Odoo accepts datetimes only as "YYYY-MM-DD HH:MM:SS", in UTC. */
export function odooDatetime(at: Date): string {
  return at.toISOString().slice(0, 19).replace('T', ' ');
}
