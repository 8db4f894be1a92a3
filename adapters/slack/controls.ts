import type { webApi } from '@slack/bolt';
import type { Select } from '../../src/core/types.js';
import { clip } from '../shared/text.js';

/**
 * Slack's native controls beyond buttons: select menus (Reply.selects), emoji names for reactions (Reply.reactions
 * and reaction events), and a member's user groups as Actor.roles. Pure helpers plus one small cache; no engine.
 */

type Block = Record<string, unknown>;
type Client = webApi.WebClient;

/** action_id prefix of a select menu; the rest of the action_id is what it runs (JSON), see encodeSelect. */
export const SELECT_PREFIX = 'engage_select:';

// Block Kit limits of a select menu (https://docs.slack.dev/reference/block-kit/block-elements/select-menu-element).
const ACTION_ID_MAX = 255;
const OPTIONS_MAX = 100;
const OPTION_TEXT_MAX = 75;
const OPTION_VALUE_MAX = 150;
const PLACEHOLDER_MAX = 150;

/** What a select menu runs: the command, its fixed args, and the option name the chosen values go under. */
export interface SelectPayload {
  c: string;
  a: Record<string, string | number>;
  n: string;
}

/**
 * The action_id of a select: its index (action_ids are unique within a message) and the command as JSON. Slack
 * puts no command value on a select (the option values are the choices), and an action_id holds 255 characters:
 * null when the command does not fit (the select's fallback buttons are shown instead).
 */
export function encodeSelect(s: Select, index: number): string | null {
  const id = `${SELECT_PREFIX}${index}:${JSON.stringify({ c: s.command, a: s.args, n: s.name } satisfies SelectPayload)}`;
  return id.length <= ACTION_ID_MAX ? id : null;
}

export function decodeSelect(actionId: string | undefined): SelectPayload | null {
  const m = /^engage_select:\d+:(.*)$/s.exec(actionId ?? '');
  if (!m) return null;
  try {
    const p = JSON.parse(m[1]) as SelectPayload;
    return typeof p?.c === 'string' && typeof p.n === 'string' && p.a && typeof p.a === 'object' ? p : null;
  } catch {
    return null;
  }
}

/**
 * A select as a Block Kit element: static_select for one choice (min = max = 1), multi_static_select with
 * max_selected_items otherwise. Null when it cannot be shown as a select (too many options, a value longer than
 * Slack takes, a command too long for the action_id): the caller shows its fallback buttons.
 */
export function selectElement(s: Select, index: number): Block | null {
  const actionId = encodeSelect(s, index);
  if (!actionId || !s.options.length || s.options.length > OPTIONS_MAX || s.options.some((o) => !o.value || o.value.length > OPTION_VALUE_MAX)) return null;
  const single = s.max <= 1;
  return {
    type: single ? 'static_select' : 'multi_static_select',
    action_id: actionId,
    placeholder: { type: 'plain_text', text: clip(s.placeholder, PLACEHOLDER_MAX) || ' ', emoji: true },
    options: s.options.map((o) => ({
      text: { type: 'plain_text', text: clip(o.emoji ? `${o.emoji} ${o.label}` : o.label, OPTION_TEXT_MAX) || o.value, emoji: true },
      value: o.value,
    })),
    ...(single ? {} : { max_selected_items: Math.min(Math.max(1, s.max), s.options.length) }),
  };
}

/** The values chosen in a select's block_actions payload (one for static_select, the list for a multi select). */
export function selectedValues(action: { selected_option?: { value?: string } | null; selected_options?: { value?: string }[] | null }): string[] {
  if (action.selected_options) return action.selected_options.map((o) => o.value ?? '').filter(Boolean);
  return action.selected_option?.value ? [action.selected_option.value] : [];
}

/* ------------------------------------------------------------------------------------------------
 * Emoji: Slack names reactions ("thumbsup", "+1::skin-tone-3"); the core speaks Unicode ("👍").
 * ---------------------------------------------------------------------------------------------- */

