// Links to Odoo records, for tickets and chatter notes that people click. ODOO_URL may carry userinfo
// (user:password@host, e.g. for a proxy's basic auth): the transport uses it, a link never does, since
// every ticket and note would hand the credentials to whoever reads it.

/** ODOO_URL as it may be shown: no userinfo, no query or fragment, no trailing slash. */
export function odooWebBase(odooUrl: string): string {
  const url = new URL(odooUrl);
  url.username = '';
  url.password = '';
  url.search = '';
  url.hash = '';
  return url.toString().replace(/\/+$/, '');
}

/** The web client's form view of one record (Odoo 17 URL scheme). */
export function odooRecordLink(odooUrl: string, model: string, id: number): string {
  return `${odooWebBase(odooUrl)}/web#id=${id}&model=${encodeURIComponent(model)}&view_type=form`;
}

export function hasUserinfo(odooUrl: string): boolean {
  const url = new URL(odooUrl);
  return url.username !== '' || url.password !== '';
}
