export default {
  commands: {
    'referral code': {
      description: 'あなた専用の紹介コードと、そのコードで参加した人数を表示',
      options: {},
    },
    'referral redeem': {
      description: 'あなたを招待してくれた人の紹介コードを入力',
      options: { code: '相手の紹介コード' },
      examples: '/referral redeem K7M2Q9XA',
    },
  },
  error: {
    unknownCode: '「{{code}}」はこのコミュニティの紹介コードではありません。招待してくれた人にご確認ください。',
    ownCode: 'それはあなた自身の紹介コードです。友だちにシェアしてください。',
    alreadyUsed: '紹介コードはすでに使用済みです。',
    tooLate: '紹介コードは新しいメンバー専用です（参加から{{days}}日以内）。',
    cycle: 'あなたが紹介した人のコードは使えません。',
  },
  code: {
    yours: 'あなたの紹介コード：**{{code}}**',
    how: '新しいメンバーが参加から{{days}}日以内に /referral redeem {{code}} を実行すると、そのメンバーに{{refereeReward, number}}ポイント、あなたに{{referrerReward, number}}ポイントが付与されます。',
    soFar_other: 'これまでに{{count, number}}人を紹介し、{{earned, number}}ポイントを獲得しました。',
  },
  welcome: '🤝 ようこそ！{{name}} さんの紹介コードで参加しました。',
  welcomeReward_other: '{{count, number}}ポイントを獲得しました（残高 {{balance, number}}ポイント）。',
};
