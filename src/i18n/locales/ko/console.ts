// The terminal demo's own texts (adapters/console).
export default {
  welcome: 'Engage 봇 콘솔이에요. "{{community}}" 커뮤니티에 관리자 "{{user}}" 님으로 접속했어요.',
  help: '콘솔 명령어: /help 봇 도움말; :as <name> [member|moderator|admin] 다른 사람으로 전환; :press <n> [text] 마지막 응답의 n번 버튼 누르기; :tick [3d] 시계를 앞으로 돌리고 때가 된 예약 작업 실행; :lang en|ko|ja 언어 변경; :tz <zone> 시간대 변경 (예: Asia/Seoul); :quit 종료.',
  dmTo: '{{user}} 님에게 보낸 DM',
  asUsage: '사용법: :as <name> [member|moderator|admin]',
  badRole: '역할은 member, moderator, admin 중 하나로 입력해 주세요.',
  now: '이제 "{{user}}" 님으로 전환했어요.',
  nowWithRole: '이제 "{{user}}" 님({{role}})으로 전환했어요.',
  noButton: '{{n}}번 버튼은 없어요. 마지막 메시지의 버튼에는 [1], [2], ... 순서로 번호가 붙어 있어요.',
  formUsage: '{{title}}: :press {{n}} <{{label}}> 형식으로 입력해 주세요',
  tickUsage: '사용법: :tick [duration] (예: :tick 3d)',
  advanced: '시계를 {{by}} 앞으로 돌렸어요. 현재 시각: {{now}}',
  ran_other: '예약 작업 {{count}}개를 실행했어요.',
  langUsage: '사용법: :lang en|ko|ja',
  langSet: '언어를 한국어로 바꿨어요.',
  tzUsage: '사용법: :tz <zone> (예: :tz Asia/Seoul)',
};
