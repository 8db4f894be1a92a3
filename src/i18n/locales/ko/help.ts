export default {
  commands: {
    help: {
      description: '제가 할 수 있는 일 보기',
      options: { command: '설명을 볼 명령어 (예: "contest create")' },
    },
  },
  unknown: '"{{command}}" 명령어는 없어요. /help를 입력해 보세요.',
  optional: ' (선택)',
  example: '  예: {{example}}',
  details: '자세한 설명: /help <command>',
  section: { member: '**모든 멤버**', moderator: '**운영진**', admin: '**관리자**' },
  precondition: { inChannel: '채널에서만', notInDm: 'DM에서는 사용 불가' },
  group: {
    challenge: '챌린지: {{subs}}',
    contest: '경품 추첨: {{subs}}',
    poll: '설문: {{subs}}',
    referral: '추천 프로그램: {{subs}}',
    reward: '리워드: {{subs}}',
    redemption: '리워드 교환 신청: {{subs}}',
    community: '커뮤니티: {{subs}}',
    activity: '참여 포인트: {{subs}}',
    invites: '초대: {{subs}}',
    tier: '등급: {{subs}}',
    season: '시즌: {{subs}}',
    thanks: '멤버에게 감사 전하기, 또는: {{subs}}',
    announce: '커뮤니티 전체 공지를 올릴 곳: {{subs}}',
  },
};
