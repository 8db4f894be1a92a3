export default {
  commands: {
    'announce here': { description: 'Post community-wide announcements (giveaways from other platforms) in this channel', options: {} },
    link: {
      description: 'Link your accounts on Discord, Slack and Telegram so they share points',
      options: { code: 'The code /link gave you on your other account' },
      examples: '/link\n/link K7M2Q9',
    },
    'community bind': {
      description: 'Connect this server/workspace/chat to a community on another platform',
      options: { code: 'The code /community bind gave you on the other platform' },
    },
    role: {
      description: 'Make a member a moderator or admin of the bot (or a member again)',
      options: { member: 'Who', role: 'member, moderator or admin' },
      examples: '/role @sam moderator',
    },
    settings: {
      description: 'Show or change community settings (referral rewards, name, language, time zone)',
      options: {
        referrer_reward: 'Points for the member who invites',
        referee_reward: 'Points for the new member',
        name: 'Community name',
        locale: 'Language of replies and posts: en, ko or ja',
        timezone: 'Time zone for dates and deadlines, e.g. Asia/Seoul',
      },
      examples: '/settings\n/settings referrer_reward:150 referee_reward:50\n/settings locale:ko timezone:Asia/Seoul',
    },
  },
  error: {
    badLinkCode: '"{{code}}" is not a valid link code.',
    badBindCode: '"{{code}}" is not a valid community code.',
    codeUsed: 'That code was already used. Ask for a new one.',
    codeExpired: 'That code has expired. Ask for a new one.',
    otherCommunity: 'That code belongs to another community. An admin can connect this server to it with /community bind.',
    sameMember: 'This account is already linked to that member.',
    platformTaken: 'That member already has a {{platform}} account linked.',
    pendingPrize: 'This account won giveaway #{{id}} and has a prize to claim: claim it with /contest claim {{id}} from here first, then link.',
    alreadyLinked: 'This account is already linked with other accounts; run /link on it from here instead.',
    sameCommunity: 'This server is already part of that community.',
    hasActivity: 'This server already has its own points, challenges, giveaways or polls, so it cannot join another community.',
    ownRole: 'You cannot lower your own role.',
    notBound: 'This space is not part of the community any more; try again.',
  },
  link: {
    code: 'Your link code is **{{code}}** (valid until {{expires}}). On your other account, run /link {{code}}.',
    done: '🔗 Linked: this {{platform}} account now shares points with {{name}} (balance {{balance, number}}).',
    referralReversed_one: 'One of these accounts had joined with the other\'s referral code, so its reward ({{count, number}} point) was taken back.',
    referralReversed_other: 'One of these accounts had joined with the other\'s referral code, so its rewards ({{count, number}} points) were taken back.',
  },
  bind: {
    code: 'Community code **{{code}}** (valid until {{expires}}). As an admin on the other platform, run /community bind {{code}}.',
    done: 'This {{platform}} space is now part of **{{name}}**: points, challenges and giveaways are shared. Members can connect their accounts with /link.',
  },
  role: {
    member: '{{name}} is now a member.',
    moderator: '{{name}} is now a moderator.',
    admin: '{{name}} is now an admin.',
  },
  settings: {
    rewards: '**{{name}}** · referral rewards: {{referrer, number}} points to the inviter, {{referee, number}} to the new member.',
    where: 'Language: {{language}} · time zone: {{zone}}',
  },
  announce: {
    here: '📣 Community announcements on {{platform}} (giveaways started on other platforms) now go to this channel.',
    other: '{{platform}}: announcements go to the channel set there.',
    otherUnset: '{{platform}}: no announcement channel yet; an admin there can run /announce here.',
  },
  locales: { en: 'English', ko: 'Korean', ja: 'Japanese' },
};
