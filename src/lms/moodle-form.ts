// Moodle's web services read their parameters the way PHP reads a form: nested arrays and objects are
// spelled with brackets (`users[0][email]=…`, `options[1][value]=…`). This writes such a body.

export type MoodleFormValue =
  | string
  | number
  | boolean
  | readonly MoodleFormValue[]
  | { readonly [key: string]: MoodleFormValue | undefined };

function pairs(prefix: string, value: MoodleFormValue | undefined, out: string[]): void {
  if (value === undefined) return;
  if (typeof value === 'boolean') {
    // PHP's PARAM_BOOL and PARAM_INT both read 1 and 0
    out.push(`${encodeURIComponent(prefix)}=${value ? 1 : 0}`);
  } else if (typeof value === 'string' || typeof value === 'number') {
    out.push(`${encodeURIComponent(prefix)}=${encodeURIComponent(String(value))}`);
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => pairs(`${prefix}[${index}]`, item, out));
  } else {
    for (const [key, item] of Object.entries(value)) pairs(`${prefix}[${key}]`, item, out);
  }
}

/** `{users: [{email: 'a@b'}]}` → `users%5B0%5D%5Bemail%5D=a%40b`, as Moodle's REST server reads it. */
export function encodeMoodleForm(params: { readonly [key: string]: MoodleFormValue | undefined }): string {
  const out: string[] = [];
  for (const [key, value] of Object.entries(params)) pairs(key, value, out);
  return out.join('&');
}
