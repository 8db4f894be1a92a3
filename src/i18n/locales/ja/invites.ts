export default {
  commands: {
    'invites show': {
      description: 'あなた（または他のメンバー）のDiscord招待で参加した人数：残っている人・退出した人・偽の招待',
      options: { member: '招待状況を表示するメンバー' },
      examples: '/invites show\n/invites show @alex',
    },
    'invites top': {
      description: '今も残っているメンバーを最も多く招待したメンバーのランキング（偽の招待は除きます）',
      options: { size: '表示する人数（1〜25）' },
      examples: '/invites top\n/invites top 20',
    },
  },
  stats: {
    titleSelf: '📨 **あなたの招待状況**',
    title: '📨 **{{name}}さんの招待状況**',
    counts: '招待で参加：{{total, number}}人 · 残っている：{{real, number}}人 · 退出：{{left, number}}人 · 偽の招待（作成されたばかりのアカウント）：{{fake, number}}人',
    noneSelf: '📨 まだあなたの招待で参加したメンバーはいません。Discordサーバーで招待リンクを作って共有しましょう。そのリンクから参加した人は全員あなたの招待として数えられます。',
    none: '📨 まだ{{name}}さんの招待で参加したメンバーはいません。',
  },
  board: {
    empty: '📨 まだ数えられた招待はありません。',
    title: '📨 **招待ランキング**（残っているメンバーのみ、偽の招待は除く）',
    row_other: '{{medal}} {{name}}：{{count, number}}人',
  },
};
