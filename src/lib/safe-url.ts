// An endpoint as it may be shown to a person or a log: who and where, never a password or a query.

/**
 * `postgres://svc:s3cret@db.internal:5432/lms_sync?sslmode=require` → `postgres://svc@db.internal:5432/lms_sync`.
 * The password, the query and the fragment are dropped; a value that is not a URL is shown as `(not a URL)`,
 * because a malformed one may be a secret pasted into the wrong variable.
 */
export function maskUrl(value: string): string {
  if (!URL.canParse(value)) return '(not a URL)';
  const u = new URL(value);
  const user = u.username ? `${u.username}@` : '';
  const path = u.pathname === '/' ? '' : u.pathname;
  return `${u.protocol}//${user}${u.host}${path}`;
}

/** The host and port alone (`db.internal:5432`), for a line such as "cannot reach PostgreSQL at …". */
export function urlHost(value: string): string {
  return URL.canParse(value) ? new URL(value).host : '(not a URL)';
}
