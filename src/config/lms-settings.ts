// Which LMS the service talks to: one setting (LMS_ADAPTER) picks the adapter, and each adapter needs
// its own settings. The check runs with the rest of the configuration, so a missing one is named at
// start-up next to every other configuration error, not at the first enrollment.
import type { z } from 'zod';

export const LMS_ADAPTERS = ['rest', 'moodle', 'odoo-elearning'] as const;
export type LmsAdapterName = (typeof LMS_ADAPTERS)[number];

/** The settings each adapter cannot do without; the rest have defaults. */
const REQUIRED: Record<LmsAdapterName, readonly string[]> = {
  rest: ['LMS_BASE_URL', 'LMS_API_TOKEN'],
  moodle: ['MOODLE_URL', 'MOODLE_TOKEN'],
  // every LMS_ODOO_* setting defaults to its ODOO_* counterpart: the same Odoo
  'odoo-elearning': [],
};

interface LmsSettings {
  LMS_ADAPTER: LmsAdapterName;
}

/** Adds one "missing" issue per setting the chosen adapter needs and was not given. */
export function requireLmsSettings(config: LmsSettings, ctx: z.RefinementCtx): void {
  const given = config as unknown as Record<string, unknown>;
  for (const name of REQUIRED[config.LMS_ADAPTER] ?? [])
    if (given[name] === undefined)
      ctx.addIssue({
        code: 'custom',
        path: [name],
        message: `LMS_ADAPTER=${config.LMS_ADAPTER} needs it`,
        params: { missing: true },
      });
}
