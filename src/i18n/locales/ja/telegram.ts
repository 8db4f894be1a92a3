// Texts the telegram adapter shows itself (before or around the engine).
export default {
  noGroup: 'まだどのグループの方かわかりません。まずTelegramグループで何かコマンド（例：/points）を使ってください。その後はここでもやり取りでき、最後にボットを使ったグループに対して動作します。',
  stale: 'このボタンは期限切れです。もう一度コマンドを実行してください（/help を参照）。',
  anonymous: 'グループとして投稿しているため、どなたか判別できません。管理者権限の「匿名のままにする」をオフにするか、ボットに個別にメッセージを送ってください。',
  buttonHere: 'このボタンはここでは使えません。',
  invalidInvite: 'この招待リンクは無効です（対象のグループが見つかりません）。新しいリンクをもらってください。',
  inviteLink: '招待リンク（開くとボットが起動し、あなたのコードが適用されます）：{{link}}',
  /** In the group, when a private reply cannot reach the user: {{name}} is their mention; the reply itself is not shown. */
  startPrivately: '{{name}} さん、この返信は個別チャットでのみお送りします。ボットとの個別チャットを開いて「開始」を押してから、もう一度お試しください。',
  openPrivateChat: '個別チャットを開く',
  start: {
    greeting: '👋 こんにちは、{{name}} さん！Telegramグループ向けに、ポイント、チャレンジ、プレゼント抽選、紹介プログラム、特典、NPS（ネット・プロモーター・スコア）アンケートを運営しています。',
    inGroup: 'このグループでそのままコマンドを使えます。',
    inPrivate: 'ボットをグループに追加して、グループ内でコマンドを使ってください。この個別チャットでは、最後にボットを使ったグループに対して動作します。',
    help: '/help を送ると、できることを確認できます。',
    helpIn: '/help を送ると、**{{community}}** でできることを確認できます。',
  },
  form: {
    toast: '{{title}}：ボットのメッセージに返信して入力してください。',
    step: '（{{n}}/{{total}}）',
    fieldMax: '{{label}}（{{max, number}}文字以内）',
    reply: 'このメッセージに返信して入力してください。',
    empty: 'テキストを入力してください。',
    tooLong: '{{length, number}}文字あります。{{max, number}}文字以内で入力してください。',
  },
};
