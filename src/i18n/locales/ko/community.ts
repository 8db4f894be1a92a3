export default {
  commands: {
    'announce here': { description: '커뮤니티 전체 공지(다른 플랫폼에서 시작한 경품 추첨 등)를 이 채널에 올리기', options: {} },
    link: {
      description: 'Discord, Slack, Telegram 계정을 연결해 포인트를 함께 쓰기',
      options: { code: '다른 계정에서 /link로 받은 코드' },
      examples: '/link\n/link K7M2Q9',
    },
    'community bind': {
      description: '이 서버/워크스페이스/채팅방을 다른 플랫폼의 커뮤니티와 연결',
      options: { code: '다른 플랫폼에서 /community bind로 받은 코드' },
    },
    role: {
      description: '멤버를 봇의 운영진이나 관리자로 지정 (다시 멤버로 되돌릴 수도 있어요)',
      options: { member: '대상 멤버', role: 'member, moderator, admin 중 하나' },
      examples: '/role @sam moderator',
    },
    settings: {
      description: '커뮤니티 설정 보기 및 변경 (추천 리워드, 이름, 언어, 시간대)',
      options: {
        referrer_reward: '추천인이 받는 포인트',
        referee_reward: '피추천인(새 멤버)이 받는 포인트',
        name: '커뮤니티 이름',
        locale: '답변과 게시물 언어: en (English), ko (한국어), ja (日本語)',
        timezone: '날짜와 마감 시간에 쓸 시간대 (예: Asia/Seoul)',
      },
      examples: '/settings\n/settings referrer_reward:150 referee_reward:50\n/settings locale:ko timezone:Asia/Seoul',
    },
  },
  error: {
    badLinkCode: '유효한 계정 연결 코드가 아니에요: "{{code}}"',
    badBindCode: '유효한 커뮤니티 코드가 아니에요: "{{code}}"',
    codeUsed: '이미 사용된 코드예요. 새 코드를 받아 주세요.',
    codeExpired: '만료된 코드예요. 새 코드를 받아 주세요.',
    otherCommunity: '다른 커뮤니티의 코드예요. 관리자가 /community bind로 이 서버를 그 커뮤니티에 연결할 수 있어요.',
    sameMember: '이 계정은 이미 그 멤버와 연결돼 있어요.',
    platformTaken: '그 멤버에게는 이미 연결된 {{platform}} 계정이 있어요.',
    pendingPrize: '이 계정은 {{id}}번 경품 추첨에 당첨돼 수령할 경품이 있어요. 먼저 여기서 /contest claim {{id}}로 수령한 뒤 연결해 주세요.',
    alreadyLinked: '이 계정은 이미 다른 계정과 연결돼 있어요. 대신 여기서 /link를 실행해 주세요.',
    sameCommunity: '이 서버는 이미 그 커뮤니티에 속해 있어요.',
    hasActivity: '이 서버에는 이미 자체 포인트, 챌린지, 경품 추첨, 설문이 있어서 다른 커뮤니티에 합류할 수 없어요.',
    ownRole: '내 역할은 직접 낮출 수 없어요.',
    notBound: '이 공간은 이제 커뮤니티에 연결돼 있지 않아요. 다시 시도해 주세요.',
  },
  link: {
    code: '계정 연결 코드: **{{code}}** ({{expires}}까지 유효). 다른 계정에서 /link {{code}} 명령어를 실행해 주세요.',
    done: '🔗 연결 완료! 이제 이 {{platform}} 계정은 {{name}} 님 계정과 포인트를 함께 써요 (잔액 {{balance, number}} 포인트).',
    referralReversed_other: '두 계정 중 하나가 다른 계정의 추천 코드로 가입했기 때문에 추천 보상 {{count, number}} 포인트를 회수했어요.',
  },
  bind: {
    code: '커뮤니티 코드: **{{code}}** ({{expires}}까지 유효). 다른 플랫폼에서 관리자가 /community bind {{code}} 명령어를 실행해 주세요.',
    done: '이제 이 {{platform}} 공간도 **{{name}}** 커뮤니티에 속해요. 포인트, 챌린지, 경품 추첨이 공유돼요. 멤버들은 /link로 계정을 연결할 수 있어요.',
  },
  role: {
    member: '{{name}} 님의 역할을 멤버로 변경했어요.',
    moderator: '{{name}} 님의 역할을 운영진으로 변경했어요.',
    admin: '{{name}} 님의 역할을 관리자로 변경했어요.',
  },
  settings: {
    rewards: '**{{name}}** · 추천 리워드: 추천인 {{referrer, number}} 포인트, 피추천인 {{referee, number}} 포인트',
    where: '언어: {{language}} · 시간대: {{zone}}',
  },
  announce: {
    here: '📣 이제 {{platform}}에서는 커뮤니티 공지(다른 플랫폼에서 시작한 경품 추첨 등)가 이 채널에 올라가요.',
    other: '{{platform}}: 그곳에서 지정한 채널에 공지가 올라가요.',
    otherUnset: '{{platform}}: 아직 공지 채널이 없어요. 그곳 관리자가 원하는 채널에서 /announce here 명령어로 지정할 수 있어요.',
  },
  locales: { en: 'English', ko: '한국어', ja: '日本語' },
};
