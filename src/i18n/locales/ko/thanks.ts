export default {
  commands: {
    thanks: {
      description: '하루 감사 포인트로 멤버에게 감사 전하기 (내 잔액은 줄지 않아요)',
      options: { member: '감사를 전할 멤버 (/thanks만 입력하면 입력 창이 열려요)', points: '보낼 포인트 (기본 1)', reason: '감사한 이유 (필수, 모두에게 공개돼요)' },
      examples: '/thanks @mina 2 온보딩 가이드 정말 좋았어요\n/thanks @mina 질문에 답해 줘서 고마워요\n/thanks',
    },
    'thanks left': {
      description: '오늘 남은 감사 포인트 보기',
      options: {},
    },
    'thanks top': {
      description: '이번 주 감사를 가장 많이 받은 멤버',
      options: {},
    },
    'thanks settings': {
      description: '감사 규칙 보기·변경 (관리자)',
      options: {
        daily: '멤버 한 명이 하루에 보낼 수 있는 감사 포인트',
        pair_weekly: '한 멤버가 같은 멤버에게 일주일에 보낼 수 있는 최대 포인트',
        max: '감사 한 번에 보낼 수 있는 최대 포인트',
      },
      examples: '/thanks settings\n/thanks settings daily:10 pair_weekly:20 max:3',
    },
  },
  error: {
    self: '나 자신(연결된 내 다른 계정 포함)에게는 감사를 전할 수 없어요.',
    noMember: '누구에게 감사를 전할까요? 사용법: /thanks <멤버> [포인트] <이유>',
    noReason: '{{name}} 님에게 무엇이 고마웠는지 이유를 적어 주세요.',
    reason: '이유는 {{min}}~{{max}}자로 적어 주세요.',
    max: '감사 한 번에 최대 {{max, number}} 포인트까지 보낼 수 있어요.',
    allowance_other: '오늘 남은 감사 포인트는 {{count, number}} 포인트예요 (하루 {{daily, number}} 포인트). {{at}}에 다시 채워져요.',
    allowanceGone: '오늘의 감사 포인트 {{daily, number}} 포인트를 모두 보냈어요. {{at}}에 다시 채워져요.',
    pairFull: '이번 주에 {{name}} 님에게 이미 {{given, number}} 포인트를 보냈어요. 같은 멤버에게 일주일에 보낼 수 있는 최대치예요.',
    pairLeft_other: '이번 주에 {{name}} 님에게는 {{count, number}} 포인트만 더 보낼 수 있어요 (같은 멤버에게는 일주일에 최대 {{max, number}} 포인트).',
  },
  given: '🙌 **{{giver}}** 님이 **{{receiver}}** 님에게 감사를 전했어요 (+{{points, number}} 포인트): {{reason}}',
  again: '나도 감사 전하기',
  form: {
    title: '멤버에게 감사 전하기',
    member: '멤버 (@이름)',
    points: '포인트 (기본 1)',
    reason: '무엇이 고마웠나요?',
  },
  left: {
    some_other: '오늘 감사 포인트를 **{{count, number}} 포인트** 더 보낼 수 있어요 (하루 {{daily, number}} 포인트). {{at}}에 다시 채워지고, 남은 포인트는 이월되지 않아요.',
    none: '오늘의 감사 포인트 {{daily, number}} 포인트를 모두 보냈어요. {{at}}에 다시 채워져요.',
    how: '감사 포인트는 내 잔액이 아니라 하루 감사 포인트에서 나가요: /thanks @멤버 [포인트] 이유',
  },
  received: {
    text_other: '🙌 {{community}}에서 {{giver}} 님이 감사를 전했어요 (+{{count, number}} 포인트): {{reason}}',
    balance: '내 잔액: {{balance, number}} 포인트',
  },
  top: {
    title: '🙌 **이번 주 감사를 가장 많이 받은 멤버**',
    line_other: '{{rank}} {{name}}: {{points, number}} 포인트 (감사 {{count, number}}회)',
    empty: '🙌 이번 주에는 아직 감사가 없어요. 첫 감사를 전해 보세요: /thanks @멤버 이유',
    you_other: '나: 이번 주 감사 {{count, number}}회, {{points, number}} 포인트를 받았어요.',
    youNone: '이번 주에는 아직 받은 감사가 없어요.',
  },
  rules: {
    title: '**감사 규칙**',
    daily: '멤버마다 하루(커뮤니티 시간대 기준)에 {{count, number}} 포인트까지 보낼 수 있고, 남은 포인트는 이월되지 않아요.',
    pair: '같은 멤버에게는 일주일에 최대 {{count, number}} 포인트까지 보낼 수 있어요 (한 주는 월요일부터 시작해요).',
    max: '감사 한 번에 최대 {{count, number}} 포인트까지 보낼 수 있어요.',
  },
};
