export default {
  commands: {
    rewards: {
      description: 'Rewards you can redeem with your points',
      options: {},
    },
    'reward add': {
      description: 'Add a reward members can buy with points',
      options: { cost: 'Price in points', name: 'Name (quote it if it has spaces)', stock: 'How many are available (default unlimited)' },
      examples: '/reward add 500 "Sticker pack" 100',
    },
    'reward remove': {
      description: 'Stop offering a reward',
      options: { reward: 'Reward number' },
    },
    redeem: {
      description: 'Spend points on a reward',
      options: { reward: 'Reward number or name (see /rewards)' },
      examples: '/redeem 3\n/redeem "Sticker pack"\n/redeem sticker',
    },
    redemptions: {
      description: 'Reward requests waiting to be fulfilled',
      options: {},
    },
    'redemption fulfill': {
      description: 'Mark a reward request as delivered',
      options: { redemption: 'Request number' },
    },
    'redemption refund': {
      description: 'Cancel a reward request and give the points back',
      options: { redemption: 'Request number' },
    },
  },
  error: {
    notFound: 'There is no reward #{{id}}. See /rewards.',
    noMatch: 'There is no reward called "{{name}}". See /rewards.',
    ambiguous: '"{{name}}" matches several rewards: {{candidates}}. Use the number or the full name.',
    outOfStock: '"{{name}}" is out of stock.',
    tooExpensive_one: '"{{name}}" costs {{count, number}} point; you have {{balance, number}}.',
    tooExpensive_other: '"{{name}}" costs {{count, number}} points; you have {{balance, number}}.',
    noRedemption: 'There is no redemption #{{id}}. See /redemptions.',
    already: {
      fulfilled: 'Redemption #{{id}} was already fulfilled.',
      refunded: 'Redemption #{{id}} was already refunded.',
    },
    alreadyHandled: 'Redemption #{{id}} was already handled.',
  },
  list: {
    empty: 'No rewards yet. Admins add them with /reward add.',
    title: '🎁 **Rewards**',
    row: '#{{id}} {{name}}: {{cost, number}} pts',
    left: ' ({{count, number}} left)',
    outOfStock: ' (out of stock)',
    footer: 'You have {{balance, number}} points. Redeem with /redeem <number or name>.',
  },
  added_one: 'Added reward #{{id}} "{{name}}" for {{count, number}} point.',
  added_other: 'Added reward #{{id}} "{{name}}" for {{count, number}} points.',
  addedStock_one: 'Added reward #{{id}} "{{name}}" for {{count, number}} point ({{stock, number}} in stock).',
  addedStock_other: 'Added reward #{{id}} "{{name}}" for {{count, number}} points ({{stock, number}} in stock).',
  removed: 'Reward #{{id}} "{{name}}" removed.',
  redeemed_one: '🎁 You redeemed "{{name}}" for {{count, number}} point (balance {{balance, number}}). A moderator will be in touch: request #{{request}}.',
  redeemed_other: '🎁 You redeemed "{{name}}" for {{count, number}} points (balance {{balance, number}}). A moderator will be in touch: request #{{request}}.',
  pending: {
    empty: 'No pending reward requests.',
    title: '**Pending reward requests**',
    row: '#{{id}} {{member}}: {{reward}} ({{cost, number}} pts)',
    fulfill: 'Fulfilled #{{id}}',
    refund: 'Refund #{{id}}',
  },
  fulfilled: 'Request #{{id}} ({{name}}) marked as fulfilled.',
  refunded_one: 'Request #{{id}} refunded: {{count, number}} point returned.',
  refunded_other: 'Request #{{id}} refunded: {{count, number}} points returned.',
};
