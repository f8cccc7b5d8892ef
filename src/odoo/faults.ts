// XML-RPC Faults from Odoo's /xmlrpc/2 as typed errors. A Fault means Odoo answered: retrying the same call
// gives the same answer (and may repeat a committed change), so every Fault is permanent.

import { PermanentError } from '../lib/errors';
import { boundForeignText } from '../lib/foreign-text';

const CODES: Record<number, string> = {
  1: 'odoo_server_error',
  2: 'odoo_user_error',
  3: 'odoo_access_denied',
  4: 'odoo_access_error',
};

export class OdooFault extends PermanentError {
  /** bounded: Odoo's text may be megabytes, and it travels into dead letters and tickets */
  readonly faultString: string;
  constructor(
    readonly faultCode: number,
    faultString: string,
    /** "model.method", for the message */
    readonly call: string,
  ) {
    super(
      CODES[faultCode] ?? 'odoo_fault',
      boundForeignText(`Odoo ${call}: ${summarize(faultCode, faultString)}`),
    );
    this.faultString = boundForeignText(faultString);
  }

  /** Fault 1 "cannot marshal None": the method ran and its change is committed (docs/odoo.md, "Faults"). */
  get isNoneResult(): boolean {
    return this.faultCode === 1 && lastLine(this.faultString).includes('cannot marshal None');
  }
}

function lastLine(text: string): string {
  const lines = text.trimEnd().split('\n');
  return (lines[lines.length - 1] ?? '').trim();
}

/** Fault 1 carries a whole Python traceback: its last line (`Class: message`) is what a person needs. */
function summarize(faultCode: number, faultString: string): string {
  if (faultCode === 1) return lastLine(faultString);
  return faultString.trim();
}

export function isXmlRpcFault(err: unknown): err is { faultCode: number; faultString: string } {
  return (
    typeof err === 'object' &&
    err !== null &&
    typeof (err as { faultCode?: unknown }).faultCode === 'number' &&
    'faultString' in err
  );
}
