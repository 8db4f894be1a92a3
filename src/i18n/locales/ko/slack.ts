// Texts the slack adapter shows itself (before or around the engine): modal buttons, the App Home frame, the manifest.
export default {
  modal: {
    /** Title of a form that has none (at most 24 characters). */
    title: '입력 양식',
    submit: '보내기',
    cancel: '취소',
  },
  home: {
    header: '커뮤니티 포인트',
    headerOf: '{{community}} · 포인트',
    footer: '아무 채널에서나 `/help`를 입력하면 제가 할 수 있는 일을 모두 볼 수 있어요.',
  },
  manifest: {
    umbrella: 'Engage의 모든 명령어: /engage points, /engage challenge list, /engage help',
    description: '커뮤니티를 위한 챌린지, 경품 추첨, 포인트, 순위표, 추천 프로그램, 순추천고객지수(NPS) 설문을 제공해요.',
  },
};
