// Texts the discord adapter shows itself (before or around the engine), and slash-command names.
export default {
  notInServer: 'コマンドはダイレクトメッセージでは使えません。このボットが参加しているサーバーのチャンネルで実行してください。',
  staleButton: 'このボタンは古いバージョンのもので、現在は使えません。代わりにスラッシュコマンドをお使いください（/help をお試しください）。',
  deferredPublicNote: '✅ 完了しました。結果は下に投稿されています。',
  /** A form button whose title is empty. */
  openForm: '開く',
  /**
   * Top-level slash command names as members of this language see them in Discord's command picker
   * (1-32 letters, digits, "-" or "_"; lowercase where the script has case). The command still runs by its
   * English name; a name equal to the English one is not sent as a localization.
   */
  names: {
    help: 'ヘルプ',
    points: 'ポイント',
    leaderboard: 'ランキング',
    history: '履歴',
    give: '付与',
    take: '回収',
    challenge: 'チャレンジ',
    contest: 'プレゼント抽選',
    referral: '紹介',
    poll: 'アンケート',
    rewards: '特典',
    reward: '特典管理',
    redeem: '交換',
    redemptions: '交換申請',
    redemption: '交換処理',
    link: '連携',
    community: 'コミュニティ',
    role: '役割',
    settings: '設定',
    activity: '参加',
    invites: '招待',
    tier: 'ランク',
    season: 'シーズン',
    dashboard: 'ダッシュボード',
    thanks: 'ありがとう',
    announce: 'お知らせ',
  },
  /**
   * The subcommand that runs a group's own command where the group also has subcommands ("/thanks" beside
   * "/thanks left"): Discord cannot run a command that has subcommands, so "/thanks" is "/thanks send" there.
   * English is the subcommand's name; other languages are its localized names.
   */
  defaultSub: {
    thanks: '送る',
  },
};
