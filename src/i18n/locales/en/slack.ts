// Texts the slack adapter shows itself (before or around the engine): modal buttons, the App Home frame, the manifest.
export default {
  modal: {
    /** Title of a form that has none (at most 24 characters). */
    title: 'Form',
    submit: 'Send',
    cancel: 'Cancel',
  },
  home: {
    header: 'Community points',
    headerOf: '{{community}} · points',
    footer: 'Type `/help` in any channel to see everything I can do.',
  },
  manifest: {
    umbrella: 'Every Engage command: /engage points, /engage challenge list, /engage help',
    description: 'Challenges, giveaways, points, leaderboards, referrals and NPS polls for your community.',
  },
};
