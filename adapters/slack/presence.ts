import type { App, Logger } from '@slack/bolt';
import type { Engine } from '../../src/engine.js';
import type { PresenceEvent } from '../../src/core/types.js';

/**
 * Joins and leaves of a workspace, as presence events for its community: team_join is a join;
 * user_change with deleted: true (a deactivated account) is the only "left the workspace" Slack sends.
 * member_left_channel is about one channel, not the community, and is not listened to. Slack sends
 * user_change on every profile edit, and an event may be delivered twice: engine.presence takes a
 * repeated fact once. Workspaces that are no community's are not recorded.
 */

interface SlackUser {
  id: string;
  team_id?: string;
  name?: string;
  real_name?: string;
  deleted?: boolean;
  is_bot?: boolean;
  profile?: { display_name?: string; real_name?: string };
  locale?: string;
}

/** The presence event for a team_join / user_change, or null when there is none (bots, ordinary profile edits). */
export function slackPresence(kind: 'team_join' | 'user_change', user: SlackUser, teamId: string | undefined, eventTime?: number): PresenceEvent | null {
  const team = teamId ?? user.team_id;
  if (!team || user.is_bot || user.id === 'USLACKBOT') return null;
  if (kind === 'user_change' && !user.deleted) return null;
  return {
    platform: 'slack',
    communityKey: team,
    actor: {
      platform: 'slack',
      userId: user.id,
      displayName: user.profile?.display_name || user.real_name || user.profile?.real_name || user.name || user.id,
      username: user.name,
      ...(user.locale ? { locale: user.locale } : {}),
    },
    kind: kind === 'team_join' ? 'join' : 'leave',
    ...(eventTime ? { at: new Date(eventTime * 1000) } : {}),
  };
}

/** Listens to team_join and user_change (events need the users:read scope; see manifest.ts). */
export function registerPresence(app: App, engine: Engine, log: Logger): void {
  for (const kind of ['team_join', 'user_change'] as const) {
    app.event(kind, async ({ event, body }) => {
      const b = body as { team_id?: string; event_time?: number };
      const e = slackPresence(kind, event.user as SlackUser, b.team_id, b.event_time);
      if (!e) return;
      try {
        if (!(await engine.communityByKey('slack', e.communityKey))) return;
        await engine.presence(e);
      } catch (err) {
        log.error(`slack ${kind}: ${(err as Error).message}`);
      }
    });
  }
}
