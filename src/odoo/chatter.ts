// Internal notes in a record's chatter (message_post, subtype mail.mt_note), one writer per record at a time.
// Two posts in flight on one record can both try to make our user a follower, and the second then fails on
// mail_followers' unique index; so notes for a record wait for the post before them, and the notes that
// gathered meanwhile (or in the same turn) go out as one post.
// Each note ends with a marker derived from its key: a post whose answer was lost, or a retried write-back,
// first looks for the marker, so a note is posted once.
import { createHash } from 'node:crypto';
import { TransientError } from '../lib';
import type { OdooTransport } from './transport';

export interface ChatterNote {
  /** plain text: Odoo escapes a str body, so nothing in it is read as HTML */
  text: string;
  /** the same for every retry of one write-back, different for another one (a message id and a step) */
  key: string;
  /** partners the note is addressed to (message_post partner_ids): Odoo notifies them by their own channels */
  mentions?: number[];
}

export interface PostOptions {
  /** an earlier attempt may have posted it already: look before posting */
  retried?: boolean;
}

export interface Chatter {
  post(model: string, resId: number, note: ChatterNote, options?: PostOptions): Promise<void>;
}

interface Waiting {
  note: ChatterNote;
  retried: boolean;
  resolve: () => void;
  reject: (err: unknown) => void;
}

const MARKER_PREFIX = 'lms-sync note';
/** a burst on one order makes a few readable posts, not one page-long one */
const MAX_NOTES_PER_POST = 10;
/** our notes on one record a retry looks through, newest first */
const MARKER_LOOKBACK = 50;

export function noteMarker(key: string): string {
  return `(${MARKER_PREFIX} ${createHash('sha256').update(key).digest('hex').slice(0, 12)})`;
}

export function createChatter(transport: OdooTransport): Chatter {
  const queues = new Map<string, Waiting[]>();

  async function postedMarkers(model: string, resId: number): Promise<Set<string>> {
    const domain = [
      ['model', '=', model],
      ['res_id', '=', resId],
      ['body', 'ilike', MARKER_PREFIX],
    ];
    const rows = await transport.executeKw<Array<{ body: string | false }>>(
      'mail.message',
      'search_read',
      [domain],
      {
        fields: ['body'],
        order: 'id desc',
        limit: MARKER_LOOKBACK,
      },
    );
    const found = new Set<string>();
    for (const row of rows) {
      for (const m of String(row.body || '').matchAll(/\(lms-sync note [0-9a-f]{12}\)/g)) found.add(m[0]);
    }
    return found;
  }

  async function postOnce(model: string, resId: number, batch: Waiting[]): Promise<void> {
    let notes = batch.map((w) => ({
      marker: noteMarker(w.note.key),
      text: w.note.text,
      mentions: w.note.mentions ?? [],
    }));
    if (batch.some((w) => w.retried)) {
      const posted = await postedMarkers(model, resId);
      notes = notes.filter((n) => !posted.has(n.marker));
      if (notes.length === 0) return;
    }
    const body = notes.map((n) => `${n.text}\n${n.marker}`).join('\n\n');
    const partnerIds = [...new Set(notes.flatMap((n) => n.mentions))];
    try {
      await transport.executeKw(model, 'message_post', [[resId]], {
        body,
        message_type: 'comment',
        subtype_xmlid: 'mail.mt_note',
        ...(partnerIds.length > 0 ? { partner_ids: partnerIds } : {}),
      });
    } catch (err) {
      // The answer was lost, not necessarily the post: if it is there, it was made.
      if (!(err instanceof TransientError)) throw err;
      const posted = await postedMarkers(model, resId).catch(() => new Set<string>());
      if (!notes.every((n) => posted.has(n.marker))) throw err;
    }
  }

  async function drain(model: string, resId: number, key: string): Promise<void> {
    for (;;) {
      const waiting = queues.get(key) ?? [];
      if (waiting.length === 0) {
        queues.delete(key);
        return;
      }
      // the rest stay queued (and collect newcomers) for the next post
      const batch = waiting.splice(0, MAX_NOTES_PER_POST);
      try {
        await postOnce(model, resId, batch);
        for (const w of batch) w.resolve();
      } catch (err) {
        for (const w of batch) w.reject(err);
      }
    }
  }

  return {
    post(model, resId, note, options = {}) {
      const key = `${model},${resId}`;
      return new Promise<void>((resolve, reject) => {
        const waiting = queues.get(key);
        const entry = { note, retried: options.retried === true, resolve, reject };
        if (waiting) {
          waiting.push(entry);
          return;
        }
        queues.set(key, [entry]);
        // notes made in this same turn (one order's outcome and its ticket link) join this post
        setImmediate(() => void drain(model, resId, key));
      });
    },
  };
}
