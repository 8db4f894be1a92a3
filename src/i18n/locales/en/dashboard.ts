export default {
  commands: {
    dashboard: { description: 'A private sign-in link to the web dashboard', options: {} },
  },
  link: '🔑 Your dashboard sign-in link (works once, for {{minutes, number}} minutes; do not share it):\n{{url}}',
  web: {
    title: 'Engage dashboard',
    signedIn: 'Signed in as {{name}} ({{role}}). This session ends {{expires}}.',
    signOut: 'Sign out',
    signedOut: 'You are signed out. To come back, run /dashboard in chat.',
    forbidden: 'You cannot open this page. Run /dashboard in your community’s chat to sign in.',
    link: {
      used: 'This sign-in link was already used. Run /dashboard in chat for a new one.',
      expired: 'This sign-in link has expired. Run /dashboard in chat for a new one.',
      unknown: 'This sign-in link is not valid. Run /dashboard in chat for a new one.',
    },
    csrf: 'This form has expired. Reload the page and try again.',
  },
};
