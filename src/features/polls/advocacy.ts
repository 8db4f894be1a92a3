
/*
 * The promoter-to-advocate loop: after a 9–10 the reply offers the member's referral code (what
 * `/referral code` shows) and an open challenge. Poll.offerChallengeId: null = the newest open challenge
 * when the member answers, NO_CHALLENGE = none, else that challenge while it is open.
 */

export const NO_CHALLENGE = 0;

export interface PromoterOffer {
  referral: { code: string; referrerReward: number; refereeReward: number } | null;
  challenge: { id: number; title: string; reward: number; deadline: Date } | null;
}
