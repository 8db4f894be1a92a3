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
  delivery: {
    failed_one: '⚠️ I could not post an announcement of **{{community}}** in channel {{channel}} on {{platform}} ({{count, number}} try: {{error}}). Please check that I can still see and post in that channel.',
    failed_other: '⚠️ I could not post an announcement of **{{community}}** in channel {{channel}} on {{platform}}, after {{count, number}} tries ({{error}}). Please check that I can still see and post in that channel.',
  },
  platforms: {
    discord: 'Discord',
    slack: 'Slack',
    telegram: 'Telegram',
    console: 'console',
  },
};
