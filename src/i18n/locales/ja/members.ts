export default {
  notAMember: '「{{ref}}」はメンバーではありません。@名前 でメンションしてください。',
  unknownUsername: '@{{username}} さんはまだ登録されていません。先にご本人がボットのコマンドを一度使う必要があります。',
};
