export default {
  commands: {
    thanks: {
      description: 'Thank a member with points from your daily allowance (your balance stays as it is)',
      options: { member: 'Who to thank (run /thanks alone for a form)', points: 'How many points (default 1)', reason: 'What for: required, shown to everyone' },
      examples: '/thanks @mina 2 for the great onboarding guide\n/thanks @mina for answering my question\n/thanks',
    },
    'thanks left': {
      description: 'How many thanks points you can still give today',
      options: {},
    },
    'thanks top': {
      description: 'This week\'s most thanked members',
      options: {},
    },
    'thanks settings': {
      description: 'Show or change the thanks rules (admins)',
      options: {
        daily: 'Points each member can give a day',
        pair_weekly: 'Most points one member can give another a week',
        max: 'Most points in one thanks',
      },
      examples: '/thanks settings\n/thanks settings daily:10 pair_weekly:20 max:3',
    },
  },
  error: {
    self: 'You can\'t thank yourself (or your own linked accounts).',
    noMember: 'Who would you like to thank? Usage: /thanks <member> [points] <reason>',
    noReason: 'Add a reason: say what you\'re thanking {{name}} for.',
    reason: 'The reason must be {{min}} to {{max}} characters long.',
    max: 'You can give at most {{max, number}} points in one thanks.',
    allowance_one: 'You have {{count, number}} point left today (of {{daily, number}}); it resets {{at}}.',
    allowance_other: 'You have {{count, number}} points left today (of {{daily, number}}); it resets {{at}}.',
    allowanceGone: 'You\'ve given all {{daily, number}} of today\'s points; it resets {{at}}.',
    pairFull: 'You\'ve given {{name}} {{given, number}} points this week: that\'s the weekly limit from one member to another.',
    pairLeft_one: 'You can give {{name}} only {{count, number}} more point this week ({{max, number}} at most from one person to another).',
    pairLeft_other: 'You can give {{name}} only {{count, number}} more points this week ({{max, number}} at most from one person to another).',
  },
  given: '🙌 **{{giver}}** thanked **{{receiver}}** +{{points, number}}: {{reason}}',
  again: 'Thank someone too',
  form: {
    title: 'Thank a member',
    member: 'Member (@name)',
    points: 'Points (default 1)',
    reason: 'What for?',
  },
  left: {
    some_one: 'You can give **{{count, number}} more point** today (of {{daily, number}}). It resets {{at}}; unused points don\'t carry over.',
    some_other: 'You can give **{{count, number}} more points** today (of {{daily, number}}). It resets {{at}}; unused points don\'t carry over.',
    none: 'You\'ve given all {{daily, number}} of today\'s points. It resets {{at}}.',
    how: 'Thanks come from this allowance, not from your balance: /thanks @member [points] reason',
  },
  received: {
    text_one: '🙌 {{giver}} thanked you in {{community}} +{{count, number}} point: {{reason}}',
    text_other: '🙌 {{giver}} thanked you in {{community}} +{{count, number}} points: {{reason}}',
    balance: 'Your balance: {{balance, number}} points.',
  },
  top: {
    title: '🙌 **Most thanked this week**',
    line_one: '{{rank}} {{name}}: {{points, number}} points (thanked once)',
    line_other: '{{rank}} {{name}}: {{points, number}} points (thanked {{count, number}} times)',
    empty: '🙌 No thanks given this week yet. Be the first: /thanks @member reason',
    you_one: 'You: {{points, number}} points this week, thanked once.',
    you_other: 'You: {{points, number}} points this week, thanked {{count, number}} times.',
    youNone: 'You haven\'t been thanked this week yet.',
  },
  rules: {
    title: '**Thanks rules**',
    daily: 'Each member can give {{count, number}} points a day (days start at midnight in the community\'s time zone); unused points don\'t carry over.',
    pair: 'One member can give another at most {{count, number}} points a week (weeks start on Monday).',
    max: 'At most {{count, number}} points in one thanks.',
  },
};
