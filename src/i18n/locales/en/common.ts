export default {
  duration: {
    now: 'now',
    days_one: '{{count}}d',
    days_other: '{{count}}d',
    hours_one: '{{count}}h',
    hours_other: '{{count}}h',
    minutes_one: '{{count}}m',
    minutes_other: '{{count}}m',
    separator: ' ',
  },
  points_one: '{{count, number}} point',
  points_other: '{{count, number}} points',
  roles: {
    member: 'member',
    moderator: 'moderator',
    admin: 'admin',
  },
  platforms: {
    discord: 'Discord',
    slack: 'Slack',
    telegram: 'Telegram',
    console: 'console',
  },
};
