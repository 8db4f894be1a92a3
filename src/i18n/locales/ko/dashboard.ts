export default {
  commands: {
    dashboard: { description: '웹 대시보드 로그인 링크를 나에게만 보내기', options: {} },
  },
  link: '🔑 대시보드 로그인 링크예요 ({{minutes, number}}분 동안 한 번만 쓸 수 있어요. 다른 사람과 공유하지 마세요):\n{{url}}',
  web: {
    title: 'Engage 대시보드',
    signedIn: '{{name}}님({{role}})으로 로그인했어요. 이 세션은 {{expires}}에 끝나요.',
    signOut: '로그아웃',
    signedOut: '로그아웃했어요. 다시 들어오려면 채팅에서 /dashboard 명령어를 실행해 주세요.',
    forbidden: '이 페이지를 열 수 없어요. 커뮤니티 채팅에서 /dashboard 명령어로 로그인해 주세요.',
    link: {
      used: '이미 사용한 로그인 링크예요. 채팅에서 /dashboard 명령어로 새 링크를 받아 주세요.',
      expired: '만료된 로그인 링크예요. 채팅에서 /dashboard 명령어로 새 링크를 받아 주세요.',
      unknown: '올바르지 않은 로그인 링크예요. 채팅에서 /dashboard 명령어로 새 링크를 받아 주세요.',
    },
    csrf: '양식이 만료되었어요. 페이지를 새로 고친 뒤 다시 시도해 주세요.',
  },
};
