// Works off a backlog in passes, woken from outside (a timer, a notification). A wake while a pass runs
// asks for one more pass after it: passes never overlap, and no wake is lost.

export interface DrainLoopOptions {
  /** One pass over the backlog. */
  pass: () => Promise<void>;
  /** A pass threw: report it (and back off); true runs another pass straight after. */
  failed: (err: unknown) => boolean | Promise<boolean>;
  /** No further pass starts once this is true (the one running finishes). */
  stopped: () => boolean;
}

export interface DrainLoop {
  /** Starts passes, or asks the running ones for another; nothing once stopped. */
  wake(): void;
  /** Runs passes now, until no wake asks for another (beside any the wakes started). */
  drain(): Promise<void>;
  /** Resolves when the passes the wakes started are over. */
  settled(): Promise<void>;
}

export function createDrainLoop(opts: DrainLoopOptions): DrainLoop {
  let running: Promise<void> | null = null;
  let again = false;

  async function drain(): Promise<void> {
    do {
      again = false;
      try {
        await opts.pass();
      } catch (err) {
        if (await opts.failed(err)) again = true;
      }
    } while (again && !opts.stopped());
  }

  return {
    wake(): void {
      if (opts.stopped()) return;
      if (running) {
        again = true;
        return;
      }
      running = drain().finally(() => {
        running = null;
      });
    },
    drain,
    async settled(): Promise<void> {
      await running;
    },
  };
}
