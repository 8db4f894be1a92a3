export default {
  commands: {
    thanks: {
      description: '1日の送信枠からポイントを添えて、メンバーにありがとうを送る（自分の残高は減りません）',
      options: { member: 'ありがとうを送る相手（/thanks だけで入力フォームが開きます）', points: '送るポイント数（既定は1）', reason: '何へのありがとうか（必須、全員に表示されます）' },
      examples: '/thanks @mina 2 わかりやすいオンボーディングガイドをありがとう\n/thanks @mina 質問に答えてくれてありがとう\n/thanks',
    },
    'thanks left': {
      description: '今日あと何ポイントのありがとうを送れるか確認',
      options: {},
    },
    'thanks top': {
      description: '今週いちばんありがとうを受け取ったメンバー',
      options: {},
    },
    'thanks settings': {
      description: 'ありがとうのルールを表示・変更（管理者）',
      options: {
        daily: '各メンバーの1日の送信枠（ポイント）',
        pair_weekly: '同じ相手に1週間で送れる最大ポイント',
        max: '1回のありがとうで送れる最大ポイント',
      },
      examples: '/thanks settings\n/thanks settings daily:10 pair_weekly:20 max:3',
    },
  },
  error: {
    self: '自分自身（連携した自分の別アカウントを含む）にはありがとうを送れません。',
    noMember: '誰にありがとうを送りますか？使い方：/thanks <メンバー> [ポイント] <理由>',
    noReason: '{{name}}さんへのありがとうの理由を書いてください。',
    reason: '理由は{{min}}〜{{max}}文字で書いてください。',
    max: '1回のありがとうで送れるのは最大{{max, number}}ポイントです。',
    allowance_other: '今日の送信枠は残り{{count, number}}ポイントです（1日{{daily, number}}ポイント）。{{at}}にリセットされます。',
    allowanceGone: '今日の送信枠{{daily, number}}ポイントはすべて使いました。{{at}}にリセットされます。',
    pairFull: '今週は{{name}}さんにすでに{{given, number}}ポイント送りました。同じ相手に1週間で送れる上限です。',
    pairLeft_other: '今週{{name}}さんに送れるのはあと{{count, number}}ポイントです（同じ相手には1週間で最大{{max, number}}ポイント）。',
  },
  given: '🙌 **{{giver}}**さんが**{{receiver}}**さんにありがとうを送りました（+{{points, number}}ポイント）：{{reason}}',
  again: '自分もありがとうを送る',
  form: {
    title: 'メンバーにありがとうを送る',
    member: 'メンバー（@名前）',
    points: 'ポイント（既定は1）',
    reason: '何へのありがとうですか？',
  },
  left: {
    some_other: '今日はあと**{{count, number}}ポイント**送れます（1日{{daily, number}}ポイント）。{{at}}にリセットされ、使わなかった分は繰り越されません。',
    none: '今日の送信枠{{daily, number}}ポイントはすべて使いました。{{at}}にリセットされます。',
    how: 'ありがとうのポイントは自分の残高ではなく、1日の送信枠から送られます：/thanks @メンバー [ポイント] 理由',
  },
  received: {
    text_other: '🙌 {{community}}で{{giver}}さんからありがとうが届きました（+{{count, number}}ポイント）：{{reason}}',
    balance: '現在の残高：{{balance, number}}ポイント',
  },
  top: {
    title: '🙌 **今週いちばんありがとうを受け取ったメンバー**',
    line_other: '{{rank}} {{name}}：{{points, number}}ポイント（ありがとう{{count, number}}回）',
    empty: '🙌 今週はまだありがとうが送られていません。最初のありがとうを送ってみましょう：/thanks @メンバー 理由',
    you_other: 'あなた：今週はありがとう{{count, number}}回、{{points, number}}ポイントを受け取りました。',
    youNone: '今週はまだありがとうを受け取っていません。',
  },
  rules: {
    title: '**ありがとうのルール**',
    daily: '各メンバーは1日（コミュニティのタイムゾーン基準）に{{count, number}}ポイントまで送れます。使わなかった分は繰り越されません。',
    pair: '同じ相手に送れるのは1週間で最大{{count, number}}ポイントです（週は月曜日始まり）。',
    max: '1回のありがとうで送れるのは最大{{count, number}}ポイントです。',
  },
};
