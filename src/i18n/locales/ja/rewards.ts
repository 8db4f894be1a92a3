export default {
  commands: {
    rewards: {
      description: 'ポイントで交換できる特典の一覧',
      options: {},
    },
    'reward add': {
      description: 'メンバーがポイントで交換できる特典を追加',
      options: { cost: '価格（ポイント）', name: '名前（スペースを含む場合は引用符で囲んでください）', stock: '在庫数（省略すると無制限）' },
      examples: '/reward add 500 "ステッカーセット" 100',
    },
    'reward remove': {
      description: '特典の提供を終了',
      options: { reward: '特典番号' },
    },
    redeem: {
      description: 'ポイントを使って特典と交換',
      options: { reward: '特典番号または名前（/rewards で確認できます）' },
      examples: '/redeem 3\n/redeem "ステッカーセット"\n/redeem ステッカー',
    },
    redemptions: {
      description: '対応待ちの特典交換申請',
      options: {},
    },
    'redemption fulfill': {
      description: '特典の交換申請をお渡し済みにする',
      options: { redemption: '申請番号' },
    },
    'redemption refund': {
      description: '特典の交換申請を取り消してポイントを返還',
      options: { redemption: '申請番号' },
    },
  },
  error: {
    notFound: '特典 #{{id}} は見つかりません。/rewards をご確認ください。',
    noMatch: '「{{name}}」という特典はありません。/rewards をご確認ください。',
    ambiguous: '「{{name}}」に当てはまる特典が複数あります：{{candidates}}。番号か正式な名前で指定してください。',
    outOfStock: '「{{name}}」は在庫切れです。',
    tooExpensive_other: '「{{name}}」には{{count, number}}ポイント必要です（現在の残高：{{balance, number}}ポイント）。',
    noRedemption: '交換申請 #{{id}} は見つかりません。/redemptions をご確認ください。',
    already: {
      fulfilled: '交換申請 #{{id}} はすでにお渡し済みです。',
      refunded: '交換申請 #{{id}} はすでに返還済みです。',
    },
    alreadyHandled: '交換申請 #{{id}} はすでに処理済みです。',
  },
  list: {
    empty: '特典はまだありません。管理者が /reward add で追加できます。',
    title: '🎁 **特典一覧**',
    row: '#{{id}} {{name}}：{{cost, number}}ポイント',
    left: '（残り{{count, number}}個）',
    outOfStock: '（在庫切れ）',
    footer: '残高は{{balance, number}}ポイントです。/redeem <番号または名前> で交換できます。',
  },
  added_other: '特典 #{{id}}「{{name}}」を{{count, number}}ポイントで追加しました。',
  addedStock_other: '特典 #{{id}}「{{name}}」を{{count, number}}ポイントで追加しました（在庫 {{stock, number}}個）。',
  removed: '特典 #{{id}}「{{name}}」を削除しました。',
  redeemed_other: '🎁 「{{name}}」を{{count, number}}ポイントで交換しました（残高 {{balance, number}}ポイント）。モデレーターから連絡がありますので、お待ちください（申請番号 #{{request}}）。',
  pending: {
    empty: '対応待ちの特典交換申請はありません。',
    title: '**対応待ちの特典交換申請**',
    row: '#{{id}} {{member}}：{{reward}}（{{cost, number}}ポイント）',
    fulfill: '#{{id}} をお渡し済みに',
    refund: '#{{id}} を返還',
  },
  fulfilled: '交換申請 #{{id}}（{{name}}）をお渡し済みにしました。',
  refunded_other: '交換申請 #{{id}} を取り消し、{{count, number}}ポイントを返還しました。',
};
