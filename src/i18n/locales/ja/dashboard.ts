export default {
  commands: {
    dashboard: { description: 'Web ダッシュボードのログインリンクを自分だけに送ります', options: {} },
  },
  link: '🔑 ダッシュボードのログインリンクです（{{minutes, number}}分間、1回だけ使えます。他の人と共有しないでください）:\n{{url}}',
  web: {
    title: 'Engage ダッシュボード',
    signedIn: '{{name}}さん（{{role}}）としてログインしています。このセッションは{{expires}}に終了します。',
    signOut: 'ログアウト',
    signedOut: 'ログアウトしました。戻るにはチャットで /dashboard を実行してください。',
    forbidden: 'このページは開けません。コミュニティのチャットで /dashboard を実行してログインしてください。',
    link: {
      used: 'このログインリンクはすでに使われています。チャットで /dashboard を実行して新しいリンクを受け取ってください。',
      expired: 'このログインリンクは期限切れです。チャットで /dashboard を実行して新しいリンクを受け取ってください。',
      unknown: 'このログインリンクは無効です。チャットで /dashboard を実行して新しいリンクを受け取ってください。',
    },
    csrf: 'フォームの有効期限が切れました。ページを再読み込みしてもう一度お試しください。',
  },
};
