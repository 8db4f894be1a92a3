export default {
  commands: {
    'referral code': {
      description: 'Your personal invite code and how many people joined with it',
      options: {},
    },
    'referral redeem': {
      description: 'Use the referral code of the person who invited you',
      options: { code: 'Their code' },
      examples: '/referral redeem K7M2Q9XA',
    },
  },
  error: {
    unknownCode: '"{{code}}" is not a referral code here. Check it with the person who invited you.',
    ownCode: 'That is your own referral code; share it with friends instead.',
    alreadyUsed: 'You have already used a referral code.',
    tooLate: 'Referral codes are for new members (first {{days}} days).',
    cycle: 'You can\'t use a code from someone you referred.',
  },
  code: {
    yours: 'Your referral code: **{{code}}**',
    how: 'New members who run /referral redeem {{code}} within {{days}} days of joining get {{refereeReward, number}} points, and you get {{referrerReward, number}}.',
    soFar_one: 'So far: {{count, number}} referral, {{earned, number}} points earned.',
    soFar_other: 'So far: {{count, number}} referrals, {{earned, number}} points earned.',
  },
  welcome: '🤝 Welcome! You joined with {{name}}\'s code.',
  welcomeReward_one: 'You got {{count, number}} point (balance {{balance, number}}).',
  welcomeReward_other: 'You got {{count, number}} points (balance {{balance, number}}).',
};