/** Unicode emoji -> Slack's name, for the emoji polls and cards use. Fully qualified forms (with U+FE0F). */
const NAMES: [string, string][] = [
  ['👍', '+1'], ['👎', '-1'], ['❤️', 'heart'], ['🎉', 'tada'], ['😂', 'joy'], ['😮', 'open_mouth'], ['😢', 'cry'],
  ['🔥', 'fire'], ['👀', 'eyes'], ['✅', 'white_check_mark'], ['❌', 'x'], ['✔️', 'heavy_check_mark'], ['✖️', 'heavy_multiplication_x'],
  ['0️⃣', 'zero'], ['1️⃣', 'one'], ['2️⃣', 'two'], ['3️⃣', 'three'], ['4️⃣', 'four'], ['5️⃣', 'five'], ['6️⃣', 'six'],
  ['7️⃣', 'seven'], ['8️⃣', 'eight'], ['9️⃣', 'nine'], ['🔟', 'keycap_ten'],
  ['😀', 'grinning'], ['😃', 'smiley'], ['😄', 'smile'], ['😁', 'grin'], ['😆', 'laughing'], ['😊', 'blush'], ['🙂', 'slightly_smiling_face'],
  ['😐', 'neutral_face'], ['🙁', 'slightly_frowning_face'], ['😕', 'confused'], ['😍', 'heart_eyes'], ['🤩', 'star-struck'], ['🤔', 'thinking_face'],
  ['😭', 'sob'], ['😡', 'rage'], ['😠', 'angry'], ['😎', 'sunglasses'], ['😴', 'sleeping'], ['🤯', 'exploding_head'], ['🥳', 'partying_face'],
  ['🙏', 'pray'], ['👏', 'clap'], ['🙌', 'raised_hands'], ['👋', 'wave'], ['💪', 'muscle'], ['🤝', 'handshake'],
  ['💯', '100'], ['⭐', 'star'], ['🌟', 'star2'], ['🚀', 'rocket'], ['💡', 'bulb'], ['⚠️', 'warning'], ['❓', 'question'], ['❗', 'exclamation'],
  ['🏆', 'trophy'], ['🎁', 'gift'], ['🍕', 'pizza'], ['☕', 'coffee'], ['🍺', 'beer'], ['🐶', 'dog'], ['🐱', 'cat'],
  ['💚', 'green_heart'], ['💙', 'blue_heart'], ['💛', 'yellow_heart'], ['💜', 'purple_heart'], ['🧡', 'orange_heart'], ['🖤', 'black_heart'],
  ['🤍', 'white_heart'], ['💔', 'broken_heart'], ['➕', 'heavy_plus_sign'], ['➖', 'heavy_minus_sign'],
  ['🔴', 'red_circle'], ['🟠', 'large_orange_circle'], ['🟡', 'large_yellow_circle'], ['🟢', 'large_green_circle'], ['🔵', 'large_blue_circle'],
  ['🟣', 'large_purple_circle'], ['⚪', 'white_circle'], ['⚫', 'black_circle'],
];
/** Other names Slack uses for the same emoji (a member may pick either). */
const ALIASES: [string, string][] = [
  ['thumbsup', '👍'], ['thumbsdown', '👎'], ['satisfied', '😆'], ['star_struck', '🤩'], ['grinning_face_with_star_eyes', '🤩'],
  ['heavy_check_mark', '✔️'], ['white_heart', '🤍'],
];

const bare = (e: string) => e.replace(/\uFE0F/g, '');
const TO_NAME = new Map(NAMES.map(([u, n]) => [bare(u), n]));
const TO_UNICODE = new Map<string, string>([...NAMES.map(([u, n]) => [n, u] as [string, string]), ...ALIASES]);

/** Slack's name for a Unicode emoji (with or without U+FE0F), or undefined when the table does not know it. */
export function slackEmojiName(unicode: string): string | undefined {
  return TO_NAME.get(bare(unicode));
}

/** The Unicode emoji for a Slack reaction name (skin tone dropped), or undefined for custom and unknown emoji. */
export function unicodeEmoji(name: string): string | undefined {
  return TO_UNICODE.get(name.replace(/::skin-tone-\d$/, ''));
}

/* ------------------------------------------------------------------------------------------------
 * Actor.roles on Slack: the user groups a member is in.
 * ---------------------------------------------------------------------------------------------- */

/** Slack errors that mean the bot may not read user groups (no usergroups:read): roles stay unknown. */
const NO_GROUPS = new Set(['missing_scope', 'not_allowed_token_type', 'no_permission', 'paid_teams_only', 'feature_not_enabled']);

/**
 * The user groups of a workspace with their members (usergroups.list include_users), cached per workspace for a
 * few minutes: one call serves every member's roles. Without the scope (or on any failure) roles are undefined,
 * "unknown", never "none"; a failure is remembered for a short while so a broken workspace is not asked on
 * every event.
 */
export class UserGroups {
  private readonly teams = new Map<string, { at: number; byUser: Map<string, string[]> | null; pending?: Promise<Map<string, string[]> | null> }>();

  constructor(private readonly ttlMs = 300_000, private readonly failedMs = 60_000, private readonly log?: (msg: string) => void) {}

  async rolesOf(client: Client, teamId: string, userId: string): Promise<string[] | undefined> {
    const groups = await this.groups(client, teamId);
    return groups ? groups.get(userId) ?? [] : undefined;
  }

  /** Drops a workspace's cached groups (e.g. after the bot changed one for tier access). */
  forget(teamId: string): void {
    this.teams.delete(teamId);
  }

  private async groups(client: Client, teamId: string): Promise<Map<string, string[]> | null> {
    const now = Date.now();
    const hit = this.teams.get(teamId);
    if (hit?.pending) return hit.pending;
    if (hit && now - hit.at < (hit.byUser ? this.ttlMs : this.failedMs)) return hit.byUser;
    const pending = this.load(client, teamId);
    this.teams.set(teamId, { at: now, byUser: hit?.byUser ?? null, pending });
    const byUser = await pending;
    this.teams.set(teamId, { at: Date.now(), byUser });
    return byUser;
  }

  private async load(client: Client, teamId: string): Promise<Map<string, string[]> | null> {
    try {
      const r = await client.usergroups.list({ include_users: true });
      const byUser = new Map<string, string[]>();
      for (const g of r.usergroups ?? []) {
        if (!g.id || (g.date_delete ?? 0) > 0) continue;
        for (const u of g.users ?? []) byUser.set(u, [...(byUser.get(u) ?? []), g.id]);
      }
      return byUser;
    } catch (err) {
      const code = errorCode(err);
      if (!code || !NO_GROUPS.has(code)) this.log?.(`slack usergroups.list in ${teamId}: ${(err as Error).message}`);
      return null;
    }
  }
}

/** The error code the Slack Web API answered with (`channel_not_found`, ...), if any. */
export const errorCode = (err: unknown) => (err as { data?: { error?: string } })?.data?.error;
