// Reads a body or query string the way PHP does: `users[0][email]=a&users[0][idnumber]=b` becomes
// `{users: {0: {email: 'a', idnumber: 'b'}}}`. Lists stay objects keyed by index, in the order sent, as
// PHP arrays are; the function handlers read them as lists (listOf). Bounded: a hostile body costs only
// itself.

export type FormTree = { [key: string]: FormNode };
export type FormNode = string | FormTree;

export const MAX_FORM_PAIRS = 2000;
const MAX_DEPTH = 6;

export class FormError extends Error {}

/** `users[0][email]` → ['users', '0', 'email']; null for a key PHP would not read as such. */
function pathOf(key: string): string[] | null {
  const match = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(key);
  if (!match) return null;
  const rest = [...(match[2] ?? '').matchAll(/\[([^[\]]*)\]/g)].map((m) => m[1] ?? '');
  return [match[1]!, ...rest];
}

function put(tree: FormTree, path: string[], value: string): void {
  let node = tree;
  for (const [i, part] of path.entries()) {
    // `a[]=x` appends, as in PHP
    const key = part === '' ? String(Object.keys(node).length) : part;
    if (i === path.length - 1) {
      node[key] = value;
      return;
    }
    const next = node[key];
    if (typeof next === 'object') node = next;
    else {
      const made: FormTree = {};
      node[key] = made;
      node = made;
    }
  }
}

export function decodeMoodleForm(text: string): FormTree {
  const tree: FormTree = Object.create(null) as FormTree;
  if (text === '') return tree;
  const pairs = text.split('&');
  if (pairs.length > MAX_FORM_PAIRS) throw new FormError(`more than ${MAX_FORM_PAIRS} parameters`);
  for (const pair of pairs) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const decode = (s: string) => {
      try {
        return decodeURIComponent(s.replace(/\+/g, ' '));
      } catch {
        throw new FormError('a parameter is not valid percent-encoding');
      }
    };
    const key = decode(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? '' : decode(pair.slice(eq + 1));
    const path = pathOf(key);
    if (!path || path.length > MAX_DEPTH) throw new FormError('a parameter name PHP would not read');
    if (path.some((p) => p === '__proto__' || p === 'constructor' || p === 'prototype'))
      throw new FormError('a parameter name PHP would not read');
    put(tree, path, value);
  }
  return tree;
}

/** A PHP array sent as `x[0]…x[n]` read as a list; a lone value or nothing is no list. */
export function listOf(node: FormNode | undefined): FormNode[] | null {
  if (node === undefined || typeof node === 'string') return null;
  return Object.values(node);
}
