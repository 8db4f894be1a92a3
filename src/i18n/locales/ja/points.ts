export default {
  commands: {
    points: {
      description: '自分のポイント・ランク・順位を表示（他のメンバーの分も見られます）',
      options: { member: 'ポイントを表示するメンバー' },
      examples: '/points\n/points @alex',
    },
    leaderboard: {
      description: '獲得ポイントの多いメンバーのランキング',
      options: { period: 'all、week、month のいずれか', size: '表示する人数（1〜25）', season: 'シーズンの番号：そのシーズンのランキングを表示' },
      examples: '/leaderboard\n/leaderboard week\n/leaderboard month 20',
    },
    history: {
      description: '最近のポイント履歴（モデレーターは他のメンバーの分も見られます）',
      options: { member: '履歴を表示するメンバー（モデレーターのみ）' },
    },
    give: {
      description: 'メンバーにポイントを付与',
      options: { member: '付与するメンバー', amount: 'ポイント数', reason: '理由（履歴に表示されます）' },
      examples: '/give @alex 50 #help での素晴らしい回答',
    },
    take: {
      description: 'メンバーのポイントを回収',
      options: { member: '対象のメンバー', amount: 'ポイント数', reason: '理由（履歴に表示されます）' },
      examples: '/take @alex 20 重複応募のため',
    },
  },
  error: {
    amount: 'ポイント数は0以外の整数で指定してください。',
    negative: '残高がマイナスになってしまいます（利用可能：{{available, number}}ポイント）。',
    otherHistory: '他のメンバーの履歴はモデレーターのみ閲覧できます。',
    limit: 'ポイントの上限（{{max, number}}）を超えてしまうため、処理しませんでした。',
  },
  tierNames: { Bronze: 'ブロンズ', Silver: 'シルバー', Gold: 'ゴールド', Platinum: 'プラチナ', Member: 'メンバー' },
  period: { all: '全期間', week: '今週', month: '今月', season: 'シーズン「{{name}}」' },
  balance: {
    self: '利用可能 **{{balance, number}}ポイント** · 累計獲得 {{lifetime, number}}ポイント · ランク **{{tier}}**',
    other: '{{name}} さん：利用可能 **{{balance, number}}ポイント** · 累計獲得 {{lifetime, number}}ポイント · ランク **{{tier}}**',
    rank: '{{ranked, number}}人中 {{rank}}位',
    unranked: 'まだ順位がありません。チャレンジ、プレゼント抽選、紹介プログラムでポイントを獲得しましょう。',
    next: 'あと{{missing, number}}ポイントで{{tier}}に到達します。',
  },
  board: {
    empty: '🏆 {{period}}の獲得ポイントはまだありません。',
    title: '🏆 **ランキング（{{period}}）**',
    you: 'あなた：{{rank}}位（{{points, number}}ポイント）',
    youNot: 'あなたはまだランキングに入っていません。',
  },
  history: {
    empty: '{{name}} さんのポイント履歴はまだありません。',
    title: '**ポイント履歴：{{name}} さん**（残高 {{balance, number}}ポイント）',
  },
  adjust: {
    gave_other: '➕ {{name}} さんに{{count, number}}ポイントを付与しました（{{reason}}）。残高：{{balance, number}}ポイント',
    took_other: '➖ {{name}} さんから{{count, number}}ポイントを回収しました（{{reason}}）。残高：{{balance, number}}ポイント',
  },
  ledger: {
    grant: 'モデレーターによる付与',
    revoke: 'モデレーターによる回収',
    challenge: 'チャレンジ #{{id}}：{{title}}',
    contest: 'プレゼント抽選 #{{id}} に当選：{{prize}}',
    season: 'シーズン #{{id}}「{{name}}」：{{rank}}位の賞品',
    referrer: '紹介プログラム：新しいメンバーを招待',
    referee: '紹介プログラム：{{name}} さんのコードで参加',
    redeem: '特典 #{{id}} と交換：{{name}}',
    refund: '交換 #{{id}} の返還：{{name}}',
    linkOut: '{{name}} に統合',
    linkIn: '{{platform}} アカウントを統合',
    referralReversed: '紹介の取り消し：同じメンバーのアカウント同士の紹介',
    referralLeft: '紹介報酬の取り消し：被紹介者が{{days}}日以内に退出しました',
    activity: {
      message: '参加：メッセージ',
      reaction: '参加：リアクション',
      voice: '参加：ボイスチャンネル',
      streak: '連続参加ボーナス：{{days}}日連続',
      reversed: '参加ポイント #{{id}} の取り消し',
    },
  },
  tierUp: {
    reached: '🎖️ {{community}}で累計{{lifetime, number}}ポイントを獲得し、**{{tier}}** ランクに到達しました！',
    next: '次のランク：{{tier}}（{{points, number}}ポイントから）',
  },
};
