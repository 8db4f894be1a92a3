// Texts the discord adapter shows itself (before or around the engine), and slash-command names.
export default {
  notInServer: '제 명령어는 다이렉트 메시지에서는 쓸 수 없어요. 제가 들어가 있는 서버의 채널에서 실행해 주세요.',
  staleButton: '예전 버전의 버튼이라 이제 작동하지 않아요. 대신 슬래시 명령어를 써 주세요 (/help를 입력해 보세요).',
  deferredPublicNote: '✅ 완료했어요. 결과는 아래에 올렸어요.',
  /** A form button whose title is empty. */
  openForm: '열기',
  /**
   * Top-level slash command names as members of this language see them in Discord's command picker
   * (1-32 letters, digits, "-" or "_"; lowercase where the script has case). The command still runs by its
   * English name; a name equal to the English one is not sent as a localization.
   */
  names: {
    help: '도움말',
    points: '포인트',
    leaderboard: '순위표',
    history: '내역',
    give: '지급',
    take: '회수',
    challenge: '챌린지',
    contest: '경품추첨',
    referral: '추천',
    poll: '설문',
    rewards: '리워드',
    reward: '리워드관리',
    redeem: '교환',
    redemptions: '교환요청',
    redemption: '교환처리',
    link: '계정연결',
    community: '커뮤니티',
    role: '역할',
    settings: '설정',
    activity: '참여',
    invites: '초대',
    tier: '등급',
    season: '시즌',
    dashboard: '대시보드',
    thanks: '감사',
    announce: '공지',
  },
  /**
   * The subcommand that runs a group's own command where the group also has subcommands ("/thanks" beside
   * "/thanks left"): Discord cannot run a command that has subcommands, so "/thanks" is "/thanks send" there.
   * English is the subcommand's name; other languages are its localized names.
   */
  defaultSub: {
    thanks: '보내기',
  },
};
