// Odoo record ids are PostgreSQL `serial` columns: positive 32-bit integers. A bigger number can
// name no Odoo record, would be rounded by JSON past 2^53, and fails our integer columns later.
import { z } from 'zod';

export const ODOO_ID_MAX = 2_147_483_647;

const NOT_AN_ODOO_ID = 'must be an Odoo id (1 to 2147483647)';

// Number.isInteger, not .int(): zod 4's .int() adds an issue of its own past 2^53, and a number out
// of range is to be refused once, as not an Odoo id
export const odooId = z
  .number()
  .refine(Number.isInteger, 'must be a whole number')
  .min(1, NOT_AN_ODOO_ID)
  .max(ODOO_ID_MAX, NOT_AN_ODOO_ID);
