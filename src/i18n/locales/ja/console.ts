// The terminal demo's own texts (adapters/console).
export default {
  welcome: 'Engage bot コンソールです。あなたはコミュニティ「{{community}}」の「{{user}}」（管理者）です。',
  help: 'コンソールのコマンド：/help ボットのヘルプ、:as <name> [member|moderator|admin] 別の人として操作、:press <n> [text] 直前の返信のボタン n を押す、:tick [3d] 時計を進めて実行時刻が来た予約ジョブを実行、:lang en|ko|ja 言語を切り替え、:tz <zone> タイムゾーンを設定（例：Asia/Tokyo）、:quit 終了。',
  dmTo: '{{user}} さんへのDM',
  asUsage: '使い方：:as <name> [member|moderator|admin]',
  badRole: 'ロールは member、moderator、admin のいずれかを指定してください。',
  now: '「{{user}}」に切り替えました。',
  nowWithRole: '「{{user}}」（{{role}}）に切り替えました。',
  noButton: 'ボタン {{n}} はありません。直前のメッセージのボタンには [1]、[2]、… と番号が付いています。',
  formUsage: '{{title}}：:press {{n}} <{{label}}> と入力してください',
  tickUsage: '使い方：:tick [duration]（例：:tick 3d）',
  advanced: '時計を{{by}}進めました。現在は{{now}}です。',
  ran_other: '実行時刻が来たジョブを{{count}}件実行しました。',
  langUsage: '使い方：:lang en|ko|ja',
  langSet: '言語を日本語に切り替えました。',
  tzUsage: '使い方：:tz <zone>（例：:tz Asia/Tokyo）',
};
