import type { Lang } from '../../i18n/index.js';
import type { Reply } from '../../core/types.js';
import type { ActivityRules } from './rules.js';

const channel = (id: string) => `#${id}`;

/** The activity rules, one line per rule. */
export function rulesReply(L: Lang, r: ActivityRules, now: Date): Reply {
  const lines = [
    L.t('activity:rules.title'),
    L.t('activity:rules.message', { min: r.minPoints, max: r.maxPoints, length: r.minLength, cooldown: r.cooldownSec }),
    r.dailyCap ? L.t('activity:rules.cap', { cap: r.dailyCap }) : L.t('activity:rules.capOff'),
    r.reactionPoints ? L.t('activity:rules.reactions', { points: r.reactionPoints }) : L.t('activity:rules.reactionsOff'),
    r.voicePerMinute ? L.t('activity:rules.voice', { points: r.voicePerMinute }) : L.t('activity:rules.voiceOff'),
    r.streakBonus ? L.t('activity:rules.streak', { bonus: r.streakBonus, days: r.streakDays }) : L.t('activity:rules.streakOff'),
  ];
  if (r.noEarnChannels.length) lines.push(L.t('activity:rules.noEarn', { channels: r.noEarnChannels.map(channel).join(', ') }));
  const mult = Object.entries(r.multipliers);
  if (mult.length) lines.push(L.t('activity:rules.multipliers', { list: mult.map(([id, f]) => `${channel(id)} ×${L.num(f)}`).join(', ') }));
  for (const w of r.bonusWindows) {
    if (w.end.getTime() > now.getTime()) lines.push(L.t('activity:rules.bonus', { factor: L.num(w.multiplier), start: w.start, end: w.end }));
  }
  return { text: lines.join('\n'), ephemeral: true };
}

export const reversedReply = (L: Lang, name: string, r: { count: number; points: number }): Reply =>
  ({ text: r.count ? L.t('activity:reversed', { name, count: r.count, points: r.points }) : L.t('activity:nothingToReverse', { name }) });

/** The streak line of /points (nothing when there is no live streak). */
export const streakLine = (L: Lang, streak: number): string | undefined =>
  (streak > 0 ? L.t('activity:streak', { count: streak }) : undefined);
