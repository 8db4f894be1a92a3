export default {
  commands: {
    'invites show': {
      description: 'How many members joined with your Discord invites (or a member\'s): still here, left, fake',
      options: { member: 'Whose invites' },
      examples: '/invites show\n/invites show @alex',
    },
    'invites top': {
      description: 'Members who brought in the most people still here (fake invites not counted)',
      options: { size: 'How many to show (1-25)' },
      examples: '/invites top\n/invites top 20',
    },
  },
  stats: {
    titleSelf: '📨 **Your invites**',
    title: '📨 **Invites of {{name}}**',
    counts: 'Joined with them: {{total, number}} · still here: {{real, number}} · left: {{left, number}} · fake (accounts too new): {{fake, number}}',
    noneSelf: '📨 No one has joined with your invites yet. Create an invite link in the Discord server and share it: everyone who joins through it counts for you.',
    none: '📨 No one has joined with {{name}}\'s invites yet.',
  },
  board: {
    empty: '📨 No invites counted yet.',
    title: '📨 **Invite leaderboard** (members still here; fake invites not counted)',
    row_one: '{{medal}} {{name}}: {{count, number}} invite',
    row_other: '{{medal}} {{name}}: {{count, number}} invites',
  },
};
