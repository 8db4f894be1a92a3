export default {
  commands: {
    points: {
      description: 'Your points, tier and rank (or another member\'s)',
      options: { member: 'Whose points to show' },
      examples: '/points\n/points @alex',
    },
    leaderboard: {
      description: 'Top members by points earned',
      options: { period: 'all, week or month', size: 'How many to show (1-25)' },
      examples: '/leaderboard\n/leaderboard week\n/leaderboard month 20',
    },
    history: {
      description: 'Recent points changes (yours, or a member\'s for moderators)',
      options: { member: 'Whose history (moderators)' },
    },
    give: {
      description: 'Give points to a member',
      options: { member: 'Who', amount: 'How many points', reason: 'Why (shown in their history)' },
      examples: '/give @alex 50 Great answer in #help',
    },
    take: {
      description: 'Take points back from a member',
      options: { member: 'Who', amount: 'How many points', reason: 'Why (shown in their history)' },
      examples: '/take @alex 20 Duplicate entry',
    },
  },
  error: {
    amount: 'The amount must be a non-zero whole number.',
    negative: 'That would leave a negative balance ({{available, number}} points available).',
    otherHistory: 'Only moderators can see other members\' history.',
    limit: 'That would take the points past the limit of {{max, number}}; nothing was changed.',
  },
  tierNames: { Bronze: 'Bronze', Silver: 'Silver', Gold: 'Gold', Platinum: 'Platinum', Member: 'Member' },
  period: { all: 'all time', week: 'this week', month: 'this month' },
  balance: {
    self: 'You have **{{balance, number}} points** to spend · {{lifetime, number}} earned in all · tier **{{tier}}**',
    other: '{{name}} has **{{balance, number}} points** to spend · {{lifetime, number}} earned in all · tier **{{tier}}**',
    rank: 'Rank #{{rank}} of {{ranked, number}}',
    unranked: 'Not ranked yet: earn points in challenges, giveaways and referrals.',
    next: '{{missing, number}} more to reach {{tier}}.',
  },
  board: {
    empty: '🏆 No points earned {{period}} yet.',
    title: '🏆 **Leaderboard, {{period}}**',
    you: 'You: #{{rank}} with {{points, number}}',
    youNot: 'You are not on the board yet.',
  },
  history: {
    empty: 'No points history for {{name}} yet.',
    title: '**Points history: {{name}}** (balance {{balance, number}})',
  },
  adjust: {
    gave_one: '➕ Gave {{count, number}} point to {{name}} ({{reason}}). New balance: {{balance, number}}.',
    gave_other: '➕ Gave {{count, number}} points to {{name}} ({{reason}}). New balance: {{balance, number}}.',
    took_one: '➖ Took {{count, number}} point from {{name}} ({{reason}}). New balance: {{balance, number}}.',
    took_other: '➖ Took {{count, number}} points from {{name}} ({{reason}}). New balance: {{balance, number}}.',
  },
  ledger: {
    grant: 'Given by a moderator',
    revoke: 'Taken back by a moderator',
    challenge: 'Challenge #{{id}}: {{title}}',
    contest: 'Won giveaway #{{id}}: {{prize}}',
    referrer: 'Referral: invited a new member',
    referee: 'Referral: joined with {{name}}\'s code',
    redeem: 'Redeemed reward #{{id}}: {{name}}',
    refund: 'Refund of redemption #{{id}}: {{name}}',
    linkOut: 'Merged into {{name}}',
    linkIn: 'Merged {{platform}} account',
    referralReversed: 'Referral reversed: both accounts belong to the same member',
    activity: {
      message: 'Activity: a message',
      reaction: 'Activity: a reaction',
      voice: 'Activity: time in voice',
      streak: 'Streak bonus: {{days}} days in a row',
      reversed: 'Activity award #{{id}} taken back',
    },
  },
  tierUp: {
    reached: '🎖️ You reached **{{tier}}** in {{community}} with {{lifetime, number}} points earned!',
    next: 'Next: {{tier}} at {{points, number}}.',
  },
};
