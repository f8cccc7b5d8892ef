// Idempotency-Key handling as in the IETF Idempotency-Key draft: the first outcome for a key is replayed,
// the same key with another request is a 422, and a key still in flight is a 409.

export interface SimResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export type IdempotencyDecision =
  | { kind: 'started' }
  | { kind: 'replay'; response: SimResponse }
  | { kind: 'mismatch' }
  | { kind: 'in_flight' };

interface Entry {
  fingerprint: string;
  response: SimResponse | null;
}

/** JSON with sorted keys, so two clients serialising the same object differently still match. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export class IdempotencyStore {
  private readonly entries = new Map<string, Entry>();

  get inFlightCount(): number {
    let count = 0;
    for (const entry of this.entries.values()) if (!entry.response) count += 1;
    return count;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  begin(key: string, fingerprint: string): IdempotencyDecision {
    const entry = this.entries.get(key);
    if (!entry) {
      this.entries.set(key, { fingerprint, response: null });
      return { kind: 'started' };
    }
    if (entry.fingerprint !== fingerprint) return { kind: 'mismatch' };
    if (!entry.response) return { kind: 'in_flight' };
    return { kind: 'replay', response: entry.response };
  }

  /**
   * Only 2xx outcomes are kept. A 4xx here changed nothing (unknown course, invalid student), so running
   * the request again is safe and lets a retry succeed once someone fixes the data in the LMS.
   */
  finish(key: string, response: SimResponse): void {
    if (response.status >= 200 && response.status < 300) {
      this.entries.set(key, { fingerprint: this.entries.get(key)?.fingerprint ?? '', response });
    } else {
      this.entries.delete(key);
    }
  }
}
