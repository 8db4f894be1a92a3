export default {
  commands: {
    help: {
      description: 'できることの一覧',
      options: { command: '説明を見たいコマンド（例：「contest create」）' },
    },
  },
  unknown: '「{{command}}」というコマンドはありません。/help をお試しください。',
  optional: '（任意）',
  example: '  例：{{example}}',
  details: '詳しくは：/help <command>',
  section: { member: '**全員**', moderator: '**モデレーター**', admin: '**管理者**' },
  precondition: { inChannel: 'チャンネル内のみ', notInDm: 'DMでは使用不可' },
  group: {
    challenge: 'チャレンジ：{{subs}}',
    contest: 'プレゼント抽選：{{subs}}',
    poll: 'アンケート：{{subs}}',
    referral: '紹介プログラム：{{subs}}',
    reward: '特典：{{subs}}',
    redemption: '特典の交換申請：{{subs}}',
    community: 'コミュニティ：{{subs}}',
    activity: '参加ポイント：{{subs}}',
    invites: '招待：{{subs}}',
    tier: 'ランク：{{subs}}',
    season: 'シーズン：{{subs}}',
    thanks: 'メンバーにありがとうを送る、または：{{subs}}',
    announce: 'コミュニティ全体のお知らせの投稿先: {{subs}}',
  },
};
