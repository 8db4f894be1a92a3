export default {
  duration: {
    now: '지금',
    days_other: '{{count}}일',
    hours_other: '{{count}}시간',
    minutes_other: '{{count}}분',
    separator: ' ',
  },
  points_other: '{{count, number}} 포인트',
  roles: {
    member: '멤버',
    moderator: '운영진',
    admin: '관리자',
  },
  platforms: {
    discord: 'Discord',
    slack: 'Slack',
    telegram: 'Telegram',
    console: '콘솔',
  },
};
