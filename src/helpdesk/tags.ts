// Tag names the service puts on its tickets, so that the support team can filter on them. Created when missing.

export const TAGS = {
  crm: 'CRM',
  lms: 'LMS',
  syncFailure: 'sync-failure',
  enrollHv: 'enroll HV',
  autoHealed: 'auto-healed',
} as const;

export const STANDARD_TAGS: readonly string[] = Object.values(TAGS);

/** One tag per problem kind, named exactly as the kind (e.g. `course_unmapped`) so it matches our logs. */
export function kindTag(kind: string): string {
  return kind;
}
