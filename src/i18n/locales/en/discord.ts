// Texts the discord adapter shows itself (before or around the engine), and slash-command names.
export default {
  notInServer: 'My commands work in servers, not in direct messages. Run them in a channel of a server I am in.',
  staleButton: 'This button is from an older version of me and no longer works. Use the slash command instead (try /help).',
  deferredPublicNote: '✅ Done; the answer is posted below.',
  /** A form button whose title is empty. */
  openForm: 'Open',
  /**
   * Top-level slash command names as members of this language see them in Discord's command picker
   * (1-32 letters, digits, "-" or "_"; lowercase where the script has case). The command still runs by its
   * English name; a name equal to the English one is not sent as a localization.
   */
  names: {
    help: 'help',
    points: 'points',
    leaderboard: 'leaderboard',
    history: 'history',
    give: 'give',
    take: 'take',
    challenge: 'challenge',
    contest: 'contest',
    referral: 'referral',
    poll: 'poll',
    rewards: 'rewards',
    reward: 'reward',
    redeem: 'redeem',
    redemptions: 'redemptions',
    redemption: 'redemption',
    link: 'link',
    community: 'community',
    role: 'role',
    settings: 'settings',
    activity: 'activity',
    invites: 'invites',
    tier: 'tier',
    season: 'season',
    dashboard: 'dashboard',
    thanks: 'thanks',
    announce: 'announce',
  },
  /**
   * The subcommand that runs a group's own command where the group also has subcommands ("/thanks" beside
   * "/thanks left"): Discord cannot run a command that has subcommands, so "/thanks" is "/thanks send" there.
   * English is the subcommand's name; other languages are its localized names.
   */
  defaultSub: {
    thanks: 'send',
  },
};
