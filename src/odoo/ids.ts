// Odoo record ids are PostgreSQL `serial` columns: positive 32-bit integers. A bigger number can
// name no Odoo record, would be rounded by JSON past 2^53, and fails our integer columns later.
import { z } from 'zod';

export const ODOO_ID_MAX = 2_147_483_647;

export const odooId = z
  .number()
  .int()
  .min(1, 'must be an Odoo id (1 to 2147483647)')
  .max(ODOO_ID_MAX, 'must be an Odoo id (1 to 2147483647)');
