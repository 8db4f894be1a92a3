export default {
  duration: {
    now: '今',
    days_other: '{{count}}日',
    hours_other: '{{count}}時間',
    minutes_other: '{{count}}分',
    separator: '',
  },
  points_other: '{{count, number}}ポイント',
  roles: {
    member: 'メンバー',
    moderator: 'モデレーター',
    admin: '管理者',
  },
  delivery: {
    failed_other: '⚠️ **{{community}}** のお知らせを {{platform}} の {{channel}} チャンネルに投稿できませんでした（{{count, number}}回試行、エラー: {{error}}）。ボットが引き続きこのチャンネルを閲覧・投稿できるか確認してください。',
  },
  platforms: {
    discord: 'Discord',
    slack: 'Slack',
    telegram: 'Telegram',
    console: 'コンソール',
  },
};
