// Text we keep must survive both places it goes: PostgreSQL jsonb refuses NUL (\u0000) and lone
// surrogates, and Odoo's XML-RPC parser refuses characters XML 1.0 does not allow (control
// characters other than tab, CR, LF; U+FFFE, U+FFFF). Such a string is refused at the edge with its
// path, instead of failing the commit (and, before, every delivery committed with it).
const NOT_STORABLE = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

export interface TextIssue {
  path: Array<string | number>;
  message: string;
}

function describe(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  const hex = code.toString(16).toUpperCase().padStart(4, '0');
  return code >= 0xd800 && code <= 0xdfff ? `a lone surrogate (U+${hex})` : `the character U+${hex}`;
}

/** One issue per string (anywhere in the value) holding a character that cannot be stored. */
export function storableTextIssues(value: unknown, path: Array<string | number> = []): TextIssue[] {
  if (typeof value === 'string') {
    const bad = NOT_STORABLE.exec(value);
    return bad ? [{ path, message: `contains ${describe(bad[0])}, which cannot be stored` }] : [];
  }
  if (Array.isArray(value)) return value.flatMap((v, i) => storableTextIssues(v, [...path, i]));
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => storableTextIssues(v, [...path, k]));
  return [];
}
