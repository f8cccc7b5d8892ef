// The one place that turns LMS_ADAPTER into an adapter: the service, the doctor and the demo build theirs
// here, so choosing an LMS is one setting everywhere.
import type { LmsConnection } from './connection';
import type { Logger } from '../observability';
import type { LmsAdapter } from './adapter';
import { createMoodleLmsAdapter } from './moodle-adapter';
import { createOdooElearningAdapter } from './odoo-elearning-adapter';
import { createRestLmsAdapter } from './rest-adapter';

/** An adapter and the connections it holds, closed when the caller is done with it. */
export type ClosableLmsAdapter = LmsAdapter & { close(): void };

export function createLmsAdapter(connection: LmsConnection, log: Logger): ClosableLmsAdapter {
  switch (connection.adapter) {
    case 'rest':
      return createRestLmsAdapter({
        baseUrl: connection.url,
        apiToken: connection.token,
        timeoutMs: connection.timeoutMs,
        log,
      });
    case 'moodle':
      return createMoodleLmsAdapter({
        url: connection.url,
        token: connection.token,
        studentRoleId: connection.studentRoleId,
        timeoutMs: connection.timeoutMs,
        log,
      });
    case 'odoo-elearning':
      return createOdooElearningAdapter({
        url: connection.url,
        db: connection.db,
        username: connection.username,
        apiKey: connection.token,
        timeoutMs: connection.timeoutMs,
        maxResponseBytes: connection.maxResponseBytes,
        sameDatabase: connection.sameDatabase,
        log,
      });
  }
}
