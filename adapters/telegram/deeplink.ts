/**
 * Deep-link referrals. https://t.me/<bot>?start=<payload> opens a private chat with the bot and sends
 * "/start <payload>". The payload (at most 64 characters of [A-Za-z0-9_-]) carries the group chat id and the
 * member's referral code: "r" + chat id + "_" + code, e.g. r-1001234567890_K7QX2M9A.
 */

const PAYLOAD = /^r(-?\d{1,20})_([A-Za-z0-9]{1,20})$/;

export function encodeStartPayload(groupChatId: number | string, referralCode: string): string {
  const chat = String(groupChatId);
  if (!/^-?\d{1,20}$/.test(chat)) throw new Error(`Not a Telegram chat id: ${chat}`);
  if (!/^[A-Za-z0-9]{1,20}$/.test(referralCode)) throw new Error(`Not a referral code: ${referralCode}`);
  const payload = `r${chat}_${referralCode}`;
  if (payload.length > 64) throw new Error('Start payload longer than 64 characters');
  return payload;
}

export function decodeStartPayload(payload: string): { groupChatId: string; code: string } | null {
  const m = PAYLOAD.exec(payload.trim());
  return m ? { groupChatId: m[1], code: m[2] } : null;
}

/** The link a member shares: opening it starts the bot and redeems their code in that group's community. */
export function referralLink(botUsername: string, groupChatId: number | string, referralCode: string): string {
  return `https://t.me/${botUsername.replace(/^@/, '')}?start=${encodeStartPayload(groupChatId, referralCode)}`;
}
