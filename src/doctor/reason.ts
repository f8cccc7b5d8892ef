// An error as one short line: its message, or its code when the message is empty (Node's AggregateError
// for a host with several addresses has none).
import { boundForeignText } from '../lib';

export function reasonOf(err: unknown): string {
  if (!(err instanceof Error)) return boundForeignText(String(err), 300);
  const code = (err as { code?: unknown }).code;
  const text = err.message.split('\n')[0]?.trim() || (typeof code === 'string' ? code : err.name);
  return boundForeignText(text, 300);
}
