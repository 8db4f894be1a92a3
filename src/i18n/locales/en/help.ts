export default {
  commands: {
    help: {
      description: 'What I can do',
      options: { command: 'A command to explain, e.g. "contest create"' },
    },
  },
  unknown: 'No command "{{command}}". Try /help.',
  optional: ' (optional)',
  example: '  e.g. {{example}}',
  details: 'Details: /help <command>',
  section: { member: '**Everyone**', moderator: '**Moderators**', admin: '**Admins**' },
  precondition: { inChannel: 'in a channel', notInDm: 'not in direct messages' },
  group: {
    challenge: 'Challenges: {{subs}}',
    contest: 'Giveaways: {{subs}}',
    poll: 'Polls: {{subs}}',
    referral: 'Referrals: {{subs}}',
    reward: 'Rewards: {{subs}}',
    redemption: 'Reward requests: {{subs}}',
    community: 'Community: {{subs}}',
    activity: 'Activity points: {{subs}}',
    invites: 'Invites: {{subs}}',
    tier: 'Tiers: {{subs}}',
    season: 'Seasons: {{subs}}',
    thanks: 'Thank a member, or: {{subs}}',
    announce: 'Where community-wide announcements go: {{subs}}',
  },
};
