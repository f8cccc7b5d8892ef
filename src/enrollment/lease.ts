// Keeps a claimed action's lease alive while its LMS call runs: the lease can then be short, so a
// worker that dies mid-call frees its actions within one lease instead of minutes.
import { errorMessage } from '../lib';
import type { Logger } from '../observability';
import type { ActionsRepo } from './actions-repo';

type Renewer = Pick<ActionsRepo, 'renew' | 'leaseMs'>;

export async function keepLeased<T>(
  actions: Renewer,
  log: Logger,
  businessKey: string,
  attempt: number,
  work: () => Promise<T>,
): Promise<T> {
  // Three renewals per lease: one lost to a slow or failed query still leaves the lease standing.
  const timer = setInterval(
    () => {
      actions.renew(businessKey, attempt).then(
        (held) => {
          if (!held) log.warn('lease on an action in progress was lost', { businessKey, attempt });
        },
        (err: unknown) =>
          log.warn('could not renew an action lease', { businessKey, error: errorMessage(err) }),
      );
    },
    Math.max(100, Math.floor(actions.leaseMs / 3)),
  );
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}
