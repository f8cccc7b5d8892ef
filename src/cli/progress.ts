// The reconcile command's progress line on a TTY. While it draws it owns the terminal: a log line is
// written above it (clear the line, write the log line, draw the progress again), and stop() clears it
// so the summary starts on a clean line. Formatting is pure (formatProgress, formatDuration, formatRate).
import type { LogOutput } from '../observability';
import type { Progress } from '../reconcile';

const CLEAR_LINE = '\r\x1b[2K';
const REFRESH_MS = 1000; // the ETA and the rate move on even when no page arrives

const PHASES: Record<Progress['phase'], string> = {
  odoo: 'Odoo read',
  lms: 'LMS read',
  diff: 'diff',
  writes: 'writes',
  done: 'done',
};

/** 7s, 3m 05s, 1h 02m */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

/** `count` items in `ms`: 340/s, 2.5/s; nothing yet: –/s */
export function formatRate(count: number, ms: number): string {
  if (count <= 0 || ms <= 0) return '–/s';
  const perSecond = count / (ms / 1000);
  return `${perSecond >= 10 ? Math.round(perSecond) : perSecond.toFixed(1)}/s`;
}

/** Time left at the pace so far; null until something is done. */
export function etaMs(done: number, total: number, elapsedMs: number): number | null {
  if (done >= total) return 0;
  if (done <= 0 || elapsedMs <= 0) return null;
  return (elapsedMs / done) * (total - done);
}

/** One progress line; `phaseMs` is the time spent in the current phase. */
export function formatProgress(p: Progress, phaseMs: number, barWidth = 20): string {
  const label = PHASES[p.phase];
  if (p.phase === 'odoo' && p.ordersTotal !== null) {
    const ratio = p.ordersTotal === 0 ? 1 : Math.min(1, p.orders / p.ordersTotal);
    const filled = Math.round(ratio * barWidth);
    const eta = etaMs(p.orders, p.ordersTotal, phaseMs);
    return (
      `${label} |${'█'.repeat(filled)}${'░'.repeat(barWidth - filled)}| ${Math.floor(ratio * 100)}%` +
      ` · orders ${p.orders}/${p.ordersTotal} · lines ${p.orderLines}` +
      ` · ETA ${eta === null ? '…' : formatDuration(eta)}`
    );
  }
  if (p.phase === 'odoo')
    return `${label} · orders ${p.orders} · lines ${p.orderLines} · ${formatRate(p.orders, phaseMs)}`;
  if (p.phase === 'lms')
    return `${label} · enrollments ${p.enrollments} · ${formatRate(p.enrollments, phaseMs)}`;
  return `${label} · Odoo lines ${p.orderLines} · LMS enrollments ${p.enrollments} · findings ${p.findings}`;
}

export interface ProgressDisplay {
  update(p: Progress): void;
  /** the logger's output while the display is up */
  log: LogOutput;
  /** clears the line; later log lines are written as they come */
  stop(): void;
}

export function createProgressDisplay(
  stream: NodeJS.WriteStream,
  now: () => number = Date.now,
): ProgressDisplay {
  let last: Progress | null = null;
  let phaseStart = now();
  let drawn = false;
  let stopped = false;
  const draw = () => {
    if (!last || stopped) return;
    const width = Math.max(20, (stream.columns || 80) - 1); // never wrap: a wrapped line cannot be cleared
    stream.write(`${CLEAR_LINE}${formatProgress(last, now() - phaseStart).slice(0, width)}`);
    drawn = true;
  };
  const clear = () => {
    if (drawn) stream.write(CLEAR_LINE);
    drawn = false;
  };
  const timer = setInterval(draw, REFRESH_MS);
  timer.unref();
  return {
    update(p) {
      if (stopped) return;
      if (last?.phase !== p.phase) phaseStart = now();
      last = p;
      draw();
    },
    log: {
      write(line) {
        if (stopped || !drawn) {
          stream.write(line);
          return;
        }
        clear();
        stream.write(line);
        draw();
      },
    },
    stop() {
      if (stopped) return;
      clearInterval(timer);
      clear();
      stopped = true;
    },
  };
}
