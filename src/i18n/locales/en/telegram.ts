// Texts the telegram adapter shows itself (before or around the engine).
export default {
  noGroup: "I don't know your group yet. Use any command (for example /points) in your Telegram group first; after that you can talk to me here and I act for the group you used me in most recently.",
  stale: 'This button has expired. Run the command again (see /help).',
  anonymous: 'I can\'t tell who you are while you post as the group. Turn off "Remain anonymous" in your admin rights, or message me privately.',
  buttonHere: 'This button does not work here.',
  invalidInvite: "This invite link is not valid: I don't know that group. Ask for a new link.",
  inviteLink: 'Invite link (opens me and applies your code): {{link}}',
  /** In the group, when a private reply cannot reach the user: {{name}} is their mention; the reply itself is not shown. */
  startPrivately: '{{name}}, I answer this privately: open a private chat with me and press Start, then try again.',
  openPrivateChat: 'Open private chat',
  start: {
    greeting: '👋 Hi {{name}}! I run points, challenges, giveaways, referrals, rewards and NPS polls for Telegram groups.',
    inGroup: 'Use my commands right here in the group.',
    inPrivate: 'Add me to your group and use my commands there. In this private chat I act for the group you used me in most recently.',
    help: 'Send /help to see what I can do.',
    helpIn: 'Send /help to see what I can do in **{{community}}**.',
  },
  form: {
    toast: '{{title}}: reply to my message with your answer.',
    step: '({{n}}/{{total}})',
    fieldMax: '{{label}} (up to {{max, number}} characters)',
    reply: 'Reply to this message with your answer.',
    empty: 'Please send some text.',
    tooLong: 'That is {{length, number}} characters; the limit is {{max, number}}.',
  },
};
