// Texts the telegram adapter shows itself (before or around the engine).
export default {
  noGroup: '아직 어느 그룹에서 오셨는지 몰라요. 먼저 텔레그램 그룹에서 아무 명령어(예: /points)나 한 번 써 주세요. 그다음부터는 여기서도 대화할 수 있고, 가장 최근에 저를 사용한 그룹 기준으로 처리해 드려요.',
  stale: '만료된 버튼이에요. 명령어를 다시 실행해 주세요 (/help 참고).',
  anonymous: '그룹 이름으로 글을 올리고 계셔서 누구신지 알 수 없어요. 관리자 권한에서 "익명으로 남기"를 끄거나 저에게 개인 메시지를 보내 주세요.',
  buttonHere: '이 버튼은 여기서는 작동하지 않아요.',
  invalidInvite: '올바른 초대 링크가 아니에요. 어느 그룹의 링크인지 알 수 없어요. 새 링크를 요청해 주세요.',
  inviteLink: '초대 링크 (누르면 저와의 대화가 열리고 내 추천 코드가 적용돼요): {{link}}',
  /** In the group, when a private reply cannot reach the user: {{name}} is their mention; the reply itself is not shown. */
  startPrivately: '{{name}} 님, 이 답변은 개인 채팅으로만 보내 드려요. 저와의 개인 채팅을 열고 시작을 누른 뒤 다시 시도해 주세요.',
  openPrivateChat: '개인 채팅 열기',
  start: {
    greeting: '👋 안녕하세요, {{name}} 님! 저는 텔레그램 그룹에서 포인트, 챌린지, 경품 추첨, 추천 프로그램, 리워드, 순추천고객지수(NPS) 설문을 운영해요.',
    inGroup: '이 그룹에서 바로 제 명령어를 써 보세요.',
    inPrivate: '저를 그룹에 추가한 뒤 그룹에서 명령어를 써 주세요. 이 개인 채팅에서는 가장 최근에 저를 사용한 그룹 기준으로 처리해 드려요.',
    help: '/help를 보내면 제가 할 수 있는 일을 볼 수 있어요.',
    helpIn: '/help를 보내면 **{{community}}**에서 제가 할 수 있는 일을 볼 수 있어요.',
  },
  form: {
    toast: '{{title}}: 제 메시지에 답장으로 입력해 주세요.',
    step: '({{n}}/{{total}})',
    fieldMax: '{{label}} (최대 {{max, number}}자)',
    reply: '이 메시지에 답장으로 입력해 주세요.',
    empty: '내용을 입력해 주세요.',
    tooLong: '입력한 내용이 {{length, number}}자예요. 최대 {{max, number}}자까지 입력할 수 있어요.',
  },
};
