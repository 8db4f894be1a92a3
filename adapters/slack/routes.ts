/**
 * Distribution mode: which workspace holds a channel or a member. A community can be bound to several workspaces
 * (each with its own installation), and the outbox names them all (SendMeta.spaces); a channel or DM is reached
 * only with the token of its own workspace. The workspace that worked for a channel (or a DM user) is remembered
 * here, so later sends and card edits go straight there. Bounded (least recently used dropped); per process.
 */
export class TeamRoutes {
  private readonly teams = new Map<string, string>();

  constructor(private readonly max = 10_000) {}

  /** The workspaces to try for `key` ("ch:<channel>" or "dm:<user>"), in order: the remembered one first (when bound). */
  order(key: string, spaces: string[]): string[] {
    const known = this.teams.get(key);
    if (!known || !spaces.includes(known)) return spaces;
    // Refresh its place: recently used routes are kept longest.
    this.teams.delete(key);
    this.teams.set(key, known);
    return [known, ...spaces.filter((s) => s !== known)];
  }

  remember(key: string, teamId: string): void {
    this.teams.delete(key);
    this.teams.set(key, teamId);
    while (this.teams.size > this.max) this.teams.delete(this.teams.keys().next().value!);
  }

  get size(): number {
    return this.teams.size;
  }
}

/**
 * Errors that mean "not in this workspace" (the token is another workspace's): the next bound workspace is tried.
 * (A workspace without an installation, or with a refused token, is passed over too; see SlackAdapter.inWorkspace.)
 */
export const OTHER_WORKSPACE = new Set(['channel_not_found', 'not_in_channel', 'user_not_found', 'cannot_dm_bot', 'users_not_found', 'user_not_visible']);
