// Text that came from another system (an Odoo faultString, an LMS message, an exception's message) is
// stored and shown only in a bounded size: a faultString can be megabytes (a traceback that repeats a
// whole record), and it would be copied into every dead letter, ticket and listing. The head says
// where it started; for a Python traceback the last line (`Class: message`) is the useful one, so it
// is kept too.

export const FOREIGN_TEXT_MAX = 2000;
const LAST_LINE_MAX = 500;

/** `text` itself when short enough, else its head, a marker with what was left out, and its last line. */
export function boundForeignText(text: string, max = FOREIGN_TEXT_MAX): string {
  if (text.length <= max) return text;
  const earlier = EARLIER_MARKER.exec(text);
  if (earlier && text.length - earlier.index - earlier[0].length <= max / 2)
    return rebound(text, earlier, max);
  const end = lastVisible(text);
  const lineStart = text.lastIndexOf('\n', end - 1) + 1;
  // the marker's length depends on the count it shows: the longest possible count sizes it
  const room = max - marker(text.length).length;
  const lastLineMax = Math.min(LAST_LINE_MAX, Math.floor(max / 3));
  // a last line that starts within the head is shown by the head already
  const last = lineStart > room - lastLineMax ? cut(text.slice(lineStart, end).trim(), lastLineMax) : '';
  const head = cut(text, Math.max(0, room - last.length), '');
  return `${head}${marker(text.length - head.length - last.length)}${last}`.trimEnd();
}

const marker = (omitted: number) => ` … [${omitted} characters left out] … `;
const EARLIER_MARKER = / … \[(\d+) characters left out\] …(?: |$)/;

/**
 * A text bounded before and then prefixed (`Odoo call: …`, `code: …`): cut more of its head and keep
 * what the earlier bound kept at the end, rather than bounding the bounded text as if it were new.
 */
function rebound(text: string, earlier: RegExpExecArray, max: number): string {
  const before = text.slice(0, earlier.index);
  const tail = text.slice(earlier.index + earlier[0].length);
  const omittedEarlier = Number(earlier[1]);
  const room = max - marker(omittedEarlier + text.length).length - tail.length;
  const head = cut(before, Math.max(0, room), '');
  return `${head}${marker(omittedEarlier + before.length - head.length)}${tail}`.trimEnd();
}

function lastVisible(text: string): number {
  let end = text.length;
  while (end > 0 && /\s/.test(text[end - 1] as string)) end--;
  return end;
}

/** At most `max` characters, never splitting a surrogate pair. */
function cut(text: string, max: number, ellipsis = '…'): string {
  if (text.length <= max) return text;
  let at = Math.max(0, max - ellipsis.length);
  const code = text.charCodeAt(at - 1);
  if (code >= 0xd800 && code <= 0xdbff) at--;
  return text.slice(0, at) + ellipsis;
}
