export default {
  commands: {
    'referral code': {
      description: '나만의 추천 코드와 이 코드로 가입한 인원 보기',
      options: {},
    },
    'referral redeem': {
      description: '나를 초대한 분의 추천 코드 입력',
      options: { code: '상대방의 코드' },
      examples: '/referral redeem K7M2Q9XA',
    },
  },
  error: {
    unknownCode: '이 커뮤니티에 없는 추천 코드예요: "{{code}}". 초대해 준 분께 코드를 다시 확인해 보세요.',
    ownCode: '내 추천 코드는 직접 쓸 수 없어요. 대신 친구들에게 공유해 보세요.',
    alreadyUsed: '이미 추천 코드를 사용했어요.',
    tooLate: '추천 코드는 새로 가입한 멤버만 쓸 수 있어요 (가입 후 {{days}}일 이내).',
    cycle: '내가 초대한 분의 코드는 쓸 수 없어요.',
  },
  code: {
    yours: '내 추천 코드: **{{code}}**',
    how: '새 멤버가 가입 후 {{days}}일 안에 /referral redeem {{code}} 명령어를 입력하면 그 멤버는 {{refereeReward, number}} 포인트, 나는 {{referrerReward, number}} 포인트를 받아요.',
    soFar_other: '지금까지 {{count, number}}명을 추천해서 {{earned, number}} 포인트를 받았어요.',
  },
  welcome: '🤝 환영해요! {{name}} 님의 추천 코드로 가입했어요.',
  welcomeReward_other: '{{count, number}} 포인트를 받았어요 (잔액 {{balance, number}} 포인트).',
};
