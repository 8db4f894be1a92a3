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
  delivery: {
    failed_other: '⚠️ **{{community}}** 공지를 {{platform}}의 {{channel}} 채널에 올리지 못했어요({{count, number}}회 시도, 오류: {{error}}). 봇이 아직 이 채널을 보고 글을 올릴 수 있는지 확인해 주세요.',
  },
  platforms: {
    discord: 'Discord',
    slack: 'Slack',
    telegram: 'Telegram',
    console: '콘솔',
  },
};
