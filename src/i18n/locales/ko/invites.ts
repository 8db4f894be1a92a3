export default {
  commands: {
    'invites show': {
      description: '내 Discord 초대로 들어온 멤버 수 (다른 멤버 것도 볼 수 있어요): 남은 멤버, 나간 멤버, 가짜',
      options: { member: '초대 현황을 볼 멤버' },
      examples: '/invites show\n/invites show @alex',
    },
    'invites top': {
      description: '지금도 남아 있는 멤버를 가장 많이 초대한 멤버 순위 (가짜 초대는 제외해요)',
      options: { size: '표시할 인원 (1-25)' },
      examples: '/invites top\n/invites top 20',
    },
  },
  stats: {
    titleSelf: '📨 **내 초대 현황**',
    title: '📨 **{{name}} 님의 초대 현황**',
    counts: '초대로 들어온 멤버: {{total, number}}명 · 남아 있는 멤버: {{real, number}}명 · 나간 멤버: {{left, number}}명 · 가짜(새로 만든 계정): {{fake, number}}명',
    noneSelf: '📨 아직 내 초대로 들어온 멤버가 없어요. Discord 서버에서 초대 링크를 만들어 공유해 보세요. 그 링크로 들어온 멤버는 모두 내 초대로 집계돼요.',
    none: '📨 아직 {{name}} 님의 초대로 들어온 멤버가 없어요.',
  },
  board: {
    empty: '📨 아직 집계된 초대가 없어요.',
    title: '📨 **초대 순위표** (남아 있는 멤버 기준, 가짜 초대 제외)',
    row_other: '{{medal}} {{name}}: {{count, number}}명',
  },
};
