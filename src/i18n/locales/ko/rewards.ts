export default {
  commands: {
    rewards: {
      description: '포인트로 교환할 수 있는 리워드 보기',
      options: {},
    },
    'reward add': {
      description: '멤버가 포인트로 교환할 수 있는 리워드 추가',
      options: { cost: '가격 (포인트)', name: '이름 (띄어쓰기가 있으면 따옴표로 감싸 주세요)', stock: '수량 (기본값: 무제한)' },
      examples: '/reward add 500 "스티커 팩" 100',
    },
    'reward remove': {
      description: '리워드 제공 중단',
      options: { reward: '리워드 번호' },
    },
    redeem: {
      description: '포인트로 리워드 교환',
      options: { reward: '리워드 번호 또는 이름 (/rewards에서 확인)' },
      examples: '/redeem 3\n/redeem "스티커 팩"\n/redeem 스티커',
    },
    redemptions: {
      description: '처리를 기다리는 리워드 교환 신청',
      options: {},
    },
    'redemption fulfill': {
      description: '리워드 교환 신청을 지급 완료로 처리',
      options: { redemption: '신청 번호' },
    },
    'redemption refund': {
      description: '리워드 교환 신청을 취소하고 포인트 환불',
      options: { redemption: '신청 번호' },
    },
  },
  error: {
    notFound: '{{id}}번 리워드는 없어요. /rewards에서 확인해 보세요.',
    noMatch: '이름이 "{{name}}"인 리워드는 없어요. /rewards에서 확인해 보세요.',
    ambiguous: '"{{name}}"에 해당하는 리워드가 여러 개예요: {{candidates}}. 번호나 전체 이름으로 입력해 주세요.',
    outOfStock: '"{{name}}" 리워드는 품절됐어요.',
    tooExpensive_other: '"{{name}}" 리워드는 {{count, number}} 포인트가 필요한데, 잔액이 {{balance, number}} 포인트예요.',
    noRedemption: '{{id}}번 교환 신청은 없어요. /redemptions에서 확인해 보세요.',
    already: {
      fulfilled: '{{id}}번 교환 신청은 이미 지급 완료됐어요.',
      refunded: '{{id}}번 교환 신청은 이미 환불됐어요.',
    },
    alreadyHandled: '{{id}}번 교환 신청은 이미 처리됐어요.',
  },
  list: {
    empty: '아직 리워드가 없어요. 관리자가 /reward add로 추가할 수 있어요.',
    title: '🎁 **리워드**',
    row: '#{{id}} {{name}}: {{cost, number}} 포인트',
    left: ' ({{count, number}}개 남음)',
    outOfStock: ' (품절)',
    footer: '잔액은 {{balance, number}} 포인트예요. /redeem <번호 또는 이름> 명령어로 교환할 수 있어요.',
  },
  added_other: '리워드 #{{id}} "{{name}}"({{count, number}} 포인트)를 추가했어요.',
  addedStock_other: '리워드 #{{id}} "{{name}}"({{count, number}} 포인트, 재고 {{stock, number}}개)를 추가했어요.',
  removed: '리워드 목록에서 #{{id}} "{{name}}" 항목을 삭제했어요.',
  redeemed_other: '🎁 "{{name}}" 리워드를 {{count, number}} 포인트로 교환했어요 (잔액 {{balance, number}} 포인트). 운영진이 곧 연락드릴 거예요 (신청 번호 #{{request}}).',
  pending: {
    empty: '대기 중인 리워드 교환 신청이 없어요.',
    title: '**대기 중인 리워드 교환 신청**',
    row: '#{{id}} {{member}}: {{reward}} ({{cost, number}} 포인트)',
    fulfill: '#{{id}} 지급 완료',
    refund: '#{{id}} 환불',
  },
  fulfilled: '교환 신청(#{{id}}, {{name}})을 지급 완료로 처리했어요.',
  refunded_other: '교환 신청(#{{id}})을 환불 처리했어요. {{count, number}} 포인트를 돌려드렸어요.',
};
