// The terminal demo's own texts (adapters/console).
export default {
  welcome: 'Engage bot console. You are "{{user}}" (admin) in community "{{community}}".',
  help: 'Console commands: /help for the bot; :as <name> [member|moderator|admin] to act as someone else; :press <n> [text] to press button n of the last reply; :tick [3d] to move the clock forward and run due scheduled jobs; :lang en|ko|ja; :tz <zone> (e.g. Asia/Seoul); :quit.',
  dmTo: 'DM to {{user}}',
  asUsage: 'Usage: :as <name> [member|moderator|admin]',
  badRole: 'Role must be member, moderator or admin.',
  now: 'You are now "{{user}}".',
  nowWithRole: 'You are now "{{user}}" ({{role}}).',
  noButton: 'No button {{n}}. Buttons of the last message are numbered [1], [2], ...',
  formUsage: '{{title}}: type :press {{n}} <{{label}}>',
  tickUsage: 'Usage: :tick [duration], e.g. :tick 3d',
  advanced: 'Moved the clock forward by {{by}}: it is now {{now}}.',
  ran_one: 'Ran {{count}} due job.',
  ran_other: 'Ran {{count}} due jobs.',
  langUsage: 'Usage: :lang en|ko|ja',
  langSet: 'Language: English.',
  tzUsage: 'Usage: :tz <zone>, e.g. :tz Asia/Tokyo',
};
