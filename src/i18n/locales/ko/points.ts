export default {
  commands: {
    points: {
      description: '내 포인트, 등급, 순위 보기 (다른 멤버 것도 볼 수 있어요)',
      options: { member: '포인트를 볼 멤버' },
      examples: '/points\n/points @alex',
    },
    leaderboard: {
      description: '획득 포인트가 많은 멤버 순위',
      options: { period: 'all, week, month 중 하나', size: '표시할 인원 (1-25)', season: '시즌 번호: 그 시즌의 순위표를 보여줘요' },
      examples: '/leaderboard\n/leaderboard week\n/leaderboard month 20',
    },
    history: {
      description: '최근 포인트 내역 (운영진은 다른 멤버 것도 볼 수 있어요)',
      options: { member: '내역을 볼 멤버 (운영진 전용)' },
    },
    give: {
      description: '멤버에게 포인트 지급',
      options: { member: '받을 멤버', amount: '포인트 수', reason: '사유 (내역에 표시돼요)' },
      examples: '/give @alex 50 #help에서 좋은 답변',
    },
    take: {
      description: '멤버의 포인트 회수',
      options: { member: '대상 멤버', amount: '포인트 수', reason: '사유 (내역에 표시돼요)' },
      examples: '/take @alex 20 중복 참여',
    },
  },
  error: {
    amount: '포인트 수는 0이 아닌 정수로 입력해 주세요.',
    negative: '이렇게 하면 잔액이 마이너스가 돼요 (현재 {{available, number}} 포인트 사용 가능).',
    otherHistory: '다른 멤버의 내역은 운영진만 볼 수 있어요.',
    limit: '포인트 한도({{max, number}})를 넘게 되어 처리하지 않았어요.',
  },
  tierNames: { Bronze: '브론즈', Silver: '실버', Gold: '골드', Platinum: '플래티넘', Member: '멤버' },
  period: { all: '전체 기간', week: '이번 주', month: '이번 달', season: '시즌 "{{name}}"' },
  balance: {
    self: '사용 가능 **{{balance, number}} 포인트** · 누적 획득 {{lifetime, number}} 포인트 · 등급 **{{tier}}**',
    other: '{{name}} 님: 사용 가능 **{{balance, number}} 포인트** · 누적 획득 {{lifetime, number}} 포인트 · 등급 **{{tier}}**',
    rank: '전체 {{ranked, number}}명 중 {{rank}}위',
    unranked: '아직 순위가 없어요. 챌린지, 경품 추첨, 추천 프로그램으로 포인트를 모아 보세요.',
    next: '{{missing, number}} 포인트만 더 모으면 {{tier}} 등급이에요.',
  },
  board: {
    empty: '🏆 아직 {{period}} 동안 획득한 포인트가 없어요.',
    title: '🏆 **{{period}} 순위표**',
    you: '내 순위: {{rank}}위 ({{points, number}} 포인트)',
    youNot: '아직 순위표에 없어요.',
  },
  history: {
    empty: '{{name}} 님의 포인트 내역이 아직 없어요.',
    title: '**{{name}} 님의 포인트 내역** (잔액 {{balance, number}} 포인트)',
  },
  adjust: {
    gave_other: '➕ {{name}} 님에게 {{count, number}} 포인트를 지급했어요 ({{reason}}). 현재 잔액: {{balance, number}} 포인트',
    took_other: '➖ {{name}} 님에게서 {{count, number}} 포인트를 회수했어요 ({{reason}}). 현재 잔액: {{balance, number}} 포인트',
  },
  ledger: {
    grant: '운영진 지급',
    revoke: '운영진 회수',
    challenge: '챌린지 #{{id}}: {{title}}',
    contest: '경품 추첨 #{{id}} 당첨: {{prize}}',
    season: '{{id}}번 시즌 "{{name}}": {{rank}}위 상품',
    referrer: '추천 프로그램: 새 멤버 초대',
    referee: '추천 프로그램: {{name}} 님의 코드로 가입',
    redeem: '리워드 #{{id}} 교환: {{name}}',
    refund: '교환 #{{id}} 환불: {{name}}',
    linkOut: '{{name}} 계정에 병합됨',
    linkIn: '{{platform}} 계정 병합',
    referralReversed: '추천 취소: 같은 멤버의 계정끼리 추천함',
    referralLeft: '추천 보상 회수: 피추천인이 {{days}}일 안에 나갔어요',
    activity: {
      message: '참여: 메시지',
      reaction: '참여: 반응',
      voice: '참여: 음성 채널',
      streak: '연속 참여 보너스: {{days}}일 연속',
      reversed: '참여 포인트 #{{id}} 회수',
    },
  },
  tierUp: {
    reached: '🎖️ {{community}}에서 누적 {{lifetime, number}} 포인트를 모아 **{{tier}}** 등급이 됐어요!',
    next: '다음 등급: {{tier}} ({{points, number}} 포인트부터)',
  },
};
