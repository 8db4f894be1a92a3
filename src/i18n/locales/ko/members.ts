export default {
  notAMember: '"{{ref}}"에 해당하는 멤버가 없어요. @이름으로 멘션해 주세요.',
  unknownUsername: '아직 @{{username}} 님을 찾을 수 없어요. 그분이 먼저 봇 명령어를 한 번이라도 사용해야 해요.',
  unknownId: '아직 이 커뮤니티에서 {{ref}} 님을 만난 적이 없어요. 그분이 먼저 봇 명령어를 한 번이라도 사용해야 해요.',
};
