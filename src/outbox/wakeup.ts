// Wakes the relays after a delivery is stored. A pg_notify inside every delivery's transaction made
// commits queue behind the notify lock under load (bench/README.md); instead the relay in this process
// is woken directly, and other replicas by at most one NOTIFY per `debounceMs`, outside the delivery.
import type { Pool } from 'pg';
import type { Logger } from '../observability';
import { notifyRelays } from './enqueue';

export function createOutboxWakeup(deps: {
  pool: Pool;
  log: Logger;
  localWake?: () => void;
  debounceMs?: number;
}) {
  const debounceMs = deps.debounceMs ?? 50;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;

  function notifyOthers(): void {
    timer = null;
    notifyRelays(deps.pool).catch((err: Error) => {
      // the relays' slow poll is the safety net
      deps.log.debug('outbox notify failed', { error: err.message });
    });
  }

  return {
    poke(): void {
      if (stopped) return;
      deps.localWake?.();
      timer ??= setTimeout(notifyOthers, debounceMs);
    },
    stop(): void {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}
