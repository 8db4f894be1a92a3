// Texts the slack adapter shows itself (before or around the engine): modal buttons, the App Home frame, the manifest.
export default {
  modal: {
    /** Title of a form that has none (at most 24 characters). */
    title: '入力フォーム',
    submit: '送信',
    cancel: 'キャンセル',
  },
  home: {
    header: 'コミュニティポイント',
    headerOf: '{{community}} · ポイント',
    footer: 'どのチャンネルでも `/help` と入力すると、できることをすべて確認できます。',
  },
  manifest: {
    umbrella: 'Engage のすべてのコマンド: /engage points、/engage challenge list、/engage help',
    description: 'コミュニティ向けのチャレンジ、プレゼント抽選、ポイント、ランキング、紹介プログラム、NPS（ネット・プロモーター・スコア）アンケートを提供します。',
  },
};
