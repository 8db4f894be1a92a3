import type { JobHandlers } from '../infra/jobs.js';
import { closeChallenge } from './challenges/service.js';
import { endContest, expireClaims, refreshCards } from './contests/service.js';
import { closePoll, openPoll, remindPoll } from './polls/service.js';
import { endSeason, startSeason } from './seasons/service.js';
import { checkReferral } from './referrals/service.js';

/** What each scheduled job kind runs, inside the job's own transaction. */
export const jobHandlers: JobHandlers = {
  'contest.end': (s, id) => endContest(s, id).then(() => undefined),
  'challenge.deadline': (s, id) => closeChallenge(s, id).then(() => undefined),
  'poll.open': (s, id) => openPoll(s, id),
  'poll.close': (s, id) => closePoll(s, id).then(() => undefined),
  'season.start': (s, id) => startSeason(s, id),
  'season.end': (s, id) => endSeason(s, id),
  'referral.check': checkReferral,
  'poll.remind': (s, id) => remindPoll(s, id).then(() => undefined),
  'contest.refresh': (s, id) => refreshCards(s, id),
  'contest.claim': (s, id) => expireClaims(s, id),
};
