// The assignment settings as text in the environment, parsed into what the rule takes. Pure.

/** "alice@example.com, 7" → lower-cased logins and user ids of people who are out (HELPDESK_OUT_USERS). */
export function parseUserList(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
}

/**
 * "Technical Support=alice@example.com,Ops=7" → team name → leader's login or user id
 * (HELPDESK_TEAM_LEADERS). Enterprise teams have no leader field; on OCA it overrides the team's own.
 */
export function parseTeamLeaders(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of text.split(',')) {
    if (part.trim() === '') continue;
    const [team, leader, extra] = part.split('=').map((s) => s.trim());
    if (!team || !leader || extra !== undefined) {
      throw new Error(
        `bad entry "${part.trim()}": use Team name=login or user id, e.g. Ops=alice@example.com`,
      );
    }
    if (out[team] !== undefined) throw new Error(`team "${team}" is given two leaders`);
    out[team] = leader.toLowerCase();
  }
  return out;
}
