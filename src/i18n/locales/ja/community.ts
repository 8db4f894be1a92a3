export default {
  commands: {
    'announce here': { description: 'コミュニティ全体のお知らせ（他のプラットフォームで始めたプレゼント抽選など）をこのチャンネルに投稿', options: {} },
    link: {
      description: 'Discord・Slack・Telegram のアカウントを連携してポイントを共有',
      options: { code: 'もう一方のアカウントで /link を実行して表示されたコード' },
      examples: '/link\n/link K7M2Q9',
    },
    'community bind': {
      description: 'このサーバー／ワークスペース／チャットを他のプラットフォームのコミュニティと連携',
      options: { code: '他のプラットフォームで /community bind を実行して表示されたコード' },
    },
    role: {
      description: 'メンバーをボットのモデレーターまたは管理者にする（メンバーに戻すことも可能）',
      options: { member: '対象のメンバー', role: 'member、moderator、admin のいずれか' },
      examples: '/role @sam moderator',
    },
    settings: {
      description: 'コミュニティ設定の表示・変更（紹介特典、名前、言語、タイムゾーン）',
      options: {
        referrer_reward: '紹介者がもらえるポイント',
        referee_reward: '被紹介者（新しいメンバー）がもらえるポイント',
        name: 'コミュニティ名',
        locale: '返信と投稿の言語：en（English）、ko（한국어）、ja（日本語）',
        timezone: '日付と締切に使うタイムゾーン（例：Asia/Seoul）',
      },
      examples: '/settings\n/settings referrer_reward:150 referee_reward:50\n/settings locale:ko timezone:Asia/Seoul',
    },
  },
  error: {
    badLinkCode: '「{{code}}」は有効な連携コードではありません。',
    badBindCode: '「{{code}}」は有効なコミュニティコードではありません。',
    codeUsed: 'このコードはすでに使用されています。新しいコードを取得してください。',
    codeExpired: 'このコードは有効期限が切れています。新しいコードを取得してください。',
    otherCommunity: 'このコードは別のコミュニティのものです。管理者が /community bind でこのサーバーをそのコミュニティに連携できます。',
    sameMember: 'このアカウントはすでにそのメンバーと連携されています。',
    platformTaken: 'そのメンバーにはすでに {{platform}} アカウントが連携されています。',
    pendingPrize: 'このアカウントはプレゼント抽選 #{{id}} に当選していて、受け取り手続きがまだです。先にここで /contest claim {{id}} を実行してから連携してください。',
    alreadyLinked: 'このアカウントはすでに他のアカウントと連携されています。代わりにこちらで /link を実行してください。',
    sameCommunity: 'このサーバーはすでにそのコミュニティに参加しています。',
    hasActivity: 'このサーバーにはすでに独自のポイント、チャレンジ、プレゼント抽選、アンケートがあるため、他のコミュニティには参加できません。',
    ownRole: '自分の権限を下げることはできません。',
    notBound: 'このスペースはコミュニティとの連携が解除されています。もう一度お試しください。',
  },
  link: {
    code: 'あなたの連携コードは **{{code}}** です（{{expires}}まで有効）。もう一方のアカウントで /link {{code}} を実行してください。',
    done: '🔗 連携しました。この {{platform}} アカウントは {{name}} さんとポイントを共有します（残高 {{balance, number}}ポイント）。',
    referralReversed_other: '一方のアカウントがもう一方の紹介コードで参加していたため、紹介報酬 {{count, number}}ポイントを取り消しました。',
  },
  bind: {
    code: 'コミュニティコード：**{{code}}**（{{expires}}まで有効）。他のプラットフォームで管理者が /community bind {{code}} を実行してください。',
    done: 'この {{platform}} のスペースが **{{name}}** に加わりました。ポイント、チャレンジ、プレゼント抽選が共有されます。メンバーは /link で自分のアカウントを連携できます。',
  },
  role: {
    member: '{{name}} さんをメンバーにしました。',
    moderator: '{{name}} さんをモデレーターにしました。',
    admin: '{{name}} さんを管理者にしました。',
  },
  settings: {
    rewards: '**{{name}}** · 紹介特典：紹介者に{{referrer, number}}ポイント、被紹介者に{{referee, number}}ポイント',
    where: '言語：{{language}} · タイムゾーン：{{zone}}',
  },
  announce: {
    here: '📣 {{platform}}でのコミュニティのお知らせ（他のプラットフォームで始めたプレゼント抽選など）は、今後このチャンネルに投稿されます。',
    other: '{{platform}}：お知らせはそちらで設定したチャンネルに投稿されます。',
    otherUnset: '{{platform}}：お知らせチャンネルはまだ設定されていません。そちらの管理者が、投稿先にしたいチャンネルで /announce here を実行すると設定できます。',
  },
  locales: { en: 'English', ko: '한국어', ja: '日本語' },
};
